import CKernels

/// What a `ReductionPlan` walk calls for each stretch of memory.
protocol ReductionKernel {
    /// `count` neighbours at `p` that all belong to output `out`; `position` is their row-major offset.
    mutating func run(_ p: UnsafePointer<Double>, count: Int, out: Int, position: Int)
    /// `rows` rows of `cols` neighbours at `p`, rows `stride` apart; column `j` belongs to output `out + j`.
    mutating func slab(_ p: UnsafePointer<Double>, rows: Int, cols: Int, stride: Int, out: Int, position: Int)
    /// Called once at the end of a part's walk, on the thread that walked it.
    mutating func finishPart()
}

extension ReductionKernel {
    mutating func finishPart() {}
}

@inline(__always)
func load8(_ p: UnsafePointer<Double>) -> SIMD8<Double> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self)
}

@inline(__always)
func store8(_ v: SIMD8<Double>, _ p: UnsafeMutablePointer<Double>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Double>.self)
}

/// Knuth's TwoSum: adds `x` to `s`, keeping the rounding error in `c`.
@inline(__always)
func twoSum(_ s: inout Double, _ c: inout Double, _ x: Double) {
    let t = s + x
    let bb = t - s
    c += (s - (t - bb)) + (x - bb)
    s = t
}

@inline(__always)
func twoSum8(_ s: UnsafeMutablePointer<Double>, _ c: UnsafeMutablePointer<Double>, _ x: SIMD8<Double>) {
    let a = load8(s)
    let t = a + x
    let bb = t - a
    store8(load8(c) + ((a - (t - bb)) + (x - bb)), c)
    store8(t, s)
}

/// The compensated total: the error term only when the sum is finite (inf - inf makes it nan).
@inline(__always)
func compensatedTotal(_ s: Double, _ c: Double) -> Double {
    s.isFinite && c != 0 ? s + c : s
}

/// The value each element adds to a sum, given its output's parameter.
protocol SumTerm {
    /// The term's number in `ck_two_sum` (`CK_TERM_…`).
    static var code: Int32 { get }
    static func term(_ x: Double, _ p: Double) -> Double
    static func term(_ x: SIMD8<Double>, _ p: SIMD8<Double>) -> SIMD8<Double>
}

/// `x`: plain sums.
enum PlainTerm: SumTerm {
    static var code: Int32 { 0 }
    @inline(__always) static func term(_ x: Double, _ p: Double) -> Double { x }
    @inline(__always) static func term(_ x: SIMD8<Double>, _ p: SIMD8<Double>) -> SIMD8<Double> { x }
}

/// `(x - p)^2`: squared deviations from a mean.
enum CenteredSquareTerm: SumTerm {
    static var code: Int32 { 1 }
    @inline(__always) static func term(_ x: Double, _ p: Double) -> Double {
        let d = x - p
        return d * d
    }
    @inline(__always) static func term(_ x: SIMD8<Double>, _ p: SIMD8<Double>) -> SIMD8<Double> {
        let d = x - p
        return d * d
    }
}

/// `(x * p)^2`: squares after an exact power-of-two scaling.
enum ScaledSquareTerm: SumTerm {
    static var code: Int32 { 2 }
    @inline(__always) static func term(_ x: Double, _ p: Double) -> Double {
        let d = x * p
        return d * d
    }
    @inline(__always) static func term(_ x: SIMD8<Double>, _ p: SIMD8<Double>) -> SIMD8<Double> {
        let d = x * p
        return d * d
    }
}

/// Accurate sums: every addition is compensated (TwoSum), in 16 SIMD lanes along runs and
/// per column across row groups, so the result is within about one rounding of the exact sum.
struct SumKernel<T: SumTerm>: ReductionKernel {
    let sums: UnsafeMutablePointer<Double>
    let errors: UnsafeMutablePointer<Double>
    let parameters: UnsafePointer<Double>

    mutating func run(_ p: UnsafePointer<Double>, count n: Int, out: Int, position: Int) {
        let pv = parameters[out]
        let (s, c) = SumKernel.runSum(p, count: n, parameter: pv)
        var total = sums[out]
        var error = errors[out]
        twoSum(&total, &error, s)
        sums[out] = total
        errors[out] = error + c
    }

    /// The compensated sum of a run as (sum, error): 16 lanes each running TwoSum, in
    /// `ck_two_sum` (AVX2 when the CPU has it; the portable loop has the same lanes and bits).
    @inline(__always)
    static func runSum(_ p: UnsafePointer<Double>, count n: Int, parameter pv: Double) -> (Double, Double) {
        if n < 32 {
            // One TwoSum chain: for fewer than 16 elements the lanes below would stay -0 and add up
            // to (-0, 0), so this is their result exactly; up to 32 it is as accurate (both keep
            // every rounding error) and cheaper than setting up and reducing 16 lanes per run.
            var s = -0.0, c = 0.0
            for j in 0..<n { twoSum(&s, &c, T.term(p[j], pv)) }
            return (s, c)
        }
        return longRunSum(p, count: n, parameter: pv)
    }

    /// `runSum` of 32 elements or more, in one C call (`ck_run_sum`): the 16 lanes, their
    /// reduction by halving (as `lanesTotal`) and the tail; apart, so that short runs do not pay
    /// for its stack frame.
    @inline(never)
    static func longRunSum(_ p: UnsafePointer<Double>, count n: Int, parameter pv: Double) -> (Double, Double) {
        var result = SIMD2<Double>()
        withUnsafeMutableBytes(of: &result) { raw in
            guard let out = raw.baseAddress?.assumingMemoryBound(to: Double.self) else { return }
            ck_run_sum(p, n, T.code, pv, out, 0)
        }
        return (result[0], result[1])
    }

    /// Every row is added with TwoSum, a tile of columns at a time so the sums stay in L1.
    mutating func slab(_ p: UnsafePointer<Double>, rows: Int, cols: Int, stride: Int, out: Int, position: Int) {
        var j0 = 0
        while j0 < cols {
            let width = Swift.min(256, cols - j0)
            let s = sums + out + j0
            let c = errors + out + j0
            let pr = parameters + out + j0
            for r in 0..<rows {
                let q = p + r * stride + j0
                var j = 0
                while j + 8 <= width {
                    twoSum8(s + j, c + j, T.term(load8(q + j), load8(pr + j)))
                    j += 8
                }
                while j < width {
                    twoSum(&s[j], &c[j], T.term(q[j], pr[j]))
                    j += 1
                }
            }
            j0 += width
        }
    }
}

/// Accurate sums of many short runs per output: each output keeps 16 TwoSum lanes (element i
/// of a run in lane i mod 16, `ck_lanes_add`) that are added up once at the end, instead of
/// reducing 16 lanes for every run. Used only when the plan hands out runs.
struct LaneSumKernel<T: SumTerm>: ReductionKernel {
    /// 32 doubles per output: 16 lane sums from -0, then their 16 errors from 0.
    let lanes: UnsafeMutablePointer<Double>
    let parameters: UnsafePointer<Double>

    /// Doubles of lane state per output.
    static var lanesPerOutput: Int { 32 }

    /// Whether `plan` suits this kernel: short runs, several per output, and few enough outputs
    /// that every output's lanes stay in cache (and small next to the input).
    static func suits(_ plan: ReductionPlan) -> Bool {
        let run = plan.runLength
        return run > 0 && run <= 256 && plan.reducedCount >= 2 * run && plan.outCount <= 2048
    }

    mutating func run(_ p: UnsafePointer<Double>, count n: Int, out: Int, position: Int) {
        ck_lanes_add(p, n, T.code, parameters[out], lanes + out * Self.lanesPerOutput, 0)
    }

    mutating func slab(_ p: UnsafePointer<Double>, rows: Int, cols: Int, stride: Int, out: Int, position: Int) {
        // Never handed slabs: `suits` asks for runs.
    }

    /// Output `out`'s total as (sum, error).
    func total(_ out: Int) -> (Double, Double) {
        var result = SIMD2<Double>()
        withUnsafeMutableBytes(of: &result) { raw in
            guard let r = raw.baseAddress?.assumingMemoryBound(to: Double.self) else { return }
            ck_lanes_total(lanes + out * Self.lanesPerOutput, r)
        }
        return (result[0], result[1])
    }
}

/// Which element an extremum keeps; nan always wins, as in numpy.
protocol ExtremumRule {
    static func key(_ x: Double) -> Double
    static func prefers(_ v: Double, over m: Double) -> Bool
    /// Lane-wise best of keys, by comparisons as `prefers` (`pointwiseMin`/`pointwiseMax` are calls,
    /// not instructions, in this build); nan handling is left to the caller.
    static func best(_ m: SIMD8<Double>, _ x: SIMD8<Double>) -> SIMD8<Double>
}

enum MinRule: ExtremumRule {
    @inline(__always) static func key(_ x: Double) -> Double { x }
    @inline(__always) static func prefers(_ v: Double, over m: Double) -> Bool { v < m || v.isNaN }
    @inline(__always) static func best(_ m: SIMD8<Double>, _ x: SIMD8<Double>) -> SIMD8<Double> {
        m.replacing(with: x, where: x .< m)
    }
}

enum MaxRule: ExtremumRule {
    @inline(__always) static func key(_ x: Double) -> Double { x }
    @inline(__always) static func prefers(_ v: Double, over m: Double) -> Bool { v > m || v.isNaN }
    @inline(__always) static func best(_ m: SIMD8<Double>, _ x: SIMD8<Double>) -> SIMD8<Double> {
        m.replacing(with: x, where: x .> m)
    }
}

enum MaxAbsRule: ExtremumRule {
    @inline(__always) static func key(_ x: Double) -> Double { Swift.abs(x) }
    @inline(__always) static func prefers(_ v: Double, over m: Double) -> Bool { v > m || v.isNaN }
    @inline(__always) static func best(_ m: SIMD8<Double>, _ x: SIMD8<Double>) -> SIMD8<Double> {
        let a = x.replacing(with: -x, where: x .< 0)
        return m.replacing(with: a, where: a .> m)
    }
}

/// Minimum, maximum or largest magnitude; `values` starts at the rule's identity.
struct ExtremumKernel<R: ExtremumRule>: ReductionKernel {
    let values: UnsafeMutablePointer<Double>

    mutating func run(_ p: UnsafePointer<Double>, count n: Int, out: Int, position: Int) {
        var m = values[out]
        var i = 0
        if n >= 16 && !m.isNaN {
            // Lanes keep the best key; a separate sum notices nan (x - x is nan only for nan and inf,
            // and inf is then checked by the scalar rule below).
            var b0 = SIMD8<Double>(repeating: m), b1 = b0
            var z0 = SIMD8<Double>(), z1 = SIMD8<Double>()
            while i + 16 <= n {
                let x0 = load8(p + i), x1 = load8(p + i + 8)
                b0 = R.best(b0, x0)
                b1 = R.best(b1, x1)
                z0 += x0 - x0
                z1 += x1 - x1
                i += 16
            }
            if (z0 + z1).sum().isNaN {
                // A nan or an infinity was seen: redo this stretch with the exact scalar rule.
                i = 0
            } else {
                for lane in 0..<8 {
                    if R.prefers(b0[lane], over: m) { m = b0[lane] }
                    if R.prefers(b1[lane], over: m) { m = b1[lane] }
                }
            }
        }
        while i < n {
            let v = R.key(p[i])
            if R.prefers(v, over: m) { m = v }
            i += 1
        }
        values[out] = m
    }

    mutating func slab(_ p: UnsafePointer<Double>, rows: Int, cols: Int, stride: Int, out: Int, position: Int) {
        let o = values + out
        for r in 0..<rows {
            let q = p + r * stride
            for j in 0..<cols {
                let v = R.key(q[j])
                if R.prefers(v, over: o[j]) { o[j] = v }
            }
        }
    }
}

/// Products in memory order; `values` starts at 1.
struct ProductKernel: ReductionKernel {
    let values: UnsafeMutablePointer<Double>

    mutating func run(_ p: UnsafePointer<Double>, count n: Int, out: Int, position: Int) {
        var m = values[out]
        for i in 0..<n { m *= p[i] }
        values[out] = m
    }

    mutating func slab(_ p: UnsafePointer<Double>, rows: Int, cols: Int, stride: Int, out: Int, position: Int) {
        let o = values + out
        for r in 0..<rows {
            let q = p + r * stride
            for j in 0..<cols { o[j] *= q[j] }
        }
    }
}

/// Writes `(x - mean) · scale + beta` per output group (`scale` = γ/σ, so no element is divided),
/// in `ck_affine_run`/`ck_affine_slab`: AVX2 when the CPU has it, streaming stores when asked.
struct NormalizeKernel: ReductionKernel {
    let result: UnsafeMutablePointer<Double>
    let means: UnsafePointer<Double>
    let scales: UnsafePointer<Double>
    let betas: UnsafePointer<Double>
    /// Non-temporal stores: for results far larger than the caches, which nothing reads soon.
    let streaming: Bool
    /// Forces the portable loops (tests); the AVX2 ones give the same bits.
    let portable: Bool

    mutating func run(_ p: UnsafePointer<Double>, count n: Int, out: Int, position: Int) {
        ck_affine_run(p, result + position, n, means[out], scales[out], betas[out], streaming ? 1 : 0, portable ? 1 : 0)
    }

    /// Streaming stores are fenced once per part, not once per run.
    mutating func finishPart() {
        if streaming { ck_store_fence() }
    }

    mutating func slab(_ p: UnsafePointer<Double>, rows: Int, cols: Int, stride: Int, out: Int, position: Int) {
        ck_affine_slab(
            p, result + position, rows, cols, stride, means + out, scales + out, betas + out, streaming ? 1 : 0,
            portable ? 1 : 0)
    }
}

/// One pass over memory for mean and squared deviations: each chunk (at most
/// `ReductionPlan.chunkElements`, so it stays in cache) is summed, then its squared
/// deviations from its own mean are summed while still cached. The caller joins chunks
/// with the exact identity Σ(x - m)² = Σ_k [Q_k + n_k (m_k - m)² + 2 (m_k - m) D_k],
/// where D_k = Σ(x - m_k) absorbs the rounding of each chunk mean m_k.
/// Only used when the plan hands out runs.
struct MomentsKernel: ReductionKernel {
    let sums: UnsafeMutablePointer<Double>
    let sumErrors: UnsafeMutablePointer<Double>
    let squares: UnsafeMutablePointer<Double>
    let squareErrors: UnsafeMutablePointer<Double>
    /// Per chunk, in walk order from this part's first chunk: mean, D, count and output.
    let chunkMeans: UnsafeMutablePointer<Double>
    let chunkDeviations: UnsafeMutablePointer<Double>
    let chunkCounts: UnsafeMutablePointer<Int>
    let chunkOuts: UnsafeMutablePointer<Int>
    /// Forces the portable loops (tests); the AVX2 ones give the same bits.
    let portable: Bool
    var recorded = 0

    mutating func run(_ p: UnsafePointer<Double>, count n: Int, out: Int, position: Int) {
        // The exact biased sum and the squares in one read, all of it in C (`ck_moments_run`, the
        // steps below): per run of a few thousand elements, the Swift version's bookkeeping cost a
        // sixth of the pass.
        var result = (SIMD4<Double>(), SIMD2<Double>())
        let exact = withUnsafeMutableBytes(of: &result) { raw -> Bool in
            guard let r = raw.baseAddress?.assumingMemoryBound(to: Double.self) else { return false }
            return ck_moments_run(p, n, MomentsKernel.blockElements, portable ? 1 : 0, r) == 1
        }
        var (s, c, m) = (result.0[0], result.0[1], result.0[2])
        var (q, qc, d) = (result.0[3], result.1[0], result.1[1])
        if !exact {
            // Outliers, tiny or huge values, inf or nan: TwoSum on every element instead.
            (s, c) = SumKernel<PlainTerm>.runSum(p, count: n, parameter: 0)
            m = compensatedTotal(s, c) / Double(n)
            (q, qc, d) = MomentsKernel.deviations(p, count: n, mean: m, portable: portable)
        }
        twoSum(&sums[out], &sumErrors[out], s)
        sumErrors[out] += c
        twoSum(&squares[out], &squareErrors[out], q)
        squareErrors[out] += qc
        chunkMeans[recorded] = m
        chunkDeviations[recorded] = d
        chunkCounts[recorded] = n
        chunkOuts[recorded] = out
        recorded += 1
    }

    mutating func slab(_ p: UnsafePointer<Double>, rows: Int, cols: Int, stride: Int, out: Int, position: Int) {
        // Never handed slabs: `Tensor.moments` uses two passes for those plans.
    }

    // MARK: Exact sums with a bias
    //
    // Fast2Sum (t = s + x, error x - (t - s)) is exact whenever |s| >= |x|, and costs half of
    // TwoSum. Each of 8 lanes therefore starts at a power of two B far above the data: while
    // every |x| and every partial sum of the lane stays below B/4, the lane's sum stays in
    // [B/2, 2B], every step is exact, and the lane's total is (s - B) + error with s - B exact
    // (Sterbenz). The condition is checked afterwards from quantities the deviation pass
    // computes anyway: for any m, a lane's Σ|x| <= sqrt(L Σ(x - m)²) + L |m| (Cauchy–Schwarz,
    // L elements per lane). When the check fails the chunk is summed again with TwoSum, so
    // the result is always an exact-to-about-one-rounding sum and depends only on the data.
    //
    // B is 2²¹ times the largest magnitude among the run's first 64 elements, rounded up to a
    // power of two (none when those are zero, tiny, huge or not finite); the squares are taken
    // around their mean K and turned into Σ(x − m)² by the exact identity
    // Σ(x − m)² = Σ(x − K)² − 2δ Σ(x − K) + n δ², δ = m − K, unless that cancels more than an
    // eighth of Σ(x − K)², when the deviations are summed again from the cached run. The first
    // elements rather than a spread sample: memory delivers them first and the loop reads them
    // first, so looking at them costs no trip to memory (a spread of 64 cost a third of the
    // pass). All of it is `ck_moments_run`; `NormalizationKernelTests.swiftRun` is the same
    // steps in Swift, which the C must match bit for bit.

    /// Elements per block of the deviation pass: 8 lanes, each adding 8 pairs of squares.
    static let blockElements = 128

    /// (Σ(x - m)² as sum and error, Σ(x - m)) over a cached chunk.
    ///
    /// The squares are non-negative, so plain sums lose no digits to cancellation: each
    /// block of `blockElements` is summed in 8 lanes, two squares at a time, and the
    /// block's lanes are then added to a compensated (TwoSum) total. A square goes
    /// through at most 9 roundings on its way into that total, so with the roundings of
    /// x - m and of the square the result is within (14 + O(n u)) u of Σ(x - m)²
    /// relative (u = 2⁻⁵³) whatever n is: about one rounding in practice, and no Kahan
    /// step per element. Σ(x - m) only corrects the chunk mean (see the type's summary),
    /// where its error is scaled by the tiny m_k - m, so it is a plain sum.
    /// The vector part runs in `ck_deviations` (AVX2 when the CPU has it), the tail here.
    @inline(__always)
    static func deviations(_ p: UnsafePointer<Double>, count n: Int, mean m: Double, portable: Bool) -> (Double, Double, Double) {
        let vectorEnd = n & ~15
        var lanes = (SIMD8<Double>(), SIMD4<Double>())
        withUnsafeMutableBytes(of: &lanes) { raw in
            guard let out = raw.baseAddress?.assumingMemoryBound(to: Double.self) else { return }
            ck_deviations(p, vectorEnd, m, blockElements, out, portable ? 1 : 0)
        }
        let s = lanes.0.lowHalf, c = lanes.0.highHalf, d = lanes.1
        var (total, error) = lanesTotal(SIMD8(lowHalf: s, highHalf: SIMD4()), SIMD8())
        error += c.sum()
        var dev = d.sum()
        var j = vectorEnd
        while j < n {
            let e = p[j] - m
            dev += e
            twoSum(&total, &error, e * e)
            j += 1
        }
        return (total, error, dev)
    }
}

/// Adds 16 lanes with TwoSum by halving (s0 + s1, then 8 → 4 → 2 → 1 lanes), returning (sum, error).
@inline(__always)
func lanesTotal(_ s0: SIMD8<Double>, _ s1: SIMD8<Double>) -> (Double, Double) {
    func twoSumLanes<V: SIMD>(_ a: V, _ b: V) -> (V, V) where V.Scalar == Double {
        let t = a + b
        let bb = t - a
        return (t, (a - (t - bb)) + (b - bb))
    }
    let (t8, e8) = twoSumLanes(s0, s1)
    let (t4, e4) = twoSumLanes(t8.lowHalf, t8.highHalf)
    let (t2, e2) = twoSumLanes(t4.lowHalf, t4.highHalf)
    var s = t2[0]
    var c = 0.0
    twoSum(&s, &c, t2[1])
    return (s, c + e8.sum() + e4.sum() + e2.sum())
}
