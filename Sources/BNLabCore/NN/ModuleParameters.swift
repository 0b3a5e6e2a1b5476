/// What `model.parameters()` gives (printed and named `ParameterList`): the module's parameters in PyTorch's order (its own, then
/// each child's), usable wherever parameters are taken (`zero_grad(ps)`, an optimizer), indexed
/// as `ps[0]`, counted by `len(ps)` and looped over by `for p in ps`.
final class ModuleParameters: Object {
    static let typeName = "ParameterList"
    static let typeDescription = "a parameter list"
    static let kind = "parameters"
    static let exampleName = "params"
    static let fieldNames: [String] = []

    /// The parameters with their qualified names (`0.weight`).
    let named: [(name: String, value: Tensor)]

    init(_ named: [(name: String, value: Tensor)]) {
        self.named = named
    }

    var heldParameters: [Tensor] { named.map(\.value) }
    var length: Int? { named.count }

    func element(at index: Int, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        .tensor(named[index].value)
    }

    func field(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        throw access.error("a parameter list has no field '\(name)'")
            .adding(.help, "index it, as in params[0], or loop over it: for p in params { … }")
    }

    /// The list itself never changes; its parameters are saved by the modules holding them.
    func snapshot() -> ObjectState { ObjectState([]) }
    func restore(_ state: ObjectState) {}

    /// `ParameterList(\n  (0): 0.weight [4, 3]\n  …\n)`, one line per parameter.
    var description: String {
        if named.isEmpty { return "ParameterList()" }
        let lines = named.enumerated().map { "  (\($0.offset)): \($0.element.name) \(Value.shapeText($0.element.value.shape))" }
        return "ParameterList(\n" + lines.joined(separator: "\n") + "\n)"
    }
}
