import CKernels
import Testing
@testable import BNLabTensor

/// The C loops of the moments and normalising passes: AVX2 and portable give the same bits, and
/// batch normalisation equals a plain reference loop written here.
@Suite struct NormalizationKernelTests {
    /// Plain two-pass batch normalisation over every axis but 1, in row-major order: the mean and
    /// biased variance summed in `Double` with Kahan compensation, then (x − μ)·(γ/σ) + β.
    static func reference(_ x: Tensor, gamma: [Double], beta: [Double], eps: Double) -> [Double] {
        let e = x.elements, shape = x.shape
        let c = shape[1], inner = shape[2...].reduce(1, *), outer = shape[0]
        var out = [Double](repeating: 0, count: e.count)
        for ch in 0..<c {
            func indices() -> [Int] { (0..<outer).flatMap { n in (0..<inner).map { (n * c + ch) * inner + $0 } } }
            func kahan(_ values: [Double]) -> Double {
                var s = 0.0, comp = 0.0
                for v in values {
                    let y = v - comp, t = s + y
                    comp = (t - s) - y
                    s = t
                }
                return s
            }
            let idx = indices()
            let m = kahan(idx.map { e[$0] }) / Double(idx.count)
            let v = kahan(idx.map { (e[$0] - m) * (e[$0] - m) }) / Double(idx.count)
            let scale = gamma[ch] / (v + eps).squareRoot()
            for i in idx { out[i] = (e[i] - m) * scale + beta[ch] }
        }
        return out
    }

    @Test("AVX2 and portable loops agree bit for bit, and both match the reference loop",
          arguments: [[2, 3, 300], [3, 2, 17, 19], [4, 5, 1000], [1, 2, 4099], [2, 3, 8, 8], [5, 3, 7]])
    func pathsAgree(shape: [Int]) throws {
        var rng = TestRNG(UInt64(shape.reduce(7, *)))
        // A large offset in one channel exercises the biased sums' exactness checks.
        var e = rng.tensor(shape).elements
        for i in e.indices where (i / shape[2...].reduce(1, *)) % shape[1] == 1 { e[i] += 1e6 }
        let x = try Tensor(shape: shape, elements: e)
        let gamma = rng.tensor([shape[1]]), beta = rng.tensor([shape[1]])
        let fast = try x.channelBatchNormalized(channelAxis: 1, gamma: gamma, beta: beta, eps: 1e-5, portable: false)
        let portable = try x.channelBatchNormalized(channelAxis: 1, gamma: gamma, beta: beta, eps: 1e-5, portable: true)
        #expect(fast.elements.map(\.bitPattern) == portable.elements.map(\.bitPattern))
        let expected = Self.reference(x, gamma: gamma.elements, beta: beta.elements, eps: 1e-5)
        for (got, want) in zip(fast.elements, expected) {
            #expect(abs(got - want) <= 1e-12 * max(1, abs(want)), "\(got) vs \(want)")
        }
    }

    @Test("the C moment loops give the same lanes with and without AVX2, for every length")
    func momentLanesAgree() {
        var rng = TestRNG(91)
        let data = (0..<700).map { _ in rng.value() * 1000 + 3 }
        data.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            for n in [0, 8, 16, 24, 128, 144, 696] {
                guard n % 16 == 0 else { continue }
                for bias in [0x1p30, 0x1p52] {
                    var a = [Double](repeating: 0, count: 24), b = a
                    ck_fused_moments(base + 1, n, bias, 500, 128, &a, 0)
                    ck_fused_moments(base + 1, n, bias, 500, 128, &b, 1)
                    #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
                    // The biased lanes less the bias, plus their errors, are Σx; the squares' lanes Σ(x − 500)².
                    let values = (0..<n).map { base[1 + $0] }
                    let sum = a[0..<8].map { $0 - bias }.reduce(0, +) + a[8..<16].reduce(0, +)
                    #expect(abs(sum - values.reduce(0, +)) <= 1e-9 * max(values.map(abs).reduce(0, +), 1))
                    let squares = values.map { ($0 - 500) * ($0 - 500) }.reduce(0, +)
                    #expect(abs(a[16..<24].reduce(0, +) - squares) <= 1e-12 * max(squares, 1))
                }
                for term in Int32(0)...2 {
                    var a = [Double](repeating: 0, count: 32), b = a
                    ck_two_sum(base + 5, n, term, 0.75, &a, 0)
                    ck_two_sum(base + 5, n, term, 0.75, &b, 1)
                    #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
                    // Lanes plus errors hold the sum of the terms (here within roundings of a plain sum).
                    let terms = (0..<n).map { i -> Double in
                        let x = base[5 + i]
                        return term == 0 ? x : term == 1 ? (x - 0.75) * (x - 0.75) : (x * 0.75) * (x * 0.75)
                    }
                    let total = a.reduce(0, +), plain = terms.reduce(0, +)
                    #expect(abs(total - plain) <= 1e-12 * max(terms.map(abs).reduce(0, +), 1))
                }
                var a = [Double](repeating: 0, count: 12), b = a
                ck_deviations(base + 3, n, 2.5, 128, &a, 0)
                ck_deviations(base + 3, n, 2.5, 128, &b, 1)
                #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
                // The lanes hold Σ(x − m)² and Σ(x − m) to within roundings of a plain sum.
                let dev = (0..<n).map { base[3 + $0] - 2.5 }
                let q = a[0..<4].reduce(0, +) + a[4..<8].reduce(0, +)
                #expect(abs(q - dev.map { $0 * $0 }.reduce(0, +)) <= 1e-9 * max(q, 1))
                #expect(abs(a[8..<12].reduce(0, +) - dev.reduce(0, +)) <= 1e-6)
            }
        }
    }

    /// The compensated sum as the kernels define it, written out one element at a time: element i
    /// goes by TwoSum into lane i mod 16 (lanes 0–7 and 8–15 are `ck_two_sum`'s s0 and s1); the
    /// lanes are halved 16 → 8 → 4 → 2 with TwoSum, the last two joined by TwoSum into a fresh
    /// error, to which each halving's errors (summed in lane order) and the lanes' own errors
    /// (c0[l] + c1[l] in lane order) are added; the tail past the last 16 follows by TwoSum.
    static func laneSum(_ terms: [Double]) -> (sum: Double, error: Double) {
        func twoSum(_ s: inout Double, _ c: inout Double, _ x: Double) {
            let t = s + x, bb = t - s
            c += (s - (t - bb)) + (x - bb)
            s = t
        }
        let vectorEnd = terms.count / 16 * 16
        var lanes = [Double](repeating: -0.0, count: 16), laneErrors = [Double](repeating: 0, count: 16)
        for i in 0..<vectorEnd { twoSum(&lanes[i % 16], &laneErrors[i % 16], terms[i]) }
        var level = lanes
        var halvingErrors: [Double] = []
        for width in [8, 4, 2] {
            var errors = -0.0
            var next: [Double] = []
            for l in 0..<width {
                let a = level[l], b = level[l + width]
                let t = a + b, bb = t - a
                next.append(t)
                errors += (a - (t - bb)) + (b - bb)
            }
            halvingErrors.append(errors)
            level = next
        }
        var s = level[0], c = 0.0
        twoSum(&s, &c, level[1])
        c = ((c + halvingErrors[0]) + halvingErrors[1]) + halvingErrors[2]
        var own = -0.0
        for l in 0..<8 { own += laneErrors[l] + laneErrors[8 + l] }
        c += own
        for i in vectorEnd..<terms.count { twoSum(&s, &c, terms[i]) }
        return (s, c)
    }

    @Test("ck_run_sum is the lane sum written out here, bit for bit, with AVX2 and without")
    func runSumMatchesLaneSum() {
        var rng = TestRNG(17)
        // Values of mixed sizes and signs, so that every rounding error and every order shows.
        let data = (0..<600).map { i in rng.value() * (i % 3 == 0 ? 1e12 : 1) + (i % 7 == 0 ? -3e8 : 0) }
        data.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            for n in [16, 31, 32, 33, 47, 48, 100, 255, 593] {
                for term in Int32(0)...2 {
                    let terms = (0..<n).map { i -> Double in
                        let x = base[2 + i]
                        return term == 0 ? x : term == 1 ? (x - 0.75) * (x - 0.75) : (x * 0.75) * (x * 0.75)
                    }
                    let want = Self.laneSum(terms)
                    for portable in Int32(0)...1 {
                        var got = [0.0, 0.0]
                        ck_run_sum(base + 2, n, term, 0.75, &got, portable)
                        #expect(got[0].bitPattern == want.sum.bitPattern, "n \(n) term \(term) portable \(portable)")
                        #expect(got[1].bitPattern == want.error.bitPattern, "n \(n) term \(term) portable \(portable)")
                    }
                }
            }
        }
        // Cancellation the lanes must survive: 1e16 and −1e16 in different lanes around small terms.
        var cancel = [Double](repeating: 1, count: 40)
        cancel[0] = 1e16
        cancel[9] = -1e16
        var got = [0.0, 0.0]
        ck_run_sum(cancel, 40, 0, 0, &got, 0)
        #expect(got[0] + got[1] == 38)
    }

    @Test("ck_lanes_add puts element i of a run in lane i mod 16, the tail in lanes 0…, with AVX2 and without")
    func lanesAddMatchesReference() {
        var rng = TestRNG(23)
        let data = (0..<400).map { i in rng.value() * (i % 5 == 0 ? 1e10 : 1) }
        func twoSum(_ s: inout Double, _ c: inout Double, _ x: Double) {
            let t = s + x, bb = t - s
            c += (s - (t - bb)) + (x - bb)
            s = t
        }
        data.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            // Runs of several lengths, one after another into the same lanes.
            let runs = [(0, 20), (20, 7), (27, 48), (75, 16), (91, 3), (94, 37)]
            for term in Int32(0)...2 {
                var sums = [Double](repeating: -0.0, count: 16), errors = [Double](repeating: 0, count: 16)
                for (start, n) in runs {
                    let whole = n / 16 * 16
                    for i in 0..<n {
                        let x = base[start + i]
                        let t = term == 0 ? x : term == 1 ? (x - 0.5) * (x - 0.5) : (x * 0.5) * (x * 0.5)
                        let lane = i < whole ? i % 16 : i - whole
                        twoSum(&sums[lane], &errors[lane], t)
                    }
                }
                let want = sums + errors
                for portable in Int32(0)...1 {
                    var got = [Double](repeating: -0.0, count: 16) + [Double](repeating: 0, count: 16)
                    for (start, n) in runs { ck_lanes_add(base + start, n, term, 0.5, &got, portable) }
                    #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "term \(term) portable \(portable)")
                }
                // The total halves the lanes as ck_run_sum does: the same as laneSum of the lanes' values.
                var total = [0.0, 0.0]
                ck_lanes_total(want, &total)
                var one = [0.0, 0.0]
                let fresh = (0..<16).map { l in want[l] }
                ck_run_sum(fresh, 16, 0, 0, &one, 1)
                #expect(abs((total[0] + total[1]) - (one[0] + one[1] + want[16...].reduce(0, +))) <= 1e-6 * abs(one[0]))
            }
        }
    }

    // MARK: The moments pass's run, in Swift (the code `ck_moments_run` replaced)

    /// The bias and center: 8 lanes of sums and largest magnitudes over the first 64 elements.
    static func swiftBias(_ p: UnsafePointer<Double>, count n: Int) -> (bias: Double, center: Double) {
        var largest = 0.0, total = 0.0
        let samples: Int
        if n >= 64 {
            samples = 64
            var sums = SIMD8<Double>(), magnitudes = SIMD8<Double>()
            for k in stride(from: 0, to: 64, by: 8) {
                let v = load8(p + k)
                sums += v
                let a = v.replacing(with: -v, where: v .< 0)
                magnitudes.replace(with: a, where: a .> magnitudes)
            }
            largest = magnitudes.max()
            total = sums.sum()
        } else {
            samples = n
            for i in 0..<n {
                largest = Swift.max(largest, Swift.abs(p[i]))
                total += p[i]
            }
        }
        guard largest >= 0x1p-300 && largest <= 0x1p900 else { return (0, 0) }
        return (Double(sign: .plus, exponent: largest.exponent + 21, significand: 1), total / Double(samples))
    }

    /// The whole fast path of a run: (s, c, m, q, qc, d), or nil when the run needs TwoSum.
    static func swiftRun(_ p: UnsafePointer<Double>, count n: Int, portable: Bool) -> [Double]? {
        let (bias, k) = swiftBias(p, count: n)
        guard bias > 0 else { return nil }
        let vectorEnd = n & ~15
        var lanes = [Double](repeating: 0, count: 24)
        ck_fused_moments(p, vectorEnd, bias, k, MomentsKernel.blockElements, &lanes, portable ? 1 : 0)
        let b4 = SIMD4<Double>(repeating: bias)
        let l = (0..<6).map { i in SIMD4<Double>(lanes[4 * i], lanes[4 * i + 1], lanes[4 * i + 2], lanes[4 * i + 3]) }
        var (s, c) = lanesTotal(SIMD8(lowHalf: l[0] - b4, highHalf: l[1] - b4), SIMD8())
        c += (l[2] + l[3]).sum()
        var (total, error) = lanesTotal(SIMD8(lowHalf: l[4], highHalf: SIMD4()), SIMD8())
        error += l[5].sum()
        for j in vectorEnd..<n {
            twoSum(&s, &c, p[j])
            let e = p[j] - k
            twoSum(&total, &error, e * e)
        }
        let count = Double(n)
        let m = compensatedTotal(s, c) / count
        func minusProduct(_ v: Double) -> Double {
            let product = count * v
            let low = (-product).addingProduct(count, v)
            return (s - product) + (c - low)
        }
        let delta = m - k
        let shift = 2 * delta * minusProduct(k) - count * delta * delta
        var q, qc, d: Double
        if total.isFinite, shift.isFinite, Swift.abs(shift) <= total / 8 {
            (q, qc, d) = (total, error - shift, minusProduct(m))
        } else {
            (q, qc, d) = MomentsKernel.deviations(p, count: n, mean: m, portable: portable)
        }
        let lane = Double((n + 7) / 8)
        let bound = (lane * (q + qc)).squareRoot() + lane * Swift.abs(m) + 0x1p-400
        guard 8 * bound <= bias else { return nil }
        return [s, c, m, q, qc, d]
    }

    @Test("ck_moments_run is the Swift run written out here, bit for bit, on every kind of run")
    func momentsRunMatchesSwift() {
        var rng = TestRNG(29)
        var cases: [[Double]] = []
        for n in [0, 1, 5, 15, 16, 17, 63, 64, 65, 100, 128, 255, 1000, 4096] {
            cases.append((0..<n).map { _ in rng.value() })                                     // noise around 0
            cases.append((0..<n).map { _ in 1e6 + rng.value() })                               // a large offset
            cases.append((0..<n).map { i in Double(i) * 0.001 })                               // a trend: identity refused
            cases.append((0..<n).map { i in i < 64 ? 1000 : rng.value() })                     // outliers first
            cases.append((0..<n).map { i in i == n - 1 ? 1e9 : rng.value() + 1 })              // outlier last: bias fails
            cases.append((0..<n).map { i in i == n / 2 ? .nan : rng.value() })                 // nan
            cases.append((0..<n).map { i in i == 3 ? .infinity : rng.value() })                // inf among the first
            cases.append((0..<n).map { _ in rng.value() * 1e-310 })                            // subnormal: no bias
            cases.append([Double](repeating: 0, count: n))                                     // zeros
        }
        // First elements shifted so that the identity cancels near an eighth of Σ(x − K)², on both sides.
        for shift in stride(from: 0.30, through: 0.70, by: 0.02) {
            cases.append((0..<1000).map { i in (i % 2 == 0 ? 1.0 : -1.0) + (i < 64 ? shift : 0) })
        }
        for (index, values) in cases.enumerated() {
            values.withUnsafeBufferPointer { buffer in
                let p = buffer.baseAddress ?? UnsafePointer(bitPattern: 8)!
                for portable in [false, true] {
                    let want = Self.swiftRun(p, count: values.count, portable: portable)
                    var got = [Double](repeating: 0, count: 6)
                    let held = ck_moments_run(p, values.count, MomentsKernel.blockElements, portable ? 1 : 0, &got)
                    #expect((held == 1) == (want != nil), "case \(index) (n \(values.count))")
                    if let want, held == 1 {
                        #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "case \(index) (n \(values.count))")
                    }
                }
            }
        }
    }

    @Test("moments stay accurate when the first elements (which choose bias and center) mislead, and with a large offset")
    func momentsWithOutliersAndOffsets() throws {
        let n = 4096
        func check(_ e: [Double], _ what: String) throws {
            let x = try Tensor(shape: [1, 1, e.count], elements: e)
            let (mean, variance) = try x.channelMoments(channelAxis: 1)
            let m = e.reduce(0, +) / Double(e.count)
            let v = e.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(e.count)
            #expect(abs(mean.elements[0] - m) <= 1e-13 * abs(m), "\(what)")
            #expect(abs(variance.elements[0] - v) <= 1e-13 * v, "\(what)")
        }
        // The first 64 all outliers: a bias far too large for the rest, a center far from the mean.
        try check((0..<n).map { i in i < 64 ? 1000 : Double(i % 7) * 0.25 }, "outliers first")
        // Small first elements, a huge one later: the bias is too small and the run is summed again.
        try check((0..<n).map { i in i == 3000 ? 1e9 : Double(i % 7) * 0.25 + 1 }, "outlier late")
        // A trend: the first elements' mean is far from the run's, so the squares are summed again.
        try check((0..<n).map { i in Double(i) * 0.001 }, "trend")
        // A large offset: the exact biased sum, then the squared deviations from the cached run.
        let near = (0..<n).map { i in 5e7 + Double((i * 37) % 101) - 50 }
        let y = try Tensor(shape: [1, 1, n], elements: near)
        let (mean2, variance2) = try y.channelMoments(channelAxis: 1)
        let m2 = near.map { $0 - 5e7 }.reduce(0, +) / Double(n) + 5e7
        let v2 = near.map { ($0 - m2) * ($0 - m2) }.reduce(0, +) / Double(n)
        #expect(abs(mean2.elements[0] - m2) <= 1e-15 * m2)
        #expect(abs(variance2.elements[0] - v2) <= 1e-12 * v2)
    }

    @Test("streaming stores write every element, from an unaligned start, as cached stores do")
    func streamingMatchesCached() {
        let n = 1000
        let x = (0..<(n + 1)).map { Double($0) * 0.37 - 50 }
        for start in 0..<4 {
            var streamed = [Double](repeating: .nan, count: n + 4), cached = streamed, portable = streamed
            x.withUnsafeBufferPointer { xp in
                guard let xb = xp.baseAddress else { return }
                streamed.withUnsafeMutableBufferPointer { ck_affine_run(xb, $0.baseAddress! + start, n - start, 1.5, 0.25, -2, 1, 0) }
                cached.withUnsafeMutableBufferPointer { ck_affine_run(xb, $0.baseAddress! + start, n - start, 1.5, 0.25, -2, 0, 0) }
                portable.withUnsafeMutableBufferPointer { ck_affine_run(xb, $0.baseAddress! + start, n - start, 1.5, 0.25, -2, 0, 1) }
            }
            ck_store_fence()
            for i in 0..<(n - start) {
                let want = (x[i] - 1.5) * 0.25 + -2
                #expect(streamed[start + i] == want && cached[start + i] == want && portable[start + i] == want)
            }
            #expect(streamed[n].isNaN && streamed[n + 3].isNaN)
        }
    }

    @Test("a result past the streaming threshold equals the same data normalised in pieces below it")
    func largeResultStreams() throws {
        let plane = Tensor.streamingElements / 2 + 5
        let x = try Tensor(shape: [1, 2, plane], elements: (0..<(2 * plane)).map { Double($0 % 1013) * 0.5 - Double($0 / plane) })
        #expect(x.count >= Tensor.streamingElements)
        let y = try x.channelBatchNormalized(channelAxis: 1, gamma: Tensor(1), beta: Tensor(0), eps: 1e-5)
        // Each channel alone is below the threshold (cached stores) and has the same statistics.
        for ch in 0..<2 {
            let alone = try Tensor(shape: [1, 1, plane], elements: Array(x.elements[(ch * plane)..<((ch + 1) * plane)]))
            let z = try alone.channelBatchNormalized(channelAxis: 1, gamma: Tensor(1), beta: Tensor(0), eps: 1e-5)
            #expect(Array(y.elements[(ch * plane)..<((ch + 1) * plane)]) == z.elements)
        }
    }
}
