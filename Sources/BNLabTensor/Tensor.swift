#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An n-dimensional array of `Double`: a shared buffer seen through a shape, strides and an offset.
///
/// Views (reshape, transpose, slicing) share the buffer; `assign` copies it first when
/// it is shared, so a `Tensor` always behaves as a value. Sendable unchecked because the
/// buffer (a `ManagedBuffer`, never Sendable to Swift) is written only while one tensor
/// holds it alone, or before it is shared at all.
public struct Tensor: @unchecked Sendable {
    /// The most elements any tensor may have (2 GiB of doubles); every allocation checks it.
    public static let elementLimit: Int = 1 << 28
    /// The most axes any tensor may have.
    public static let rankLimit: Int = 32

    /// Counted against `MemoryBudget` while any tensor or view holds it.
    var storage: TensorStorage
    /// The size of each axis.
    public private(set) var shape: [Int]
    /// The distance, in elements, between neighbours along each axis.
    public private(set) var strides: [Int]
    var offset: Int
    /// The number of elements.
    public private(set) var count: Int
    /// Made by a comparison: numpy's boolean array, which selects where it is 1 when used as an
    /// index. A tensor of 0s and 1s made any other way is numbers, as numpy's integer arrays are.
    public internal(set) var isMask = false
    /// The recorded step that made this tensor, or its leaf, when it requires a gradient; nil
    /// otherwise. Only the language's recording seam sets it: every kernel's result starts
    /// without one, views included.
    public var node: GradNode?

    /// Whether the tensor requires a gradient (a leaf made by `param`, or a result of one).
    @inline(__always)
    public var requiresGrad: Bool { node != nil }

    /// Wraps storage without checks; callers guarantee that shape, strides and offset fit it.
    init(storage: TensorStorage, shape: [Int], strides: [Int], offset: Int) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.count = shape.reduce(1, *)
    }

    /// Takes a fresh buffer, which from now on counts against the memory budget.
    init(storage: [Double], shape: [Int], strides: [Int], offset: Int) {
        self.init(storage: TensorStorage.copying(storage), shape: shape, strides: strides, offset: offset)
    }

    /// Wraps a row-major buffer whose count already matches the (checked) shape.
    init(contiguous storage: TensorStorage, shape: [Int]) {
        self.init(storage: storage, shape: shape, strides: Tensor.rowMajorStrides(shape), offset: 0)
    }

    /// Wraps a fresh row-major buffer whose count already matches the (checked) shape.
    init(contiguous storage: [Double], shape: [Int]) {
        self.init(storage: storage, shape: shape, strides: Tensor.rowMajorStrides(shape), offset: 0)
    }

    /// A rank-0 tensor holding one value.
    public init(_ scalar: Double) {
        // Straight into storage: no array in between (literals in loops make many of these).
        self.init(storage: TensorStorage.make(count: 1) { $0[0] = scalar }, shape: [], strides: [], offset: 0)
    }

    /// A tensor of the given shape from row-major elements.
    public init(shape: [Int], elements: [Double]) throws(TensorError) {
        let n = try Tensor.checkedCount(shape)
        guard n == elements.count else {
            throw TensorError("shape \(formatShape(shape)) needs \(n) elements, but \(elements.count) were given")
        }
        self.init(contiguous: elements, shape: shape)
    }

    /// The number of axes.
    public var rank: Int { shape.count }

    /// Whether the elements lie in row-major order without gaps.
    public var isContiguous: Bool {
        var expected = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
            if shape[axis] == 0 { return true }
            if strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// The elements in row-major order.
    public var elements: [Double] {
        if isContiguous {
            return storage.withUnsafeBufferPointer { Array($0[offset..<(offset + count)]) }
        }
        return contiguousCopy().storage.array
    }

    /// The value when the tensor holds exactly one element, whatever its rank.
    public var scalarValue: Double? {
        count == 1 ? storage[offset] : nil
    }

    /// The element at a row-major position; the caller guarantees `0..<count`.
    public func element(at flatIndex: Int) -> Double {
        var rest = flatIndex
        var position = offset
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            let size = shape[axis]
            guard size > 0 else { break }
            position += (rest % size) * strides[axis]
            rest /= size
        }
        return storage[position]
    }

    /// Whether every finite element is a whole number (nan and infinities are allowed).
    public var isIntegral: Bool {
        var integral = true
        forEachElement { value in
            if value.isFinite && value.rounded(.towardZero) != value { integral = false }
        }
        return integral
    }
}

// MARK: - Layout helpers

extension Tensor {
    /// Row-major strides for a shape; the caller has checked it (`checkedCount`), so no
    /// product overflows, but the arithmetic is checked anyway so that a missed check is a
    /// wrong layout for an empty tensor, never a trap.
    static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = step
            let (next, overflow) = step.multipliedReportingOverflow(by: Swift.max(shape[axis], 1))
            step = overflow ? 0 : next
        }
        return strides
    }

    /// The element count of a shape, or an error when the shape is invalid or too large.
    ///
    /// Every place that makes or resolves a shape goes through here. Each dimension must be
    /// at most `elementLimit` and so must the product of the non-zero ones, even when another
    /// dimension is zero (numpy's rule for empty arrays): then every stride and every partial
    /// product of the sizes fits in an `Int`.
    static func checkedCount(_ shape: [Int]) throws(TensorError) -> Int {
        if shape.count > rankLimit {
            throw TensorError("a tensor of rank \(shape.count) exceeds the rank limit of \(rankLimit)")
        }
        for d in shape where d < 0 {
            throw TensorError("negative dimension \(d) in shape \(formatShape(shape))")
        }
        let empty = shape.contains(0)
        for d in shape where empty && d > elementLimit {
            throw TensorError("dimension \(d) in shape \(formatShape(shape)) is too large: the limit is \(elementLimit)")
        }
        var n = 1
        for d in shape where d != 0 {
            let (product, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow || product > elementLimit {
                let nonZero = shape.filter { $0 != 0 }
                let what = nonZero.count == shape.count
                    ? "has \(exactProduct(shape)) elements"
                    : "has sizes whose product is \(exactProduct(nonZero))"
                throw TensorError("tensor of shape \(formatShape(shape)) \(what), more than the limit of \(elementLimit)")
            }
            n = product
        }
        return empty ? 0 : n
    }

    /// The exact decimal product of non-negative dimensions, which may exceed `Int`.
    static func exactProduct(_ dims: [Int]) -> String {
        let base: UInt64 = 1_000_000_000
        var limbs: [UInt64] = [1]  // little-endian, base 1e9
        for d in dims {
            var carry: UInt64 = 0
            for i in limbs.indices {
                let wide = limbs[i].multipliedFullWidth(by: UInt64(d))
                let (low, overflow) = wide.low.addingReportingOverflow(carry)
                let high = wide.high &+ (overflow ? 1 : 0)
                let (q, r) = base.dividingFullWidth((high: high, low: low))
                limbs[i] = r
                carry = q
            }
            while carry > 0 {
                limbs.append(carry % base)
                carry /= base
            }
        }
        while limbs.count > 1, limbs[limbs.count - 1] == 0 { limbs.removeLast() }
        var text = String(limbs[limbs.count - 1])
        for limb in limbs.dropLast().reversed() {
            let digits = String(limb)
            text += String(repeating: "0", count: 9 - digits.count) + digits
        }
        return text
    }

    /// Allocates a row-major buffer and lets `body` fill every element.
    @inline(__always)
    static func makeStorage(
        count: Int, _ body: (UnsafeMutableBufferPointer<Double>) -> Void
    ) -> TensorStorage {
        TensorStorage.make(count: count, body)
    }

    /// A fresh buffer with every element set to `value`.
    static func filledStorage(count: Int, _ value: Double) -> TensorStorage {
        makeStorage(count: count) { buffer in
            guard let base = buffer.baseAddress else { return }
            base.initialize(repeating: value, count: count)
        }
    }

    /// A fresh copy of `count` elements of `source` from `start`.
    static func copiedStorage(_ source: TensorStorage, start: Int, count: Int) -> TensorStorage {
        source.withUnsafeBufferPointer { src in
            makeStorage(count: count) { buffer in
                guard count > 0, let s = src.baseAddress, let d = buffer.baseAddress else { return }
                d.initialize(from: s + start, count: count)
            }
        }
    }

    /// The element count of a shape that a new tensor will have, checked as `checkedCount`
    /// does and against the memory budget, before anything is allocated.
    static func checkedAllocation(_ shape: [Int]) throws(TensorError) -> Int {
        let n = try checkedCount(shape)
        try reserve(n)
        return n
    }

    /// Throws when `count` more elements would take the live tensors past `MemoryBudget`.
    static func reserve(_ count: Int) throws(TensorError) {
        try MemoryBudget.check(count &* MemoryLayout<Double>.stride)
    }

    /// Normalizes an axis that may count from the end.
    static func normalizeAxis(_ axis: Int, rank: Int) throws(TensorError) -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0 && a < rank else { throw TensorError.axisOutOfRange(axis, rank: rank) }
        return a
    }

    /// A row-major copy that owns compact storage.
    func contiguousCopy() -> Tensor {
        contiguousCopy(stop: nil)
    }

    /// `contiguousCopy()` that Ctrl-C and the deadline can stop: a transposing copy of 2^28
    /// elements reads memory out of order for seconds. Throws when stopped.
    func stoppableContiguousCopy() throws(TensorError) -> Tensor {
        let stop = KernelStop.current(forWork: count)
        let copy = contiguousCopy(stop: stop)
        try stop?.check()
        return copy
    }

    /// A row-major copy; when `stop` is raised midway the copy is abandoned, unfinished.
    private func contiguousCopy(stop: KernelStop?) -> Tensor {
        if isContiguous && offset == 0 && count == storage.count { return self }
        if isContiguous {
            return Tensor(contiguous: Tensor.copiedStorage(storage, start: offset, count: count), shape: shape)
        }
        let loop = StridedLoop(shape: shape, strides: [Tensor.rowMajorStrides(shape), strides])
        let data = storage.withUnsafeBufferPointer { src in
            Tensor.makeStorage(count: count) { dst in
                guard count > 0, let d = dst.baseAddress, let s = src.baseAddress else { return }
                let n = loop.innerCount
                let si = loop.innerStride(1)
                var sincePoll = 0
                var abandoned = false
                loop.forEachRun2(0, offset) { o0, o1 in
                    if abandoned { return }
                    sincePoll += n
                    if sincePoll >= KernelStop.pollElements, let stop {
                        sincePoll = 0
                        abandoned = stop.isRaised
                    }
                    var j = o1
                    for i in 0..<n {
                        d[o0 + i] = s[j]
                        j += si
                    }
                }
            }
        }
        return Tensor(contiguous: data, shape: shape)
    }

    /// `contiguousCopy()`, checked against the memory budget when it copies.
    func checkedContiguousCopy() throws(TensorError) -> Tensor {
        if !(isContiguous && offset == 0 && count == storage.count) { try Tensor.reserve(count) }
        return try stoppableContiguousCopy()
    }

    /// Whether every element is non-zero and none is nan (a condition's truth), without a copy.
    public var allTrue: Bool {
        var all = true
        forEachElement { if $0 == 0 || $0.isNaN { all = false } }
        return all
    }

    /// Calls `body` with every element in row-major order.
    func forEachElement(_ body: (Double) -> Void) {
        guard count > 0 else { return }
        let loop = StridedLoop(shape: shape, strides: [strides])
        storage.withUnsafeBufferPointer { src in
            guard let s = src.baseAddress else { return }
            let n = loop.innerCount
            let si = loop.innerStride(0)
            loop.forEachRun1(offset) { o in
                var j = o
                for _ in 0..<n {
                    body(s[j])
                    j += si
                }
            }
        }
    }

    /// Runs `body` on a pointer to the row-major elements, copying only when not contiguous.
    /// Public for the benchmark, whose memory floor reads the very buffer a kernel reads.
    public func withContiguousElements<R>(_ body: (UnsafeBufferPointer<Double>) throws(TensorError) -> R) throws(TensorError) -> R {
        let source = isContiguous ? self : try checkedContiguousCopy()
        let start = source.offset
        let n = source.count
        return try source.storage.withUnsafeBufferPointer { (buffer) throws(TensorError) -> R in
            try body(UnsafeBufferPointer(rebasing: buffer[start..<(start + n)]))
        }
    }
}
