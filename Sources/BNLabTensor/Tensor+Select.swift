#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// numpy's floor division and remainder, `where`, and boolean-mask selection.
extension Tensor {
    /// numpy's `npy_divmod`: the quotient floored and the remainder with the divisor's sign,
    /// so `-7 // 2` is -4 and `-7 % 2` is 1 (Python's rule, not C's truncation).
    @inline(__always)
    public static func floorDivmod(_ a: Double, _ b: Double) -> (quotient: Double, remainder: Double) {
        var mod = fmod(a, b)
        // b == 0: numpy returns fmod's nan and a / b (±inf or nan).
        if b == 0 { return (a / b, mod) }
        var div = (a - mod) / b
        if mod != 0 {
            if (b < 0) != (mod < 0) {
                mod += b
                div -= 1
            }
        } else {
            mod = copysign(0, b)
        }
        var floored: Double
        if div != 0 {
            floored = floor(div)
            // (a − mod) / b is within rounding of an integer: snap to the nearest one.
            if div - floored > 0.5 { floored += 1 }
        } else {
            floored = copysign(0, a / b)
        }
        return (floored, mod)
    }

    /// numpy's `where(cond, a, b)`: a where cond is non-zero, else b, all three broadcast.
    public static func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor {
        let shape = try broadcastShape(broadcastShape(condition.shape, a.shape), b.shape)
        let n = try checkedAllocation(shape)
        // Multiplying by ones broadcasts without changing any value (−0, inf and nan survive).
        let ones = try full(shape, 1)
        let c = try binary(.multiply, condition, ones).elements
        let x = try binary(.multiply, a, ones).elements
        let y = try binary(.multiply, b, ones).elements
        let data = makeStorage(count: n) { out in
            for i in 0..<n { out[i] = c[i] != 0 ? x[i] : y[i] }
        }
        return Tensor(contiguous: data, shape: shape)
    }

    /// Whether `mask` can select from this tensor: a comparison's result, shaped as this tensor or its leading axes.
    public func acceptsMask(_ mask: Tensor) -> Bool {
        mask.isMask && mask.rank >= 1 && mask.rank <= rank && Array(shape[..<mask.rank]) == mask.shape
    }

    /// numpy's `x[mask]`: the selected elements (or rows, for a mask over leading axes) in order.
    public func masked(_ mask: Tensor) throws(TensorError) -> Tensor {
        try checkMask(mask)
        let flags = mask.elements
        let inner = shape[mask.rank...].reduce(1, *)
        let values = elements
        let kept = flags.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        let outShape = [kept] + Array(shape[mask.rank...])
        let n = try Tensor.checkedAllocation(outShape)
        let data = Tensor.makeStorage(count: n) { out in
            var o = 0
            for (i, flag) in flags.enumerated() where flag != 0 {
                for j in 0..<inner { out[o + j] = values[i * inner + j] }
                o += inner
            }
        }
        return Tensor(contiguous: data, shape: outShape)
    }

    /// numpy's `x[mask] = value`: value broadcast to the selection's shape `[k, …]`.
    public mutating func assignMasked(_ mask: Tensor, _ value: Tensor) throws(TensorError) {
        try checkMask(mask)
        let flags = mask.elements
        let inner = shape[mask.rank...].reduce(1, *)
        let kept = flags.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        let selection = [kept] + Array(shape[mask.rank...])
        guard let target = try? Tensor.broadcastShape(value.shape, selection), target == selection else {
            throw TensorError("cannot assign a tensor of shape \(formatShape(value.shape)) to the \(kept) "
                + (mask.rank == rank ? "elements" : "rows") + " the mask selects, shape \(formatShape(selection))")
        }
        let source = try Tensor.binary(.multiply, value, Tensor.full(selection, 1)).elements
        var values = elements
        var s = 0
        for (i, flag) in flags.enumerated() where flag != 0 {
            for j in 0..<inner { values[i * inner + j] = source[s + j] }
            s += inner
        }
        self = try Tensor(shape: shape, elements: values)
    }

    private func checkMask(_ mask: Tensor) throws(TensorError) {
        guard acceptsMask(mask) else {
            throw TensorError("a mask must hold only 0 and 1 and have the tensor's shape \(formatShape(shape)) "
                + "or that of its leading axes, got \(formatShape(mask.shape))")
        }
    }
}
