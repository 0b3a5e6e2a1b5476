extension Tensor {
    /// Calls `body` with each row-major position and the two elements there, for two tensors of
    /// one shape, stepping through both buffers by their strides (no per-element index arithmetic).
    public static func forEachPair(_ a: Tensor, _ b: Tensor, _ body: (Int, Double, Double) -> Void) {
        let shape = a.shape
        let n = a.count
        guard n > 0, b.shape == shape else { return }
        guard let last = shape.indices.last else {
            body(0, a.storage[a.offset], b.storage[b.offset])
            return
        }
        var index = [Int](repeating: 0, count: shape.count)
        var pa = a.offset, pb = b.offset
        let length = shape[last], sa = a.strides[last], sb = b.strides[last]
        var flat = 0
        a.storage.withUnsafeBufferPointer { x in
            b.storage.withUnsafeBufferPointer { y in
                while flat < n {
                    var qa = pa, qb = pb
                    for _ in 0..<length {
                        body(flat, x[qa], y[qb])
                        qa += sa
                        qb += sb
                        flat += 1
                    }
                    // The next row: carry through the outer axes like an odometer.
                    var axis = last - 1
                    while axis >= 0 {
                        index[axis] += 1
                        pa += a.strides[axis]
                        pb += b.strides[axis]
                        if index[axis] < shape[axis] { break }
                        pa -= a.strides[axis] * shape[axis]
                        pb -= b.strides[axis] * shape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
    }

    /// `t` seen with `shape`, its size-1 and missing leading axes repeated (no copy).
    public static func expand(_ t: Tensor, to shape: [Int]) -> Tensor {
        if t.shape == shape { return t }
        return Tensor(storage: t.storage, shape: shape, strides: Tensor.broadcastStrides(t.shape, t.strides, to: shape),
                      offset: t.offset)
    }
}
