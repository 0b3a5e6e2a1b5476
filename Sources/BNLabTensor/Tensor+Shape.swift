/// Views that change how the elements are seen: reshape, transpose, flatten.
extension Tensor {
    /// The same elements in a new shape (one `-1` is inferred); a view unless the layout forbids it.
    public func reshaped(_ dims: [Int]) throws(TensorError) -> Tensor {
        let target = try resolveReshape(dims)
        if target == shape { return self }
        if isContiguous {
            return Tensor(storage: storage, shape: target, strides: Tensor.rowMajorStrides(target), offset: offset)
        }
        if let viewStrides = Tensor.stridesWithoutCopy(shape: shape, strides: strides, target: target) {
            return Tensor(storage: storage, shape: target, strides: viewStrides, offset: offset)
        }
        return Tensor(contiguous: try checkedContiguousCopy().storage, shape: target)
    }

    private func resolveReshape(_ dims: [Int]) throws(TensorError) -> [Int] {
        let failure = TensorError("cannot reshape a tensor of size \(count) into shape \(formatShape(dims))")
        if dims.count > Tensor.rankLimit {
            throw TensorError("a tensor of rank \(dims.count) exceeds the rank limit of \(Tensor.rankLimit)")
        }
        var unknown: Int? = nil
        var known = 1
        for (i, d) in dims.enumerated() {
            if d == -1 {
                guard unknown == nil else { throw TensorError("reshape allows only one -1, got shape \(formatShape(dims))") }
                unknown = i
            } else if d < 0 {
                throw TensorError("negative dimension \(d) in shape \(formatShape(dims))")
            } else {
                let (p, overflow) = known.multipliedReportingOverflow(by: d)
                guard !overflow else { throw failure }
                known = p
            }
        }
        var target = dims
        if let u = unknown {
            guard known > 0, count % known == 0 else { throw failure }
            target[u] = count / known
        } else if known != count {
            throw failure
        }
        _ = try Tensor.checkedCount(target)
        return target
    }

    /// numpy's no-copy reshape: strides for `target` over the same memory, or nil if none exist.
    static func stridesWithoutCopy(shape: [Int], strides: [Int], target: [Int]) -> [Int]? {
        var oldDims: [Int] = []
        var oldStrides: [Int] = []
        for i in shape.indices where shape[i] != 1 {
            oldDims.append(shape[i])
            oldStrides.append(strides[i])
        }
        if oldDims.contains(0) { return nil }
        var newStrides = [Int](repeating: 0, count: target.count)
        var oi = 0, oj = 1, ni = 0, nj = 1
        while ni < target.count && oi < oldDims.count {
            var np = target[ni]
            var op = oldDims[oi]
            while np != op {
                if np < op {
                    guard nj < target.count else { return nil }
                    np *= target[nj]
                    nj += 1
                } else {
                    guard oj < oldDims.count else { return nil }
                    op *= oldDims[oj]
                    oj += 1
                }
            }
            for ok in oi..<(oj - 1) where oldStrides[ok] != oldDims[ok + 1] * oldStrides[ok + 1] {
                return nil
            }
            newStrides[nj - 1] = oldStrides[oj - 1]
            var nk = nj - 1
            while nk > ni {
                newStrides[nk - 1] = newStrides[nk] * target[nk]
                nk -= 1
            }
            ni = nj
            nj += 1
            oi = oj
            oj += 1
        }
        let last = ni > 0 ? newStrides[ni - 1] : 1
        for nk in ni..<target.count { newStrides[nk] = last }
        return newStrides
    }

    /// The axes permuted (`nil` reverses them; negative axes count from the end); always a view.
    public func transposed(_ axes: [Int]?) throws(TensorError) -> Tensor {
        let order: [Int]
        if let axes {
            guard axes.count == rank else {
                throw TensorError("transpose needs \(rank) axes for a tensor of rank \(rank), got \(axes.count)")
            }
            var seen = [Bool](repeating: false, count: rank)
            var normalized: [Int] = []
            for axis in axes {
                let a = try Tensor.normalizeAxis(axis, rank: rank)
                guard !seen[a] else { throw TensorError("axis \(a) is repeated") }
                seen[a] = true
                normalized.append(a)
            }
            order = normalized
        } else {
            order = Array((0..<rank).reversed())
        }
        return Tensor(storage: storage, shape: order.map { shape[$0] }, strides: order.map { strides[$0] }, offset: offset)
    }

    /// The elements as a rank-1 tensor (a view when contiguous).
    public func flattened() throws(TensorError) -> Tensor {
        if isContiguous {
            return Tensor(storage: storage, shape: [count], strides: [1], offset: offset)
        }
        return Tensor(contiguous: try checkedContiguousCopy().storage, shape: [count])
    }
}
