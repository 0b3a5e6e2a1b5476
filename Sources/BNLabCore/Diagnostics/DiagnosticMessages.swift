/// The wording of the diagnostics that recur, one function per family (as swift-syntax keeps
/// its messages in one catalog), so a family reads the same wherever it is raised and a change
/// of wording is one edit. Messages are lowercase without a final period (language.md §8).
public enum DiagnosticMessages {
    // MARK: Names

    /// The help line of a likely typo: `did you mean 'mean'?`.
    public static func didYouMean(_ name: String) -> String { "did you mean '\(name)'?" }

    /// `unknown name 'maen'`.
    public static func unknownName(_ name: String) -> String { "unknown name '\(name)'" }

    /// A local read before any assignment in its function.
    public static func usedBeforeAssigned(_ name: String) -> String {
        "local variable '\(name)' is used before it is assigned"
    }

    /// `a tensor has no member 'shap'`.
    public static func noMember(_ name: String, on owner: String) -> String { "\(owner) has no member '\(name)'" }

    // MARK: Arguments

    /// `missing argument 'x' in call to mean`.
    public static func missingArgument(_ parameter: String, in callee: String) -> String {
        "missing argument '\(parameter)' in call to \(callee)"
    }

    /// `too many arguments: abs takes 1 argument`.
    public static func tooManyArguments(_ callee: String, takes count: Int) -> String {
        "too many arguments: \(callee) takes \(count) argument\(count == 1 ? "" : "s")"
    }

    /// `argument 'eps' of f is given twice`.
    public static func givenTwice(_ label: String, of callee: String) -> String {
        "argument '\(label)' of \(callee) is given twice"
    }

    /// The note under an argument error: `the signature is mean(x, axis=none, keepdims=false)`.
    public static func signature(_ text: String) -> String { "the signature is \(text)" }

    // MARK: Types and values

    /// `the operand of '-' must be a tensor, got a string`: `what` names the value, `expected` its kind.
    public static func wrongType(_ what: String, expected: String, got: String) -> String {
        "\(what) must be \(expected), got \(got)"
    }

    /// `'axis' must hold integers, got 0.5000`.
    public static func mustHoldIntegers(_ name: String, got: String) -> String { "'\(name)' must hold integers, got \(got)" }

    /// `'ddof' cannot be negative`; `what` is quoted by the caller when it is a parameter.
    public static func cannotBeNegative(_ what: String) -> String { "\(what) cannot be negative" }

    /// `sizes cannot be negative, got -1`.
    public static func negativeSize(_ size: Int) -> String { "sizes cannot be negative, got \(size)" }

    /// `'eps' must be a number > 0`, with what was given when it is known.
    public static func epsMustBePositive(got: String? = nil) -> String {
        "'eps' must be a number > 0" + (got.map { ", got \($0)" } ?? "")
    }

    /// BatchNorm's momentum: none (a cumulative average) or a weight in [0, 1].
    public static let momentumRange = "'momentum' must be none or a number from 0 to 1"

    // MARK: Syntax

    /// `unclosed '('`, at the opening bracket.
    public static func unclosed(_ bracket: Character) -> String { "unclosed '\(bracket)'" }
}

extension Diagnostic {
    /// The diagnostic with a `did you mean` help when one of `candidates` is a likely typo of `name`.
    public func suggesting<S: Sequence>(_ name: String, from candidates: S) -> Diagnostic where S.Element == String {
        guard let near = Suggestions.closest(to: name, in: candidates) else { return self }
        return adding(.help, DiagnosticMessages.didYouMean(near))
    }

    /// A tensor operation's failure, reported at `range` (and underlining `highlights` with it).
    public init(_ error: TensorError, file: SourceFile?, range: SourceRange, highlights: [SourceRange] = []) {
        self.init(error.message, file: file, range: range, highlights: highlights)
    }
}
