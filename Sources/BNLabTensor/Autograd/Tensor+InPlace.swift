/// Writing a parameter's values in place: the one kind of mutation that every holder of the
/// tensor sees (a module, an optimizer, a variable), as PyTorch's parameters are shared objects.
/// Everything else in the library keeps value semantics.
extension Tensor {
    /// A copy in a buffer of its own, row-major, without history.
    public func copied() -> Tensor {
        // `contiguousCopy()` hands back a compact tensor itself, buffer shared: a parameter made
        // from it, then written in place, would change the tensor it was made from.
        var copy = isContiguous ? Tensor(contiguous: Tensor.copiedStorage(storage, start: offset, count: count), shape: shape)
            : contiguousCopy()
        copy.node = nil
        copy.isMask = false
        return copy
    }

    /// Whether the tensor owns its whole buffer row-major (how parameters are made), so writing
    /// its buffer writes exactly its elements.
    public var ownsBufferRowMajor: Bool {
        offset == 0 && storage.count == count && isContiguous
    }

    /// Writes `values` (broadcast to this shape) into this tensor's buffer, seen by every tensor
    /// sharing it. Only for a tensor that owns its buffer row-major (a parameter).
    public func overwrite(with values: Tensor) throws(TensorError) {
        guard ownsBufferRowMajor else { throw TensorError("only a parameter's own buffer can be written in place") }
        let shape = try Tensor.broadcastShape(self.shape, values.shape)
        guard shape == self.shape else {
            throw TensorError("cannot write values of shape \(formatShape(values.shape)) into a tensor of shape \(formatShape(self.shape))")
        }
        let source = Tensor.expand(values, to: shape).contiguousCopy()
        source.storage.withUnsafeBufferPointer { from in
            storage.withUnsafeMutableBufferPointer { to in
                guard let f = from.baseAddress, let t = to.baseAddress else { return }
                t.update(from: f, count: count)
            }
        }
    }

    /// Runs `body` on this parameter's elements for an in-place update (an optimizer step).
    public func updateInPlace(_ body: (UnsafeMutableBufferPointer<Double>) -> Void) throws(TensorError) {
        guard ownsBufferRowMajor else { throw TensorError("only a parameter's own buffer can be written in place") }
        storage.withUnsafeMutableBufferPointer { buffer in body(buffer) }
    }

    /// Runs `body` on the elements in row-major order (copying only a non-contiguous tensor).
    public func withRowMajorElements<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R {
        let t = isContiguous ? self : contiguousCopy()
        return t.storage.withUnsafeBufferPointer { buffer in
            body(UnsafeBufferPointer(rebasing: buffer[t.offset..<(t.offset + t.count)]))
        }
    }
}
