/// Boolean-mask indexing (`x[x > 0]`, read and assign) and mixed string operands.
extension Interpreter {
    /// What an index selects: positions and slices, a mask of 0s and 1s, or positions along one
    /// axis given by an integer tensor.
    enum Selection {
        case indices([TensorIndex])
        case mask(Tensor)
        case gather(Gather)
    }

    /// numpy's integer-array indexing with one integer tensor: `basic` (the subscript with a full
    /// slice where the tensor stood, at entry `item`) selects a view, then `positions` (resolved,
    /// row-major in `indexShape`) are taken along the view's `axis`.
    struct Gather {
        var basic: [TensorIndex]
        var item: Int
        var axis: Int
        var positions: [Int]
        var indexShape: [Int]
    }

    /// A lone tensor index is a mask (numpy's boolean indexing) when a comparison made it; any
    /// other tensor of rank 1 or more is positions (numpy's integer-array indexing), never read
    /// as a mask because it happens to hold 0s and 1s.
    func indicesOrMask(_ items: [CompiledIndexItem], of t: Tensor) throws(Diagnostic) -> Selection {
        var result: [TensorIndex] = []
        result.reserveCapacity(items.count)
        var positions: (tensor: Tensor, item: Int, range: SourceRange)?
        for (i, item) in items.enumerated() {
            switch item {
            case .at(let code, let range):
                let value = try code(self)
                if case .tensor(let index) = value, index.rank >= 1 {
                    if index.isMask {
                        guard items.count == 1 else {
                            throw error("a mask must be the only index, got \(items.count) indices", range)
                                .adding(.help, "select with the mask first, then index the result: x[m][0]")
                        }
                        guard t.acceptsMask(index) else {
                            throw error("a mask of shape \(Value.shapeText(index.shape)) cannot select from a tensor of shape \(Value.shapeText(t.shape))", range)
                                .adding(.help, "a mask has the tensor's shape (or that of its leading axes), as x > 0 gives for x")
                        }
                        return .mask(index)
                    }
                    guard positions == nil else {
                        throw error("only one integer-tensor index is supported in a subscript", range)
                            .adding(.help, "index in two steps, as in x[idx][:, jdx]")
                    }
                    positions = (index, i, range)
                    result.append(.range(start: nil, stop: nil, step: nil))
                } else {
                    result.append(.at(try integer(value, range, what: "an index")))
                }
            case .slice(let start, let stop, let step):
                result.append(try slice(start, stop, step))
            }
        }
        guard let positions else { return .indices(result) }
        return .gather(try gather(positions.tensor, at: positions.item, positions.range, basic: result, of: t))
    }

    /// Resolves an integer-tensor index at entry `item` of `basic`: integers, negatives from the end, in range.
    private func gather(_ index: Tensor, at item: Int, _ range: SourceRange, basic: [TensorIndex], of t: Tensor) throws(Diagnostic) -> Gather {
        guard item < t.rank else {
            throw error("too many indices for a tensor of rank \(t.rank): \(basic.count) were given", range)
        }
        var axis = 0
        for entry in basic[..<item] { if case .range = entry { axis += 1 } }
        // numpy puts the selected axes first when an integer and the tensor are not side by side;
        // bnlab supports the side-by-side form only, where the axes stay in place.
        if let separated = Interpreter.separatedInteger(basic, item: item) {
            throw error("an integer at entry \(separated) and the integer tensor at entry \(item) are separated by a slice; numpy would move the selected axes to the front", range)
                .adding(.help, "index in two steps, as in x[0][:, idx]")
        }
        let size = t.shape[item]
        var resolved: [Int] = []
        resolved.reserveCapacity(index.count)
        for v in index.elements {
            guard let k = Interpreter.exactInt(v) else {
                throw error("an index tensor must hold integers, got \(Interpreter.integerMismatch(v))", range)
            }
            let j = k < 0 ? k + size : k
            guard j >= 0 && j < size else {
                throw error("index \(k) is out of range for axis \(item) with size \(size)", range)
            }
            resolved.append(j)
        }
        return Gather(basic: basic, item: item, axis: axis, positions: resolved, indexShape: index.shape)
    }

    /// The entry of an integer index with a slice between it and the tensor index at `item`, if any.
    static func separatedInteger(_ basic: [TensorIndex], item: Int) -> Int? {
        for (i, entry) in basic.enumerated() where i != item {
            guard case .at = entry else { continue }
            let between = i < item ? (i + 1)..<item : (item + 1)..<i
            for j in between { if case .range = basic[j] { return i } }
        }
        return nil
    }

    /// `x[idx]` with an integer tensor among the indices.
    func gatherRead(_ t: Tensor, _ selection: Gather, _ range: SourceRange) throws(Diagnostic) -> Value {
        let ops = ops(at: range)
        let isWhole = selection.basic.allSatisfy { $0 == .range(start: nil, stop: nil, step: nil) }
        let view = isWhole ? t : try ops.index(t, selection.basic)
        return Interpreter.wrap(try ops.gather(view, axis: selection.axis, positions: selection.positions,
                                               indexShape: selection.indexShape))
    }

    func maskRead(_ t: Tensor, _ mask: Tensor, _ range: SourceRange) throws(Diagnostic) -> Value {
        .tensor(try ops(at: range).mask(t, mask))
    }

    /// `"mean " + x` and `"%f" % x`: a string with a number has no meaning; say how to print both.
    func stringMix(_ op: BinaryOperator, _ left: Value, _ right: Value, _ range: SourceRange) -> Diagnostic? {
        let leftString: Bool, rightString: Bool
        if case .string = left { leftString = true } else { leftString = false }
        if case .string = right { rightString = true } else { rightString = false }
        guard leftString || rightString else { return nil }
        let other = leftString ? right : left
        let what = leftString && rightString ? "two strings" : "a string and \(other.typeDescription)"
        let diagnostic = error("cannot apply '\(op.rawValue)' to \(what)", range)
        if leftString && rightString || (op != .add && op != .remainder) { return diagnostic }
        return diagnostic.adding(.help, "to print a label and a value, give both to print: print(\"mean\", x)")
    }
}
