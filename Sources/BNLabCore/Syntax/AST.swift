/// A use of a name, as written. Which slot it reads is the resolver's answer, kept off the tree.
public struct NameRef: Sendable {
    public var name: String
    public var range: SourceRange

    public init(_ name: String, _ range: SourceRange) {
        self.name = name
        self.range = range
    }
}

/// An expression with its source range.
public struct Expr: Sendable {
    public var kind: ExprKind
    public var range: SourceRange
    /// Height of the tree below this node, bounded by the parser so evaluation cannot overflow the stack.
    public var depth: Int

    public init(_ kind: ExprKind, _ range: SourceRange, depth: Int = 1) {
        self.kind = kind
        self.range = range
        self.depth = depth
    }
}

/// Operators of the binary levels (4 to 9 of the precedence table).
public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", matmul = "@", power = "^"
    case floorDivide = "//", remainder = "%"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
}

/// One `x[...]` component: an expression or a slice `start:stop:step`.
public enum IndexItem: Sendable {
    case expr(Expr)
    case slice(start: Expr?, stop: Expr?, step: Expr?, range: SourceRange)
}

/// A call argument, positional or named.
public struct CallArgument: Sendable {
    public var label: String?
    public var labelRange: SourceRange?
    public var value: Expr
}

public indirect enum ExprKind: Sendable {
    case number(Double)
    case string(String)
    case boolean(Bool)
    case none
    case unfinished
    case name(NameRef)
    case list([Expr])
    case negate(Expr)
    case not(Expr)
    case binary(BinaryOperator, Expr, Expr)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case range(Expr, Expr)
    case call(Expr, [CallArgument])
    case member(Expr, String, SourceRange)
    case methodCall(Expr, String, SourceRange, [CallArgument])
    case index(Expr, [IndexItem])
}

/// A function parameter, with its default when it has one.
public struct Parameter: Sendable {
    public var name: String
    public var range: SourceRange
    public var defaultValue: Expr?
}

/// A `fn` declaration; a reference type so that the resolver can key what it decides by declaration.
public final class FunctionDecl: Sendable {
    public let name: String
    public let nameRange: SourceRange
    public let parameters: [Parameter]
    public let body: [Stmt]
    public let range: SourceRange
    public let file: SourceFile

    public init(name: String, nameRange: SourceRange, parameters: [Parameter], body: [Stmt], range: SourceRange, file: SourceFile) {
        self.name = name
        self.nameRange = nameRange
        self.parameters = parameters
        self.body = body
        self.range = range
        self.file = file
    }

    /// The signature as shown to users: `fn f(a, b=1e-05)`.
    public var signature: String {
        let params = parameters.map { p in
            p.defaultValue.map { "\(p.name)=\(file.slice($0.range))" } ?? p.name
        }
        return "fn \(name)(\(params.joined(separator: ", ")))"
    }
}

/// What an assignment writes to.
public enum AssignTarget: Sendable {
    case name(NameRef)
    case field(Expr, String, SourceRange)
    case index(NameRef, [IndexItem], SourceRange)
}

/// A statement with its source range.
public struct Stmt: Sendable {
    public var kind: StmtKind
    public var range: SourceRange

    public init(_ kind: StmtKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

public indirect enum StmtKind: Sendable {
    /// A bare expression; `silent` when it ended with `;`.
    case expression(Expr, silent: Bool)
    case assign(AssignTarget, Expr)
    case function(FunctionDecl, NameRef)
    case forLoop(NameRef, Expr, [Stmt])
    case ifElse([(condition: Expr, body: [Stmt])], elseBody: [Stmt]?)
    case check(Expr, message: Expr?)
    case returnValue(Expr?)
    /// `no_grad { … }`: the body runs without recording gradients; like `if`, it opens no scope.
    case noGrad([Stmt])
}
