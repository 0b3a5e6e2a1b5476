/// A stateful batch normalization layer with PyTorch's `BatchNorm1d/2d/3d` semantics.
public final class BatchNormLayer: @unchecked Sendable {
    public let numFeatures: Int
    public var eps: Double
    /// nil means the cumulative average (PyTorch's `momentum=None`).
    public var momentum: Double?
    public let affine: Bool
    public var gamma: Tensor
    public var beta: Tensor
    public var runningMean: Tensor
    public var runningVar: Tensor
    public var numBatchesTracked: Int = 0
    public var training = true

    /// The fields a learner can read, in the order `:vars` and completion list them.
    public static let fieldNames = ["gamma", "beta", "running_mean", "running_var", "num_batches_tracked",
                                    "training", "eps", "momentum", "num_features", "affine", "weight", "bias"]
    /// The methods of a layer.
    public static let methodNames = ["train", "eval"]

    public init(numFeatures: Int, eps: Double, momentum: Double?, affine: Bool) throws(TensorError) {
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        gamma = try Tensor.full([numFeatures], 1)
        beta = try Tensor.full([numFeatures], 0)
        runningMean = try Tensor.full([numFeatures], 0)
        runningVar = try Tensor.full([numFeatures], 1)
    }

    /// Everything that a call can change, to restore after a failed statement.
    public struct State {
        var eps: Double, momentum: Double?, gamma: Tensor, beta: Tensor
        var runningMean: Tensor, runningVar: Tensor, numBatchesTracked: Int, training: Bool
    }

    public var state: State {
        get {
            State(eps: eps, momentum: momentum, gamma: gamma, beta: beta, runningMean: runningMean,
                  runningVar: runningVar, numBatchesTracked: numBatchesTracked, training: training)
        }
        set {
            eps = newValue.eps; momentum = newValue.momentum; gamma = newValue.gamma; beta = newValue.beta
            runningMean = newValue.runningMean; runningVar = newValue.runningVar
            numBatchesTracked = newValue.numBatchesTracked; training = newValue.training
        }
    }

    /// `BatchNorm(3, eps=1e-05, momentum=0.1, training)`, as PyTorch prints its modules.
    public var description: String {
        var parts = ["\(numFeatures)", "eps=\(BatchNormLayer.pythonFloat(eps))"]
        parts.append("momentum=" + (momentum.map(BatchNormLayer.pythonFloat) ?? "none"))
        if !affine { parts.append("affine=false") }
        parts.append(training ? "training" : "eval")
        return "BatchNorm(" + parts.joined(separator: ", ") + ")"
    }

    /// Python's `repr` of a float: shortest round-trip digits, exponent as `1e-05`.
    static func pythonFloat(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded(), abs(value) < 1e16 { return String(Int(value)) + ".0" }
        let text = "\(value)"
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        var mantissa = String(text[..<e])
        if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
        var exponent = String(text[text.index(after: e)...])
        var sign = "+"
        if exponent.hasPrefix("-") { sign = "-"; exponent.removeFirst() } else if exponent.hasPrefix("+") { exponent.removeFirst() }
        if exponent.count < 2 { exponent = "0" + exponent }
        return mantissa + "e" + sign + exponent
    }

    /// The layer applied to a batch: batch statistics and a running-statistics update in training
    /// mode, the running statistics in eval mode.
    public func forward(_ x: Tensor) throws(TensorError) -> Tensor {
        guard x.rank >= 2 else {
            throw TensorError("BatchNorm expects an input of shape [N, C], [N, C, L] or [N, C, H, W], got shape \(Value.shapeText(x.shape))")
        }
        guard x.shape[1] == numFeatures else {
            throw TensorError("BatchNorm(\(numFeatures)) expects \(numFeatures) channels on axis 1, got shape \(Value.shapeText(x.shape))")
        }
        let one = Tensor(1), zero = Tensor(0)
        let scale = affine ? gamma : one, shift = affine ? beta : zero
        guard training else {
            return try x.channelAffineNormalized(channelAxis: 1, mean: runningMean, variance: runningVar,
                                                 gamma: scale, beta: shift, eps: eps)
        }
        let valuesPerChannel = numFeatures == 0 ? 0 : x.count / numFeatures
        guard valuesPerChannel > 1 else {
            throw TensorError("expected more than 1 value per channel when training, got input shape \(Value.shapeText(x.shape))")
        }
        let (mean, variance) = try x.channelMoments(channelAxis: 1)
        let y = try x.channelAffineNormalized(channelAxis: 1, mean: mean, variance: variance, gamma: scale, beta: shift, eps: eps)
        numBatchesTracked += 1
        let factor = momentum ?? 1 / Double(numBatchesTracked)
        let m = Double(valuesPerChannel)
        let unbiased = try Tensor.binary(.multiply, variance, Tensor(m / (m - 1)))
        runningMean = try BatchNormLayer.ema(runningMean, mean, factor)
        runningVar = try BatchNormLayer.ema(runningVar, unbiased, factor)
        return y
    }

    /// (1 − momentum)·old + momentum·new.
    public static func ema(_ old: Tensor, _ new: Tensor, _ momentum: Double) throws(TensorError) -> Tensor {
        try Tensor.binary(.add, Tensor.binary(.multiply, old, Tensor(1 - momentum)),
                          Tensor.binary(.multiply, new, Tensor(momentum)))
    }
}
