/// The backward rule of every differentiable primitive, in one place (as tinygrad's
/// `gradient.py`): each builder takes the forward's inputs and output and which inputs need a
/// gradient, and returns the rule the tape runs. A rule works on plain tensors (never recorded),
/// so a backward pass is itself fast, untracked tensor code.
///
/// Broadcasting's backward is a sum over the broadcast axes (`unbroadcast`).
public enum Gradients {
    public typealias Rule = GradNode.Rule

    // MARK: - Helpers

    /// `g` summed down to `shape`, the shape of an input that was broadcast up to `g`'s shape.
    public static func unbroadcast(_ g: Tensor, to shape: [Int]) throws(TensorError) -> Tensor {
        if g.shape == shape { return g }
        let extra = g.rank - shape.count
        var axes = Array(0..<extra)
        for (i, d) in shape.enumerated() where d == 1 && g.shape[extra + i] != 1 { axes.append(extra + i) }
        var summed = axes.isEmpty ? g : try g.reduce(.sum, axes: axes, keepdims: true)
        if extra > 0 || summed.shape != shape { summed = try summed.reshaped(shape) }
        return summed
    }

    @inline(__always)
    static func mul(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor { try Tensor.binary(.multiply, a, b) }
    @inline(__always)
    static func div(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor { try Tensor.binary(.divide, a, b) }
    @inline(__always)
    static func sub(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor { try Tensor.binary(.subtract, a, b) }
    @inline(__always)
    static func add(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor { try Tensor.binary(.add, a, b) }
    @inline(__always)
    static func neg(_ a: Tensor) throws(TensorError) -> Tensor { try Tensor.unary(.negate, a) }

    // MARK: - Elementwise

    /// `a op b` with broadcasting. Comparisons and `//` have no rule (their results are constants).
    public static func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, _ out: Tensor, needs: (Bool, Bool)) -> Rule {
        let (needA, needB) = needs
        let sa = a.shape, sb = b.shape
        switch op {
        case .add:
            return { g throws(TensorError) in
                [needA ? try unbroadcast(g, to: sa) : nil, needB ? try unbroadcast(g, to: sb) : nil]
            }
        case .subtract:
            return { g throws(TensorError) in
                [needA ? try unbroadcast(g, to: sa) : nil, needB ? try unbroadcast(neg(g), to: sb) : nil]
            }
        case .multiply:
            return { g throws(TensorError) in
                [needA ? try unbroadcast(mul(g, b), to: sa) : nil, needB ? try unbroadcast(mul(g, a), to: sb) : nil]
            }
        case .divide:
            // d(a/b)/db = −a/b² = −out/b.
            return { g throws(TensorError) in
                let gb = try div(g, b)
                return [needA ? try unbroadcast(gb, to: sa) : nil, needB ? try unbroadcast(neg(mul(gb, out)), to: sb) : nil]
            }
        case .power:
            // d(aᵇ)/da = b·aᵇ⁻¹; d(aᵇ)/db = aᵇ·ln a, taken as 0 where a = 0 and b ≥ 0 (PyTorch's rule).
            return { g throws(TensorError) in
                var ga: Tensor?, gb: Tensor?
                if needA {
                    let bMinusOne = try sub(b, Tensor(1))
                    ga = try unbroadcast(mul(g, mul(b, Tensor.binary(.power, a, bMinusOne))), to: sa)
                }
                if needB {
                    let logA = try Tensor.unary(.log, a)
                    let raw = try mul(g, mul(out, logA))
                    let zeroBase = try mul(Tensor.binary(.equal, a, Tensor(0)), Tensor.binary(.greaterEqual, b, Tensor(0)))
                    gb = try unbroadcast(Tensor.select(zeroBase, Tensor(0), raw), to: sb)
                }
                return [ga, gb]
            }
        case .maximum, .minimum:
            // The larger (smaller) operand takes the gradient; a tie splits it evenly, as PyTorch does.
            let winsA: BinaryOp = op == .maximum ? .greater : .less
            return { g throws(TensorError) in
                let aWins = try Tensor.binary(winsA, a, b)
                let tie = try Tensor.binary(.equal, a, b)
                let shareA = try add(aWins, mul(tie, Tensor(0.5)))
                var result: [Tensor?] = [nil, nil]
                if needA { result[0] = try unbroadcast(mul(g, shareA), to: sa) }
                if needB { result[1] = try unbroadcast(mul(g, sub(Tensor(1), shareA)), to: sb) }
                return result
            }
        case .remainder:
            // a − b·floor(a/b): d/da = 1, d/db = −floor(a/b).
            return { g throws(TensorError) in
                var result: [Tensor?] = [nil, nil]
                if needA { result[0] = try unbroadcast(g, to: sa) }
                if needB { result[1] = try unbroadcast(neg(mul(g, Tensor.binary(.floorDivide, a, b))), to: sb) }
                return result
            }
        case .floorDivide:
            // Piecewise constant: zero almost everywhere, as PyTorch's floor_divide.
            return { g throws(TensorError) in
                [needA ? try Tensor.zeros(sa) : nil, needB ? try Tensor.zeros(sb) : nil]
            }
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            return { _ throws(TensorError) in
                [needA ? try Tensor.zeros(sa) : nil, needB ? try Tensor.zeros(sb) : nil]
            }
        }
    }

    /// Whether a binary operation's result can carry a gradient (comparisons and `//` cannot).
    public static func isDifferentiable(_ op: BinaryOp) -> Bool {
        switch op {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .floorDivide: return false
        default: return true
        }
    }

    /// Whether a unary operation's result can carry a gradient (`sign` and `not` cannot).
    public static func isDifferentiable(_ op: UnaryOp) -> Bool {
        switch op {
        case .sign, .logicalNot: return false
        default: return true
        }
    }

    /// `-x`, `exp(x)`, …
    public static func unary(_ op: UnaryOp, _ x: Tensor, _ out: Tensor) -> Rule {
        switch op {
        case .negate: return { g throws(TensorError) in [try neg(g)] }
        case .abs: return { g throws(TensorError) in [try mul(g, Tensor.unary(.sign, x))] }
        case .sqrt: return { g throws(TensorError) in [try div(g, mul(out, Tensor(2)))] }
        case .exp: return { g throws(TensorError) in [try mul(g, out)] }
        case .log: return { g throws(TensorError) in [try div(g, x)] }
        case .tanh: return { g throws(TensorError) in [try mul(g, sub(Tensor(1), mul(out, out)))] }
        case .sigmoid: return { g throws(TensorError) in [try mul(g, mul(out, sub(Tensor(1), out)))] }
        case .relu: return { g throws(TensorError) in [try mul(g, Tensor.binary(.greater, x, Tensor(0)))] }
        case .sign, .logicalNot: return { _ throws(TensorError) in [try Tensor.zeros(x.shape)] }
        }
    }

    // MARK: - Matrix product

    /// `a @ b` for vectors and matrices (language.md's matmul: ranks 1 and 2).
    public static func matmul(_ a: Tensor, _ b: Tensor, needs: (Bool, Bool)) -> Rule {
        let (needA, needB) = needs
        return { g throws(TensorError) in
            switch (a.rank, b.rank) {
            case (2, 2):
                return [needA ? try Tensor.matmul(g, b.transposed(nil)) : nil,
                        needB ? try Tensor.matmul(a.transposed(nil), g) : nil]
            case (1, 2):  // [k] @ [k, m] → [m]
                return [needA ? try Tensor.matmul(b, g) : nil,
                        needB ? try Tensor.matmul(a.reshaped([a.count, 1]), g.reshaped([1, g.count])) : nil]
            case (2, 1):  // [n, k] @ [k] → [n]
                return [needA ? try Tensor.matmul(g.reshaped([g.count, 1]), b.reshaped([1, b.count])) : nil,
                        needB ? try Tensor.matmul(a.transposed(nil), g) : nil]
            default:  // [k] @ [k] → a number
                return [needA ? try mul(g, b) : nil, needB ? try mul(g, a) : nil]
            }
        }
    }

    // MARK: - Reductions

    /// The gradient of a reduction's output, given back the input's rank (size-1 reduced axes),
    /// ready to broadcast against the input.
    public static func keptDims(_ g: Tensor, inputShape: [Int], axes: [Int]?, keepdims: Bool) throws(TensorError) -> Tensor {
        if keepdims { return g }
        var shape = inputShape
        for axis in normalizedAxes(axes, rank: inputShape.count) { shape[axis] = 1 }
        return try g.reshaped(shape)
    }

    /// The axes a reduction runs over, non-negative and sorted (nil: all).
    public static func normalizedAxes(_ axes: [Int]?, rank: Int) -> [Int] {
        guard let axes else { return Array(0..<rank) }
        return Array(Set(axes.map { $0 < 0 ? $0 + rank : $0 })).sorted()
    }

    /// `sum mean min max prod` over `axes`.
    public static func reduce(_ op: ReduceOp, _ x: Tensor, _ out: Tensor, axes: [Int]?, keepdims: Bool) -> Rule {
        let shape = x.shape
        return { g throws(TensorError) in
            let kept = try keptDims(g, inputShape: shape, axes: axes, keepdims: keepdims)
            switch op {
            case .sum:
                return [Tensor.expand(kept, to: shape).contiguous()]
            case .mean:
                let n = normalizedAxes(axes, rank: shape.count).reduce(1) { $0 * shape[$1] }
                return [try mul(Tensor.expand(kept, to: shape), Tensor(1 / Double(n)))]
            case .min, .max:
                // The gradient goes to the extremal elements, split evenly among ties (PyTorch's amax rule).
                let extremum = try keptDims(out, inputShape: shape, axes: axes, keepdims: keepdims)
                let hits = try Tensor.binary(.equal, x, extremum)
                let count = try hits.reduce(.sum, axes: axes, keepdims: true)
                return [try mul(hits, div(kept, count))]
            case .prod:
                // ∏/xᵢ, computed without dividing so zeros are handled: the product of the others.
                return [try mul(Tensor.expand(kept, to: shape), productOfOthers(x, axes: axes))]
            }
        }
    }

    /// For each element, the product of the other elements of its reduction group.
    static func productOfOthers(_ x: Tensor, axes: [Int]?) throws(TensorError) -> Tensor {
        let zero = try Tensor.binary(.equal, x, Tensor(0))
        let safe = try Tensor.select(zero, Tensor(1), x)
        let productOfNonZero = try safe.reduce(.prod, axes: axes, keepdims: true)
        let zeros = try zero.reduce(.sum, axes: axes, keepdims: true)
        // No zero: ∏/xᵢ. One zero: the others' product at the zero, 0 elsewhere. More: 0.
        let noZero = try div(productOfNonZero, safe)
        let oneZero = try mul(zero, productOfNonZero)
        let none = try Tensor.binary(.equal, zeros, Tensor(0))
        let one = try Tensor.binary(.equal, zeros, Tensor(1))
        return try add(mul(none, noZero), mul(one, oneZero))
    }

    // MARK: - Shape

    /// `reshape`, `flatten`: the gradient takes the input's shape back.
    public static func reshape(_ x: Tensor) -> Rule {
        let shape = x.shape
        return { g throws(TensorError) in [try g.reshaped(shape)] }
    }

    /// `transpose(x, axes)` (nil: reversed): the inverse permutation.
    public static func transpose(_ x: Tensor, _ axes: [Int]?) -> Rule {
        let rank = x.rank
        return { g throws(TensorError) in
            guard let axes else { return [try g.transposed(nil).contiguous()] }
            var inverse = [Int](repeating: 0, count: rank)
            for (i, a) in axes.enumerated() { inverse[a < 0 ? a + rank : a] = i }
            return [try g.transposed(inverse).contiguous()]
        }
    }
}

extension Tensor {
    /// The tensor laid out row-major in a buffer of its own when it is not already.
    public func contiguous() -> Tensor {
        isContiguous && offset == 0 && storage.count == count ? self : contiguousCopy()
    }
}
