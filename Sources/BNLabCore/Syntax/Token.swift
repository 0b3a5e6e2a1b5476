/// One lexical token with its place in the source.
public struct Token: Sendable, Equatable {
    /// The kinds of token; keywords and operators each have their own.
    public enum Kind: String, Sendable, Equatable {
        case number, identifier, string, newline, eof
        case unfinished = "???"
        case plus = "+", minus = "-", star = "*", slash = "/", at = "@", caret = "^"
        case percent = "%", slashSlash = "//"
        case plusAssign = "+=", minusAssign = "-=", starAssign = "*=", slashAssign = "/="
        case equalEqual = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
        case assign = "=", dotDot = "..", dot = ".", comma = ",", colon = ":", semicolon = ";"
        case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
        case leftBrace = "{", rightBrace = "}"
        case kwFn = "fn", kwFor = "for", kwIn = "in", kwIf = "if", kwElse = "else", kwReturn = "return"
        case kwCheck = "check", kwTrue = "true", kwFalse = "false", kwNone = "none"
        case kwAnd = "and", kwOr = "or", kwNot = "not"

        /// Binary operators after which a line may continue.
        public var isBinaryOperator: Bool {
            switch self {
            case .plus, .minus, .star, .slash, .at, .caret, .equalEqual, .notEqual, .less, .lessEqual,
                 .greater, .greaterEqual, .dotDot, .kwAnd, .kwOr, .assign, .comma,
                 .percent, .slashSlash, .plusAssign, .minusAssign, .starAssign, .slashAssign:
                return true
            default:
                return false
            }
        }
    }

    /// Every keyword, by spelling.
    public static let keywords: [String: Kind] = [
        "fn": .kwFn, "for": .kwFor, "in": .kwIn, "if": .kwIf, "else": .kwElse, "return": .kwReturn,
        "check": .kwCheck, "true": .kwTrue, "false": .kwFalse, "none": .kwNone,
        "and": .kwAnd, "or": .kwOr, "not": .kwNot,
    ]

    public var kind: Kind
    public var range: SourceRange
    /// The identifier's name or the string literal's value (escapes resolved).
    public var text: String
    public var number: Double

    public init(_ kind: Kind, _ range: SourceRange, text: String = "", number: Double = 0) {
        self.kind = kind
        self.range = range
        self.text = text
        self.number = number
    }

    /// How the token is named in "expected …, found …" messages.
    public var description: String {
        switch kind {
        case .number: return "number"
        case .identifier: return "name '\(text)'"
        case .string: return "string"
        case .newline: return "end of line"
        case .eof: return "end of input"
        default: return "'\(kind.rawValue)'"
        }
    }
}
