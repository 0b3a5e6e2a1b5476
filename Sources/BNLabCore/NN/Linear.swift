/// `Linear(in_features, out_features, bias=true)`: y = x·Wᵀ + b, as PyTorch's `nn.Linear`.
final class LinearModule: TensorModule {
    static let typeName = "Linear"
    static let typeDescription = "a Linear layer"
    static let kind = "layer"
    static let exampleName = "lin"
    static let fieldNames = ["weight", "bias", "in_features", "out_features", "training"]
    static let methodNames = Modules.methodNames

    let inFeatures: Int
    let outFeatures: Int
    /// [out, in].
    let weight: Tensor
    /// [out], or nil with bias=false.
    let bias: Tensor?
    var training = true

    static let constructor = Builtin(
        "Linear(in_features, out_features, bias=true)", group: "layers", makes: LinearModule.self,
        "a fully connected layer: y = x @ weight.T + bias, weight [out, in] and bias [out] drawn from U(±1/√in_features) as PyTorch",
        example: "lin = Linear(3, 2); lin(ones(4, 3))"
    ) { (a: inout BoundArguments) throws(Diagnostic) in
        let n = try Modules.positive(&a, "in_features"), m = try Modules.positive(&a, "out_features")
        let hasBias = try a.bool("bias")
        let weight = try Modules.uniform([m, n], fanIn: Double(n), &a)
        let bias = hasBias ? try Modules.uniform([m], fanIn: Double(n), &a) : nil
        return .object(LinearModule(inFeatures: n, outFeatures: m, weight: weight, bias: bias))
    }

    init(inFeatures: Int, outFeatures: Int, weight: Tensor, bias: Tensor?) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.weight = weight
        self.bias = bias
    }

    var parameters: [(name: String, value: Tensor)] {
        bias.map { [("weight", weight), ("bias", $0)] } ?? [("weight", weight)]
    }

    func setting(_ name: String) -> Value? {
        switch name {
        case "in_features": return Modules.number(inFeatures)
        case "out_features": return Modules.number(outFeatures)
        case "bias": return Value.none
        default: return nil
        }
    }

    func forward(_ x: Tensor, _ ops: Ops) throws(Diagnostic) -> Tensor {
        guard (1...2).contains(x.rank), x.shape[x.rank - 1] == inFeatures else {
            var diagnostic = ops.error("Linear(\(inFeatures), \(outFeatures)) expects [N, \(inFeatures)], got \(Value.shapeText(x.shape))")
            if x.rank > 2, x.shape[1...].reduce(1, *) == inFeatures {
                diagnostic = diagnostic.adding(.help, "flatten each sample first: Flatten() in a Sequential, or x.reshape(\(x.shape[0]), -1)")
            }
            throw diagnostic
        }
        let y = try ops.matmul(x, ops.transpose(weight, nil))
        guard let bias else { return y }
        return try ops.binary(.add, y, bias)
    }

    var description: String {
        "Linear(in_features=\(inFeatures), out_features=\(outFeatures), bias=\(bias != nil))"
    }
}
