import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite struct TensorReductionTests {
    /// A random axis set, sometimes nil, with negative spellings mixed in.
    func randomAxes(_ rng: inout TestRNG, rank: Int) -> ([Int]?, Set<Int>) {
        if rng.int(0...4) == 0 { return (nil, Set(0..<rank)) }
        var axes: [Int] = []
        for a in 0..<rank where rng.bool() { axes.append(rng.bool() ? a - rank : a) }
        axes.shuffle(using: &rng)
        return (axes, Set(axes.map { $0 < 0 ? $0 + rank : $0 }))
    }

    func keptShape(_ shape: [Int], _ reduced: Set<Int>, keepdims: Bool) -> [Int] {
        shape.indices.compactMap { reduced.contains($0) ? (keepdims ? 1 : nil) : shape[$0] }
    }

    @Test func reductionsMatchNaive() throws {
        var rng = TestRNG(41)
        for trial in 0..<150 {
            let shape = rng.shape(rank: rng.int(0...4), maxDim: 5)
            let x = rng.maybeView(shape)
            let (axes, reduced) = randomAxes(&rng, rank: shape.count)
            let keepdims = rng.bool()
            let (_, groups) = referenceGroups(x, reduced: reduced)
            let expectedShape = keptShape(shape, reduced, keepdims: keepdims)
            let ops: [(ReduceOp, ([Double]) -> Double)] = [
                (.sum, { referenceSum($0) }),
                (.mean, { referenceSum($0) / Double($0.count) }),
                (.min, { $0.min() ?? .nan }),
                (.max, { $0.max() ?? .nan }),
                (.prod, { $0.reduce(1, *) }),
            ]
            let (op, f) = ops[trial % ops.count]
            let r = try x.reduce(op, axes: axes, keepdims: keepdims)
            #expect(r.shape == expectedShape)
            // Inputs are multiples of 1/250 in [-4, 4]: sums are exact to well below one ulp.
            #expect(zip(r.elements, groups.map(f)).allSatisfy { close($0, $1, ulps: 1) }, "\(op) \(shape) \(String(describing: axes))")
        }
    }

    @Test func largeReductionsCoverEveryKernelPath() throws {
        // Long runs, slabs (kept innermost axis) and mixed blocks, with values that make naive sums inexact.
        var rng = TestRNG(42)
        for shape in [[3, 1000, 7], [2000, 3], [5, 9, 64, 3], [1, 4097], [33, 17, 19]] {
            let n = shape.reduce(1, *)
            let x = try Tensor(shape: shape, elements: (0..<n).map { _ in rng.value() * 1e3 + 0.1 })
            for axes in [[0], [1], [shape.count - 1], [0, shape.count - 1], Array(0..<shape.count)] {
                let (_, groups) = referenceGroups(x, reduced: Set(axes))
                let sums = try x.reduce(.sum, axes: axes, keepdims: false).elements
                #expect(zip(sums, groups.map(referenceSum)).allSatisfy { close($0, $1, ulps: 1) })
                let variances = try x.variance(axes: axes, ddof: 1, keepdims: false).elements
                for (v, g) in zip(variances, groups) {
                    let m = referenceSum(g) / Double(g.count)
                    let expected = referenceSum(g.map { ($0 - m) * ($0 - m) }) / Double(g.count - 1)
                    #expect(close(v, expected, ulps: 8))
                }
                let maxima = try x.reduce(.max, axes: axes, keepdims: false).elements
                #expect(maxima == groups.map { $0.max() ?? .nan })
            }
        }
    }

    @Test func exactValues() throws {
        let x = try Tensor(shape: [4], elements: [1, 2, 3, 4])
        #expect(try x.variance(axes: nil, ddof: 0, keepdims: false).scalarValue == 1.25)
        #expect(try x.variance(axes: [0], ddof: 1, keepdims: false).scalarValue == 5.0 / 3)
        #expect(try x.standardDeviation(axes: nil, ddof: 0, keepdims: false).scalarValue == 1.25.squareRoot())
        let tenths = try Tensor.full([1_000_000], 0.1)
        #expect(try tenths.reduce(.mean, axes: nil, keepdims: false).scalarValue == 0.1)
        #expect(try tenths.reduce(.sum, axes: nil, keepdims: false).scalarValue == 100_000)
        // Cancellation that defeats plain summation.
        let tricky = try Tensor(shape: [4], elements: [1e16, 1, -1e16, 1])
        #expect(try tricky.reduce(.sum, axes: nil, keepdims: false).scalarValue == 2)
        // Variance with a huge offset keeps its digits (two-pass).
        let shifted = try Tensor(shape: [4], elements: [1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4])
        #expect(try shifted.variance(axes: nil, ddof: 0, keepdims: false).scalarValue == 1.25)
        #expect(try Tensor(shape: [2], elements: [3, 4]).norm(axes: nil, keepdims: false).scalarValue == 5)
        let huge = try Tensor(shape: [2], elements: [3e200, 4e200])
        #expect(close(try huge.norm(axes: nil, keepdims: false).scalarValue ?? 0, 5e200, ulps: 1))
        let tiny = try Tensor(shape: [2], elements: [3e-200, 4e-200])
        #expect(close(try tiny.norm(axes: nil, keepdims: false).scalarValue ?? 0, 5e-200, ulps: 1))
    }

    @Test("many short runs per output (kept in per-output lanes) keep every digit, inf and nan")
    func shortRunsPerOutput() throws {
        // Shape [4, 2, 20] over axes 0 and 2: 4 runs of 20 per output. ±1e16 sit in different runs
        // and lanes of output 0, so only an exact sum gives 80 − 2 + 2·1e-3·… exactly: the ones.
        var e = [Double](repeating: 1, count: 160)
        e[3] = 1e16           // run 0 of output 0, lane 3
        e[2 * 40 + 17] = -1e16  // run 2 of output 0, lane 1 of the tail
        let x = try Tensor(shape: [4, 2, 20], elements: e)
        #expect(try x.reduce(.sum, axes: [0, 2], keepdims: false).elements == [78, 80])
        #expect(try x.reduce(.mean, axes: [0, 2], keepdims: false).elements == [78.0 / 80, 1])
        // The variance keeps its digits under a large offset.
        let shifted = try Tensor(shape: [2, 1, 32], elements: (0..<64).map { 1e9 + Double($0 % 4 + 1) })
        #expect(try shifted.variance(axes: [0, 2], ddof: 0, keepdims: false).elements == [1.25])
        // inf in one run, −inf in another: nan; inf alone: inf.
        var f = [Double](repeating: 0, count: 160)
        f[5] = .infinity
        f[45] = .infinity
        f[85] = -.infinity
        let y = try Tensor(shape: [4, 2, 20], elements: f).reduce(.sum, axes: [0, 2], keepdims: false).elements
        #expect(y[0].isNaN)
        let z = try Tensor(shape: [4, 2, 20], elements: f.map { $0 == -.infinity ? 0 : $0 })
        #expect(try z.reduce(.sum, axes: [0, 2], keepdims: false).elements == [.infinity, 0])
    }

    @Test func nanInfAndEmpty() throws {
        let x = try Tensor(shape: [2, 3], elements: [1, .nan, 3, 4, 5, .infinity])
        let mx = try x.reduce(.max, axes: [1], keepdims: false).elements
        #expect(mx[0].isNaN && mx[1] == .infinity)
        let mn = try x.reduce(.min, axes: [0], keepdims: false).elements
        #expect(mn[0] == 1 && mn[1].isNaN && mn[2] == 3)
        #expect(try x.reduce(.sum, axes: [1], keepdims: false).elements[1] == .infinity)
        let both = try Tensor(shape: [2], elements: [.infinity, -.infinity])
        #expect(try both.reduce(.sum, axes: nil, keepdims: false).scalarValue?.isNaN == true)
        #expect(try x.norm(axes: [1], keepdims: false).elements[0].isNaN)
        #expect(try x.norm(axes: [1], keepdims: false).elements[1] == .infinity)

        // Long runs take the SIMD path; nan and infinities must still win correctly.
        var long = (0..<100).map { Double($0 % 17) - 8 }
        let base = try Tensor(shape: [100], elements: long)
        #expect(try base.reduce(.max, axes: nil, keepdims: false).scalarValue == 8)
        #expect(try base.reduce(.min, axes: nil, keepdims: false).scalarValue == -8)
        long[50] = -.infinity
        let withInf = try Tensor(shape: [100], elements: long)
        #expect(try withInf.reduce(.min, axes: nil, keepdims: false).scalarValue == -.infinity)
        #expect(try withInf.reduce(.max, axes: nil, keepdims: false).scalarValue == 8)
        #expect(try withInf.norm(axes: nil, keepdims: false).scalarValue == .infinity)
        long[70] = .nan
        let withNan = try Tensor(shape: [100], elements: long)
        #expect(try withNan.reduce(.min, axes: nil, keepdims: false).scalarValue?.isNaN == true)
        #expect(try withNan.reduce(.max, axes: nil, keepdims: false).scalarValue?.isNaN == true)
        #expect(try withNan.norm(axes: nil, keepdims: false).scalarValue?.isNaN == true)

        let empty = try Tensor.zeros([0, 3])
        #expect(try empty.reduce(.sum, axes: [0], keepdims: false).elements == [0, 0, 0])
        #expect(try empty.reduce(.prod, axes: nil, keepdims: true).shape == [1, 1])
        #expect(try empty.reduce(.mean, axes: nil, keepdims: false).scalarValue?.isNaN == true)
        #expect(try empty.reduce(.max, axes: [1], keepdims: false).shape == [0])
        #expect(thrownMessage { _ = try empty.reduce(.min, axes: nil, keepdims: false) } == "min of an empty tensor has no identity")
        #expect(thrownMessage { _ = try empty.reduce(.max, axes: [0], keepdims: false) } == "max of an empty tensor has no identity")
        #expect(try empty.variance(axes: [0], ddof: 0, keepdims: false).elements.allSatisfy { $0.isNaN })
        #expect(thrownMessage { _ = try empty.argReduce(.argmax, axis: nil, keepdims: false) } != nil)
        // n - ddof <= 0 divides by zero, as numpy does.
        let one = try Tensor(shape: [1], elements: [5])
        #expect(try one.variance(axes: nil, ddof: 1, keepdims: false).scalarValue?.isNaN == true)
        let pair = try Tensor(shape: [2], elements: [1, 2])
        #expect(try pair.variance(axes: nil, ddof: 3, keepdims: false).scalarValue == .infinity)
        #expect(try pair.variance(axes: nil, ddof: -1, keepdims: false).scalarValue == 0.5 / 3)
    }

    @Test func axisErrors() throws {
        let x = try Tensor.zeros([2, 3, 4, 5])
        #expect(thrownMessage { _ = try x.reduce(.sum, axes: [4], keepdims: false) } == "axis 4 is out of range for a tensor of rank 4")
        #expect(thrownMessage { _ = try x.reduce(.sum, axes: [0, 0], keepdims: false) } == "axis 0 is repeated")
        #expect(thrownMessage { _ = try x.reduce(.sum, axes: [1, -3], keepdims: false) } == "axis 1 is repeated")
        #expect(thrownMessage { _ = try x.variance(axes: [-5], ddof: 0, keepdims: false) } != nil)
        #expect(thrownMessage { _ = try x.argReduce(.argmin, axis: 9, keepdims: false) } != nil)
        #expect(try x.reduce(.sum, axes: [], keepdims: false).shape == [2, 3, 4, 5])
        #expect(try Tensor(3).reduce(.mean, axes: nil, keepdims: true).shape == [])
    }

    @Test func argReduceMatchesNumpy() throws {
        let x = try Tensor(shape: [2, 4], elements: [1, 5, 5, 0, 2, .nan, 7, .nan])
        #expect(try x.argReduce(.argmax, axis: 1, keepdims: false).elements == [1, 1])
        #expect(try x.argReduce(.argmin, axis: 1, keepdims: true).elements == [3, 1])
        #expect(try x.argReduce(.argmin, axis: 1, keepdims: true).shape == [2, 1])
        #expect(try x.argReduce(.argmax, axis: nil, keepdims: false).scalarValue == 5)
        #expect(try x.argReduce(.argmax, axis: nil, keepdims: true).shape == [1, 1])
        #expect(try x.argReduce(.argmax, axis: -2, keepdims: false).elements == [1, 1, 1, 1])
        var rng = TestRNG(43)
        for _ in 0..<40 {
            let shape = rng.shape(rank: rng.int(1...3), maxDim: 5)
            let x = rng.maybeView(shape)
            let axis = rng.int(0...(shape.count - 1))
            let (_, groups) = referenceGroups(x, reduced: [axis])
            let r = try x.argReduce(.argmax, axis: axis, keepdims: false).elements
            #expect(r == groups.map { g in Double(g.firstIndex(of: g.max() ?? 0) ?? -1) })
            let s = try x.argReduce(.argmin, axis: axis - shape.count, keepdims: false).elements
            #expect(s == groups.map { g in Double(g.firstIndex(of: g.min() ?? 0) ?? -1) })
        }
    }

    @Test func varianceStdNormMatchNaive() throws {
        var rng = TestRNG(44)
        for _ in 0..<60 {
            let shape = rng.shape(rank: rng.int(1...4), maxDim: 5)
            let x = rng.maybeView(shape)
            let (axes, reduced) = randomAxes(&rng, rank: shape.count)
            let keepdims = rng.bool()
            let ddof = rng.int(0...1)
            let (_, groups) = referenceGroups(x, reduced: reduced)
            let v = try x.variance(axes: axes, ddof: ddof, keepdims: keepdims)
            let s = try x.standardDeviation(axes: axes, ddof: ddof, keepdims: keepdims)
            let n = try x.norm(axes: axes, keepdims: keepdims)
            #expect(v.shape == keptShape(shape, reduced, keepdims: keepdims) && s.shape == v.shape && n.shape == v.shape)
            for (i, g) in groups.enumerated() {
                let m = referenceSum(g) / Double(g.count)
                let expected = referenceSum(g.map { ($0 - m) * ($0 - m) }) / Double(max(g.count - ddof, 0))
                #expect(close(v.elements[i], expected, ulps: 4, absolute: 1e-15))
                #expect(close(s.elements[i], expected.squareRoot(), ulps: 4, absolute: 1e-8))
                #expect(close(n.elements[i], referenceSum(g.map { $0 * $0 }).squareRoot(), ulps: 2))
            }
        }
    }
}
