@testable import BNLabCore
@testable import BNLabTensor

/// A tiny deterministic generator for test inputs (SplitMix64), independent of the engine's.
struct TestRNG {
    var state: UInt64

    init(_ seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// Values with a few exact repeats and sign changes, in roughly [-4, 4].
    mutating func value() -> Double {
        Double(Int(next() % 2001) - 1000) / 250
    }

    mutating func bool() -> Bool { next() & 1 == 1 }

    mutating func shape(rank: Int, maxDim: Int) -> [Int] {
        (0..<rank).map { _ in int(1...maxDim) }
    }

    mutating func tensor(_ shape: [Int]) -> Tensor {
        let n = shape.reduce(1, *)
        return try! Tensor(shape: shape, elements: (0..<n).map { _ in value() })
    }

    /// A tensor of `shape` that is sometimes a non-contiguous view (transpose or strided slice).
    mutating func maybeView(_ shape: [Int]) -> Tensor {
        switch int(0...2) {
        case 0:
            return tensor(shape)
        case 1:
            // Build the reversed shape and transpose it back.
            let base = tensor(shape.reversed())
            return try! base.transposed(nil)
        default:
            // Every other element along the last axis, from a wider tensor.
            guard var wide = Optional(shape), !shape.isEmpty else { return tensor(shape) }
            wide[wide.count - 1] = shape[shape.count - 1] * 2
            let base = tensor(wide)
            var index = [TensorIndex](repeating: .range(start: nil, stop: nil, step: nil), count: shape.count)
            index[shape.count - 1] = .range(start: 1, stop: nil, step: 2)
            return try! base.indexed(index)
        }
    }
}

/// Row-major strides for a shape, for reference loops.
func referenceStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var step = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[i] = step
        step *= shape[i]
    }
    return strides
}

/// The multi-index of a row-major position.
func unravel(_ flat: Int, _ shape: [Int]) -> [Int] {
    var rest = flat
    var index = [Int](repeating: 0, count: shape.count)
    for i in stride(from: shape.count - 1, through: 0, by: -1) where shape[i] > 0 {
        index[i] = rest % shape[i]
        rest /= shape[i]
    }
    return index
}

/// The row-major position of a multi-index.
func ravel(_ index: [Int], _ shape: [Int]) -> Int {
    zip(index, referenceStrides(shape)).reduce(0) { $0 + $1.0 * $1.1 }
}

/// Naive numpy broadcasting of one binary function, element by element.
func referenceBinary(_ a: Tensor, _ b: Tensor, _ f: (Double, Double) -> Double) -> (shape: [Int], values: [Double]) {
    let r = max(a.rank, b.rank)
    let sa = [Int](repeating: 1, count: r - a.rank) + a.shape
    let sb = [Int](repeating: 1, count: r - b.rank) + b.shape
    let shape = zip(sa, sb).map { max($0, $1) }
    let ea = a.elements, eb = b.elements
    let n = shape.reduce(1, *)
    var values: [Double] = []
    for flat in 0..<n {
        let idx = unravel(flat, shape)
        let ia = zip(idx, sa).map { $1 == 1 ? 0 : $0 }
        let ib = zip(idx, sb).map { $1 == 1 ? 0 : $0 }
        values.append(f(ea[ravel(ia, sa)], eb[ravel(ib, sb)]))
    }
    return (shape, values)
}

/// Groups the elements by their kept-axes index: one list per output, in row-major order.
func referenceGroups(_ t: Tensor, reduced: Set<Int>) -> (outShape: [Int], groups: [[Double]]) {
    let kept = (0..<t.rank).filter { !reduced.contains($0) }
    let outShape = kept.map { t.shape[$0] }
    var groups = [[Double]](repeating: [], count: outShape.reduce(1, *))
    let e = t.elements
    for flat in 0..<t.count {
        let idx = unravel(flat, t.shape)
        groups[ravel(kept.map { idx[$0] }, outShape)].append(e[flat])
    }
    return (outShape, groups)
}

/// Exact-enough reference sum: sorted by magnitude, accumulated in Float80-free TwoSum.
func referenceSum(_ xs: [Double]) -> Double {
    var s = 0.0, c = 0.0
    for x in xs {
        let t = s + x
        let bb = t - s
        c += (s - (t - bb)) + (x - bb)
        s = t
    }
    return s + c
}

/// Same bits, or both nan.
func sameValue(_ a: Double, _ b: Double) -> Bool {
    (a.isNaN && b.isNaN) || a == b
}

/// Within `ulps` units in the last place (relative to the larger magnitude), or both nan.
func close(_ a: Double, _ b: Double, ulps: Double = 4, absolute: Double = 0) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a == b { return true }
    return Swift.abs(a - b) <= ulps * Swift.max(Swift.abs(a), Swift.abs(b)).ulp + absolute
}

/// The message of the `TensorError` the body throws, or nil when it does not throw.
func thrownMessage(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as TensorError {
        return error.message
    } catch {
        return "unexpected error type: \(error)"
    }
}
