/// `Sequential(m1, m2, ...)`: applies its layers in order, as PyTorch's `nn.Sequential`; a layer may
/// also be a plain function of one tensor (`relu`, a user's `fn`).
final class SequentialModule: StandardModule {
    static let typeName = "Sequential"
    static let typeDescription = "a Sequential model"
    static let kind = "model"
    static let exampleName = "model"
    static let fieldNames = ["training"]
    static let methodNames = Modules.methodNames

    /// The layers: modules (`.object`) or functions (`.function`).
    let items: [Value]
    var training = true

    static let constructor = Builtin(
        "Sequential(layers...)", group: "layers", makes: SequentialModule.self,
        "a model that applies its layers in order (layers or functions of one tensor, such as relu); model[i] is layer i, len(model) their count",
        example: "model = Sequential(Linear(3, 4), relu, Linear(4, 2)); model(ones(5, 3)).shape"
    ) { (a: inout BoundArguments) throws(Diagnostic) in
        for (value, range) in a.rest {
            switch value {
            case .object(let object) where object is any Module: continue
            case .function: continue
            default:
                throw a.interpreter.error("a layer of Sequential must be a layer (such as Linear(3, 4)) or a function (such as relu), got \(value.typeDescription)", range)
            }
        }
        return .object(SequentialModule(a.rest.map(\.value)))
    }

    init(_ items: [Value]) {
        self.items = items
    }

    var parameters: [(name: String, value: Tensor)] { [] }
    var children: [any Object] {
        items.compactMap { if case .object(let object) = $0 { return object } else { return nil } }
    }
    var length: Int? { items.count }

    func element(at index: Int, _ access: ObjectAccess) throws(Diagnostic) -> Value { items[index] }

    func setting(_ name: String) -> Value? { nil }

    /// `model(x)`: x through every layer in turn.
    func call(_ access: ObjectAccess) throws(Diagnostic) -> Value {
        let arguments = access.arguments
        guard arguments.count == 1, arguments[0].label == nil else {
            throw access.error("a Sequential model is called with one tensor, as in model(x)", at: access.range)
        }
        var value = arguments[0].value
        for (i, item) in items.enumerated() {
            let input = EvaluatedArgument(label: nil, labelRange: nil, value: value, range: arguments[0].range)
            do {
                value = try access.interpreter.call(item, [input], callRange: access.range, calleeRange: access.nameRange, depth: 1)
            } catch {
                throw error.adding(.note, "in layer (\(i)) of the Sequential: \(Self.itemText(item).split(separator: "\n").first ?? "")")
            }
        }
        return value
    }

    static func itemText(_ item: Value) -> String {
        switch item {
        case .object(let object): return object.description
        case .function(let f): return f.name
        default: return "?"
        }
    }

    /// `Sequential(\n  (0): Linear(…)\n  (1): relu\n)`, nested layers indented, as PyTorch prints it.
    var description: String {
        if items.isEmpty { return "Sequential()" }
        let lines = items.enumerated().map { i, item in
            "  (\(i)): " + SequentialModule.itemText(item).split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  ")
        }
        return "Sequential(\n" + lines.joined(separator: "\n") + "\n)"
    }
}
