/// One entry of a subscript: an integer (drops the axis) or a Python slice (keeps it).
public enum TensorIndex: Sendable, Equatable {
    /// A single position; negative counts from the end.
    case at(Int)
    /// A Python slice `start:stop:step`; `nil` parts take Python's defaults.
    case range(start: Int?, stop: Int?, step: Int?)
}

/// numpy basic indexing and assignment through it.
extension Tensor {
    /// The view selected by `index` (missing trailing entries select whole axes).
    public func indexed(_ index: [TensorIndex]) throws(TensorError) -> Tensor {
        let (newShape, newStrides, newOffset) = try selection(index)
        return Tensor(storage: storage, shape: newShape, strides: newStrides, offset: newOffset)
    }

    /// Writes `value`, broadcast to the selection, into the elements `index` selects.
    public mutating func assign(_ index: [TensorIndex], _ value: Tensor) throws(TensorError) {
        let (selShape, _, _) = try selection(index)
        guard let target = try? Tensor.broadcastShape(value.shape, selShape), target == selShape else {
            throw TensorError(
                "cannot assign a tensor of shape \(formatShape(value.shape)) to a selection of shape \(formatShape(selShape))")
        }
        // Own a compact buffer first, so that views of the old buffer keep their values.
        if !(isContiguous && offset == 0 && count == storage.count) {
            self = try checkedContiguousCopy()
        }
        if !isKnownUniquelyReferenced(&storage) {
            try Tensor.reserve(count)
            storage = storage.withUnsafeBufferPointer { TensorStorage.copying($0) }
        }
        let (_, dstStrides, dstOffset) = try selection(index)
        let srcStrides = Tensor.broadcastStrides(value.shape, value.strides, to: selShape)
        let loop = StridedLoop(shape: selShape, strides: [dstStrides, srcStrides])
        let total = selShape.reduce(1, *)
        guard total > 0 else { return }
        let n = loop.innerCount
        let di = loop.innerStride(0), si = loop.innerStride(1)
        value.storage.withUnsafeBufferPointer { src in
            storage.withUnsafeMutableBufferPointer { dst in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                loop.forEachRun2(dstOffset, value.offset) { o0, o1 in
                    var a = o0, b = o1
                    for _ in 0..<n {
                        d[a] = s[b]
                        a += di
                        b += si
                    }
                }
            }
        }
    }

    /// The shape, strides and offset that `index` selects.
    private func selection(_ index: [TensorIndex]) throws(TensorError) -> ([Int], [Int], Int) {
        guard index.count <= rank else {
            throw TensorError("too many indices for a tensor of rank \(rank): \(index.count) were given")
        }
        var newShape: [Int] = []
        var newStrides: [Int] = []
        var newOffset = offset
        for (axis, entry) in index.enumerated() {
            let size = shape[axis]
            switch entry {
            case .at(let i):
                let j = i < 0 ? i + size : i
                guard j >= 0 && j < size else {
                    throw TensorError("index \(i) is out of range for axis \(axis) with size \(size)")
                }
                newOffset += j * strides[axis]
            case .range(let start, let stop, let step):
                let (first, length, by) = try Tensor.sliceIndices(start: start, stop: stop, step: step, size: size)
                newShape.append(length)
                newStrides.append(length > 1 ? strides[axis] * by : strides[axis])
                if length > 0 { newOffset += first * strides[axis] }
            }
        }
        for axis in index.count..<rank {
            newShape.append(shape[axis])
            newStrides.append(strides[axis])
        }
        return (newShape, newStrides, newOffset)
    }

    /// Python's `slice.indices` followed by the slice length.
    static func sliceIndices(start: Int?, stop: Int?, step: Int?, size: Int) throws(TensorError) -> (start: Int, count: Int, step: Int) {
        let by = step ?? 1
        guard by != 0 else { throw TensorError("slice step cannot be zero") }
        let lower = by > 0 ? 0 : -1
        let upper = by > 0 ? size : size - 1
        func clamp(_ value: Int?, default fallback: Int) -> Int {
            guard var v = value else { return fallback }
            if v < 0 {
                v = v < -size ? lower : v + size
                if v < lower { v = lower }
            } else if v > upper {
                v = upper
            }
            return v
        }
        let first = clamp(start, default: by > 0 ? lower : upper)
        let last = clamp(stop, default: by > 0 ? upper : lower)
        let length: Int
        if by > 0 {
            length = last > first ? Int(UInt(last - first - 1) / by.magnitude) + 1 : 0
        } else {
            length = first > last ? Int(UInt(first - last - 1) / by.magnitude) + 1 : 0
        }
        return (first, length, by)
    }
}
