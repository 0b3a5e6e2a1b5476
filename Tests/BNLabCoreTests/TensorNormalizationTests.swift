import Testing
@testable import BNLabCore
@testable import BNLabTensor

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

    /// Channels long enough for the one-pass kernel (runs of H·W = 4096): its biased Fast2Sum
    /// chunks and its TwoSum fallback (outliers, tiny values, no usable sample) must both match
    /// an accurate two-pass reference, mean and variance alike.
    @Test func largeChannelMomentsMatchTwoPassReference() throws {
        var rng = TestRNG(54)
        // Full 53-bit values in [-1, 1): every rounding in a naive sum shows.
        func noise() -> Double { Double(Int64(bitPattern: rng.next()) >> 11) * 0x1p-52 }
        let (batch, channels, plane) = (3, 8, 4096)
        var e = [Double](repeating: 0, count: batch * channels * plane)
        for i in e.indices {
            let run = i / plane
            let z = noise()
            switch run % channels {
            case 0: e[i] = 1e6 + z  // large offset: the variance must keep its digits
            case 1: e[i] = 1e-3 * z  // mean near zero: the sum cancels
            case 2: e[i] = i % 1000 == 7 ? 1e12 * z : z  // outliers away from the sampled positions
            case 3: e[i] = run / channels == 1 ? 1e-200 * z : z  // one tiny run among ordinary ones
            case 4: e[i] = i % plane < 2048 ? 0 : 5 + z  // zeros where the bias is sampled first
            case 5: e[i] = -1e9 + 1e-3 * z  // tiny spread on a huge offset
            case 6: e[i] = (i % 3 == 0 ? -1 : 1) * 1e150 * (1 + z)  // squares near overflow
            default:
                // +1e30 and -1e30 in the same lane of every run: unless the bias check sends these
                // runs to TwoSum, the bias and everything before the pair is lost.
                e[i] = i % plane == 1001 ? 1e30 : i % plane == 3009 ? -1e30 : z
            }
        }
        let x = try Tensor(shape: [batch, channels, 64, 64], elements: e)
        let (mean, variance) = try x.channelMoments(channelAxis: 1)
        let (_, groups) = referenceGroups(x, reduced: [0, 2, 3])
        for (c, g) in groups.enumerated() {
            let m = referenceSum(g) / Double(g.count)
            let v = referenceSum(g.map { ($0 - m) * ($0 - m) }) / Double(g.count)
            // After the cancelling pair of channel 7 no compensated sum is within one rounding: there
            // the check is only that nothing was lost (a lost bias would be off by about 256).
            #expect(close(mean.elements[c], m, ulps: 1, absolute: c == 7 ? 1e-15 : 0), "channel \(c) mean \(mean.elements[c]) vs \(m)")
            #expect(close(variance.elements[c], v, ulps: 4), "channel \(c) variance \(variance.elements[c]) vs \(v)")
        }
        // The same values in another memory order (channels last: the two-pass kernels) agree.
        let last = try x.transposed([0, 2, 3, 1]).contiguousCopy()
        let (mean2, variance2) = try last.channelMoments(channelAxis: 3)
        for c in 0..<channels {
            #expect(close(mean2.elements[c], mean.elements[c], ulps: 2, absolute: c == 7 ? 1e-15 : 0))
            #expect(close(variance2.elements[c], variance.elements[c], ulps: 4))
        }
        // nan and infinities in a long run: nan mean and variance, or infinite mean and nan variance.
        var special = e
        special[5 * plane + 100] = .nan  // batch 0, channel 5
        special[(channels + 0) * plane + 4000] = .infinity  // batch 1, channel 0
        let y = try Tensor(shape: [batch, channels, 64, 64], elements: special)
        let (meanY, varianceY) = try y.channelMoments(channelAxis: 1)
        #expect(meanY.elements[5].isNaN && varianceY.elements[5].isNaN)
        #expect(meanY.elements[0] == .infinity && varianceY.elements[0].isNaN)
        #expect(meanY.elements[1] == mean.elements[1] && varianceY.elements[1] == variance.elements[1])
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
                // One scale per channel, γ/σ, so no element is divided (PyTorch's CPU kernel folds the same way).
                let scale = gamma.elements[ch] / (variance.elements[ch] + 1e-5).squareRoot()
                let expected = (e[flat] - mean.elements[ch]) * scale + beta.elements[ch]
                #expect(y.elements[flat] == expected)
                // And within a few roundings of the textbook order, which divides every element.
                let textbook = (e[flat] - mean.elements[ch]) / (variance.elements[ch] + 1e-5).squareRoot()
                    * gamma.elements[ch] + beta.elements[ch]
                #expect(abs(y.elements[flat] - textbook) <= 4 * Double.ulpOfOne * max(abs(textbook), abs(beta.elements[ch])) + 1e-300)
            }
            // Scalar gamma and beta.
            let z = try x.channelAffineNormalized(channelAxis: 1, mean: mean, variance: variance, gamma: Tensor(2), beta: Tensor(-1), eps: 1e-3)
            for flat in stride(from: 0, to: x.count, by: 7) {
                let ch = unravel(flat, shape)[1]
                #expect(z.elements[flat] == (e[flat] - mean.elements[ch]) * (2 / (variance.elements[ch] + 1e-3).squareRoot()) - 1)
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
