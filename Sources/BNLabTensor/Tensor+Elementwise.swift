#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An elementwise function of one tensor.
public enum UnaryOp: Sendable {
    case negate, abs, sqrt, exp, log, tanh, sigmoid, relu, sign, logicalNot
}

/// An elementwise function of two broadcast tensors; comparisons give 0 or 1.
public enum BinaryOp: Sendable {
    case add, subtract, multiply, divide, power
    case equal, notEqual, less, lessEqual, greater, greaterEqual
    case maximum, minimum
    /// numpy's `//` and `%` (floor semantics: the remainder takes the divisor's sign).
    case floorDivide, remainder
}

/// Elementwise arithmetic with numpy broadcasting and IEEE 754 results (never an error for values).
extension Tensor {
    /// Applies `op` to every element.
    public static func unary(_ op: UnaryOp, _ x: Tensor) throws(TensorError) -> Tensor {
        switch op {
        case .negate: return try map(x) { -$0 }
        case .abs: return try map(x) { Swift.abs($0) }
        case .sqrt: return try map(x) { $0.squareRoot() }
        case .exp: return try map(x) { exp($0) }
        case .log: return try map(x) { log($0) }
        case .tanh: return try map(x) { tanh($0) }
        case .sigmoid:
            // Two branches so that exp never overflows.
            return try map(x) { v in
                if v >= 0 { return 1 / (1 + exp(-v)) }
                let e = exp(v)
                return e / (1 + e)
            }
        case .relu: return try map(x) { v in v > 0 || v.isNaN ? v : 0 }
        case .sign: return try map(x) { v in v > 0 ? 1 : (v < 0 ? -1 : (v == 0 ? 0 : v)) }
        case .logicalNot: return try map(x) { $0 == 0 ? 1 : 0 }
        }
    }

    /// Applies `op` to broadcast pairs of elements.
    public static func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor {
        switch op {
        case .add: return try zip(a, b) { $0 + $1 }
        case .subtract: return try zip(a, b) { $0 - $1 }
        case .multiply: return try zip(a, b) { $0 * $1 }
        case .divide: return try zip(a, b) { $0 / $1 }
        case .power:
            if let e = b.scalarValue, e == 2, b.rank <= a.rank { return try zip(a, b) { x, _ in x * x } }
            return try zip(a, b) { pow($0, $1) }
        case .equal: return try mask(zip(a, b) { $0 == $1 ? 1 : 0 })
        case .notEqual: return try mask(zip(a, b) { $0 != $1 ? 1 : 0 })
        case .less: return try mask(zip(a, b) { $0 < $1 ? 1 : 0 })
        case .lessEqual: return try mask(zip(a, b) { $0 <= $1 ? 1 : 0 })
        case .greater: return try mask(zip(a, b) { $0 > $1 ? 1 : 0 })
        case .greaterEqual: return try mask(zip(a, b) { $0 >= $1 ? 1 : 0 })
        // numpy's rules: the first operand wins ties and nan in either operand propagates.
        case .maximum: return try zip(a, b) { x, y in x >= y || x.isNaN ? x : y }
        case .minimum: return try zip(a, b) { x, y in x <= y || x.isNaN ? x : y }
        case .floorDivide: return try zip(a, b) { Tensor.floorDivmod($0, $1).quotient }
        case .remainder: return try zip(a, b) { Tensor.floorDivmod($0, $1).remainder }
        }
    }

    /// A comparison's result, marked as a mask.
    private static func mask(_ t: Tensor) -> Tensor {
        var t = t
        t.isMask = true
        return t
    }

    /// The numpy broadcast of two shapes.
    public static func broadcastShape(_ a: [Int], _ b: [Int]) throws(TensorError) -> [Int] {
        let r = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: r)
        for i in 0..<r {
            let da = i < r - a.count ? 1 : a[i - (r - a.count)]
            let db = i < r - b.count ? 1 : b[i - (r - b.count)]
            if da == db || db == 1 {
                out[i] = da
            } else if da == 1 {
                out[i] = db
            } else {
                throw TensorError.cannotBroadcast(a, b)
            }
        }
        _ = try checkedCount(out)
        return out
    }

    /// Strides that read a tensor of `shape` as if it had the broadcast shape `target`.
    static func broadcastStrides(_ shape: [Int], _ strides: [Int], to target: [Int]) -> [Int] {
        let lead = target.count - shape.count
        var out = [Int](repeating: 0, count: target.count)
        for i in shape.indices where shape[i] != 1 {
            out[lead + i] = strides[i]
        }
        return out
    }

    /// numpy's `round`: half to even after scaling by 10^digits.
    public static func round(_ x: Tensor, digits: Int) throws(TensorError) -> Tensor {
        if digits == 0 { return try map(x) { $0.rounded(.toNearestOrEven) } }
        if digits > 0 {
            let f = powerOfTen(digits)
            // Past the largest scale every double is already that precise.
            if !f.isFinite { return try map(x) { $0 } }
            return try map(x) { v in
                let y = v * f
                return y.isFinite || !v.isFinite ? y.rounded(.toNearestOrEven) / f : v
            }
        }
        let f = powerOfTen(-Swift.max(digits, -400))
        if !f.isFinite { return try map(x) { v in v.isFinite ? 0 * v : v } }
        return try map(x) { v in (v / f).rounded(.toNearestOrEven) * f }
    }

    /// numpy's `clip`: `minimum(maximum(x, lo), hi)` with broadcasting.
    public static func clip(_ x: Tensor, _ lo: Tensor, _ hi: Tensor) throws(TensorError) -> Tensor {
        let shape = try broadcastShape(broadcastShape(x.shape, lo.shape), hi.shape)
        _ = try checkedCount(shape)
        return try binary(.minimum, binary(.maximum, x, lo), hi)
    }

    /// numpy's power of ten for `round`: a table up to 1e8, then repeated multiplication by 10.
    static func powerOfTen(_ n: Int) -> Double {
        let table: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8]
        if n < 9 { return table[n] }
        var value = 1e9
        var k = n
        while k > 9 && value.isFinite {
            value *= 10
            k -= 1
        }
        return value
    }

    // MARK: - Kernels

    /// Runs `body` over `0..<n` split into fixed ranges on all cores (elementwise work only),
    /// each range handed out in blocks so that `stop` is polled between them.
    @inline(__always)
    static func splitRange(_ n: Int, stop: KernelStop?, _ body: (Range<Int>) -> Void) {
        let parts = Parallel.parts(for: n)
        let block = KernelStop.pollElements
        if parts == 1 && (n <= block || stop == nil) {
            body(0..<n)
            return
        }
        Parallel.forEach(parts) { i in
            var start = n * i / parts
            let end = n * (i + 1) / parts
            while start < end {
                if let stop, stop.isRaised { return }
                let next = Swift.min(start + block, end)
                body(start..<next)
                start = next
            }
        }
    }

    /// The storage index where a view starts when its elements fill `count` consecutive
    /// slots in some axis order (a transpose of a contiguous tensor), else nil.
    var denseStart: Int? {
        guard count > 0 else { return nil }
        var axes: [(size: Int, stride: Int)] = []
        for axis in shape.indices where shape[axis] != 1 {
            guard strides[axis] > 0 else { return nil }
            axes.append((shape[axis], strides[axis]))
        }
        axes.sort { $0.stride < $1.stride }
        var expected = 1
        for a in axes {
            guard a.stride == expected else { return nil }
            expected *= a.size
        }
        return offset
    }

    @inline(__always)
    static func map(_ x: Tensor, _ f: (Double) -> Double) throws(TensorError) -> Tensor {
        let stop = KernelStop.current(forWork: x.count)
        // A transposed (dense) input keeps its layout, as numpy's K order does, so no gather is needed.
        let dense = !x.isContiguous && x.denseStart != nil
        let source = x.isContiguous || dense ? x : try x.checkedContiguousCopy()
        let n = source.count
        try reserve(n)
        let start = source.denseStart ?? source.offset
        let data = source.storage.withUnsafeBufferPointer { src in
            makeStorage(count: n) { out in
                guard n > 0, let s = src.baseAddress, let o = out.baseAddress else { return }
                let p = s + start
                splitRange(n, stop: stop) { range in
                    for i in range { o[i] = f(p[i]) }
                }
            }
        }
        try stop?.check()
        if dense {
            return Tensor(storage: data, shape: x.shape, strides: x.strides, offset: 0)
        }
        return Tensor(contiguous: data, shape: x.shape)
    }

    @inline(__always)
    static func zip(_ a: Tensor, _ b: Tensor, _ f: (Double, Double) -> Double) throws(TensorError) -> Tensor {
        let shape = a.shape == b.shape ? a.shape : try broadcastShape(a.shape, b.shape)
        let n = try checkedAllocation(shape)
        let stop = KernelStop.current(forWork: n)
        // Same dense layout on both sides (or a dense side and a scalar): walk the storage block directly.
        if n > 0 && !(a.isContiguous && (b.isContiguous || b.count == 1)) && !(b.isContiguous && a.count == 1),
            let layout = denseLayout(a, b, shape: shape)
        {
            let data = a.storage.withUnsafeBufferPointer { bufA in
                b.storage.withUnsafeBufferPointer { bufB in
                    makeStorage(count: n) { out in
                        guard let sa = bufA.baseAddress, let sb = bufB.baseAddress, let o = out.baseAddress else { return }
                        let pa = sa + layout.startA, pb = sb + layout.startB
                        let ia = a.count == 1 ? 0 : 1, ib = b.count == 1 ? 0 : 1
                        splitRange(n, stop: stop) { range in
                            for i in range { o[i] = f(pa[i * ia], pb[i * ib]) }
                        }
                    }
                }
            }
            try stop?.check()
            return Tensor(storage: data, shape: shape, strides: layout.strides, offset: 0)
        }
        let aFlat = a.isContiguous && a.count == n
        let bFlat = b.isContiguous && b.count == n
        let data = a.storage.withUnsafeBufferPointer { bufA in
            b.storage.withUnsafeBufferPointer { bufB in
                makeStorage(count: n) { out in
                    guard n > 0, let sa = bufA.baseAddress, let sb = bufB.baseAddress, let o = out.baseAddress else { return }
                    let pa = sa + a.offset
                    let pb = sb + b.offset
                    if aFlat && bFlat {
                        splitRange(n, stop: stop) { range in
                            for i in range { o[i] = f(pa[i], pb[i]) }
                        }
                    } else if a.count == 1 && bFlat {
                        let va = pa[0]
                        splitRange(n, stop: stop) { range in
                            for i in range { o[i] = f(va, pb[i]) }
                        }
                    } else if b.count == 1 && aFlat {
                        let vb = pb[0]
                        splitRange(n, stop: stop) { range in
                            for i in range { o[i] = f(pa[i], vb) }
                        }
                    } else {
                        let loop = StridedLoop(shape: shape, strides: [
                            rowMajorStrides(shape),
                            broadcastStrides(a.shape, a.strides, to: shape),
                            broadcastStrides(b.shape, b.strides, to: shape),
                        ])
                        let m = loop.innerCount
                        let ia = loop.innerStride(1), ib = loop.innerStride(2)
                        let pieces = loop.split(into: Parallel.parts(for: n))
                        Parallel.forEach(pieces.count) { p in
                            let (piece, bases) = pieces[p]
                            var sincePoll = 0
                            var abandoned = false
                            piece.forEachRun3(bases[0], bases[1], bases[2]) { oo, oa, ob in
                                if abandoned { return }
                                sincePoll += m
                                if sincePoll >= KernelStop.pollElements, let stop {
                                    sincePoll = 0
                                    if stop.isRaised { abandoned = true }
                                }
                                let q = o + oo, qa = pa + oa, qb = pb + ob
                                if ia == 1 && ib == 1 {
                                    for i in 0..<m { q[i] = f(qa[i], qb[i]) }
                                } else if ia == 1 && ib == 0 {
                                    let vb = qb[0]
                                    for i in 0..<m { q[i] = f(qa[i], vb) }
                                } else if ia == 0 && ib == 1 {
                                    let va = qa[0]
                                    for i in 0..<m { q[i] = f(va, qb[i]) }
                                } else {
                                    for i in 0..<m { q[i] = f(qa[i * ia], qb[i * ib]) }
                                }
                            }
                        }
                    }
                }
            }
        }
        try stop?.check()
        return Tensor(contiguous: data, shape: shape)
    }

    /// When both operands are dense with one layout (or one is a single element), the
    /// layout and block starts to walk; else nil.
    private static func denseLayout(_ a: Tensor, _ b: Tensor, shape: [Int]) -> (strides: [Int], startA: Int, startB: Int)? {
        if a.count == 1 && b.shape == shape, let start = b.denseStart { return (b.strides, a.offset, start) }
        if b.count == 1 && a.shape == shape, let start = a.denseStart { return (a.strides, start, b.offset) }
        guard a.shape == shape, b.shape == shape, let startA = a.denseStart, let startB = b.denseStart else { return nil }
        for axis in shape.indices where shape[axis] != 1 && a.strides[axis] != b.strides[axis] { return nil }
        return (a.strides, startA, startB)
    }
}
