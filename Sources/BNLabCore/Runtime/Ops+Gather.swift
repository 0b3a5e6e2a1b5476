/// Integer-tensor indexing (training.md §6): the gather and assignment primitives.
extension Ops {
    /// `x[idx]` after the basic part of the subscript: the slices at `positions` along `axis`.
    func gather(_ x: Tensor, axis: Int, positions: [Int], indexShape: [Int]) throws(Diagnostic) -> Tensor {
        observe("gather")
        var r: Tensor
        do { r = try x.gathered(axis: axis, positions: positions, indexShape: indexShape) } catch { throw interpreter.error(error, range) }
        if x.node != nil { record(&r, "gather", [x], Gradients.gather(x, axis: axis, positions: positions)) }
        return r
    }

    /// `x[…, idx, …] = v`: x with the gathered selection replaced.
    func assignGather(_ x: Tensor, _ selection: Interpreter.Gather, _ value: Tensor) throws(Diagnostic) -> Tensor {
        observe("assignGather")
        var result = x
        do {
            try result.assignGathered(selection.basic, item: selection.item, axis: selection.axis,
                                      positions: selection.positions, indexShape: selection.indexShape, value)
        } catch {
            throw interpreter.error(error, range)
        }
        if x.node != nil || value.node != nil {
            let rule = Gradients.assignGather(x, selection.basic, item: selection.item, axis: selection.axis,
                                              positions: selection.positions, indexShape: selection.indexShape, value,
                                              needs: (x.node != nil, value.node != nil))
            record(&result, "assignGather", [x, value], rule)
        }
        return result
    }
}
