/// A reduction over some axes.
public enum ReduceOp: Sendable {
    case sum, mean, min, max, prod
}

/// The position of an extremum.
public enum ArgReduceOp: Sendable {
    case argmax, argmin
}

/// Reductions: one pass over memory per statistic, compensated sums, numpy's nan and empty rules.
extension Tensor {
    /// Reduces over `axes` (`nil` means all; negative axes count from the end).
    public func reduce(_ op: ReduceOp, axes: [Int]?, keepdims: Bool) throws(TensorError) -> Tensor {
        let flags = try reductionFlags(axes)
        let resultShape = reducedShape(flags, keepdims: keepdims)
        let plan = ReductionPlan(shape: shape, reducedAxes: flags)
        if plan.outCount == 0 { return Tensor(contiguous: [], shape: resultShape) }
        try Tensor.reserve(plan.outCount)
        if plan.reducedCount == 0 {
            switch op {
            case .sum: return try Tensor.full(resultShape, 0)
            case .prod: return try Tensor.full(resultShape, 1)
            case .mean: return try Tensor.full(resultShape, .nan)
            case .min: throw TensorError("min of an empty tensor has no identity")
            case .max: throw TensorError("max of an empty tensor has no identity")
            }
        }
        let data: [Double] = try withContiguousElements { buffer in
            guard let p = buffer.baseAddress else { return [] }
            switch op {
            case .sum:
                return Tensor.sums(p, plan: plan, term: PlainTerm.self, parameters: nil)
            case .mean:
                let n = Double(plan.reducedCount)
                return Tensor.sums(p, plan: plan, term: PlainTerm.self, parameters: nil).map { $0 / n }
            case .min:
                return Tensor.extremum(p, plan: plan, rule: MinRule.self, start: .infinity)
            case .max:
                return Tensor.extremum(p, plan: plan, rule: MaxRule.self, start: -.infinity)
            case .prod:
                return Tensor.products(p, plan: plan)
            }
        }
        try KernelStop.checkCurrent(forWork: count)
        return Tensor(contiguous: data, shape: resultShape)
    }

    /// The index of the largest or smallest element (first one on ties; nan wins) along `axis`, or over the flattened tensor.
    public func argReduce(_ op: ArgReduceOp, axis: Int?, keepdims: Bool) throws(TensorError) -> Tensor {
        let name = op == .argmax ? "argmax" : "argmin"
        let rows: Tensor
        let resultShape: [Int]
        if let axis {
            let a = try Tensor.normalizeAxis(axis, rank: rank)
            var order = Array(0..<rank)
            order.remove(at: a)
            order.append(a)
            rows = try transposed(order)
            var s = shape
            if keepdims { s[a] = 1 } else { s.remove(at: a) }
            resultShape = s
        } else {
            rows = try flattened()
            resultShape = keepdims ? [Int](repeating: 1, count: rank) : []
        }
        let length = rows.shape.last ?? 1
        let outCount = resultShape.reduce(1, *)
        if outCount == 0 { return Tensor(contiguous: [], shape: resultShape) }
        try Tensor.reserve(outCount)
        guard length > 0 else { throw TensorError("\(name) of an empty tensor is undefined") }
        let isMax = op == .argmax
        let stop = KernelStop.current(forWork: count)
        let data: [Double] = try rows.withContiguousElements { buffer in
            guard let p = buffer.baseAddress else { return [] }
            var result = [Double](repeating: 0, count: outCount)
            var sincePoll = 0
            for r in 0..<outCount {
                sincePoll += length
                if sincePoll >= KernelStop.pollElements, let stop {
                    sincePoll = 0
                    if stop.isRaised { break }
                }
                let q = p + r * length
                var best = q[0]
                var at = 0
                if !best.isNaN {
                    for i in 1..<length {
                        let v = q[i]
                        if v.isNaN {
                            at = i
                            break
                        }
                        if isMax ? v > best : v < best {
                            best = v
                            at = i
                        }
                    }
                }
                result[r] = Double(at)
            }
            return result
        }
        try stop?.check()
        return Tensor(contiguous: data, shape: resultShape)
    }

    /// Variance over `axes` with `n - ddof` in the denominator (two passes around the mean).
    public func variance(axes: [Int]?, ddof: Int, keepdims: Bool) throws(TensorError) -> Tensor {
        let flags = try reductionFlags(axes)
        let resultShape = reducedShape(flags, keepdims: keepdims)
        let (plan, _, squares) = try moments(flags)
        // numpy divides by max(n - ddof, 0), so too few values give inf or nan.
        let divisor = Swift.max(Double(plan.reducedCount) - Double(ddof), 0)
        return Tensor(contiguous: squares.map { $0 / divisor }, shape: resultShape)
    }

    /// Standard deviation: the square root of `variance`.
    public func standardDeviation(axes: [Int]?, ddof: Int, keepdims: Bool) throws(TensorError) -> Tensor {
        try Tensor.unary(.sqrt, try variance(axes: axes, ddof: ddof, keepdims: keepdims))
    }

    /// The ℓ2 norm over `axes`, scaled by a power of two so that huge or tiny values neither overflow nor underflow.
    public func norm(axes: [Int]?, keepdims: Bool) throws(TensorError) -> Tensor {
        let flags = try reductionFlags(axes)
        let resultShape = reducedShape(flags, keepdims: keepdims)
        let plan = ReductionPlan(shape: shape, reducedAxes: flags)
        if plan.outCount == 0 { return Tensor(contiguous: [], shape: resultShape) }
        try Tensor.reserve(plan.outCount)
        if plan.reducedCount == 0 { return try Tensor.full(resultShape, 0) }
        let data: [Double] = try withContiguousElements { buffer in
            guard let p = buffer.baseAddress else { return [] }
            let largest = Tensor.extremum(p, plan: plan, rule: MaxAbsRule.self, start: 0)
            // Scaling by 2^-e is exact, so the result equals the plain formula whenever that one is finite.
            let scales = largest.map { m -> Double in
                guard m.isFinite && m > 0 else { return 1 }
                return Double(sign: .plus, exponent: Swift.min(Swift.max(-m.exponent, -1000), 1000), significand: 1)
            }
            let squares = Tensor.sums(p, plan: plan, term: ScaledSquareTerm.self, parameters: scales)
            var result = [Double](repeating: 0, count: plan.outCount)
            for i in result.indices {
                let m = largest[i]
                result[i] = m.isFinite && m > 0 ? squares[i].squareRoot() / scales[i] : m
            }
            return result
        }
        try KernelStop.checkCurrent(forWork: count)
        return Tensor(contiguous: data, shape: resultShape)
    }

    // MARK: - Helpers shared with normalization

    /// Flags for the axes a reduction covers, rejecting out-of-range and repeated axes.
    func reductionFlags(_ axes: [Int]?) throws(TensorError) -> [Bool] {
        guard let axes else { return [Bool](repeating: true, count: rank) }
        var flags = [Bool](repeating: false, count: rank)
        for axis in axes {
            let a = try Tensor.normalizeAxis(axis, rank: rank)
            guard !flags[a] else { throw TensorError("axis \(a) is repeated") }
            flags[a] = true
        }
        return flags
    }

    /// The result shape: kept axes, plus size-1 axes for the reduced ones with keepdims.
    func reducedShape(_ flags: [Bool], keepdims: Bool) -> [Int] {
        var result: [Int] = []
        for axis in shape.indices {
            if !flags[axis] {
                result.append(shape[axis])
            } else if keepdims {
                result.append(1)
            }
        }
        return result
    }

    /// Per output group: the plan, the mean and the sum of squared deviations from it.
    /// `portable` forces the portable loops of the one-pass kernel (tests; the results are the same).
    func moments(_ flags: [Bool], portable: Bool = false) throws(TensorError) -> (ReductionPlan, [Double], [Double]) {
        let plan = ReductionPlan(shape: shape, reducedAxes: flags)
        if plan.outCount == 0 { return (plan, [], []) }
        // Means and squares, and the result made from them.
        try Tensor.reserve(2 * plan.outCount)
        if plan.reducedCount == 0 {
            let nan = [Double](repeating: .nan, count: plan.outCount)
            return (plan, nan, nan)
        }
        let (means, squares): ([Double], [Double]) = try withContiguousElements { buffer in
            guard let p = buffer.baseAddress else { return ([], []) }
            let n = Double(plan.reducedCount)
            // Long runs: one pass over memory. Otherwise two passes (mean, then deviations).
            if plan.runLength >= 256 { return Tensor.cachedMoments(p, plan: plan, portable: portable) }
            let means = Tensor.sums(p, plan: plan, term: PlainTerm.self, parameters: nil).map { $0 / n }
            let squares = Tensor.sums(p, plan: plan, term: CenteredSquareTerm.self, parameters: means)
            return (means, squares)
        }
        try KernelStop.checkCurrent(forWork: count)
        return (plan, means, squares)
    }

    /// Means and squared deviations in one pass with `MomentsKernel` (plans that hand out runs).
    static func cachedMoments(_ p: UnsafePointer<Double>, plan: ReductionPlan, portable: Bool) -> ([Double], [Double]) {
        let parts = plan.partCount
        let n = plan.outCount
        let chunks = plan.chunkCount
        var sums = [Double](repeating: -0.0, count: parts * n)
        var sumErrors = [Double](repeating: 0, count: parts * n)
        var squares = [Double](repeating: 0, count: parts * n)
        var squareErrors = [Double](repeating: 0, count: parts * n)
        var chunkMeans = [Double](repeating: 0, count: chunks)
        var chunkDeviations = [Double](repeating: 0, count: chunks)
        var chunkCounts = [Int](repeating: 0, count: chunks)
        var chunkOuts = [Int](repeating: 0, count: chunks)
        sums.withUnsafeMutableBufferPointer { sb in
            sumErrors.withUnsafeMutableBufferPointer { seb in
                squares.withUnsafeMutableBufferPointer { qb in
                    squareErrors.withUnsafeMutableBufferPointer { qeb in
                        chunkMeans.withUnsafeMutableBufferPointer { mb in
                            chunkDeviations.withUnsafeMutableBufferPointer { db in
                                chunkCounts.withUnsafeMutableBufferPointer { cb in
                                    chunkOuts.withUnsafeMutableBufferPointer { ob in
                                        guard let s = sb.baseAddress, let se = seb.baseAddress, let q = qb.baseAddress,
                                            let qe = qeb.baseAddress, let m = mb.baseAddress, let d = db.baseAddress,
                                            let c = cb.baseAddress, let o = ob.baseAddress
                                        else { return }
                                        var kernels = (0..<parts).map { i in
                                            let first = plan.chunks(part: i, of: parts).lowerBound
                                            return MomentsKernel(
                                                sums: s + i * n, sumErrors: se + i * n, squares: q + i * n,
                                                squareErrors: qe + i * n, chunkMeans: m + first, chunkDeviations: d + first,
                                                chunkCounts: c + first, chunkOuts: o + first, portable: portable)
                                        }
                                        plan.traverseInParts(p, &kernels)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let count = Double(plan.reducedCount)
        var means = [Double](repeating: 0, count: n)
        var totals = [Double](repeating: 0, count: n)
        var errors = [Double](repeating: 0, count: n)
        for o in 0..<n {
            var s = sums[o], c = sumErrors[o]
            var q = squares[o], qc = squareErrors[o]
            for i in 1..<Swift.max(parts, 1) {
                twoSum(&s, &c, sums[i * n + o])
                c += sumErrors[i * n + o]
                twoSum(&q, &qc, squares[i * n + o])
                qc += squareErrors[i * n + o]
            }
            means[o] = compensatedTotal(s, c) / count
            totals[o] = q
            errors[o] = qc
        }
        for k in 0..<chunks {
            let o = chunkOuts[k]
            let delta = chunkMeans[k] - means[o]
            twoSum(&totals[o], &errors[o], Double(chunkCounts[k]) * delta * delta + 2 * delta * chunkDeviations[k])
        }
        return (means, (0..<n).map { compensatedTotal(totals[$0], errors[$0]) })
    }

    /// Compensated per-output sums of `term` over a non-empty plan.
    static func sums<T: SumTerm>(
        _ p: UnsafePointer<Double>, plan: ReductionPlan, term: T.Type, parameters: [Double]?
    ) -> [Double] {
        let parts = plan.partCount
        let n = plan.outCount
        var totals = [Double](repeating: -0.0, count: parts * n)
        var errors = [Double](repeating: 0, count: parts * n)
        let parameters = parameters ?? [Double](repeating: 0, count: n)
        if LaneSumKernel<T>.suits(plan) {
            laneSums(p, plan: plan, term: T.self, parameters: parameters, totals: &totals, errors: &errors)
        } else {
            parameters.withUnsafeBufferPointer { pb in
                totals.withUnsafeMutableBufferPointer { tb in
                    errors.withUnsafeMutableBufferPointer { eb in
                        guard let pp = pb.baseAddress, let tp = tb.baseAddress, let ep = eb.baseAddress else { return }
                        var kernels = (0..<parts).map { i in SumKernel<T>(sums: tp + i * n, errors: ep + i * n, parameters: pp) }
                        plan.traverseInParts(p, &kernels)
                    }
                }
            }
        }
        return (0..<n).map { o in
            var s = totals[o], c = errors[o]
            for i in 1..<Swift.max(parts, 1) {
                twoSum(&s, &c, totals[i * n + o])
                c += errors[i * n + o]
            }
            return compensatedTotal(s, c)
        }
    }

    /// `sums` through `LaneSumKernel`: every part's lanes, added up into its totals and errors.
    private static func laneSums<T: SumTerm>(
        _ p: UnsafePointer<Double>, plan: ReductionPlan, term: T.Type, parameters: [Double],
        totals: inout [Double], errors: inout [Double]
    ) {
        let parts = plan.partCount
        let n = plan.outCount
        let width = LaneSumKernel<T>.lanesPerOutput
        var lanes = [Double](repeating: 0, count: parts * n * width)
        for i in stride(from: 0, to: lanes.count, by: width) {
            for l in 0..<16 { lanes[i + l] = -0.0 }
        }
        parameters.withUnsafeBufferPointer { pb in
            lanes.withUnsafeMutableBufferPointer { lb in
                guard let pp = pb.baseAddress, let base = lb.baseAddress else { return }
                var kernels = (0..<parts).map { i in LaneSumKernel<T>(lanes: base + i * n * width, parameters: pp) }
                plan.traverseInParts(p, &kernels)
                for (i, kernel) in kernels.enumerated() {
                    for o in 0..<n { (totals[i * n + o], errors[i * n + o]) = kernel.total(o) }
                }
            }
        }
    }

    /// Per-output extremum under `rule`, starting from `start`.
    static func extremum<R: ExtremumRule>(
        _ p: UnsafePointer<Double>, plan: ReductionPlan, rule: R.Type, start: Double
    ) -> [Double] {
        let parts = plan.partCount
        let n = plan.outCount
        var values = [Double](repeating: start, count: parts * n)
        values.withUnsafeMutableBufferPointer { v in
            guard let base = v.baseAddress else { return }
            var kernels = (0..<parts).map { i in ExtremumKernel<R>(values: base + i * n) }
            plan.traverseInParts(p, &kernels)
        }
        return (0..<n).map { o in
            var m = values[o]
            for i in 1..<Swift.max(parts, 1) where R.prefers(values[i * n + o], over: m) { m = values[i * n + o] }
            return m
        }
    }

    /// Per-output products in memory order within each part, parts multiplied in order.
    static func products(_ p: UnsafePointer<Double>, plan: ReductionPlan) -> [Double] {
        let parts = plan.partCount
        let n = plan.outCount
        var values = [Double](repeating: 1, count: parts * n)
        values.withUnsafeMutableBufferPointer { v in
            guard let base = v.baseAddress else { return }
            var kernels = (0..<parts).map { i in ProductKernel(values: base + i * n) }
            plan.traverseInParts(p, &kernels)
        }
        return (0..<n).map { o in
            var m = values[o]
            for i in 1..<Swift.max(parts, 1) { m *= values[i * n + o] }
            return m
        }
    }
}
