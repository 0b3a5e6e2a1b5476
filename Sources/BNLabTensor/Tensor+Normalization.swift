import CKernels

/// Fused per-channel statistics and normalization: the batch-norm hot paths.
///
/// Every normalization is `(x - mean) · scale + beta` with `scale = gamma / sqrt(var + eps)`
/// computed once per channel, as PyTorch's CPU kernel does: one subtraction, one multiplication
/// and one addition per element, no division. Without gamma and beta the scale is `1 / sqrt(var + eps)`
/// and beta is -0, which adds nothing (not even to a -0).
extension Tensor {
    /// Statistics over every axis except `channelAxis`: returns per-channel mean and BIASED variance, each shape [C].
    public func channelMoments(channelAxis: Int) throws(TensorError) -> (mean: Tensor, variance: Tensor) {
        let flags = try channelFlags(channelAxis)
        let (plan, means, squares) = try moments(flags)
        let n = Double(plan.reducedCount)
        let c = plan.outCount
        return (Tensor(contiguous: means, shape: [c]), Tensor(contiguous: squares.map { $0 / n }, shape: [c]))
    }

    /// y = (x - mean[c]) / sqrt(var[c] + eps) * gamma[c] + beta[c] along channelAxis; mean/var/gamma/beta are [C] tensors (gamma/beta may also be scalars, count 1).
    public func channelAffineNormalized(
        channelAxis: Int, mean: Tensor, variance: Tensor, gamma: Tensor, beta: Tensor, eps: Double
    ) throws(TensorError) -> Tensor {
        let flags = try channelFlags(channelAxis)
        let axis = try Tensor.normalizeAxis(channelAxis, rank: rank)
        let c = shape[axis]
        let means = try Tensor.perChannel(mean, name: "mean", channels: c, allowScalar: false)
        let variances = try Tensor.perChannel(variance, name: "variance", channels: c, allowScalar: false)
        let gammas = try Tensor.perChannel(gamma, name: "gamma", channels: c, allowScalar: true)
        let betas = try Tensor.perChannel(beta, name: "beta", channels: c, allowScalar: true)
        let scales = Swift.zip(gammas, variances).map { g, v in g / (v + eps).squareRoot() }
        return try normalized(flags, means: means, scales: scales, betas: betas)
    }

    /// Training-mode batch normalization along `channelAxis`: the batch statistics and the
    /// normalization in one call, with no tensors built for the statistics in between.
    public func channelBatchNormalized(channelAxis: Int, gamma: Tensor, beta: Tensor, eps: Double) throws(TensorError) -> Tensor {
        try channelBatchNormalized(channelAxis: channelAxis, gamma: gamma, beta: beta, eps: eps, portable: false)
    }

    /// `channelBatchNormalized`, optionally forcing the portable loops so that tests reach them on any CPU.
    func channelBatchNormalized(
        channelAxis: Int, gamma: Tensor, beta: Tensor, eps: Double, portable: Bool
    ) throws(TensorError) -> Tensor {
        let flags = try channelFlags(channelAxis)
        let (plan, means, squares) = try moments(flags, portable: portable)
        let c = plan.outCount
        let n = Double(plan.reducedCount)
        let gammas = try Tensor.perChannel(gamma, name: "gamma", channels: c, allowScalar: true)
        let betas = try Tensor.perChannel(beta, name: "beta", channels: c, allowScalar: true)
        let scales = Swift.zip(gammas, squares).map { g, q in g / (q / n + eps).squareRoot() }
        return try normalized(flags, means: means, scales: scales, betas: betas, portable: portable)
    }

    /// Standardize over `axes` (keepdims-shaped statistics broadcast back): (x - mean)/sqrt(var + eps), biased variance. Used for layernorm/instancenorm/groupnorm.
    public func standardized(axes: [Int], eps: Double) throws(TensorError) -> Tensor {
        let flags = try reductionFlags(axes)
        let (plan, means, squares) = try moments(flags)
        let n = Double(plan.reducedCount)
        let scales = squares.map { 1 / ($0 / n + eps).squareRoot() }
        return try normalized(flags, means: means, scales: scales, betas: [Double](repeating: -0.0, count: scales.count))
    }

    // MARK: - Helpers

    private func channelFlags(_ channelAxis: Int) throws(TensorError) -> [Bool] {
        let axis = try Tensor.normalizeAxis(channelAxis, rank: rank)
        var flags = [Bool](repeating: true, count: rank)
        flags[axis] = false
        return flags
    }

    /// One value per channel from a `[C]` tensor, or a scalar repeated when allowed.
    private static func perChannel(_ t: Tensor, name: String, channels: Int, allowScalar: Bool) throws(TensorError) -> [Double] {
        if t.count == channels && t.rank <= 1 { return t.elements }
        if allowScalar, let v = t.scalarValue { return [Double](repeating: v, count: channels) }
        let expected = allowScalar && channels != 1 ? "1 or \(channels) values" : "\(channels) values"
        throw TensorError("\(name) needs \(expected) (one per channel), got shape \(formatShape(t.shape))")
    }

    /// Results at least this large are written with streaming stores: they exceed the last-level
    /// cache, so caching them would only evict the input still to be read.
    static let streamingElements = 1 << 22

    /// Applies a `NormalizeKernel` with per-group statistics in one pass.
    private func normalized(
        _ flags: [Bool], means: [Double], scales: [Double], betas: [Double], portable: Bool = false
    ) throws(TensorError) -> Tensor {
        let plan = ReductionPlan(shape: shape, reducedAxes: flags)
        let n = count
        if n == 0 { return Tensor(contiguous: [], shape: shape) }
        try Tensor.reserve(n)
        let data: TensorStorage = try withContiguousElements { buffer in
            guard let p = buffer.baseAddress else { return TensorStorage.copying([]) }
            return means.withUnsafeBufferPointer { mb in
                scales.withUnsafeBufferPointer { sb in
                    betas.withUnsafeBufferPointer { bb in
                        Tensor.makeStorage(count: n) { out in
                            guard let o = out.baseAddress, let m = mb.baseAddress, let s = sb.baseAddress,
                                let b = bb.baseAddress
                            else { return }
                            let kernel = NormalizeKernel(
                                result: o, means: m, scales: s, betas: b, streaming: n >= Tensor.streamingElements,
                                portable: portable)
                            var kernels = [NormalizeKernel](repeating: kernel, count: plan.independentPartCount)
                            plan.traverseInParts(p, &kernels)
                        }
                    }
                }
            }
        }
        try KernelStop.checkCurrent(forWork: n)
        return Tensor(contiguous: data, shape: shape)
    }
}
