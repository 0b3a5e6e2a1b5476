/// A percentile's result with, for each of its elements, the two input elements it was
/// interpolated between (row-major positions in the input) and the weight γ of the upper one:
/// what its gradient needs (torch.quantile's: 1 − γ to the lower, γ to the upper).
public struct PercentileSelection: Sendable {
    public let result: Tensor
    let inputShape: [Int]
    let below: [Int]
    let above: [Int]
    let gamma: [Double]

    /// The input's gradient from the result's: g·(1 − γ) to the lower neighbour, g·γ to the upper.
    public func inputGradient(_ g: Tensor) throws(TensorError) -> Tensor {
        let grads = g.elements
        guard grads.count == gamma.count else {
            throw TensorError("the gradient of a percentile of shape \(formatShape(result.shape)) has shape \(formatShape(g.shape))")
        }
        var gx = [Double](repeating: 0, count: inputShape.reduce(1, *))
        for o in grads.indices {
            gx[below[o]] += grads[o] * (1 - gamma[o])
            gx[above[o]] += grads[o] * gamma[o]
        }
        return try Tensor(shape: inputShape, elements: gx)
    }
}

extension Tensor {
    public func percentile(_ q: Tensor, axes: [Int]?, keepdims: Bool) throws(TensorError) -> Tensor {
        try percentileSelection(q, axes: axes, keepdims: keepdims).result
    }

    /// numpy's `percentile(x, q, axis, keepdims)` with its default (linear) rule: the result has
    /// q's axes first, then the kept axes (reduced ones as 1 with `keepdims`).
    ///
    /// Each value repeats numpy's arithmetic step by step (Hyndman & Fan's method 7): the virtual
    /// index `n·p + (1 − p) − 1` with p = q/100, its floor and the next index (both the last one at
    /// or past it), and numpy's two-sided lerp. So numpy's corner cases come out as numpy's: a
    /// selection holding NaN gives NaN, and an infinity next to the chosen value can give NaN.
    ///
    /// Ties are ranked by position, so among equal values the gradient goes to the earliest; in a
    /// selection holding NaN it goes to the first NaN (the value the result takes).
    public func percentileSelection(_ q: Tensor, axes: [Int]?, keepdims: Bool) throws(TensorError) -> PercentileSelection {
        let fractions = q.elements.map { $0 / 100 }
        for (value, p) in Swift.zip(q.elements, fractions) where !(p >= 0 && p <= 1) {
            throw TensorError("percentiles must be in the range [0, 100], got \(value)")
        }
        let flags = try reductionFlags(axes)
        let kept = shape.indices.filter { !flags[$0] }, reduced = shape.indices.filter { flags[$0] }
        let groupSize = reduced.reduce(1) { $0 * shape[$1] }
        let groups = kept.reduce(1) { $0 * shape[$1] }
        let resultShape = q.shape + reducedShape(flags, keepdims: keepdims)
        if groups == 0 {
            return PercentileSelection(result: Tensor(contiguous: [], shape: resultShape), inputShape: shape, below: [], above: [], gamma: [])
        }
        guard groupSize > 0 else {
            throw TensorError("percentile of an empty selection: shape \(formatShape(shape))"
                + (axes.map { " along axis \(formatShape($0))" } ?? ""))
        }
        try Tensor.reserve(groups * (fractions.count + 1) + 2 * count)
        // The reduced axes last and row-major, so each group's values are one run; `source` maps
        // a position in that order back to the input's row-major position.
        let order = kept + reduced
        let values = try transposed(order).stoppableContiguousCopy().elements
        let source = try Tensor.arange(0, Double(count), 1).reshaped(shape).transposed(order).stoppableContiguousCopy().elements
        let outCount = fractions.count * groups
        var result = [Double](repeating: 0, count: outCount)
        var below = [Int](repeating: 0, count: outCount), above = below
        var gamma = [Double](repeating: 0, count: outCount)
        var sorted = [Double](repeating: 0, count: groupSize)
        var rank = Array(0..<groupSize)
        let n = Double(groupSize)
        // Ctrl-C and the deadline are heard between groups (one group's sort runs to its end).
        let stop = KernelStop.current(forWork: count)
        for g in 0..<groups {
            if stop?.isRaised == true { break }
            let start = g * groupSize
            if let firstNaN = (0..<groupSize).first(where: { values[start + $0].isNaN }) {
                for k in fractions.indices {
                    result[k * groups + g] = .nan
                    below[k * groups + g] = Int(source[start + firstNaN])
                    above[k * groups + g] = Int(source[start + firstNaN])
                }
                continue
            }
            for i in 0..<groupSize { rank[i] = i }
            rank.sort { (values[start + $0], $0) < (values[start + $1], $1) }
            for i in 0..<groupSize { sorted[i] = values[start + rank[i]] }
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
                let t = virtual - previousMark
                let a = sorted[previous], b = sorted[next]
                let difference = b - a
                let o = k * groups + g
                result[o] = t >= 0.5 ? b - difference * (1 - t) : a + difference * t
                below[o] = Int(source[start + rank[previous]])
                above[o] = Int(source[start + rank[next]])
                gamma[o] = t
            }
        }
        try stop?.check()
        return PercentileSelection(result: try Tensor(shape: resultShape, elements: result), inputShape: shape,
                                   below: below, above: above, gamma: gamma)
    }
}
