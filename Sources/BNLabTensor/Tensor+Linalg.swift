/// Matrix products and whole-tensor comparisons.
extension Tensor {
    /// numpy's `matmul` for ranks 1 and 2: vector·vector is a scalar, matrix·vector a vector.
    /// Most multiply-adds one matmul may take (2^33, a few seconds).
    public static let matmulWorkLimit = 1 << 33

    public static func matmul(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor {
        guard (1...2).contains(a.rank), (1...2).contains(b.rank) else {
            throw TensorError(
                "matmul needs tensors of rank 1 or 2, got shapes \(formatShape(a.shape)) and \(formatShape(b.shape))")
        }
        // Promote vectors to matrices as numpy does, then drop the added axes.
        let m = a.rank == 2 ? a.shape[0] : 1
        let k = a.shape[a.rank - 1]
        let kb = b.rank == 2 ? b.shape[0] : b.shape[0]
        let p = b.rank == 2 ? b.shape[1] : 1
        guard k == kb else {
            throw TensorError(
                "matmul shapes \(formatShape(a.shape)) and \(formatShape(b.shape)) do not align: \(k) is not \(kb)")
        }
        // The work, not just the result, must stay bounded: [16384, 16384] @ [16384, 16384] fits
        // the size limit yet would run for hours without a chance to stop it.
        let (mk, o1) = m.multipliedReportingOverflow(by: k)
        let (work, o2) = mk.multipliedReportingOverflow(by: p)
        if o1 || o2 || work > matmulWorkLimit {
            throw TensorError("matmul of shapes \(formatShape(a.shape)) and \(formatShape(b.shape)) needs \(m) × \(k) × \(p) "
                + "multiply-adds, more than the limit of \(matmulWorkLimit)")
        }
        var outShape: [Int] = []
        if a.rank == 2 { outShape.append(m) }
        if b.rank == 2 { outShape.append(p) }
        let n = try checkedAllocation(outShape)
        let left = try a.checkedContiguousCopy()
        let right = try b.checkedContiguousCopy()
        let stop = KernelStop.current(forWork: work)
        let data = left.storage.withUnsafeBufferPointer { la in
            right.storage.withUnsafeBufferPointer { rb in
                makeStorage(count: n) { out in
                    guard n > 0, let o = out.baseAddress else { return }
                    o.initialize(repeating: 0, count: n)
                    guard k > 0, let x = la.baseAddress, let y = rb.baseAddress else { return }
                    if p == 1 {
                        // Dot products: each a compensated sum.
                        // A vector may be 2^28 long, so the poll counts work, not rows.
                        var sincePoll = 0
                        for i in 0..<m {
                            var s = -0.0, c = 0.0
                            let row = x + i * k
                            var t0 = 0
                            while t0 < k {
                                let t1 = Swift.min(t0 + KernelStop.pollElements, k)
                                for t in t0..<t1 { twoSum(&s, &c, row[t] * y[t]) }
                                sincePoll += t1 - t0
                                t0 = t1
                                if sincePoll >= KernelStop.pollElements, let stop {
                                    sincePoll = 0
                                    if stop.isRaised { return }
                                }
                            }
                            o[i] = compensatedTotal(s, c)
                        }
                        return
                    }
                    // i-k-j order keeps the innermost loop contiguous in both y and the output.
                    // A row is k × p multiply-adds: a poll per row is far outside the inner loop.
                    for i in 0..<m {
                        if let stop, stop.isRaised { return }
                        let orow = o + i * p
                        for t in 0..<k {
                            let v = x[i * k + t]
                            let yrow = y + t * p
                            for j in 0..<p { orow[j] += v * yrow[j] }
                        }
                    }
                }
            }
        }
        try stop?.check()
        return Tensor(contiguous: data, shape: outShape)
    }

    /// numpy's `allclose`: |a - b| <= atol + rtol * |b| everywhere after broadcasting; nan is never close, equal infinities are.
    public static func allclose(_ a: Tensor, _ b: Tensor, rtol: Double, atol: Double) throws(TensorError) -> Bool {
        let close = try zip(a, b) { x, y in
            if x.isFinite && y.isFinite { return Swift.abs(x - y) <= atol + rtol * Swift.abs(y) ? 1 : 0 }
            return x == y ? 1 : 0
        }
        var all = true
        close.forEachElement { if $0 == 0 { all = false } }
        return all
    }

    /// Same shape and equal elements (nan is unequal to everything).
    public static func arrayEqual(_ a: Tensor, _ b: Tensor) -> Bool {
        guard a.shape == b.shape else { return false }
        // Compared in place: `elements` would copy both, possibly 2 GiB each.
        if a.isContiguous && b.isContiguous {
            return a.storage.withUnsafeBufferPointer { x in
                b.storage.withUnsafeBufferPointer { y in
                    for i in 0..<a.count where x[a.offset + i] != y[b.offset + i] { return false }
                    return true
                }
            }
        }
        let y = b.elements
        var equal = true
        var i = 0
        a.forEachElement { v in
            if v != y[i] { equal = false }
            i += 1
        }
        return equal
    }
}
