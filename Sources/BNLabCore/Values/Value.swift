/// A value of the bnlab language.
public enum Value: @unchecked Sendable {
    /// A scalar kept unboxed, so scalar loops allocate nothing; it behaves as a rank-0 tensor.
    case number(Double)
    // Boxed, so a Value is one word plus a tag and copies stay cheap on hot paths.
    indirect case tensor(Tensor)
    indirect case string(String)
    /// Unboxed: a `Callable` is one reference, so a call reads its function straight from a slot.
    case function(Callable)
    /// A layer or another stateful object; boxed, so objects cost the hot cases nothing.
    indirect case object(any Object)
    case none

    /// How the value is named in messages: "a tensor of shape [3, 2]", "a string".
    public var typeDescription: String {
        switch self {
        case .number: return "a number"
        case .tensor(let t): return t.rank == 0 ? "a number" : "a tensor of shape \(Value.shapeText(t.shape))"
        case .string: return "a string"
        case .function: return "a function"
        case .object(let object): return type(of: object).typeDescription
        case .none: return "none"
        }
    }

    /// The value as a tensor, when it is one (numbers are rank-0 tensors).
    public var tensorValue: Tensor? {
        switch self {
        case .number(let v): return Tensor(v)
        case .tensor(let t): return t
        default: return nil
        }
    }

    /// `[3, 3, 2, 2]`.
    public static func shapeText(_ shape: [Int]) -> String { formatShape(shape) }
}

/// Something that can be called: a builtin or a user function.
public enum Callable: @unchecked Sendable {
    /// Boxed, so a callable is one reference (a `Builtin` is a large struct).
    indirect case builtin(Builtin)
    case user(UserFunction)

    public var name: String {
        switch self {
        case .builtin(let b): return b.name
        case .user(let f): return f.decl.name
        }
    }

    public var signature: String {
        switch self {
        case .builtin(let b): return b.signature
        case .user(let f): return f.decl.signature
        }
    }
}

/// A user function value: its resolved declaration, the defaults evaluated where it was defined,
/// and its compiled body.
public final class UserFunction: @unchecked Sendable {
    let function: ResolvedFunction
    public let defaults: [Value?]
    /// The body, compiled when the function was first defined and shared by every definition of
    /// the same `fn`; a `let`, so a call runs it without retaining it.
    let body: Code

    public var decl: FunctionDecl { function.decl }

    init(function: ResolvedFunction, defaults: [Value?], body: @escaping Code) {
        self.function = function
        self.defaults = defaults
        self.body = body
    }
}
