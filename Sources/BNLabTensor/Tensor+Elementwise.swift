#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CKernels

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
    public static func unary(_ op: UnaryOp, _ x: consuming Tensor) throws(TensorError) -> Tensor {
        try unary(op, x, level: ElementwiseLevel.best)
    }

    /// `unary` on the kernels of `level` (tests force the portable ones).
    static func unary(_ op: UnaryOp, _ x: consuming Tensor, level: Int32) throws(TensorError) -> Tensor {
        switch op {
        case .negate: return try map(x, UnaryKernels.Negate(), level: level)
        case .abs: return try map(x, UnaryKernels.Abs(), level: level)
        case .sqrt: return try map(x, UnaryKernels.Sqrt(), level: level)
        case .relu: return try map(x, UnaryKernels.Relu(), level: level)
        case .exp: return try map(x, UnaryKernels.Exp(), level: level)
        case .log: return try map(x, UnaryKernels.Log(), level: level)
        case .tanh: return try map(x, UnaryKernels.Tanh(), level: level)
        case .sigmoid: return try map(x, UnaryKernels.Sigmoid(), level: level)
        case .sign: return try map(x, UnaryKernels.Sign(), level: level)
        case .logicalNot: return try map(x, UnaryKernels.LogicalNot(), level: level)
        }
    }

    /// Applies `op` to broadcast pairs of elements.
    ///
    /// The operands are taken by value: when the caller hands over a temporary that nothing
    /// else holds (`(x - m) / s`), the result is written into its buffer instead of a new one.
    public static func binary(_ op: BinaryOp, _ a: consuming Tensor, _ b: consuming Tensor) throws(TensorError) -> Tensor {
        try binary(op, a, b, level: ElementwiseLevel.best)
    }

    /// `binary` on the kernels of `level` (tests force the portable ones).
    static func binary(_ op: BinaryOp, _ a: consuming Tensor, _ b: consuming Tensor, level: Int32) throws(TensorError) -> Tensor {
        switch op {
        case .add: return try zip(a, b, BinaryKernels.Add(), level: level)
        case .subtract: return try zip(a, b, BinaryKernels.Subtract(), level: level)
        case .multiply: return try zip(a, b, BinaryKernels.Multiply(), level: level)
        case .divide: return try zip(a, b, BinaryKernels.Divide(), level: level)
        case .power:
            if let e = b.scalarValue, e == 2, b.rank <= a.rank { return try map(a, UnaryKernels.Square(), level: level) }
            return try zip(a, b, BinaryKernels.Power(), level: level)
        case .equal: return try mask(zip(a, b, BinaryKernels.Equal(), level: level))
        case .notEqual: return try mask(zip(a, b, BinaryKernels.NotEqual(), level: level))
        case .less: return try mask(zip(a, b, BinaryKernels.Less(), level: level))
        case .lessEqual: return try mask(zip(a, b, BinaryKernels.LessEqual(), level: level))
        case .greater: return try mask(zip(a, b, BinaryKernels.Greater(), level: level))
        case .greaterEqual: return try mask(zip(a, b, BinaryKernels.GreaterEqual(), level: level))
        case .maximum: return try zip(a, b, BinaryKernels.Maximum(), level: level)
        case .minimum: return try zip(a, b, BinaryKernels.Minimum(), level: level)
        case .floorDivide: return try zip(a, b, BinaryKernels.FloorDivide(), level: level)
        case .remainder: return try zip(a, b, BinaryKernels.Remainder(), level: level)
        }
    }

    /// `op` between a tensor and a number, the number on the left when `numberFirst`: as
    /// `binary` with a rank-0 tensor for the number, without making that tensor (loops such as
    /// `y = x * 2 + 1` on small tensors would spend a buffer per operator on it).
    public static func binary(_ op: BinaryOp, _ a: consuming Tensor, number v: Double, numberFirst: Bool) throws(TensorError) -> Tensor {
        // Non-contiguous operands and `x ** 2` keep the general path and its layouts.
        guard a.isContiguous, op != .power else {
            return numberFirst ? try binary(op, Tensor(v), a) : try binary(op, a, Tensor(v))
        }
        let level = ElementwiseLevel.best
        switch op {
        case .add: return try zipNumber(a, v, numberFirst, BinaryKernels.Add(), level: level)
        case .subtract: return try zipNumber(a, v, numberFirst, BinaryKernels.Subtract(), level: level)
        case .multiply: return try zipNumber(a, v, numberFirst, BinaryKernels.Multiply(), level: level)
        case .divide: return try zipNumber(a, v, numberFirst, BinaryKernels.Divide(), level: level)
        case .power: return try zipNumber(a, v, numberFirst, BinaryKernels.Power(), level: level)
        case .equal: return try mask(zipNumber(a, v, numberFirst, BinaryKernels.Equal(), level: level))
        case .notEqual: return try mask(zipNumber(a, v, numberFirst, BinaryKernels.NotEqual(), level: level))
        case .less: return try mask(zipNumber(a, v, numberFirst, BinaryKernels.Less(), level: level))
        case .lessEqual: return try mask(zipNumber(a, v, numberFirst, BinaryKernels.LessEqual(), level: level))
        case .greater: return try mask(zipNumber(a, v, numberFirst, BinaryKernels.Greater(), level: level))
        case .greaterEqual: return try mask(zipNumber(a, v, numberFirst, BinaryKernels.GreaterEqual(), level: level))
        case .maximum: return try zipNumber(a, v, numberFirst, BinaryKernels.Maximum(), level: level)
        case .minimum: return try zipNumber(a, v, numberFirst, BinaryKernels.Minimum(), level: level)
        case .floorDivide: return try zipNumber(a, v, numberFirst, BinaryKernels.FloorDivide(), level: level)
        case .remainder: return try zipNumber(a, v, numberFirst, BinaryKernels.Remainder(), level: level)
        }
    }

    /// The loop of `binary(_:_:number:numberFirst:)` for a contiguous tensor: the number is read
    /// from the stack with stride 0; a unique temporary operand is written in place.
    @inline(__always)
    static func zipNumber<K: BinaryKernel>(
        _ a: consuming Tensor, _ v: Double, _ numberFirst: Bool, _ kernel: K, level: Int32
    ) throws(TensorError) -> Tensor {
        let n = a.count
        let reused = reusableStorage(&a, contiguous: true, shape: a.shape, count: n)
        if reused == nil { try reserve(n) }
        let stop = KernelStop.current(forWork: n)
        let data = reused ?? TensorStorage.uninitialized(count: n)
        if n > 0 {
            let o = data.base, pa = UnsafePointer(a.storage.base) + a.offset
            withUnsafePointer(to: v) { pv in
                splitRange(n, stop: stop) { range in
                    let i = range.lowerBound
                    if numberFirst {
                        kernel.run(range.count, pv, 0, pa + i, 1, o + i, level: level)
                    } else {
                        kernel.run(range.count, pa + i, 1, pv, 0, o + i, level: level)
                    }
                }
            }
        }
        try stop?.check()
        withExtendedLifetime(a) {}
        return Tensor(storage: data, shape: a.shape, strides: a.strides, offset: 0)
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

    /// A buffer for a result of `shape` (`n` elements): `t`'s own when `t` is a temporary
    /// nothing else holds, with exactly that row-major layout and no recorded step; else nil.
    ///
    /// A caller that still needs `t` holds another reference to its buffer, so it is never
    /// reused; a recorded step (`node`) is refused anyway, since gradient rules keep inputs.
    @inline(__always)
    static func reusableStorage(_ t: inout Tensor, contiguous: Bool, shape: [Int], count n: Int) -> TensorStorage? {
        guard contiguous, n > 0, t.node == nil, t.offset == 0, t.count == n, t.storage.count == n,
            isKnownUniquelyReferenced(&t.storage), t.shape == shape
        else { return nil }
        return t.storage
    }

    @inline(__always)
    static func map(_ x: Tensor, _ f: (Double) -> Double) throws(TensorError) -> Tensor {
        try withoutActuallyEscaping(f) { (f) throws(TensorError) -> Tensor in
            try map(x, UnaryKernels.Closure(f: f), level: ElementwiseLevel.best)
        }
    }

    /// The unary loop, specialised per kernel; a unique temporary operand is written in place.
    @inline(__always)
    static func map<K: UnaryKernel>(_ x: consuming Tensor, _ kernel: K, level: Int32) throws(TensorError) -> Tensor {
        let stop = KernelStop.current(forWork: x.count)
        // A transposed (dense) input keeps its layout, as numpy's K order does, so no gather is needed.
        let contiguous = x.isContiguous
        let dense = !contiguous && x.denseStart != nil
        var source: Tensor
        if contiguous || dense { source = consume x } else { source = try x.checkedContiguousCopy() }
        let n = source.count
        let reused = dense ? nil : reusableStorage(&source, contiguous: true, shape: source.shape, count: n)
        if reused == nil { try reserve(n) }
        let start = source.denseStart ?? source.offset
        let data = reused ?? TensorStorage.uninitialized(count: n)
        if n > 0 {
            let p = UnsafePointer(source.storage.base + start), o = data.base
            splitRange(n, stop: stop) { range in
                kernel.run(range.count, p + range.lowerBound, o + range.lowerBound, level: level)
            }
        }
        withExtendedLifetime(source) {}
        try stop?.check()
        // The result has the source's layout: row-major, or the dense block's own axis order.
        return Tensor(storage: data, shape: source.shape, strides: source.strides, offset: 0)
    }

    @inline(__always)
    static func zip(_ a: Tensor, _ b: Tensor, _ f: (Double, Double) -> Double) throws(TensorError) -> Tensor {
        try withoutActuallyEscaping(f) { (f) throws(TensorError) -> Tensor in
            try zip(a, b, BinaryKernels.Closure(f: f), level: ElementwiseLevel.best)
        }
    }

    /// The broadcasting loop, specialised per kernel so that its scalar definition inlines.
    @inline(__always)
    static func zip<K: BinaryKernel>(_ a: consuming Tensor, _ b: consuming Tensor, _ kernel: K, level: Int32) throws(TensorError) -> Tensor {
        // A scalar or same-shaped operand leaves the other's shape (and no new array to make).
        let shape: [Int]
        if a.shape == b.shape || (b.count == 1 && b.rank <= a.rank) {
            shape = a.shape
        } else if a.count == 1 && a.rank <= b.rank {
            shape = b.shape
        } else {
            shape = try broadcastShape(a.shape, b.shape)
        }
        let n = try checkedCount(shape)
        // Layout facts used several times below, worked out once (small tensors in loops pay for each).
        let aContiguous = a.isContiguous, bContiguous = b.isContiguous
        let reused = reusableStorage(&a, contiguous: aContiguous, shape: shape, count: n)
            ?? reusableStorage(&b, contiguous: bContiguous, shape: shape, count: n)
        if reused == nil { try reserve(n) }
        let stop = KernelStop.current(forWork: n)
        defer { withExtendedLifetime(a) {}; withExtendedLifetime(b) {} }
        let pa = UnsafePointer(a.storage.base), pb = UnsafePointer(b.storage.base)
        // Same dense layout on both sides (or a dense side and a scalar): walk the storage block directly.
        if reused == nil && n > 0 && !(aContiguous && (bContiguous || b.count == 1)) && !(bContiguous && a.count == 1),
            let layout = denseLayout(a, b, shape: shape)
        {
            let data = TensorStorage.uninitialized(count: n)
            let o = data.base
            let qa = pa + layout.startA, qb = pb + layout.startB
            let ia = a.count == 1 ? 0 : 1, ib = b.count == 1 ? 0 : 1
            splitRange(n, stop: stop) { range in
                let i = range.lowerBound
                kernel.run(range.count, qa + i * ia, ia, qb + i * ib, ib, o + i, level: level)
            }
            try stop?.check()
            return Tensor(storage: data, shape: shape, strides: layout.strides, offset: 0)
        }
        let data = reused ?? TensorStorage.uninitialized(count: n)
        guard n > 0 else { return Tensor(contiguous: data, shape: shape) }
        let o = data.base
        let aFlat = aContiguous && a.count == n
        let bFlat = bContiguous && b.count == n
        let ra = pa + a.offset, rb = pb + b.offset
        if (aFlat || a.count == 1) && (bFlat || b.count == 1) {
            let ia = aFlat ? 1 : 0, ib = bFlat ? 1 : 0
            splitRange(n, stop: stop) { range in
                let i = range.lowerBound
                kernel.run(range.count, ra + i * ia, ia, rb + i * ib, ib, o + i, level: level)
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
                    kernel.run(m, ra + oa, ia, rb + ob, ib, o + oo, level: level)
                }
            }
        }
        try stop?.check()
        // A contiguous operand of the result's shape has its row-major strides already.
        if aContiguous && a.shape == shape {
            return Tensor(storage: data, shape: shape, strides: a.strides, offset: 0)
        }
        if bContiguous && b.shape == shape {
            return Tensor(storage: data, shape: shape, strides: b.strides, offset: 0)
        }
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

// MARK: - Kernels per operator

/// The instruction set the C kernels use: the best this CPU has, read once.
enum ElementwiseLevel {
    static let best: Int32 = ck_ew_best_level()
    /// Runs shorter than this are computed in Swift rather than by a call into C.
    static let shortRun = 16
}

/// One elementwise operator of two doubles. Each operator is its own (empty) type and the
/// loops are generic over it, so `apply` inlines into them: no closure call per element.
protocol BinaryKernel {
    /// The C vector kernel computing exactly `apply` on runs of stride 0 or 1, if there is one.
    var vector: ck_ew_binary_op? { get }
    func apply(_ x: Double, _ y: Double) -> Double
    /// out[i] = apply(a[i·ia], b[i·ib]) for i in 0..<n.
    func run(_ n: Int, _ a: UnsafePointer<Double>, _ ia: Int, _ b: UnsafePointer<Double>, _ ib: Int,
             _ out: UnsafeMutablePointer<Double>, level: Int32)
}

extension BinaryKernel {
    var vector: ck_ew_binary_op? { nil }

    /// out[i] = apply(a[i·ia], b[i·ib]) for i in 0..<n.
    @inline(__always)
    func run(_ n: Int, _ a: UnsafePointer<Double>, _ ia: Int, _ b: UnsafePointer<Double>, _ ib: Int,
             _ out: UnsafeMutablePointer<Double>, level: Int32) {
        // Short runs (the per-channel broadcast of a small image) stay in the inlined loop: a
        // call per run would cost more than the arithmetic. Both give the same bits.
        if n >= ElementwiseLevel.shortRun, let op = vector, ia == 0 || ia == 1, ib == 0 || ib == 1 {
            ck_ew_binary(Int32(op.rawValue), n, a, ia, b, ib, out, level)
        } else if ia == 1 && ib == 1 {
            for i in 0..<n { out[i] = apply(a[i], b[i]) }
        } else if ia == 1 && ib == 0 {
            let y = b[0]
            for i in 0..<n { out[i] = apply(a[i], y) }
        } else if ia == 0 && ib == 1 {
            let x = a[0]
            for i in 0..<n { out[i] = apply(x, b[i]) }
        } else {
            for i in 0..<n { out[i] = apply(a[i * ia], b[i * ib]) }
        }
    }
}

/// The operators, each with its scalar definition (which tests use as the reference).
enum BinaryKernels {
    struct Add: BinaryKernel {
        var vector: ck_ew_binary_op? { CK_EW_ADD }
        @inline(__always) func apply(_ x: Double, _ y: Double) -> Double { x + y }
    }
    struct Subtract: BinaryKernel {
        var vector: ck_ew_binary_op? { CK_EW_SUB }
        @inline(__always) func apply(_ x: Double, _ y: Double) -> Double { x - y }
    }
    struct Multiply: BinaryKernel {
        var vector: ck_ew_binary_op? { CK_EW_MUL }
        @inline(__always) func apply(_ x: Double, _ y: Double) -> Double { x * y }
    }
    struct Divide: BinaryKernel {
        var vector: ck_ew_binary_op? { CK_EW_DIV }
        @inline(__always) func apply(_ x: Double, _ y: Double) -> Double { x / y }
    }
    struct Power: BinaryKernel {
        @inline(__always) func apply(_ x: Double, _ y: Double) -> Double { pow(x, y) }
    }
    // numpy's rules: the first operand wins ties and nan in either operand propagates.
    struct Maximum: BinaryKernel {
        var vector: ck_ew_binary_op? { CK_EW_MAX }
        @inline(__always) func apply(_ x: Double, _ y: Double) -> Double { x >= y || x.isNaN ? x : y }
    }
    struct Minimum: BinaryKernel {
        var vector: ck_ew_binary_op? { CK_EW_MIN }
        @inline(__always) func apply(_ x: Double, _ y: Double) -> Double { x <= y || x.isNaN ? x : y }
    }
    struct Equal: BinaryKernel {
        var vector: ck_ew_binary_op? { CK_EW_EQ }
        @inline(__always) func apply(_ x: Double, _ y: Double) -> Double { x == y ? 1 : 0 }
    }
    struct NotEqual: BinaryKernel {
        var vector: ck_ew_binary_op? { CK_EW_NE }
        @inline(__always) func apply(_ x: Double, _ y: Double) -> Double { x != y ? 1 : 0 }
    }
    struct Less: BinaryKernel {
        var vector: ck_ew_binary_op? { CK_EW_LT }
        @inline(__always) func apply(_ x: Double, _ y: Double) -> Double { x < y ? 1 : 0 }
    }
    struct LessEqual: BinaryKernel {
        var vector: ck_ew_binary_op? { CK_EW_LE }
        @inline(__always) func apply(_ x: Double, _ y: Double) -> Double { x <= y ? 1 : 0 }
    }
    struct Greater: BinaryKernel {
        var vector: ck_ew_binary_op? { CK_EW_GT }
        @inline(__always) func apply(_ x: Double, _ y: Double) -> Double { x > y ? 1 : 0 }
    }
    struct GreaterEqual: BinaryKernel {
        var vector: ck_ew_binary_op? { CK_EW_GE }
        @inline(__always) func apply(_ x: Double, _ y: Double) -> Double { x >= y ? 1 : 0 }
    }
    struct FloorDivide: BinaryKernel {
        @inline(__always) func apply(_ x: Double, _ y: Double) -> Double { Tensor.floorDivmod(x, y).quotient }
    }
    struct Remainder: BinaryKernel {
        @inline(__always) func apply(_ x: Double, _ y: Double) -> Double { Tensor.floorDivmod(x, y).remainder }
    }
    /// A caller's closure (kernels outside this file that need a one-off elementwise function).
    struct Closure: BinaryKernel {
        let f: (Double, Double) -> Double
        @inline(__always) func apply(_ x: Double, _ y: Double) -> Double { f(x, y) }
    }
}

/// One elementwise function of a double, over contiguous runs; as `BinaryKernel`.
protocol UnaryKernel {
    var vector: ck_ew_unary_op? { get }
    func apply(_ x: Double) -> Double
    /// out[i] = apply(x[i]) for i in 0..<n.
    func run(_ n: Int, _ x: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, level: Int32)
}

extension UnaryKernel {
    var vector: ck_ew_unary_op? { nil }

    /// out[i] = apply(x[i]) for i in 0..<n.
    @inline(__always)
    func run(_ n: Int, _ x: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, level: Int32) {
        if n >= ElementwiseLevel.shortRun, let op = vector {
            ck_ew_unary(Int32(op.rawValue), n, x, out, level)
        } else {
            for i in 0..<n { out[i] = apply(x[i]) }
        }
    }
}

enum UnaryKernels {
    struct Negate: UnaryKernel {
        var vector: ck_ew_unary_op? { CK_EW_NEG }
        @inline(__always) func apply(_ x: Double) -> Double { -x }
    }
    struct Abs: UnaryKernel {
        var vector: ck_ew_unary_op? { CK_EW_ABS }
        @inline(__always) func apply(_ x: Double) -> Double { Swift.abs(x) }
    }
    struct Sqrt: UnaryKernel {
        var vector: ck_ew_unary_op? { CK_EW_SQRT }
        @inline(__always) func apply(_ x: Double) -> Double { x.squareRoot() }
    }
    struct Relu: UnaryKernel {
        var vector: ck_ew_unary_op? { CK_EW_RELU }
        @inline(__always) func apply(_ x: Double) -> Double { x > 0 || x.isNaN ? x : 0 }
    }
    struct Exp: UnaryKernel {
        @inline(__always) func apply(_ x: Double) -> Double { exp(x) }
    }
    struct Log: UnaryKernel {
        @inline(__always) func apply(_ x: Double) -> Double { log(x) }
    }
    struct Tanh: UnaryKernel {
        @inline(__always) func apply(_ x: Double) -> Double { tanh(x) }
    }
    /// Two branches so that exp never overflows.
    struct Sigmoid: UnaryKernel {
        @inline(__always) func apply(_ v: Double) -> Double {
            if v >= 0 { return 1 / (1 + exp(-v)) }
            let e = exp(v)
            return e / (1 + e)
        }
    }
    struct Sign: UnaryKernel {
        @inline(__always) func apply(_ v: Double) -> Double { v > 0 ? 1 : (v < 0 ? -1 : (v == 0 ? 0 : v)) }
    }
    struct LogicalNot: UnaryKernel {
        @inline(__always) func apply(_ x: Double) -> Double { x == 0 ? 1 : 0 }
    }
    /// x², as `x ** 2` computes it: one rounded product (the vector multiply of x by itself).
    struct Square: UnaryKernel {
        @inline(__always) func apply(_ x: Double) -> Double { x * x }
        @inline(__always)
        func run(_ n: Int, _ x: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, level: Int32) {
            if n < ElementwiseLevel.shortRun {
                for i in 0..<n { out[i] = x[i] * x[i] }
            } else {
                ck_ew_binary(Int32(CK_EW_MUL.rawValue), n, x, 1, x, 1, out, level)
            }
        }
    }
    struct Closure: UnaryKernel {
        let f: (Double) -> Double
        @inline(__always) func apply(_ x: Double) -> Double { f(x) }
    }
}
