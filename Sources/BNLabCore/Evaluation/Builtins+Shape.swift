extension Builtins {
    static let shaping: [Builtin] = [
        Builtin("shape(x)", group: "shape", "the sizes of x's axes, as a list", example: "shape(zeros(3, 2))") { (a: inout BoundArguments) throws(Diagnostic) in
            .tensor(Tensor.vector(try a.tensor("x").shape.map(Double.init)))
        },
        Builtin("size(x)", group: "shape", "the number of elements of x", example: "size(zeros(3, 2))") { (a: inout BoundArguments) throws(Diagnostic) in
            .number(Double(try a.tensor("x").count))
        },
        Builtin("rank(x)", group: "shape", "the number of axes of x", example: "rank(zeros(3, 2))") { (a: inout BoundArguments) throws(Diagnostic) in
            .number(Double(try a.tensor("x").rank))
        },
        Builtin("reshape(x, d...)", group: "shape", "the same elements in a new shape; one size may be -1 (inferred)",
                example: "arange(6).reshape(2, -1)") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x")
            let dims = try Builtins.integers(a, allowMinusOne: true)
            return Interpreter.wrap(try a.attempt { () throws(TensorError) in try x.reshaped(dims) })
        },
        Builtin("transpose(x, axes...)", group: "shape", "x with its axes permuted; with no axes, reversed",
                example: "transpose(zeros(2, 3))") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x")
            let axes = try Builtins.integers(a, allowMinusOne: true, allowNegative: true)
            return Interpreter.wrap(try a.attempt { () throws(TensorError) in try x.transposed(axes.isEmpty ? nil : axes) })
        },
        Builtin("flatten(x)", group: "shape", "the elements of x as one axis, in row-major order",
                example: "flatten(eye(2))") { (a: inout BoundArguments) throws(Diagnostic) in
            .tensor(try a.tensor("x").flattened())
        },
        Builtin("stack(t..., axis=0)", group: "shape", "tensors of one shape joined along a new axis",
                example: "stack([1, 2], [3, 4], axis=1)") { (a: inout BoundArguments) throws(Diagnostic) in
            let ts = try a.restTensors()
            guard !ts.isEmpty else { throw a.error("stack needs at least one tensor") }
            let axis = try a.int("axis")
            return Interpreter.wrap(try a.attempt { () throws(TensorError) in try Tensor.stack(ts, axis: axis) })
        },
        Builtin("concat(t..., axis=0)", group: "shape", "tensors joined along an existing axis",
                example: "concat([1, 2], [3])") { (a: inout BoundArguments) throws(Diagnostic) in
            let ts = try a.restTensors()
            guard !ts.isEmpty else { throw a.error("concat needs at least one tensor") }
            let axis = try a.int("axis")
            return Interpreter.wrap(try a.attempt { () throws(TensorError) in try Tensor.concat(ts, axis: axis) })
        },
    ]

    /// Integers given as `f(x, 2, 3)` or `f(x, [2, 3])`.
    static func integers(_ a: BoundArguments, allowMinusOne: Bool, allowNegative: Bool = false) throws(Diagnostic) -> [Int] {
        var items: [(Double, SourceRange)] = []
        if a.rest.count == 1, let t = a.rest[0].value.tensorValue, t.rank == 1 {
            items = t.elements.map { ($0, a.rest[0].range) }
        } else {
            for (value, range) in a.rest {
                guard let t = value.tensorValue, t.rank == 0, let v = t.scalarValue else {
                    throw a.interpreter.error("expected an integer, got \(value.typeDescription)", range)
                }
                items.append((v, range))
            }
        }
        var result: [Int] = []
        for (v, range) in items {
            guard let i = Interpreter.exactInt(v) else {
                throw a.interpreter.error("expected an integer, got \(Interpreter.numberText(v))", range)
            }
            if i < 0 && !allowNegative && !(allowMinusOne && i == -1) {
                throw a.interpreter.error(DiagnosticMessages.negativeSize(i), range)
            }
            result.append(i)
        }
        return result
    }
}
