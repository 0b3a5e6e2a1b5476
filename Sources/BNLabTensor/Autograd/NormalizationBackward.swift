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
        if let blocks = blockLayout(x.shape, flags) {
            return try standardizeBackwardBlocks(x, g, blocks, eps: eps, scales: scales)
        }
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
        if let blocks = blockLayout(x.shape, flags) {
            return try channelAffineBackwardBlocks(x, g, blocks, means: means, denominators: denominators, gammas: gammas)
        }
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

    // MARK: - Kept axes side by side: no permutation

    /// The shape as [A, K, B] when the kept axes are consecutive (every use: batchnorm keeps
    /// axis 1, layernorm/instancenorm/groupnorm keep leading axes): group k is the B-runs at
    /// k of every a, so the kernels walk x and g in place.
    static func blockLayout(_ shape: [Int], _ flags: [Bool]) -> (a: Int, k: Int, b: Int)? {
        let kept = shape.indices.filter { !flags[$0] }
        guard let first = kept.first, let last = kept.last else { return (1, 1, shape.reduce(1, *)) }
        guard last - first + 1 == kept.count else { return nil }
        return (shape[..<first].reduce(1, *), shape[first...last].reduce(1, *), shape[(last + 1)...].reduce(1, *))
    }

    /// `body` with row-major pointers to x's and g's elements (copies only when not contiguous).
    private static func withPair<R>(_ x: Tensor, _ g: Tensor,
                                    _ body: (UnsafePointer<Double>, UnsafePointer<Double>) -> R) throws(TensorError) -> R? {
        try x.withContiguousElements { (xb) throws(TensorError) -> R? in
            try g.withContiguousElements { (gb) throws(TensorError) -> R? in
                guard let xp = xb.baseAddress, let gp = gb.baseAddress else { return nil }
                return body(xp, gp)
            }
        }
    }

    /// `standardizeBackward` on the [A, K, B] layout: three passes (mean; squares and the two
    /// sums; dx as α·g + β·(x − mean) + c per group, which vectorizes).
    static func standardizeBackwardBlocks(_ x: Tensor, _ g: Tensor, _ layout: (a: Int, k: Int, b: Int), eps: Double,
                                          scales: [Double]?) throws(TensorError) -> (dx: Tensor, sumG: [Double], sumGXhat: [Double]) {
        let (na, nk, nb) = layout
        let total = try checkedAllocation(x.shape)
        var sumG = [Double](repeating: 0, count: nk)
        var sumGX = [Double](repeating: 0, count: nk)
        guard total > 0 else { return (Tensor(contiguous: [], shape: x.shape), sumG, sumGX) }
        let n = Double(na * nb)
        if nb == 1 {
            return try standardizeBackwardColumns(x, g, rows: na, columns: nk, eps: eps, scales: scales)
        }
        let data = try withPair(x, g) { xp, gp in
            makeStorage(count: total) { out in
                guard let o = out.baseAddress else { return }
                var mean = [Double](repeating: 0, count: nk)
                for a in 0..<na {
                    for k in 0..<nk {
                        let xs = xp + (a * nk + k) * nb
                        var s = 0.0
                        for i in 0..<nb { s += xs[i] }
                        mean[k] += s
                    }
                }
                for k in 0..<nk { mean[k] /= n }
                var squares = [Double](repeating: 0, count: nk)
                var centered = [Double](repeating: 0, count: nk)
                for a in 0..<na {
                    for k in 0..<nk {
                        let base = (a * nk + k) * nb
                        let xs = xp + base, gs = gp + base, m = mean[k]
                        var sq = 0.0, sg = 0.0, sgc = 0.0
                        for i in 0..<nb {
                            let c = xs[i] - m
                            sq += c * c
                            sg += gs[i]
                            sgc += gs[i] * c
                        }
                        squares[k] += sq
                        sumG[k] += sg
                        centered[k] += sgc
                    }
                }
                // dx = s/σ·(g − Σg/n − x̂·Σg·x̂/n) = α·g + β·(x − mean) + c; centring first keeps
                // the precision a large mean would cancel away.
                var alpha = [Double](repeating: 0, count: nk)
                var beta = [Double](repeating: 0, count: nk)
                var constant = [Double](repeating: 0, count: nk)
                for k in 0..<nk {
                    let inv = 1 / (squares[k] / n + eps).squareRoot()
                    sumGX[k] = centered[k] * inv
                    let scale = (scales?[k] ?? 1) * inv
                    alpha[k] = scale
                    beta[k] = -scale * inv * sumGX[k] / n
                    constant[k] = -scale * sumG[k] / n
                }
                for a in 0..<na {
                    for k in 0..<nk {
                        let base = (a * nk + k) * nb
                        let xs = xp + base, gs = gp + base, os = o + base
                        let al = alpha[k], be = beta[k], c = constant[k], m = mean[k]
                        for i in 0..<nb { os[i] = al * gs[i] + be * (xs[i] - m) + c }
                    }
                }
            }
        }
        try KernelStop.checkCurrent(forWork: total)
        return (Tensor(contiguous: data ?? makeStorage(count: 0) { _ in }, shape: x.shape), sumG, sumGX)
    }

    /// `standardizeBackwardBlocks` for [N, C] (a BatchNorm1d input): the channel is the contiguous
    /// axis, so each pass runs along rows with the channel innermost, where it vectorises. The same
    /// sums in the same order as the general layout, so the same bits.
    static func standardizeBackwardColumns(_ x: Tensor, _ g: Tensor, rows: Int, columns nk: Int, eps: Double,
                                           scales: [Double]?) throws(TensorError) -> (dx: Tensor, sumG: [Double], sumGXhat: [Double]) {
        let total = rows * nk
        let n = Double(rows)
        var sumG = [Double](repeating: 0, count: nk)
        var sumGX = [Double](repeating: 0, count: nk)
        var mean = [Double](repeating: 0, count: nk)
        var squares = [Double](repeating: 0, count: nk)
        var centered = [Double](repeating: 0, count: nk)
        var alpha = [Double](repeating: 0, count: nk)
        var beta = [Double](repeating: 0, count: nk)
        var constant = [Double](repeating: 0, count: nk)
        let data = try withPair(x, g) { xp, gp in
            makeStorage(count: total) { out in
                guard let o = out.baseAddress else { return }
                mean.withUnsafeMutableBufferPointer { meanBuffer in
                    guard let m = meanBuffer.baseAddress else { return }
                    for a in 0..<rows {
                        let xs = xp + a * nk
                        for k in 0..<nk { m[k] += xs[k] }
                    }
                    for k in 0..<nk { m[k] /= n }
                    squares.withUnsafeMutableBufferPointer { sq in
                        sumG.withUnsafeMutableBufferPointer { sg in
                            centered.withUnsafeMutableBufferPointer { sc in
                                guard let sq = sq.baseAddress, let sg = sg.baseAddress, let sc = sc.baseAddress else { return }
                                for a in 0..<rows {
                                    let xs = xp + a * nk, gs = gp + a * nk
                                    for k in 0..<nk {
                                        let c = xs[k] - m[k]
                                        sq[k] += c * c
                                        sg[k] += gs[k]
                                        sc[k] += gs[k] * c
                                    }
                                }
                            }
                        }
                    }
                    for k in 0..<nk {
                        let inv = 1 / (squares[k] / n + eps).squareRoot()
                        sumGX[k] = centered[k] * inv
                        let scale = (scales?[k] ?? 1) * inv
                        alpha[k] = scale
                        beta[k] = -scale * inv * sumGX[k] / n
                        constant[k] = -scale * sumG[k] / n
                    }
                    alpha.withUnsafeBufferPointer { al in
                        beta.withUnsafeBufferPointer { be in
                            constant.withUnsafeBufferPointer { cs in
                                guard let al = al.baseAddress, let be = be.baseAddress, let cs = cs.baseAddress else { return }
                                for a in 0..<rows {
                                    let xs = xp + a * nk, gs = gp + a * nk, os = o + a * nk
                                    for k in 0..<nk { os[k] = al[k] * gs[k] + be[k] * (xs[k] - m[k]) + cs[k] }
                                }
                            }
                        }
                    }
                }
            }
        }
        try KernelStop.checkCurrent(forWork: total)
        return (Tensor(contiguous: data ?? makeStorage(count: 0) { _ in }, shape: x.shape), sumG, sumGX)
    }

    /// `channelAffineBackward` on the [A, K, B] layout, in one pass.
    static func channelAffineBackwardBlocks(_ x: Tensor, _ g: Tensor, _ layout: (a: Int, k: Int, b: Int), means: [Double],
                                            denominators: [Double], gammas: [Double])
        throws(TensorError) -> (dx: Tensor, sumG: [Double], sumGXhat: [Double])
    {
        let (na, nk, nb) = layout
        let total = try checkedAllocation(x.shape)
        var sumG = [Double](repeating: 0, count: nk)
        var sumGX = [Double](repeating: 0, count: nk)
        guard total > 0 else { return (Tensor(contiguous: [], shape: x.shape), sumG, sumGX) }
        let data = try withPair(x, g) { xp, gp in
            makeStorage(count: total) { out in
                guard let o = out.baseAddress else { return }
                var centered = [Double](repeating: 0, count: nk)
                for a in 0..<na {
                    for k in 0..<nk {
                        let base = (a * nk + k) * nb
                        let xs = xp + base, gs = gp + base, os = o + base
                        let m = means[k], scale = gammas[k] / denominators[k]
                        var sg = 0.0, sgc = 0.0
                        for i in 0..<nb {
                            sg += gs[i]
                            sgc += gs[i] * (xs[i] - m)
                            os[i] = gs[i] * scale
                        }
                        sumG[k] += sg
                        centered[k] += sgc
                    }
                }
                for k in 0..<nk { sumGX[k] = centered[k] / denominators[k] }
            }
        }
        try KernelStop.checkCurrent(forWork: total)
        return (Tensor(contiguous: data ?? makeStorage(count: 0) { _ in }, shape: x.shape), sumG, sumGX)
    }
}
