/// Fused backward kernels for the normalizations: each group (the elements one mean and
/// variance cover) is laid out as a contiguous row, then handled in three passes over it.
extension Tensor {
    /// `x` with the kept axes first and the reduced ones after, row-major: each group is a row.
    /// Returns the rows, their count and length, and the permutation used.
    static func groupRows(_ x: Tensor, flags: [Bool]) throws(TensorError) -> (rows: Tensor, count: Int, length: Int, perm: [Int]) {
        let kept = x.shape.indices.filter { !flags[$0] }
        let reduced = x.shape.indices.filter { flags[$0] }
        let perm = kept + reduced
        let permuted = try x.transposed(perm)
        let rows = permuted.isContiguous && permuted.offset == 0 ? permuted : try permuted.checkedContiguousCopy()
        let length = reduced.reduce(1) { $0 * x.shape[$1] }
        let count = kept.reduce(1) { $0 * x.shape[$1] }
        return (rows, count, length, perm)
    }

    /// The permuted row layout of `groupRows` put back into the original axis order.
    static func ungroupRows(_ data: TensorStorage, shape: [Int], perm: [Int]) throws(TensorError) -> Tensor {
        let permutedShape = perm.map { shape[$0] }
        var inverse = [Int](repeating: 0, count: perm.count)
        for (i, a) in perm.enumerated() { inverse[a] = i }
        let back = try Tensor(contiguous: data, shape: permutedShape).transposed(inverse)
        return back.isContiguous ? back : try back.checkedContiguousCopy()
    }

    /// The backward of x̂ = (x − mean)/√(var + eps) over the reduced axes (`flags`), each group
    /// scaled by `scales[group]` (γ for batchnorm; nil: 1): dx = s/σ·(g − mean(g) − x̂·mean(g·x̂)).
    /// Also returns per group Σg and Σg·x̂ (the gradients of β and γ).
    public static func standardizeBackward(_ x: Tensor, _ g: Tensor, flags: [Bool], eps: Double, scales: [Double]?)
        throws(TensorError) -> (dx: Tensor, sumG: [Double], sumGXhat: [Double])
    {
        let (xr, groups, n, perm) = try groupRows(x, flags: flags)
        let (gr, _, _, _) = try groupRows(g, flags: flags)
        var sumG = [Double](repeating: 0, count: groups)
        var sumGX = [Double](repeating: 0, count: groups)
        let total = try checkedAllocation(x.shape)
        let data = xr.storage.withUnsafeBufferPointer { xb in
            gr.storage.withUnsafeBufferPointer { gb in
                makeStorage(count: total) { out in
                    guard total > 0, let xp = xb.baseAddress, let gp = gb.baseAddress, let o = out.baseAddress else { return }
                    let nd = Double(n)
                    for r in 0..<groups {
                        let xs = xp + r * n, gs = gp + r * n, os = o + r * n
                        var mean = 0.0
                        for i in 0..<n { mean += xs[i] }
                        mean /= nd
                        var squares = 0.0, sg = 0.0, sgc = 0.0
                        for i in 0..<n {
                            let c = xs[i] - mean
                            squares += c * c
                            sg += gs[i]
                            sgc += gs[i] * c
                        }
                        let inv = 1 / (squares / nd + eps).squareRoot()
                        let sgx = sgc * inv
                        sumG[r] = sg
                        sumGX[r] = sgx
                        let scale = (scales?[r] ?? 1) * inv
                        let mg = sg / nd, mgx = sgx / nd
                        for i in 0..<n {
                            let xhat = (xs[i] - mean) * inv
                            os[i] = scale * (gs[i] - mg - xhat * mgx)
                        }
                    }
                }
            }
        }
        try KernelStop.checkCurrent(forWork: total)
        return (try ungroupRows(data, shape: x.shape, perm: perm), sumG, sumGX)
    }

    /// The backward of y = γ·(x − m)/√(v + eps) + β per channel (`flags` false on the channel
    /// axis) with given statistics: dx = g·γ/σ, and per channel Σg and Σg·x̂.
    public static func channelAffineBackward(_ x: Tensor, _ g: Tensor, flags: [Bool], means: [Double],
                                             denominators: [Double], gammas: [Double])
        throws(TensorError) -> (dx: Tensor, sumG: [Double], sumGXhat: [Double])
    {
        let (xr, groups, n, perm) = try groupRows(x, flags: flags)
        let (gr, _, _, _) = try groupRows(g, flags: flags)
        var sumG = [Double](repeating: 0, count: groups)
        var sumGX = [Double](repeating: 0, count: groups)
        let total = try checkedAllocation(x.shape)
        let data = xr.storage.withUnsafeBufferPointer { xb in
            gr.storage.withUnsafeBufferPointer { gb in
                makeStorage(count: total) { out in
                    guard total > 0, let xp = xb.baseAddress, let gp = gb.baseAddress, let o = out.baseAddress else { return }
                    for r in 0..<groups {
                        let xs = xp + r * n, gs = gp + r * n, os = o + r * n
                        let inv = 1 / denominators[r], mean = means[r], scale = gammas[r] * inv
                        var sg = 0.0, sgx = 0.0
                        for i in 0..<n {
                            sg += gs[i]
                            sgx += gs[i] * (xs[i] - mean) * inv
                            os[i] = gs[i] * scale
                        }
                        sumG[r] = sg
                        sumGX[r] = sgx
                    }
                }
            }
        }
        try KernelStop.checkCurrent(forWork: total)
        return (try ungroupRows(data, shape: x.shape, perm: perm), sumG, sumGX)
    }

    /// One value per channel from a `[C]` tensor or a one-element one (the kernels' rule).
    static func channelValues(_ t: Tensor, channels: Int) -> [Double] {
        if t.count == channels && t.rank <= 1 { return t.elements }
        return [Double](repeating: t.scalarValue ?? .nan, count: channels)
    }

    /// Flags reducing every axis except `channelAxis`.
    static func allButAxis(_ axis: Int, rank: Int) -> [Bool] {
        var flags = [Bool](repeating: true, count: rank)
        flags[axis] = false
        return flags
    }
}
