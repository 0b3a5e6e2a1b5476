/// Boolean-mask indexing (`x[x > 0]`, read and assign) and mixed string operands.
extension Interpreter {
    /// What an index selects: positions and slices, or a mask of 0s and 1s.
    enum Selection {
        case indices([TensorIndex])
        case mask(Tensor)
    }

    /// A lone tensor index is a mask (numpy's boolean indexing) when a comparison made it; anything
    /// else is basic indexing. A tensor of positions (numpy's integer-array indexing) is refused,
    /// never read as a mask because it happens to hold 0s and 1s.
    func indicesOrMask(_ items: [CompiledIndexItem], of t: Tensor, listLiteral: Bool = false) throws(Diagnostic) -> Selection {
        guard items.count == 1, case .at(let code, let range) = items[0] else { return .indices(try indices(items)) }
        let value = try code(self)
        if case .tensor(let mask) = value, mask.rank >= 1 {
            guard mask.isMask else {
                throw error(listLiteral ? "indexing with a list of positions is not supported"
                                        : "indexing with a tensor of positions is not supported, got a tensor of shape \(Value.shapeText(mask.shape))", range)
                    .adding(.help, "pick positions one at a time (x[0], x[2]), with a slice (x[0:3]), or with a mask from a comparison such as x > 0")
            }
            guard t.acceptsMask(mask) else {
                throw error("a mask of shape \(Value.shapeText(mask.shape)) cannot select from a tensor of shape \(Value.shapeText(t.shape))", range)
                    .adding(.help, "a mask has the tensor's shape (or that of its leading axes), as x > 0 gives for x")
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
