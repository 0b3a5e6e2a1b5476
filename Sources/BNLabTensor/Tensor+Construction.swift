#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builders: constants, ranges, identity, random tensors, stacking and joining.
extension Tensor {
    /// A tensor of the given shape with every element set to `value`.
    public static func full(_ shape: [Int], _ value: Double) throws(TensorError) -> Tensor {
        let n = try checkedAllocation(shape)
        return Tensor(contiguous: filledStorage(count: n, value), shape: shape)
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) throws(TensorError) -> Tensor {
        try full(shape, 0)
    }

    /// Values from `start` towards `stop` (excluded) by `step`; numpy's length rule `ceil((stop - start) / step)`.
    public static func arange(_ start: Double, _ stop: Double, _ step: Double) throws(TensorError) -> Tensor {
        guard step != 0 else { throw TensorError("arange step cannot be zero") }
        guard start.isFinite, stop.isFinite, step.isFinite else {
            throw TensorError("arange needs finite start, stop and step")
        }
        let length = ((stop - start) / step).rounded(.up)
        guard length.isFinite else { throw TensorError("arange needs finite start, stop and step") }
        if length <= 0 { return Tensor(contiguous: [], shape: [0]) }
        guard length <= Double(elementLimit) else {
            // Past 2^63 the count is no longer an integer worth printing in full.
            let count = length < 9e18 ? "\(formatLength(length)) elements" : "about 10^\(Int(log10(length).rounded())) elements"
            throw TensorError("arange from \(formatCount(start)) to \(formatCount(stop)) by \(formatCount(step)) makes \(count), "
                + "more than the limit of \(elementLimit)")
        }
        let n = Int(length)
        try reserve(n)
        // numpy fills with start + i * delta, where delta is the rounded (start + step) - start.
        let delta = (start + step) - start
        let data = makeStorage(count: n) { out in
            out[0] = start
            if n > 1 { out[1] = start + step }
            var i = 2
            while i < n {
                out[i] = start + Double(i) * delta
                i += 1
            }
        }
        return Tensor(contiguous: data, shape: [n])
    }

    /// A number as a learner wrote it: `1e-300`, `0.5`, `3`.
    private static func formatCount(_ value: Double) -> String {
        if value == value.rounded(), Swift.abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    private static func formatLength(_ length: Double) -> String {
        length < 9e18 ? String(Int(length)) : String(length)
    }

    /// `n` evenly spaced values from `a` to `b`, both ends included and exact.
    public static func linspace(_ a: Double, _ b: Double, _ n: Int) throws(TensorError) -> Tensor {
        guard n >= 0 else { throw TensorError("linspace needs a non-negative count, got \(n)") }
        _ = try checkedAllocation([n])
        if n == 0 { return Tensor(contiguous: [], shape: [0]) }
        if n == 1 { return Tensor(contiguous: [a], shape: [1]) }
        let div = Double(n - 1)
        let delta = b - a
        let step = delta / div
        // Mirrors numpy: i * step + a, or (i / div) * delta when the step underflows to zero.
        let data = makeStorage(count: n) { out in
            if step == 0 {
                for i in 0..<n { out[i] = (Double(i) / div) * delta + a }
            } else {
                for i in 0..<n { out[i] = Double(i) * step + a }
            }
            out[n - 1] = b
        }
        return Tensor(contiguous: data, shape: [n])
    }

    /// The `n` by `n` identity matrix.
    public static func eye(_ n: Int) throws(TensorError) -> Tensor {
        guard n >= 0 else { throw TensorError("eye needs a non-negative size, got \(n)") }
        let total = try checkedAllocation([n, n])
        let data = filledStorage(count: total, 0)
        for i in 0..<n { data[i * n + i] = 1 }
        return Tensor(contiguous: data, shape: [n, n])
    }

    /// Standard normal values from the project's seeded generator (see `RandomGenerator`).
    public static func randn(_ shape: [Int], seed: UInt64) throws(TensorError) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return try randn(shape, generator: &generator)
    }

    /// Uniform values in [0, 1) from the project's seeded generator (see `RandomGenerator`).
    public static func rand(_ shape: [Int], seed: UInt64) throws(TensorError) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return try rand(shape, generator: &generator)
    }

    /// Standard normal values drawn from `generator`, which is left advanced.
    public static func randn(_ shape: [Int], generator: inout RandomGenerator) throws(TensorError) -> Tensor {
        let n = try checkedAllocation(shape)
        let stop = KernelStop.current(forWork: n)
        let data = makeStorage(count: n) { buffer in inBlocks(buffer, stop: stop) { generator.fillNormal($0) } }
        try stop?.check()
        return Tensor(contiguous: data, shape: shape)
    }

    /// Uniform values in [0, 1) drawn from `generator`, which is left advanced.
    public static func rand(_ shape: [Int], generator: inout RandomGenerator) throws(TensorError) -> Tensor {
        let n = try checkedAllocation(shape)
        let stop = KernelStop.current(forWork: n)
        let data = makeStorage(count: n) { buffer in inBlocks(buffer, stop: stop) { generator.fillUniform($0) } }
        try stop?.check()
        return Tensor(contiguous: data, shape: shape)
    }

    /// Integers in low..<high drawn from `generator` (high − low from 1 to 2^53).
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int], generator: inout RandomGenerator) throws(TensorError) -> Tensor {
        guard high > low else { throw TensorError("randint needs low < high, got low \(low) and high \(high)") }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, span <= 1 << 53 else { throw TensorError("randint's range high − low must be at most 2^53") }
        let n = try checkedAllocation(shape)
        let stop = KernelStop.current(forWork: n)
        let data = makeStorage(count: n) { buffer in
            inBlocks(buffer, stop: stop) { generator.fillIntegers($0, low: low, high: high) }
        }
        try stop?.check()
        return Tensor(contiguous: data, shape: shape)
    }

    /// A random permutation of 0, 1, …, n − 1 drawn from `generator`.
    public static func permutation(_ n: Int, generator: inout RandomGenerator) throws(TensorError) -> Tensor {
        guard n >= 0 else { throw TensorError("perm needs a non-negative count, got \(n)") }
        let count = try checkedAllocation([n])
        let data = makeStorage(count: count) { generator.fillPermutation($0) }
        return Tensor(contiguous: data, shape: [n])
    }

    /// Runs `fill` on consecutive blocks of `buffer`, polling `stop` between them. The blocks
    /// have an even length, so a generator's Box–Muller pairs fall as in one call.
    private static func inBlocks(
        _ buffer: UnsafeMutableBufferPointer<Double>, stop: KernelStop?, _ fill: (UnsafeMutableBufferPointer<Double>) -> Void
    ) {
        guard let stop else { return fill(buffer) }
        var start = 0
        while start < buffer.count {
            if stop.isRaised { return }
            let end = Swift.min(start + KernelStop.pollElements, buffer.count)
            fill(UnsafeMutableBufferPointer(rebasing: buffer[start..<end]))
            start = end
        }
    }

    /// Joins tensors of one shape along a new axis (negative counts from rank + 1).
    public static func stack(_ ts: [Tensor], axis: Int) throws(TensorError) -> Tensor {
        guard let first = ts.first else { throw TensorError("stack needs at least one tensor") }
        for t in ts where t.shape != first.shape {
            throw TensorError("cannot stack shapes \(formatShape(first.shape)) and \(formatShape(t.shape))")
        }
        let a = try normalizeAxis(axis, rank: first.rank + 1)
        var expanded: [Tensor] = []
        expanded.reserveCapacity(ts.count)
        var newShape = first.shape
        newShape.insert(1, at: a)
        for t in ts { expanded.append(try t.reshaped(newShape)) }
        return try concat(expanded, axis: a)
    }

    /// Joins tensors along an existing axis; the other axes must match.
    public static func concat(_ ts: [Tensor], axis: Int) throws(TensorError) -> Tensor {
        guard let first = ts.first else { throw TensorError("concat needs at least one tensor") }
        guard first.rank > 0 else { throw TensorError("cannot concatenate scalars") }
        let a = try normalizeAxis(axis, rank: first.rank)
        var total = 0
        for t in ts {
            var same = t.rank == first.rank
            if same {
                for d in 0..<t.rank where d != a && t.shape[d] != first.shape[d] { same = false }
            }
            guard same else {
                throw TensorError(
                    "cannot concatenate shapes \(formatShape(first.shape)) and \(formatShape(t.shape)) along axis \(a)")
            }
            let (sum, overflow) = total.addingReportingOverflow(t.shape[a])
            guard !overflow else { throw TensorError("concat result is too large") }
            total = sum
        }
        var outShape = first.shape
        outShape[a] = total
        let n = try checkedAllocation(outShape)
        let outer = first.shape[..<a].reduce(1, *)
        let inner = first.shape[(a + 1)...].reduce(1, *)
        var parts: [Tensor] = []
        for t in ts { parts.append(try t.checkedContiguousCopy()) }
        let data = makeStorage(count: n) { out in
            guard n > 0, let o = out.baseAddress else { return }
            var position = 0
            for block in 0..<outer {
                for part in parts {
                    let len = part.shape[a] * inner
                    part.storage.withUnsafeBufferPointer { src in
                        guard len > 0, let s = src.baseAddress else { return }
                        (o + position).initialize(from: s + block * len, count: len)
                    }
                    position += len
                }
            }
        }
        return Tensor(contiguous: data, shape: outShape)
    }
}
