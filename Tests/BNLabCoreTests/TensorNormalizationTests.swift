import Testing
@testable import BNLabCore

@Suite struct TensorNormalizationTests {
    @Test func channelMomentsMatchNaive() throws {
        var rng = TestRNG(51)
        for shape in [[4, 3], [2, 3, 5], [3, 2, 4, 4], [1, 5, 1, 1], [6, 1], [2, 3, 4100]] {
            let x = rng.maybeView(shape)
            for axis in [1, -1, 0] {
                let c = (axis + shape.count) % shape.count
                let (mean, variance) = try x.channelMoments(channelAxis: axis)
                #expect(mean.shape == [shape[c]] && variance.shape == [shape[c]])
                let reduced = Set((0..<shape.count).filter { $0 != c })
                let (_, groups) = referenceGroups(x, reduced: reduced)
                for (i, g) in groups.enumerated() {
                    let m = referenceSum(g) / Double(g.count)
                    #expect(close(mean.elements[i], m, ulps: 1))
                    let v = referenceSum(g.map { ($0 - m) * ($0 - m) }) / Double(g.count)
                    #expect(close(variance.elements[i], v, ulps: 4, absolute: 1e-15))
                }
            }
        }
        #expect(thrownMessage { _ = try Tensor(1).channelMoments(channelAxis: 0) } == "axis 0 is out of range for a tensor of rank 0")
        let exact = try Tensor(shape: [4, 1], elements: [1, 2, 3, 4]).channelMoments(channelAxis: 1)
        #expect(exact.mean.elements == [2.5] && exact.variance.elements == [1.25])
    }

    @Test func affineNormalizationIsTheFormulaBitForBit() throws {
        var rng = TestRNG(52)
        for shape in [[4, 3], [2, 3, 5], [3, 3, 4, 4], [2, 3, 1000]] {
            let x = rng.maybeView(shape)
            let c = shape[1]
            let (mean, variance) = try x.channelMoments(channelAxis: 1)
            let gamma = rng.tensor([c])
            let beta = rng.tensor([c])
            let y = try x.channelAffineNormalized(channelAxis: 1, mean: mean, variance: variance, gamma: gamma, beta: beta, eps: 1e-5)
            #expect(y.shape == shape)
            let e = x.elements
            for flat in 0..<x.count {
                let ch = unravel(flat, shape)[1]
                let expected = (e[flat] - mean.elements[ch]) / (variance.elements[ch] + 1e-5).squareRoot()
                    * gamma.elements[ch] + beta.elements[ch]
                #expect(y.elements[flat] == expected)
            }
            // Scalar gamma and beta.
            let z = try x.channelAffineNormalized(channelAxis: 1, mean: mean, variance: variance, gamma: Tensor(2), beta: Tensor(-1), eps: 1e-3)
            for flat in stride(from: 0, to: x.count, by: 7) {
                let ch = unravel(flat, shape)[1]
                #expect(z.elements[flat] == (e[flat] - mean.elements[ch]) / (variance.elements[ch] + 1e-3).squareRoot() * 2 - 1)
            }
        }
        let x = try Tensor.zeros([2, 3])
        let three = try Tensor.zeros([3])
        #expect(thrownMessage {
            _ = try x.channelAffineNormalized(channelAxis: 1, mean: three, variance: three, gamma: try Tensor.zeros([4]), beta: three, eps: 1e-5)
        } == "gamma needs 1 or 3 values (one per channel), got shape [4]")
        #expect(thrownMessage {
            _ = try x.channelAffineNormalized(channelAxis: 1, mean: Tensor(0), variance: three, gamma: three, beta: three, eps: 1e-5)
        } == "mean needs 3 values (one per channel), got shape []")
        #expect(thrownMessage {
            _ = try x.channelAffineNormalized(channelAxis: 2, mean: three, variance: three, gamma: three, beta: three, eps: 1e-5)
        } == "axis 2 is out of range for a tensor of rank 2")
    }

    @Test func standardizedMatchesNaive() throws {
        var rng = TestRNG(53)
        for (shape, axes) in [([4, 3], [1]), ([2, 3, 5], [1, 2]), ([2, 4, 3, 3], [2, 3]), ([3, 4], [0, 1]), ([2, 6, 5], [0, -1])] {
            let x = rng.maybeView(shape)
            let y = try x.standardized(axes: axes, eps: 1e-5)
            let reduced = Set(axes.map { $0 < 0 ? $0 + shape.count : $0 })
            let kept = (0..<shape.count).filter { !reduced.contains($0) }
            let (outShape, groups) = referenceGroups(x, reduced: reduced)
            let means = groups.map { referenceSum($0) / Double($0.count) }
            let vars = groups.enumerated().map { i, g in referenceSum(g.map { ($0 - means[i]) * ($0 - means[i]) }) / Double(g.count) }
            let e = x.elements
            for flat in 0..<x.count {
                let idx = unravel(flat, shape)
                let group = ravel(kept.map { idx[$0] }, outShape)
                let expected = (e[flat] - means[group]) / (vars[group] + 1e-5).squareRoot()
                #expect(close(y.elements[flat], expected, ulps: 8, absolute: 1e-14))
            }
        }
    }
}
