/// Boolean-mask indexing (`x[x > 0]`, read and assign) and mixed string operands.
extension Interpreter {
    /// What an index selects: positions and slices, or a mask of 0s and 1s.
    enum Selection {
        case indices([TensorIndex])
        case mask(Tensor)
    }

    /// A lone tensor index is a mask (numpy's boolean indexing); anything else is basic indexing.
    /// bnlab has no boolean type, so any tensor of 0s and 1s is a mask, except a list written in the
    /// brackets (`x[[1, 0]]`), which a numpy user means as positions: that is refused, not misread.
    func indicesOrMask(_ items: [CompiledIndexItem], of t: Tensor, listLiteral: Bool = false) throws(Diagnostic) -> Selection {
        guard items.count == 1, case .at(let code, let range) = items[0] else { return .indices(try indices(items)) }
        let value = try code(self)
        if case .tensor(let mask) = value, mask.rank >= 1 {
            if listLiteral {
                throw error("indexing with a list of positions is not supported", range)
                    .adding(.help, "pick positions one at a time (x[0], x[2]), with a slice (x[0:3]), or with a mask such as x > 0")
            }
            guard t.acceptsMask(mask) else {
                let zeroOne = mask.elements.allSatisfy { $0 == 0 || $0 == 1 }
                var diagnostic = error(zeroOne
                    ? "a mask of shape \(Value.shapeText(mask.shape)) cannot select from a tensor of shape \(Value.shapeText(t.shape))"
                    : "an index must be an integer or a mask of 0s and 1s, got a tensor of shape \(Value.shapeText(mask.shape))", range)
                diagnostic = diagnostic.adding(.help, zeroOne
                    ? "a mask has the tensor's shape (or that of its leading axes), as x > 0 gives for x"
                    : "pick positions one at a time (x[0], x[2]) or with a slice (x[0:3]); a mask such as x > 0 selects where it is 1")
                throw diagnostic
            }
            return .mask(mask)
        }
        return .indices([.at(try integer(value, range, what: "an index"))])
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
