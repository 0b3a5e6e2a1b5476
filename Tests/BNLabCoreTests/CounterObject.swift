@testable import BNLabCore
@testable import BNLabTensor

/// A test-only object: a counter with a weight vector and an optional child counter.
///
/// It exists to show that a new stateful value is one file: nothing in BNLabCore names it, yet
/// fields, methods, calls, display, `:vars`, completion, help, rollback and checkpoints work.
final class Counter: Module {
    static let typeName = "Counter"
    static let typeDescription = "a Counter"
    static let kind = "counter"
    static let exampleName = "c"
    static let fieldNames = ["count", "weights", "child", "training"]
    static let methodNames = ["bump", "train", "eval"]

    var count = 0
    var weights: Tensor
    var child: Counter?
    var training = true

    init(size: Int) throws(TensorError) {
        weights = try Tensor.zeros([size])
    }

    /// `Counter(size=3)`, registered on a session with `session.register(Counter.constructor)`.
    static let constructor = Builtin("Counter(size=3)", group: "construct", makes: Counter.self,
                                     "a test-only counter", example: "c = Counter(2)") { (a: inout BoundArguments) throws(Diagnostic) in
        let size = try a.int("size")
        guard size >= 0 else { throw a.error("'size' cannot be negative", at: "size") }
        return .object(try a.attempt { () throws(TensorError) in try Counter(size: size) })
    }

    var parameters: [(name: String, value: Tensor)] { [("weights", weights)] }

    var children: [any Object] { child.map { [$0] } ?? [] }

    // Not recursive: a counter may be its own child.
    var description: String {
        "Counter(count=\(count), size=\(weights.count)" + (child == nil ? "" : ", child") + (training ? ", training)" : ", eval)")
    }

    func field(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        switch name {
        case "count": return .number(Double(count))
        case "weights": return .tensor(weights)
        case "child": return child.map { .object($0) } ?? .none
        case "training": return .number(training ? 1 : 0)
        default: throw noField(name, access)
        }
    }

    func setField(_ name: String, to value: Value, _ access: ObjectAccess) throws(Diagnostic) {
        switch name {
        case "count":
            let n = try access.integer(value, what: "'count'")
            guard n >= 0 else { throw access.error("'count' cannot be negative") }
            count = n
        case "weights":
            let t = try access.tensor(value, what: "'weights'")
            guard t.shape == weights.shape else {
                throw access.error("'weights' must have shape \(Value.shapeText(weights.shape)), got \(Value.shapeText(t.shape))")
            }
            weights = t
        case "child":
            switch value {
            case .none: child = nil
            case .object(let object as Counter): child = object
            default: throw access.error("'child' must be a Counter or none, got \(value.typeDescription)")
            }
        case "training": training = try access.truth(value)
        default: throw noField(name, access)
        }
    }

    func method(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        switch name {
        case "bump":
            try access.expectNoArguments(name)
            count += 1
            return .number(Double(count))
        case "train", "eval": return try switchMode(name, access)
        default: throw noMethod(name, access)
        }
    }

    /// `c(x)`: counts the call, then returns x times the count.
    func call(_ access: ObjectAccess) throws(Diagnostic) -> Value {
        guard access.arguments.count == 1, let x = access.arguments.first else {
            throw access.error("a Counter is called with one value, as in c(x)", at: access.range)
        }
        let t = try access.tensor(x, what: "the input of a Counter")
        count += 1
        let n = Double(count)
        return .tensor(try access.attempt(at: access.range) { () throws(TensorError) in try Tensor.binary(.multiply, t, Tensor(n)) })
    }

    func snapshot() -> ObjectState {
        ObjectState([.number(Double(count)), .tensor(weights), child.map { .object($0) } ?? .none, .number(training ? 1 : 0)])
    }

    func restore(_ state: ObjectState) {
        let v = state.values
        guard v.count == 4, case .number(let n) = v[0], case .tensor(let w) = v[1], case .number(let mode) = v[3] else { return }
        count = Int(n)
        weights = w
        if case .object(let object as Counter) = v[2] { child = object } else { child = nil }
        training = mode != 0
    }
}

/// The least an object must write: names, a field reader, a printed form and its state.
/// Everything else (assignment, methods, calls, children) has a default that refuses politely.
final class Tally: Object {
    static let typeName = "Tally"
    static let typeDescription = "a Tally"
    static let kind = "tally"
    static let fieldNames = ["n"]

    var n = 0

    static let constructor = Builtin("Tally()", group: "construct", makes: Tally.self, "a test-only read-only tally",
                                     example: "t = Tally()") { (_: inout BoundArguments) throws(Diagnostic) in .object(Tally()) }

    func field(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        guard name == "n" else { throw noField(name, access) }
        return .number(Double(n))
    }

    var description: String { "Tally(\(n))" }
    func snapshot() -> ObjectState { ObjectState([.number(Double(n))]) }
    func restore(_ state: ObjectState) {
        if case .number(let v)? = state.values.first { n = Int(v) }
    }
}
