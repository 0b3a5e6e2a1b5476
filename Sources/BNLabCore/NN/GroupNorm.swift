/// `GroupNorm(num_groups, num_channels, eps=1e-5)`: each sample standardized over groups of
/// channels (and the spatial axes), then a per-channel weight and bias, as PyTorch's `nn.GroupNorm`.
final class GroupNormModule: TensorModule {
    static let typeName = "GroupNorm"
    static let typeDescription = "a GroupNorm layer"
    static let kind = "layer"
    static let exampleName = "gn"
    static let fieldNames = ["weight", "bias", "num_groups", "num_channels", "eps", "training"]
    static let methodNames = Modules.methodNames

    let groups: Int
    let channels: Int
    let eps: Double
    /// [C]: ones and zeros, as PyTorch starts them.
    let weight: Tensor
    let bias: Tensor
    var training = true

    static let constructor = Builtin(
        "GroupNorm(num_groups, num_channels, eps=1e-5)", group: "layers", makes: GroupNormModule.self,
        "group normalization of [N, C, …] inputs with a learned per-channel weight (ones) and bias (zeros)",
        example: "gn = GroupNorm(2, 4); gn(randn(2, 4, 3, seed=1)).shape"
    ) { (a: inout BoundArguments) throws(Diagnostic) in
        let groups = try Modules.positive(&a, "num_groups"), channels = try Modules.positive(&a, "num_channels")
        guard channels % groups == 0 else {
            throw a.error("GroupNorm needs num_channels (\(channels)) to divide into num_groups (\(groups)) groups", at: "num_groups")
        }
        let eps = try a.eps()
        let weight = try Modules.constant([channels], 1, &a), bias = try Modules.constant([channels], 0, &a)
        return .object(GroupNormModule(groups: groups, channels: channels, eps: eps, weight: weight, bias: bias))
    }

    init(groups: Int, channels: Int, eps: Double, weight: Tensor, bias: Tensor) {
        self.groups = groups
        self.channels = channels
        self.eps = eps
        self.weight = weight
        self.bias = bias
    }

    var parameters: [(name: String, value: Tensor)] { [("weight", weight), ("bias", bias)] }

    func setting(_ name: String) -> Value? {
        switch name {
        case "num_groups": return Modules.number(groups)
        case "num_channels": return Modules.number(channels)
        case "eps": return .number(eps)
        default: return nil
        }
    }

    func forward(_ x: Tensor, _ ops: Ops) throws(Diagnostic) -> Tensor {
        guard x.rank >= 2, x.shape[1] == channels else {
            throw ops.error("GroupNorm(\(groups), \(channels)) expects [N, \(channels), …], got \(Value.shapeText(x.shape))")
        }
        let grouped = try ops.reshape(x, [x.shape[0], groups, -1])
        let normalized = try ops.reshape(ops.standardize(grouped, axes: [2], eps: eps), x.shape)
        // [C] becomes [C, 1, …] so it lines up with axis 1 of the input.
        let perChannel = [channels] + Array(repeating: 1, count: x.rank - 2)
        let w = try ops.reshape(weight, perChannel), b = try ops.reshape(bias, perChannel)
        return try ops.binary(.add, ops.binary(.multiply, normalized, w), b)
    }

    var description: String { "GroupNorm(\(groups), \(channels), eps=\(BatchNormLayer.pythonFloat(eps)))" }
}
