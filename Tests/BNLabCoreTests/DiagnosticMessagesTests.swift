import Testing
@testable import BNLabCore

/// The catalog must word each family exactly as the inline messages it replaced did: learners'
/// notes, lessons and the case files quote them.
@Suite("Diagnostic message catalog")
struct DiagnosticMessagesTests {
    @Test("each family reads as before")
    func wording() {
        #expect(DiagnosticMessages.didYouMean("mean") == "did you mean 'mean'?")
        #expect(DiagnosticMessages.unknownName("maen") == "unknown name 'maen'")
        #expect(DiagnosticMessages.usedBeforeAssigned("y") == "local variable 'y' is used before it is assigned")
        #expect(DiagnosticMessages.noMember("shap", on: "a tensor") == "a tensor has no member 'shap'")
        #expect(DiagnosticMessages.missingArgument("x", in: "mean") == "missing argument 'x' in call to mean")
        #expect(DiagnosticMessages.tooManyArguments("abs", takes: 1) == "too many arguments: abs takes 1 argument")
        #expect(DiagnosticMessages.tooManyArguments("f", takes: 2) == "too many arguments: f takes 2 arguments")
        #expect(DiagnosticMessages.wrongType("'x' of sqrt", expected: "a tensor", got: "a string") == "'x' of sqrt must be a tensor, got a string")
        #expect(DiagnosticMessages.mustHoldIntegers("axis", got: "0.5000") == "'axis' must hold integers, got 0.5000")
        #expect(DiagnosticMessages.cannotBeNegative("'ddof'") == "'ddof' cannot be negative")
        #expect(DiagnosticMessages.negativeSize(-1) == "sizes cannot be negative, got -1")
        #expect(DiagnosticMessages.epsMustBePositive() == "'eps' must be a number > 0")
        #expect(DiagnosticMessages.epsMustBePositive(got: "0") == "'eps' must be a number > 0, got 0")
        #expect(DiagnosticMessages.momentumRange == "'momentum' must be none or a number from 0 to 1")
        #expect(DiagnosticMessages.unclosed("(") == "unclosed '('")
    }

    @Test("suggesting adds a help only for a likely typo")
    func suggesting() {
        let d = Diagnostic("unknown name 'maen'")
        #expect(d.suggesting("maen", from: ["mean", "max"]).notes == [Diagnostic.Note(.help, "did you mean 'mean'?")])
        #expect(d.suggesting("zzzz", from: ["mean", "max"]).notes.isEmpty)
    }

    @Test("a tensor error becomes a diagnostic with its message, place and highlights")
    func tensorError() {
        let file = SourceFile(origin: .named("t"), text: "a + b")
        let d = Diagnostic(TensorError("cannot broadcast shapes [2] and [3]"), file: file, range: SourceRange(0, 1),
                           highlights: [SourceRange(4, 5)])
        #expect(d.message == "cannot broadcast shapes [2] and [3]")
        #expect(d.range == SourceRange(0, 1) && d.highlights == [SourceRange(4, 5)])
        #expect(d.kind == .error)
    }
}
