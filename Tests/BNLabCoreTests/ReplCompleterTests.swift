import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// Tab-completion candidates, without a terminal.
@Suite struct ReplCompleterTests {
    let session: Session
    let completer: ReplCompleter

    init() {
        session = Session(output: { _ in })
        session.run("x = arange(6).reshape(2, 3)\nbn = BatchNorm(3)\nlabel = \"a\"\nfn scale(v, by=2) = v * by\nmeasured = 1")
        completer = ReplCompleter(session: session)
    }

    func candidates(_ before: String, _ word: String) -> [String] {
        completer.complete(before: before, word: word).candidates
    }

    @Test func builtinsKeywordsAndVariables() {
        #expect(candidates("", "mea") == ["mean", "measured"])
        #expect(candidates("y = ", "mi") == ["min", "minimum", "minmax"])
        #expect(candidates("", "fo") == ["for"])
        #expect(candidates("", "sc") == ["scale"])
        #expect(candidates("", "Batch") == ["BatchNorm"])
    }

    @Test func uniquePrefixCompletesToOneName() {
        #expect(candidates("", "resh") == ["reshape"])
    }

    @Test func membersFollowTheValue() {
        #expect(candidates("bn.", "run") == ["running_mean", "running_var"])
        #expect(candidates("bn.", "tr") == ["train", "training"])
        #expect(candidates("x.", "sh") == ["shape", "show"], "x.show() is show(x)")
        #expect(candidates("x.", "") .contains("T"))
        #expect(candidates("x.", "re") == ["relu", "requires_grad", "reshape"])
        #expect(candidates("x.", "sc") == ["scale"], "a user function works as a method")
        #expect(!candidates("x.", "").contains("zeros"), "constructors are not methods")
        #expect(candidates("label.", "") == [])
        #expect(candidates("nosuch.", "") == [])
        #expect(candidates("f(x).", "sh") == ["shape", "show"])
        #expect(candidates("3.", "") == [])
    }

    @Test func namedArguments() {
        #expect(candidates("mean(x, ", "") .contains("axis="))
        #expect(candidates("mean(x, ", "k") == ["keepdims="])
        #expect(!candidates("mean(x, axis=0, ", "").contains("axis="))
        #expect(candidates("scale(x, ", "b") == ["backward", "bands", "batches", "batchnorm", "bn", "by="])
        #expect(candidates("x.mean(", "ax") == ["axis="])
        #expect(!candidates("fn scale(", "").contains("by="))
    }

    @Test func keywordsInsideBracketsAreExpressionsOnly() {
        #expect(candidates("mean(", "f") == ["false", "flatten", "full"])
        #expect(candidates("", "f").contains("fn"))
    }

    @Test func commandsAndHelpTopics() {
        let commands = completer.complete(before: ":", word: "")
        #expect(commands.candidates == ["help", "load", "quit", "reset", "set", "time", "vars"])
        #expect(commands.appendsSpace)
        #expect(candidates(":", "h") == ["help"])
        #expect(candidates(":help ", "mea") == ["mean", "measured"])
        #expect(candidates("?", "layer") == ["layernorm"])
        #expect(candidates(":set ", "p") == ["precision"])
        #expect(candidates(":time ", "mea") == ["mean", "measured"])
        #expect(candidates(":vars ", "") == [])
        #expect(ReplCompleter.completesFileName(before: ":load "))
        #expect(ReplCompleter.completesFileName(before: "  :load lessons/"))
        #expect(!ReplCompleter.completesFileName(before: "load "))
    }

    @Test func nothingInsideStringsOrComments() {
        #expect(candidates("print(\"me", "an") == [])
        #expect(candidates("x = 1 # me", "an") == [])
    }

    @Test func tabOnABlankLineIndents() {
        #expect(completer.complete(before: "", word: "").indents)
        #expect(completer.complete(before: "   ", word: "").indents)
        #expect(!completer.complete(before: "x + ", word: "").indents)
    }

    @Test func wordBreaksSplitNamesOnly() {
        let breaks = ReplCompleter.wordBreakCharacters
        for c in ".(:?,=+[ " { #expect(breaks.contains(c)) }
        for c in "aZ_0" { #expect(!breaks.contains(c)) }
    }
}
