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
            let dims = try a.integers(allowMinusOne: true)
            return Interpreter.wrap(try a.ops.reshape(x, dims))
        },
        Builtin("transpose(x, axes...)", group: "shape", "x with its axes permuted; with no axes, reversed",
                example: "transpose(zeros(2, 3))") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x")
            let axes = try a.integers("axes", allowNegative: true)
            return Interpreter.wrap(try a.ops.transpose(x, axes.isEmpty ? nil : axes))
        },
        Builtin("flatten(x)", group: "shape", "the elements of x as one axis, in row-major order",
                example: "flatten(eye(2))") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x")
            return .tensor(try a.ops.flatten(x))
        },
        Builtin("stack(t..., axis=0)", group: "shape", "tensors of one shape joined along a new axis",
                example: "stack([1, 2], [3, 4], axis=1)") { (a: inout BoundArguments) throws(Diagnostic) in
            let ts = try a.restTensors()
            guard !ts.isEmpty else { throw a.error("stack needs at least one tensor") }
            let axis = try a.int("axis")
            return Interpreter.wrap(try a.ops.stack(ts, axis: axis))
        },
        Builtin("concat(t..., axis=0)", group: "shape", "tensors joined along an existing axis",
                example: "concat([1, 2], [3])") { (a: inout BoundArguments) throws(Diagnostic) in
            let ts = try a.restTensors()
            guard !ts.isEmpty else { throw a.error("concat needs at least one tensor") }
            let axis = try a.int("axis")
            return Interpreter.wrap(try a.ops.concat(ts, axis: axis))
        },
    ]
}
