/// Builtins numpy and PyTorch users reach for: `where`, `len`, `item`.
extension Builtins {
    static let extras: [Builtin] = [
        Builtin("where(cond, a, b)", group: "elementwise",
                "a where cond is non-zero, else b, element by element (numpy's where, broadcasting)",
                example: "where([1, -2, 3] > 0, [1, -2, 3], 0)") { (a: inout BoundArguments) throws(Diagnostic) in
            let c = try a.tensor("cond"), x = try a.tensor("a"), y = try a.tensor("b")
            return Interpreter.wrap(try a.ops.select(c, x, y))
        },
        Builtin("len(x)", group: "shape", "the size of the first axis, as Python's len (the layers of a Sequential, the tensors of a parameter list)",
                example: "len(zeros(4, 3))") { (a: inout BoundArguments) throws(Diagnostic) in
            if case .object(let object) = a.value("x") {
                guard let length = object.length else {
                    throw a.error("len() of \(type(of: object).typeDescription): it holds no sequence", at: "x")
                }
                return .number(Double(length))
            }
            let x = try a.tensor("x")
            guard let first = x.shape.first else {
                throw a.error("len() of a number: it has no axes", at: "x").adding(.help, "x.size counts the elements")
            }
            return .number(Double(first))
        },
        Builtin("item(x)", group: "shape", "the number in a one-element tensor, as PyTorch's x.item()",
                example: "mean([1, 2]).item()") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x")
            guard x.count == 1, let v = x.elements.first else {
                throw a.error("item() needs a tensor with one element, got shape \(Value.shapeText(x.shape))", at: "x")
                    .adding(.help, "index one element first, as in x[0].item(), or reduce, as in mean(x)")
            }
            return .number(v)
        },
    ]
}
