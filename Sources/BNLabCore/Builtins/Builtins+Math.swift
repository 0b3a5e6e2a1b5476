extension Builtins {
    private static func unary(_ name: String, _ op: UnaryOp, _ summary: String, example: String) -> Builtin {
        Builtin("\(name)(x)", group: "elementwise", summary, example: example) { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x")
            return Interpreter.wrap(try a.ops.unary(op, x))
        }
    }

    private static func pairwise(_ name: String, _ op: BinaryOp, _ summary: String, example: String) -> Builtin {
        Builtin("\(name)(a, b)", group: "elementwise", summary, example: example) { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("a"), y = try a.tensor("b")
            return Interpreter.wrap(try a.ops.binary(op, x, y))
        }
    }

    static let elementwise: [Builtin] = [
        unary("abs", .abs, "absolute value of each element", example: "abs([-1, 2])"),
        unary("sqrt", .sqrt, "square root of each element (nan for negatives)", example: "sqrt([4, 9])"),
        unary("exp", .exp, "e to the power of each element", example: "exp(0)"),
        unary("log", .log, "natural logarithm of each element", example: "log(exp(2))"),
        unary("tanh", .tanh, "hyperbolic tangent of each element", example: "tanh([-1, 0, 1])"),
        unary("sigmoid", .sigmoid, "1 / (1 + e^−x) for each element", example: "sigmoid(0)"),
        unary("relu", .relu, "max(x, 0) for each element", example: "relu([-2, 3])"),
        unary("sign", .sign, "−1, 0 or 1 by the sign of each element", example: "sign([-2, 0, 3])"),
        Builtin("round(x, digits=0)", group: "elementwise", "each element rounded to the given decimals, halves to even (as numpy)",
                example: "round(2.675, digits=2)") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x"), digits = try a.int("digits")
            return Interpreter.wrap(try a.ops.round(x, digits: digits))
        },
        Builtin("clip(x, lo, hi)", group: "elementwise", "each element limited to the range [lo, hi]",
                example: "clip([-2, 0.5, 3], 0, 1)") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x"), lo = try a.tensor("lo"), hi = try a.tensor("hi")
            return Interpreter.wrap(try a.ops.clip(x, lo, hi))
        },
        pairwise("maximum", .maximum, "the larger of a and b, element by element (broadcasting)", example: "maximum([1, 5], [3, 2])"),
        pairwise("minimum", .minimum, "the smaller of a and b, element by element (broadcasting)", example: "minimum([1, 5], [3, 2])"),
    ]

    private static func reduction(_ name: String, _ op: ReduceOp, _ summary: String, example: String) -> Builtin {
        Builtin("\(name)(x, axis=none, keepdims=false)", group: "reduce", summary, example: example) { (a: inout BoundArguments) throws(Diagnostic) in
            do throws(Diagnostic) {
                let x = try a.tensor("x"), axes = try a.axes(), keep = try a.bool("keepdims")
                return Interpreter.wrap(try a.ops.reduce(op, x, axes: axes, keepdims: keep))
            } catch {
                // Python's max(a, b) lands the second value in `axis`; say where the pairwise one is.
                guard name == "max" || name == "min", !a.isNone("axis") else { throw error }
                throw error.adding(.help, "\(name)(x, axis) reduces x; the \(name == "max" ? "larger" : "smaller") of a and b, element by element, is \(name == "max" ? "maximum" : "minimum")(a, b)")
            }
        }
    }

    private static func argReduction(_ name: String, _ op: ArgReduceOp, _ summary: String, example: String) -> Builtin {
        Builtin("\(name)(x, axis=none, keepdims=false)", group: "reduce", summary, example: example) { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x"), axis = try a.axis(), keep = try a.bool("keepdims")
            return Interpreter.wrap(try a.ops.argReduce(op, x, axis: axis, keepdims: keep))
        }
    }

    static let reductions: [Builtin] = [
        reduction("sum", .sum, "the sum over the given axes (all by default)", example: "sum(arange(6).reshape(2, 3), axis=0)"),
        reduction("mean", .mean, "the mean over the given axes (all by default)", example: "mean(x, axis=[0, 2, 3])"),
        reduction("min", .min, "the smallest element over the given axes", example: "min([3, 1, 2])"),
        reduction("max", .max, "the largest element over the given axes", example: "max([3, 1, 2])"),
        reduction("prod", .prod, "the product over the given axes", example: "prod([1, 2, 3, 4])"),
        argReduction("argmax", .argmax, "the index of the largest element (of the flattened tensor without axis)", example: "argmax([3, 9, 2])"),
        argReduction("argmin", .argmin, "the index of the smallest element (of the flattened tensor without axis)", example: "argmin([3, 9, 2])"),
        Builtin("var(x, axis=none, ddof=0, keepdims=false)", group: "reduce",
                "the variance Σ(x − mean)² / (m − ddof): biased (1/m) by default, unbiased with ddof=1",
                example: "var([1, 2, 3, 4])") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x"), axes = try a.axes(), ddof = try a.int("ddof"), keep = try a.bool("keepdims")
            guard ddof >= 0 else { throw a.error(DiagnosticMessages.cannotBeNegative("'ddof'"), at: "ddof") }
            return Interpreter.wrap(try a.ops.variance(x, axes: axes, ddof: ddof, keepdims: keep))
        },
        Builtin("std(x, axis=none, ddof=0, keepdims=false)", group: "reduce",
                "the standard deviation, the square root of var with the same ddof",
                example: "std([1, 2, 3, 4])") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x"), axes = try a.axes(), ddof = try a.int("ddof"), keep = try a.bool("keepdims")
            guard ddof >= 0 else { throw a.error(DiagnosticMessages.cannotBeNegative("'ddof'"), at: "ddof") }
            return Interpreter.wrap(try a.ops.standardDeviation(x, axes: axes, ddof: ddof, keepdims: keep))
        },
    ]
}
