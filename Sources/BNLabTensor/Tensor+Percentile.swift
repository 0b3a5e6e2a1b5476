extension Tensor {
    /// numpy's `percentile(x, q, axis, keepdims)` with its default (linear) rule: the result has
    /// q's axes first, then the kept axes (reduced ones as 1 with `keepdims`).
    ///
    /// Each value repeats numpy's arithmetic step by step (Hyndman & Fan's method 7): the virtual
    /// index `n·p + (1 − p) − 1` with p = q/100, its floor and the next index (both the last one at
    /// or past it), and numpy's two-sided lerp. So numpy's corner cases come out as numpy's: a
    /// selection holding NaN gives NaN, and an infinity next to the chosen value can give NaN.
    public func percentile(_ q: Tensor, axes: [Int]?, keepdims: Bool) throws(TensorError) -> Tensor {
        let fractions = q.elements.map { $0 / 100 }
        for (value, p) in Swift.zip(q.elements, fractions) where !(p >= 0 && p <= 1) {
            throw TensorError("percentiles must be in the range [0, 100], got \(value)")
        }
        let flags = try reductionFlags(axes)
        let kept = shape.indices.filter { !flags[$0] }, reduced = shape.indices.filter { flags[$0] }
        let groupSize = reduced.reduce(1) { $0 * shape[$1] }
        let groups = kept.reduce(1) { $0 * shape[$1] }
        let resultShape = q.shape + reducedShape(flags, keepdims: keepdims)
        if groups == 0 { return Tensor(contiguous: [], shape: resultShape) }
        guard groupSize > 0 else {
            throw TensorError("percentile of an empty selection: shape \(formatShape(shape))"
                + (axes.map { " along axis \(formatShape($0))" } ?? ""))
        }
        try Tensor.reserve(groups * (fractions.count + 1))
        // The reduced axes last and row-major, so each group's values are one run.
        let values = try transposed(kept + reduced).stoppableContiguousCopy().elements
        var result = [Double](repeating: 0, count: fractions.count * groups)
        var sorted = [Double](repeating: 0, count: groupSize)
        let n = Double(groupSize)
        for g in 0..<groups {
            let start = g * groupSize
            var hasNaN = false
            for i in 0..<groupSize {
                sorted[i] = values[start + i]
                if sorted[i].isNaN { hasNaN = true }
            }
            if hasNaN {
                for k in fractions.indices { result[k * groups + g] = .nan }
                continue
            }
            sorted.sort()
            for (k, p) in fractions.enumerated() {
                let virtual = n * p + (1 + p * (1 - 1 - 1)) - 1
                // numpy marks "past the end" as index −1 (the last) and keeps it when computing γ.
                let previousMark: Double, previous: Int, next: Int
                if virtual >= n - 1 {
                    (previousMark, previous, next) = (-1, groupSize - 1, groupSize - 1)
                } else if virtual < 0 {
                    (previousMark, previous, next) = (0, 0, 0)
                } else {
                    let floor = virtual.rounded(.down)
                    (previousMark, previous, next) = (floor, Int(floor), Int(floor) + 1)
                }
                let gamma = virtual - previousMark
                let a = sorted[previous], b = sorted[next]
                let difference = b - a
                result[k * groups + g] = gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma
            }
        }
        return try Tensor(shape: resultShape, elements: result)
    }
}
