/// A stateful batch normalization layer with PyTorch's `BatchNorm1d/2d/3d` semantics.
public final class BatchNormLayer: Module {
    public let numFeatures: Int
    public var eps: Double
    /// nil means the cumulative average (PyTorch's `momentum=None`).
    public var momentum: Double?
    public let affine: Bool
    /// γ and β: parameters (leaves), written in place by assignment and optimizers.
    public var gamma: Tensor
    public var beta: Tensor
    public var runningMean: Tensor
    public var runningVar: Tensor
    public var numBatchesTracked: Int = 0
    public var training = true

    public static let typeName = "BatchNorm"
    public static let typeDescription = "a BatchNorm layer"
    public static let kind = "layer"
    public static let exampleName = "bn"
    /// The fields a learner can read, in the order `:vars` and completion list them.
    public static let fieldNames = ["gamma", "beta", "running_mean", "running_var", "num_batches_tracked",
                                    "training", "eps", "momentum", "num_features", "affine", "weight", "bias"]
    /// The methods of a layer.
    public static let methodNames = Modules.methodNames

    public init(numFeatures: Int, eps: Double, momentum: Double?, affine: Bool) throws(TensorError) {
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        gamma = try Tensor.full([numFeatures], 1)
        beta = try Tensor.full([numFeatures], 0)
        gamma.node = GradNode(leafOf: [numFeatures])
        beta.node = GradNode(leafOf: [numFeatures])
        runningMean = try Tensor.full([numFeatures], 0)
        runningVar = try Tensor.full([numFeatures], 1)
    }

    public var parameters: [(name: String, value: Tensor)] {
        affine ? [("gamma", gamma), ("beta", beta)] : []
    }

    /// Everything that a call or an assignment can change: the mode and parameters (values copied,
    /// as they are written in place), then the settings and running statistics.
    public func snapshot() -> ObjectState {
        Modules.snapshot(self, extra: [.number(eps), momentum.map { .number($0) } ?? .none,
                                       .tensor(runningMean), .tensor(runningVar), .number(Double(numBatchesTracked))])
    }

    public func restore(_ state: ObjectState) {
        let v = Array(Modules.restore(self, state))
        guard v.count == 5, case .number(let eps) = v[0], case .tensor(let runningMean) = v[2],
              case .tensor(let runningVar) = v[3], case .number(let tracked) = v[4] else { return }
        if case .number(let m) = v[1] { momentum = m } else { momentum = nil }
        self.eps = eps
        self.runningMean = runningMean; self.runningVar = runningVar
        numBatchesTracked = Int(exactly: tracked) ?? numBatchesTracked
    }

    // MARK: - Members

    public func field(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        switch name {
        case "gamma", "weight": return .tensor(gamma)
        case "beta", "bias": return .tensor(beta)
        case "running_mean": return .tensor(runningMean)
        case "running_var": return .tensor(runningVar)
        case "num_batches_tracked": return .number(Double(numBatchesTracked))
        case "training": return .number(training ? 1 : 0)
        case "eps": return .number(eps)
        case "momentum": return momentum.map { .number($0) } ?? .none
        case "num_features": return .number(Double(numFeatures))
        case "affine": return .number(affine ? 1 : 0)
        default: throw noField(name, access)
        }
    }

    public func setField(_ name: String, to value: Value, _ access: ObjectAccess) throws(Diagnostic) {
        func perChannel() throws(Diagnostic) -> Tensor {
            let t = try access.tensor(value, what: "'\(name)'")
            if t.rank == 0, let v = t.scalarValue {
                return try access.attempt(at: access.nameRange) { () throws(TensorError) in try Tensor.full([numFeatures], v) }
            }
            guard t.shape == [numFeatures] else {
                throw access.error("'\(name)' must have shape [\(numFeatures)] (one value per channel), got \(Value.shapeText(t.shape))")
            }
            return t
        }
        if !affine, ["gamma", "weight", "beta", "bias"].contains(name) {
            // PyTorch's layer has no weight or bias then; a stored value would be silently ignored.
            throw access.error("this layer was made with affine=false: it has no '\(name)' to set")
                .adding(.help, "make it with BatchNorm(\(numFeatures)) to learn γ and β, or scale its output yourself")
        }
        switch name {
        // In place, so an optimizer holding γ or β keeps seeing the layer's values.
        case "gamma", "weight":
            let v = try perChannel()
            try access.attempt(at: access.nameRange) { () throws(TensorError) in try gamma.overwrite(with: v) }
        case "beta", "bias":
            let v = try perChannel()
            try access.attempt(at: access.nameRange) { () throws(TensorError) in try beta.overwrite(with: v) }
        case "running_mean": runningMean = try perChannel()
        case "running_var": runningVar = try perChannel()
        case "num_batches_tracked":
            let n = try access.integer(value, what: "'num_batches_tracked'")
            guard n >= 0 else { throw access.error("'num_batches_tracked' cannot be negative") }
            numBatchesTracked = n
        case "training": training = try access.truth(value)
        case "eps":
            let t = try access.tensor(value, what: "'eps'")
            guard t.rank == 0, let v = t.scalarValue, v > 0 else { throw access.error("'eps' must be a number > 0") }
            eps = v
        case "momentum":
            if case .none = value { momentum = nil; return }
            let t = try access.tensor(value, what: "'momentum'")
            guard t.rank == 0, let v = t.scalarValue, v >= 0, v <= 1 else {
                throw access.error("'momentum' must be none or a number from 0 to 1")
            }
            momentum = v
        case "num_features", "affine":
            throw access.error("'\(name)' is fixed when the layer is made")
                .adding(.help, "make a new layer: BatchNorm(…)")
        default:
            _ = try field(name, access)
        }
    }

    public func method(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        try Modules.method(self, name, access)
    }

    /// `bn(x)`: the layer applied to one tensor.
    public func call(_ access: ObjectAccess) throws(Diagnostic) -> Value {
        let arguments = access.arguments
        guard arguments.count == 1, arguments[0].label == nil else {
            throw access.error("a BatchNorm layer is called with one tensor, as in bn(x)", at: access.range)
        }
        let x = try access.tensor(arguments[0], what: "the input of BatchNorm")
        return Interpreter.wrap(try forward(x, access.ops(at: access.range)))
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
    func forward(_ x: Tensor, _ ops: Ops) throws(Diagnostic) -> Tensor {
        guard x.rank >= 2 else {
            throw ops.error("BatchNorm expects an input of shape [N, C], [N, C, L] or [N, C, H, W], got shape \(Value.shapeText(x.shape))")
        }
        guard x.shape[1] == numFeatures else {
            throw ops.error("BatchNorm(\(numFeatures)) expects \(numFeatures) channels on axis 1, got shape \(Value.shapeText(x.shape))")
        }
        let one = Tensor(1), zero = Tensor(0)
        let scale = affine ? gamma : one, shift = affine ? beta : zero
        guard training else {
            return try ops.channelAffine(x, mean: runningMean, variance: runningVar, gamma: scale, beta: shift, eps: eps)
        }
        let valuesPerChannel = numFeatures == 0 ? 0 : x.count / numFeatures
        guard valuesPerChannel > 1 else {
            throw ops.error("expected more than 1 value per channel when training, got input shape \(Value.shapeText(x.shape))")
        }
        // y through the fused batchnorm step, so backward differentiates through the batch
        // statistics; the moments feed only the running averages, which carry no gradient.
        let y = try ops.batchNorm(x, gamma: scale, beta: shift, eps: eps)
        let (mean, variance) = try ops.channelMoments(x)
        numBatchesTracked += 1
        let factor = momentum ?? 1 / Double(numBatchesTracked)
        let m = Double(valuesPerChannel)
        let unbiased = try ops.binary(.multiply, variance, Tensor(m / (m - 1)))
        runningMean = try ops.ema(runningMean, mean, factor)
        runningVar = try ops.ema(runningVar, unbiased, factor)
        return y
    }
}
