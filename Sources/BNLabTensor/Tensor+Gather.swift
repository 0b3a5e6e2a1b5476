/// numpy's integer-array indexing along one axis (`x[idx]`, `x[:, idx]`): a gather, its
/// backward (a scatter that adds, so repeated positions accumulate) and assignment through it.
extension Tensor {
    /// The positions, each checked to lie in `0..<size` (the caller has resolved negatives).
    private static func checkPositions(_ positions: [Int], size: Int, axis: Int) throws(TensorError) {
        for k in positions where k < 0 || k >= size {
            throw TensorError("index \(k) is out of range for axis \(axis) with size \(size)")
        }
    }

    /// The sizes before `axis`, at it, and after it, as products.
    private func around(_ axis: Int) -> (outer: Int, size: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// Along `axis`, the slices at `positions`, laid out in `indexShape` in place of the axis:
    /// shape `shape[..<axis] + indexShape + shape[(axis+1)...]`. Each slice is one copy of a run.
    public func gathered(axis: Int, positions: [Int], indexShape: [Int]) throws(TensorError) -> Tensor {
        guard axis >= 0 && axis < rank else { throw TensorError("too many indices for a tensor of rank \(rank)") }
        let (outer, size, inner) = around(axis)
        try Tensor.checkPositions(positions, size: size, axis: axis)
        let outShape = Array(shape[..<axis]) + indexShape + Array(shape[(axis + 1)...])
        let n = try Tensor.checkedAllocation(outShape)
        let m = positions.count
        guard n > 0 else { return Tensor(contiguous: [], shape: outShape) }
        let source = isContiguous ? self : try checkedContiguousCopy()
        let start = source.offset
        let data = source.storage.withUnsafeBufferPointer { src in
            positions.withUnsafeBufferPointer { pb in
                Tensor.makeStorage(count: n) { out in
                    guard let s = src.baseAddress, let o = out.baseAddress, let p = pb.baseAddress else { return }
                    var d = o
                    for block in 0..<outer {
                        let base = s + start + block * size * inner
                        for j in 0..<m {
                            d.initialize(from: base + p[j] * inner, count: inner)
                            d += inner
                        }
                    }
                }
            }
        }
        return Tensor(contiguous: data, shape: outShape)
    }

    /// The backward of `gathered`: `g` (the gather's shape) added into zeros of `shape` at the
    /// positions it came from; a position taken twice receives both gradients.
    public static func scatterAdded(_ g: Tensor, axis: Int, positions: [Int], into shape: [Int]) throws(TensorError) -> Tensor {
        let outer = shape[..<axis].reduce(1, *), size = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
        try checkPositions(positions, size: size, axis: axis)
        let n = try checkedAllocation(shape)
        let m = positions.count
        let source = g.isContiguous ? g : try g.checkedContiguousCopy()
        let start = source.offset
        let data = source.storage.withUnsafeBufferPointer { src in
            positions.withUnsafeBufferPointer { pb in
                Tensor.makeStorage(count: n) { out in
                    guard let o = out.baseAddress else { return }
                    o.initialize(repeating: 0, count: n)
                    guard let s = src.baseAddress, let p = pb.baseAddress, m > 0 else { return }
                    var from = s + start
                    for block in 0..<outer {
                        let base = o + block * size * inner
                        for j in 0..<m {
                            let row = base + p[j] * inner
                            for i in 0..<inner { row[i] += from[i] }
                            from += inner
                        }
                    }
                }
            }
        }
        return Tensor(contiguous: data, shape: shape)
    }

    /// numpy's `x[..., idx, ...] = value`: `basic` is the subscript with a full slice at entry
    /// `item`, where the integer tensor stood; `axis` is that axis in the view `basic` selects.
    /// `value` broadcasts to the gather's shape; a position given twice keeps the last write.
    public mutating func assignGathered(_ basic: [TensorIndex], item: Int, axis: Int, positions: [Int], indexShape: [Int],
                                        _ value: Tensor) throws(TensorError) {
        let view = try indexed(basic)
        guard axis >= 0 && axis < view.rank else { throw TensorError("too many indices for a tensor of rank \(rank)") }
        try Tensor.checkPositions(positions, size: view.shape[axis], axis: item)
        let selection = Array(view.shape[..<axis]) + indexShape + Array(view.shape[(axis + 1)...])
        guard let broadcast = try? Tensor.broadcastShape(value.shape, selection), broadcast == selection else {
            throw TensorError(
                "cannot assign a tensor of shape \(formatShape(value.shape)) to a selection of shape \(formatShape(selection))")
        }
        // One slice per position, as the positions' axis flattened: [before…, m, after…].
        let rows = try Tensor.expand(value, to: selection).reshaped(
            Array(view.shape[..<axis]) + [positions.count] + Array(view.shape[(axis + 1)...]))
        var target = basic
        var source = [TensorIndex](repeating: .range(start: nil, stop: nil, step: nil), count: axis + 1)
        for (j, k) in positions.enumerated() {
            target[item] = .at(k)
            source[axis] = .at(j)
            try assign(target, rows.indexed(source))
        }
    }

    /// Which of `positions` are written last (numpy's assignment keeps the last of repeats).
    public static func lastOccurrences(_ positions: [Int]) -> [Bool] {
        var seen = Set<Int>()
        var last = [Bool](repeating: false, count: positions.count)
        for j in positions.indices.reversed() where seen.insert(positions[j]).inserted { last[j] = true }
        return last
    }
}
