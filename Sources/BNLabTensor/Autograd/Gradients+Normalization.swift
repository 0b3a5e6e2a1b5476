/// Rules for the statistics (`var`, `std`, `norm`) and the fused normalizations.
extension Gradients {
    /// `var(x, axes, ddof)`: 2·(x − mean)/(n − ddof) times the output's gradient.
    public static func variance(_ x: Tensor, axes: [Int]?, ddof: Int, keepdims: Bool) -> Rule {
        { g throws(TensorError) in
            [try varianceBackward(x, keptDims(g, inputShape: x.shape, axes: axes, keepdims: keepdims), axes: axes, ddof: ddof)]
        }
    }

    /// The variance's backward from a gradient already shaped with size-1 reduced axes.
    static func varianceBackward(_ x: Tensor, _ kept: Tensor, axes: [Int]?, ddof: Int) throws(TensorError) -> Tensor {
        let n = normalizedAxes(axes, rank: x.rank).reduce(1) { $0 * x.shape[$1] }
        let mean = try x.reduce(.mean, axes: axes, keepdims: true)
        let scale = 2 / Swift.max(Double(n) - Double(ddof), 0)
        return try mul(mul(sub(x, mean), kept), Tensor(scale))
    }

    /// `std(x)`: the variance's rule with g/(2·std), taken as 0 where std is 0 (PyTorch's rule).
    public static func standardDeviation(_ x: Tensor, _ out: Tensor, axes: [Int]?, ddof: Int, keepdims: Bool) -> Rule {
        { g throws(TensorError) in
            let kept = try keptDims(g, inputShape: x.shape, axes: axes, keepdims: keepdims)
            let std = try keptDims(out, inputShape: x.shape, axes: axes, keepdims: keepdims)
            let gVar = try Tensor.select(Tensor.binary(.equal, std, Tensor(0)), Tensor(0), div(kept, mul(std, Tensor(2))))
            return [try varianceBackward(x, gVar, axes: axes, ddof: ddof)]
        }
    }

    /// `norm(x)`: x·g/‖x‖, taken as 0 where the norm is 0 (PyTorch's rule).
    public static func norm(_ x: Tensor, _ out: Tensor, axes: [Int]?, keepdims: Bool) -> Rule {
        { g throws(TensorError) in
            let kept = try keptDims(g, inputShape: x.shape, axes: axes, keepdims: keepdims)
            let norm = try keptDims(out, inputShape: x.shape, axes: axes, keepdims: keepdims)
            let ratio = try Tensor.select(Tensor.binary(.equal, norm, Tensor(0)), Tensor(0), div(kept, norm))
            return [try mul(x, ratio)]
        }
    }

    /// (x − mean)/√(var + eps) over `axes` (layernorm, instancenorm, groupnorm): one fused backward.
    public static func standardize(_ x: Tensor, axes: [Int], eps: Double) -> Rule {
        let flags = reducedFlags(axes, rank: x.rank)
        return { g throws(TensorError) in
            [try Tensor.standardizeBackward(x, g, flags: flags, eps: eps, scales: nil).dx]
        }
    }

    /// Training-mode batchnorm over every axis except 1, with γ and β: dx = γ/σ·(g − mean(g) −
    /// x̂·mean(g·x̂)) per channel, dγ = Σg·x̂, dβ = Σg.
    public static func batchNorm(_ x: Tensor, gamma: Tensor, beta: Tensor, eps: Double, needs: (Bool, Bool, Bool)) -> Rule {
        let flags = Tensor.allButAxis(1, rank: x.rank)
        let c = x.shape[1]
        return { g throws(TensorError) in
            let gammas = Tensor.channelValues(gamma, channels: c)
            let (dx, sumG, sumGX) = try Tensor.standardizeBackward(x, g, flags: flags, eps: eps, scales: gammas)
            return [needs.0 ? dx : nil,
                    needs.1 ? try perChannelGradient(sumGX, like: gamma) : nil,
                    needs.2 ? try perChannelGradient(sumG, like: beta) : nil]
        }
    }

    /// Per channel, γ·(x − m)/√(v + eps) + β with given statistics (a BatchNorm layer in eval
    /// mode). Inputs: x, γ, β, m, v. dx = g·γ/σ, dγ = Σg·x̂, dβ = Σg, dm = −γ/σ·Σg, dv = −γ/(2σ²)·Σg·x̂.
    public static func channelAffine(_ x: Tensor, mean: Tensor, variance: Tensor, gamma: Tensor, beta: Tensor,
                                     eps: Double, needs: [Bool]) -> Rule {
        let flags = Tensor.allButAxis(1, rank: x.rank)
        let c = x.shape[1]
        return { g throws(TensorError) in
            let means = Tensor.channelValues(mean, channels: c)
            let sigmas = Tensor.channelValues(variance, channels: c).map { ($0 + eps).squareRoot() }
            let gammas = Tensor.channelValues(gamma, channels: c)
            let (dx, sumG, sumGX) = try Tensor.channelAffineBackward(x, g, flags: flags, means: means,
                                                                     denominators: sigmas, gammas: gammas)
            var result: [Tensor?] = [needs[0] ? dx : nil, nil, nil, nil, nil]
            if needs[1] { result[1] = try perChannelGradient(sumGX, like: gamma) }
            if needs[2] { result[2] = try perChannelGradient(sumG, like: beta) }
            if needs[3] { result[3] = try perChannelGradient((0..<c).map { -gammas[$0] / sigmas[$0] * sumG[$0] }, like: mean) }
            if needs[4] {
                result[4] = try perChannelGradient(
                    (0..<c).map { -0.5 * gammas[$0] / (sigmas[$0] * sigmas[$0]) * sumGX[$0] }, like: variance)
            }
            return result
        }
    }

    /// A per-channel gradient in the shape of the parameter it belongs to: one value per
    /// channel, or their sum for a one-element parameter that was used for every channel.
    static func perChannelGradient(_ values: [Double], like parameter: Tensor) throws(TensorError) -> Tensor {
        if parameter.count == values.count && parameter.rank <= 1 {
            return try Tensor(shape: parameter.shape, elements: values)
        }
        return try Tensor(shape: parameter.shape, elements: [values.reduce(0, +)])
    }

    /// Flags for `axes` (negative counting from the end) over a tensor of `rank`.
    static func reducedFlags(_ axes: [Int], rank: Int) -> [Bool] {
        var flags = [Bool](repeating: false, count: rank)
        for a in axes { flags[a < 0 ? a + rank : a] = true }
        return flags
    }
}
