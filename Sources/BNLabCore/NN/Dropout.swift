/// `Dropout(p=0.5)`: in training, each element is zeroed with probability p and the others scaled
/// by 1/(1 − p), as PyTorch's `nn.Dropout`; in eval mode the identity.
final class DropoutModule: TensorModule {
    static let typeName = "Dropout"
    static let typeDescription = "a Dropout layer"
    static let kind = "layer"
    static let exampleName = "drop"
    static let fieldNames = ["p", "training"]
    static let methodNames = Modules.methodNames

    let p: Double
    var training = true

    static let constructor = Builtin(
        "Dropout(p=0.5)", group: "layers", makes: DropoutModule.self,
        "in training, zeroes each element with probability p (a mask from the session's generator) and scales the rest by 1/(1 − p); in eval mode passes x unchanged",
        example: "manual_seed(0); Dropout(0.5)(ones(8))"
    ) { (a: inout BoundArguments) throws(Diagnostic) in
        let p = try a.double("p")
        guard p >= 0, p <= 1 else { throw a.error("'p' of Dropout is a probability from 0 to 1, got \(Interpreter.numberText(p))", at: "p") }
        return .object(DropoutModule(p: p))
    }

    init(p: Double) {
        self.p = p
    }

    var parameters: [(name: String, value: Tensor)] { [] }

    func setting(_ name: String) -> Value? { name == "p" ? .number(p) : nil }

    /// The mask is drawn as PyTorch's bernoulli_(1 − p): an element is kept when its uniform u is
    /// below 1 − p. As PyTorch, p = 0 returns x and p = 1 zeroes it, neither drawing anything.
    func forward(_ x: Tensor, _ ops: Ops) throws(Diagnostic) -> Tensor {
        guard training, p > 0, x.count > 0 else { return x }
        if p == 1 { return try ops.binary(.multiply, x, Tensor(0)) }
        let keep = 1 - p, scale = 1 / (1 - p)
        // Each training call draws a new mask from the session's generator, leaving it advanced.
        let interpreter = ops.interpreter
        var generator = interpreter.generator
        let mask: Tensor
        do {
            let u = try Tensor.rand(x.shape, generator: &generator)
            mask = try Tensor(shape: x.shape, elements: u.elements.map { $0 < keep ? scale : 0 })
        } catch {
            throw interpreter.error(error, ops.range)
        }
        interpreter.generator = generator
        return try ops.binary(.multiply, x, mask)
    }

    var description: String { "Dropout(p=\(BatchNormLayer.pythonFloat(p)))" }
}
