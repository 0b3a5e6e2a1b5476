/// Fused per-channel statistics and normalization: the batch-norm hot paths.
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
        let denominators = variances.map { ($0 + eps).squareRoot() }
        return try normalized(flags, means: means, denominators: denominators, gammas: gammas, betas: betas)
    }

    /// Training-mode batch normalization along `channelAxis`: the batch statistics and the
    /// normalization in one call, with no tensors built for the statistics in between.
    public func channelBatchNormalized(channelAxis: Int, gamma: Tensor, beta: Tensor, eps: Double) throws(TensorError) -> Tensor {
        let flags = try channelFlags(channelAxis)
        let (plan, means, squares) = try moments(flags)
        let c = plan.outCount
        let n = Double(plan.reducedCount)
        let gammas = try Tensor.perChannel(gamma, name: "gamma", channels: c, allowScalar: true)
        let betas = try Tensor.perChannel(beta, name: "beta", channels: c, allowScalar: true)
        let denominators = squares.map { ($0 / n + eps).squareRoot() }
        return try normalized(flags, means: means, denominators: denominators, gammas: gammas, betas: betas)
    }

    /// Standardize over `axes` (keepdims-shaped statistics broadcast back): (x - mean)/sqrt(var + eps), biased variance. Used for layernorm/instancenorm/groupnorm.
    public func standardized(axes: [Int], eps: Double) throws(TensorError) -> Tensor {
        let flags = try reductionFlags(axes)
        let (plan, means, squares) = try moments(flags)
        let n = Double(plan.reducedCount)
        let denominators = squares.map { ($0 / n + eps).squareRoot() }
        return try normalized(flags, means: means, denominators: denominators, gammas: nil, betas: nil)
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

    /// Applies a `NormalizeKernel` with per-group statistics in one pass.
    private func normalized(
        _ flags: [Bool], means: [Double], denominators: [Double], gammas: [Double]?, betas: [Double]?
    ) throws(TensorError) -> Tensor {
        let plan = ReductionPlan(shape: shape, reducedAxes: flags)
        let n = count
        if n == 0 { return Tensor(contiguous: [], shape: shape) }
        try Tensor.reserve(n)
        let affine = gammas != nil
        let g = gammas ?? [1]
        let b = betas ?? [0]
        let data: TensorStorage = try withContiguousElements { buffer in
            guard let p = buffer.baseAddress else { return TensorStorage.copying([]) }
            return means.withUnsafeBufferPointer { mb in
                denominators.withUnsafeBufferPointer { db in
                    g.withUnsafeBufferPointer { gb in
                        b.withUnsafeBufferPointer { bb in
                            Tensor.makeStorage(count: n) { out in
                                guard let o = out.baseAddress, let m = mb.baseAddress, let d = db.baseAddress,
                                    let gp = gb.baseAddress, let bp = bb.baseAddress
                                else { return }
                                let kernel = NormalizeKernel(
                                    result: o, means: m, denominators: d, gammas: gp, betas: bp, affine: affine)
                                var kernels = [NormalizeKernel](repeating: kernel, count: plan.independentPartCount)
                                plan.traverseInParts(p, &kernels)
                            }
                        }
                    }
                }
            }
        }
        try KernelStop.checkCurrent(forWork: n)
        return Tensor(contiguous: data, shape: shape)
    }
}
