import CKernels

/// Matrix products and whole-tensor comparisons.
extension Tensor {
    /// numpy's `matmul` for ranks 1 and 2: vector·vector is a scalar, matrix·vector a vector.
    /// Most multiply-adds one matmul may take (2^33, a few seconds).
    public static let matmulWorkLimit = 1 << 33

    public static func matmul(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor {
        try matmul(a, b, portableKernel: false)
    }

    /// Whether matrix products run the AVX2 kernel on this CPU (else the portable one; same results).
    static var matmulUsesAVX2: Bool { ck_dgemm_has_avx2() != 0 }

    /// `matmul`, optionally forcing the portable kernel so that tests reach it on any CPU.
    static func matmul(_ a: Tensor, _ b: Tensor, portableKernel: Bool) throws(TensorError) -> Tensor {
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
        if p == 1 { return try dotProducts(a, b, m: m, k: k, n: n, outShape: outShape, work: work) }
        // Rank 1 on the left is one row; the kernel reads both operands through their strides,
        // so a transposed or sliced view costs no copy.
        let (rsa, csa) = a.rank == 2 ? (a.strides[0], a.strides[1]) : (0, a.strides[0])
        let (rsb, csb) = (b.strides[0], b.strides[1])
        let stop = KernelStop.current(forWork: work)
        let parts = matmulParts(p: p, work: work)
        var status: Int32 = 0
        let data = a.storage.withUnsafeBufferPointer { sa in
            b.storage.withUnsafeBufferPointer { sb in
                makeStorage(count: n) { out in
                    guard n > 0, let o = out.baseAddress, let x = sa.baseAddress, let y = sb.baseAddress else {
                        // An empty result, or k = 0 over empty operands: zeros.
                        out.initialize(repeating: 0)
                        return
                    }
                    let context = stop.map { Unmanaged.passUnretained($0).toOpaque() }
                    let poll: ck_stop_fn? = stop == nil ? nil : { raw in
                        guard let raw else { return 0 }
                        return Unmanaged<KernelStop>.fromOpaque(raw).takeUnretainedValue().isRaised ? 1 : 0
                    }
                    // Column blocks, multiples of the kernel's 8 columns: every element is computed
                    // the same way whatever the split, so the result does not depend on it.
                    let width = ((p + parts - 1) / parts + 7) / 8 * 8
                    var codes = [Int32](repeating: 0, count: parts)
                    codes.withUnsafeMutableBufferPointer { cb in
                        Parallel.forEach(parts) { part in
                            let j0 = Swift.min(p, part * width), j1 = Swift.min(p, j0 + width)
                            guard j1 > j0 else { return }
                            cb[part] = ck_dgemm(
                                m, j1 - j0, k, x + a.offset, rsa, csa, y + b.offset + j0 * csb, rsb, csb,
                                o + j0, p, portableKernel ? 1 : 0, poll, context)
                        }
                    }
                    status = codes.max() ?? 0
                }
            }
        }
        withExtendedLifetime(stop) {}
        try stop?.check()
        if status == 2 { throw TensorError("matmul could not allocate its work space") }
        return Tensor(contiguous: data, shape: outShape)
    }

    /// Multiply-adds per column block; smaller products run on one thread. Measured on the shared
    /// 2-core machine, the training step's [60, 100] @ [100, 100] (600k) took 39–42 µs in two
    /// blocks against 32 µs in one: the hand-off costs more than the second core saves.
    static let matmulWorkPerPart = 1 << 21

    /// How many column blocks a product of `work` multiply-adds is cut into; depends only on the shapes.
    static func matmulParts(p: Int, work: Int) -> Int {
        Swift.max(1, Swift.min(Parallel.maxParts, work / matmulWorkPerPart, (p + 7) / 8))
    }

    /// Matrix·vector (p == 1): one compensated dot product per row.
    private static func dotProducts(
        _ a: Tensor, _ b: Tensor, m: Int, k: Int, n: Int, outShape: [Int], work: Int
    ) throws(TensorError) -> Tensor {
        let left = try a.checkedContiguousCopy()
        let right = try b.checkedContiguousCopy()
        let stop = KernelStop.current(forWork: work)
        let data = left.storage.withUnsafeBufferPointer { la in
            right.storage.withUnsafeBufferPointer { rb in
                makeStorage(count: n) { out in
                    guard n > 0, let o = out.baseAddress else { return }
                    o.initialize(repeating: 0, count: n)
                    guard k > 0, let x = la.baseAddress, let y = rb.baseAddress else { return }
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
