/// Rules for selection and assembly: indexing, masks, assignment, `where`, `clip`, `stack`, `concat`.
extension Gradients {
    /// `x[i, a:b]`: the gradient scattered into zeros of x's shape. Basic indexing selects each
    /// element at most once (negative steps and strided views included), so a plain write suffices.
    public static func index(_ x: Tensor, _ index: [TensorIndex]) -> Rule {
        let shape = x.shape
        return { g throws(TensorError) in
            var gx = try Tensor.zeros(shape)
            try gx.assign(index, g)
            return [gx]
        }
    }

    /// `x[mask]`: the gradient written back where the mask selects.
    public static func mask(_ x: Tensor, _ mask: Tensor) -> Rule {
        let shape = x.shape
        return { g throws(TensorError) in
            var gx = try Tensor.zeros(shape)
            try gx.assignMasked(mask, g)
            return [gx]
        }
    }

    /// `x[index] = v`: x's gradient with the assigned positions zeroed (they were overwritten);
    /// v's gradient is the selected part of g, summed down to v's shape (v was broadcast).
    public static func assignIndex(_ x: Tensor, _ index: [TensorIndex], _ value: Tensor, needs: (Bool, Bool)) -> Rule {
        let valueShape = value.shape
        return { g throws(TensorError) in
            var gx: Tensor?
            if needs.0 {
                var copy = g
                try copy.assign(index, Tensor(0))
                gx = copy
            }
            let gv = needs.1 ? try unbroadcast(g.indexed(index).contiguous(), to: valueShape) : nil
            return [gx, gv]
        }
    }

    /// `x[mask] = v`, as `assignIndex`.
    public static func assignMask(_ x: Tensor, _ mask: Tensor, _ value: Tensor, needs: (Bool, Bool)) -> Rule {
        let valueShape = value.shape
        return { g throws(TensorError) in
            var gx: Tensor?
            if needs.0 {
                var copy = g
                try copy.assignMasked(mask, Tensor(0))
                gx = copy
            }
            let gv = needs.1 ? try unbroadcast(g.masked(mask), to: valueShape) : nil
            return [gx, gv]
        }
    }

    /// `where(cond, a, b)`: g goes to a where cond holds, to b elsewhere; the condition gets none.
    /// The rule's inputs are `[a, b]`.
    public static func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor, needs: (Bool, Bool)) -> Rule {
        let sa = a.shape, sb = b.shape
        // The condition takes no gradient: its history must not be kept alive by this rule.
        var condition = condition
        condition.node = nil
        return { g throws(TensorError) in
            let zero = Tensor(0)
            return [needs.0 ? try unbroadcast(Tensor.select(condition, g, zero), to: sa) : nil,
                    needs.1 ? try unbroadcast(Tensor.select(condition, zero, g), to: sb) : nil]
        }
    }

    /// `clip(x, lo, hi)`, PyTorch's `clamp` rule: x takes g where lo ≤ x ≤ hi; lo where x < lo
    /// (and lo < hi); hi where x > hi or hi < lo (the result is hi there).
    public static func clip(_ x: Tensor, _ lo: Tensor, _ hi: Tensor, needs: (Bool, Bool, Bool)) -> Rule {
        let sx = x.shape, sl = lo.shape, sh = hi.shape
        return { g throws(TensorError) in
            let zero = Tensor(0)
            var result: [Tensor?] = [nil, nil, nil]
            if needs.0 {
                let inside = try mul(Tensor.binary(.greaterEqual, x, lo), Tensor.binary(.lessEqual, x, hi))
                result[0] = try unbroadcast(Tensor.select(inside, g, zero), to: sx)
            }
            if needs.1 {
                let below = try mul(Tensor.binary(.less, x, lo), Tensor.binary(.less, lo, hi))
                result[1] = try unbroadcast(Tensor.select(below, g, zero), to: sl)
            }
            if needs.2 {
                let above = try Tensor.binary(.maximum, Tensor.binary(.greater, x, hi), Tensor.binary(.less, hi, lo))
                result[2] = try unbroadcast(Tensor.select(above, g, zero), to: sh)
            }
            return result
        }
    }

    /// `stack(ts, axis)`: each input takes its slice of g along the new axis.
    public static func stack(_ tensors: [Tensor], axis: Int) -> Rule {
        let needs = tensors.map(\.requiresGrad)
        let rank = (tensors.first?.rank ?? 0) + 1
        let a = axis < 0 ? axis + rank : axis
        return { g throws(TensorError) in
            var prefix = [TensorIndex](repeating: .range(start: nil, stop: nil, step: nil), count: a)
            prefix.append(.at(0))
            var result: [Tensor?] = []
            for (i, need) in needs.enumerated() {
                guard need else { result.append(nil); continue }
                prefix[a] = .at(i)
                result.append(try g.indexed(prefix).contiguous())
            }
            return result
        }
    }

    /// `concat(ts, axis)`: each input takes its own stretch of g along the axis.
    public static func concat(_ tensors: [Tensor], axis: Int) -> Rule {
        let needs = tensors.map(\.requiresGrad)
        let rank = tensors.first?.rank ?? 1
        let a = axis < 0 ? axis + rank : axis
        let sizes = tensors.map { $0.shape[a] }
        return { g throws(TensorError) in
            var index = [TensorIndex](repeating: .range(start: nil, stop: nil, step: nil), count: a + 1)
            var start = 0
            var result: [Tensor?] = []
            for (i, need) in needs.enumerated() {
                defer { start += sizes[i] }
                guard need else { result.append(nil); continue }
                index[a] = .range(start: start, stop: start + sizes[i], step: 1)
                result.append(try g.indexed(index).contiguous())
            }
            return result
        }
    }

    /// (1 − momentum)·old + momentum·new.
    public static func ema(_ momentum: Double, needs: (Bool, Bool), shapes: ([Int], [Int])) -> Rule {
        { g throws(TensorError) in
            [needs.0 ? try unbroadcast(mul(g, Tensor(1 - momentum)), to: shapes.0) : nil,
             needs.1 ? try unbroadcast(mul(g, Tensor(momentum)), to: shapes.1) : nil]
        }
    }
}

/// Rules for integer-tensor indexing.
extension Gradients {
    /// `x[idx]` along `axis`: the gradient added back at the positions (repeats accumulate).
    public static func gather(_ x: Tensor, axis: Int, positions: [Int]) -> Rule {
        let shape = x.shape
        return { g throws(TensorError) in
            [try Tensor.scatterAdded(g, axis: axis, positions: positions, into: shape)]
        }
    }

    /// `x[…, idx, …] = v`: x's gradient with the written positions zeroed; v's gradient is the
    /// gathered part of g where each write survived (the last of repeated positions), summed
    /// down to v's shape.
    public static func assignGather(_ x: Tensor, _ basic: [TensorIndex], item: Int, axis: Int, positions: [Int],
                                    indexShape: [Int], _ value: Tensor, needs: (Bool, Bool)) -> Rule {
        let valueShape = value.shape
        return { g throws(TensorError) in
            var gx: Tensor?
            if needs.0 {
                var copy = g
                try copy.assignGathered(basic, item: item, axis: axis, positions: positions, indexShape: indexShape, Tensor(0))
                gx = copy
            }
            var gv: Tensor?
            if needs.1 {
                let view = try g.indexed(basic)
                var rows = try view.gathered(axis: axis, positions: positions, indexShape: [positions.count])
                var index = [TensorIndex](repeating: .range(start: nil, stop: nil, step: nil), count: axis + 1)
                for (j, survives) in Tensor.lastOccurrences(positions).enumerated() where !survives {
                    index[axis] = .at(j)
                    try rows.assign(index, Tensor(0))
                }
                let selection = Array(view.shape[..<axis]) + indexShape + Array(view.shape[(axis + 1)...])
                gv = try unbroadcast(rows.reshaped(selection), to: valueShape)
            }
            return [gx, gv]
        }
    }
}
