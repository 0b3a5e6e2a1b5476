/// `LayerNorm(normalized_shape..., eps=1e-5)`: each sample standardized over its last axes (those
/// of normalized_shape), then weight·x̂ + bias elementwise, as PyTorch's `nn.LayerNorm`.
final class LayerNormModule: TensorModule {
    static let typeName = "LayerNorm"
    static let typeDescription = "a LayerNorm layer"
    static let kind = "layer"
    static let exampleName = "ln"
    static let fieldNames = ["weight", "bias", "normalized_shape", "eps", "training"]
    static let methodNames = Modules.methodNames

    let normalizedShape: [Int]
    let eps: Double
    /// Ones and zeros of `normalizedShape`, as PyTorch starts them.
    let weight: Tensor
    let bias: Tensor
    var training = true

    static let constructor = Builtin(
        "LayerNorm(normalized_shape..., eps=1e-5)", group: "layers", makes: LayerNormModule.self,
        "layer normalization with learned weight (ones) and bias (zeros) of normalized_shape: each sample standardized over its last axes",
        example: "ln = LayerNorm(3); ln([[1, 2, 3], [2, 4, 9]])"
    ) { (a: inout BoundArguments) throws(Diagnostic) in
        let shape = try a.dimensions()
        guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else {
            throw a.error("LayerNorm needs the sizes of the normalized axes, positive, as in LayerNorm(10) or LayerNorm(4, 4)")
        }
        let eps = try a.eps()
        let weight = try Modules.constant(shape, 1, &a), bias = try Modules.constant(shape, 0, &a)
        return .object(LayerNormModule(normalizedShape: shape, eps: eps, weight: weight, bias: bias))
    }

    init(normalizedShape: [Int], eps: Double, weight: Tensor, bias: Tensor) {
        self.normalizedShape = normalizedShape
        self.eps = eps
        self.weight = weight
        self.bias = bias
    }

    var parameters: [(name: String, value: Tensor)] { [("weight", weight), ("bias", bias)] }

    func setting(_ name: String) -> Value? {
        switch name {
        case "normalized_shape": return .tensor(Tensor.vector(normalizedShape.map(Double.init)))
        case "eps": return .number(eps)
        default: return nil
        }
    }

    func forward(_ x: Tensor, _ ops: Ops) throws(Diagnostic) -> Tensor {
        let k = normalizedShape.count
        guard x.rank >= k, Array(x.shape.suffix(k)) == normalizedShape else {
            throw ops.error("\(shapeText) expects an input whose last axes are \(Value.shapeText(normalizedShape)), got \(Value.shapeText(x.shape))")
        }
        let normalized = try ops.standardize(x, axes: Array((x.rank - k)..<x.rank), eps: eps)
        return try ops.binary(.add, ops.binary(.multiply, normalized, weight), bias)
    }

    /// `LayerNorm((10,))`: the name and normalized shape as PyTorch prints them.
    private var shapeText: String {
        "LayerNorm((" + normalizedShape.map(String.init).joined(separator: ", ") + (normalizedShape.count == 1 ? ",))" : "))")
    }

    var description: String {
        String(shapeText.dropLast()) + ", eps=\(BatchNormLayer.pythonFloat(eps)))"
    }
}
