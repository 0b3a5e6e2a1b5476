extension Builtins {
    static let normalization: [Builtin] = [
        Builtin("minmax(x, axis=none)", group: "normalize", "(x − min) / (max − min): rescales to [0, 1] over the given axes",
                example: "minmax([2, 4, 10])") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x"), axes = try a.axes()
            let ops = a.ops
            let low = try ops.reduce(.min, x, axes: axes, keepdims: true)
            let high = try ops.reduce(.max, x, axes: axes, keepdims: true)
            return Interpreter.wrap(try ops.binary(.divide, ops.binary(.subtract, x, low), ops.binary(.subtract, high, low)))
        },
        Builtin("zscore(x, axis=none, ddof=0)", group: "normalize", "(x − mean) / std: mean 0 and standard deviation 1 over the given axes",
                example: "zscore([2, 4, 6])") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x"), axes = try a.axes(), ddof = try a.int("ddof")
            guard ddof >= 0 else { throw a.error(DiagnosticMessages.cannotBeNegative("'ddof'"), at: "ddof") }
            let ops = a.ops
            let mean = try ops.reduce(.mean, x, axes: axes, keepdims: true)
            let std = try ops.standardDeviation(x, axes: axes, ddof: ddof, keepdims: true)
            return Interpreter.wrap(try ops.binary(.divide, ops.binary(.subtract, x, mean), std))
        },
        Builtin("norm(x, axis=none, keepdims=false)", group: "normalize", "the ℓ2 norm √(Σ x²) over the given axes",
                example: "norm([3, 4])") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x"), axes = try a.axes(), keep = try a.bool("keepdims")
            return Interpreter.wrap(try a.ops.norm(x, axes: axes, keepdims: keep))
        },
        Builtin("l2normalize(x, axis=none)", group: "normalize", "x / norm(x): scales to ℓ2 norm 1 over the given axes",
                example: "l2normalize([3, 4])") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x"), axes = try a.axes()
            let ops = a.ops
            return Interpreter.wrap(try ops.binary(.divide, x, ops.norm(x, axes: axes, keepdims: true)))
        },
    ]

    static let batchNormFamily: [Builtin] = [
        Builtin("batchnorm(x, gamma=1, beta=0, eps=1e-5)", group: "BN family",
                "training-mode batch normalization: per channel (axis 1), the batch mean and biased variance over every other axis, then γ·x̂ + β",
                example: "batchnorm(arange(36).reshape(3, 3, 2, 2))") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x"), eps = try a.eps()
            guard x.rank >= 2 else {
                throw a.error("batchnorm expects an input of shape [N, C, …], got shape \(Value.shapeText(x.shape))", at: "x")
            }
            let channels = x.shape[1]
            let gamma = try Builtins.perChannel(a, "gamma", channels)
            let beta = try Builtins.perChannel(a, "beta", channels)
            guard channels == 0 || x.count / channels > 1 else {
                throw a.error("expected more than 1 value per channel when training, got input shape \(Value.shapeText(x.shape))", at: "x")
            }
            return Interpreter.wrap(try a.ops.batchNorm(x, gamma: gamma, beta: beta, eps: eps))
        },
        standardizing("layernorm", from: 1, "normalization of each sample over every axis except 0 (no γ, β)",
                      shapes: "[N, …] with rank 2 or more", example: "layernorm(randn(2, 3, seed=1))"),
        standardizing("instancenorm", from: 2, "normalization of each sample and channel over the spatial axes 2…",
                      shapes: "[N, C, L] or [N, C, H, W]", example: "instancenorm(randn(2, 3, 4, seed=1))"),
        Builtin("groupnorm(x, groups, eps=1e-5)", group: "BN family",
                "normalization of each sample over groups of C/groups channels and the spatial axes",
                example: "groupnorm(randn(2, 4, 3, seed=1), 2)") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x"), groups = try a.int("groups"), eps = try a.double("eps")
            guard x.rank >= 2 else {
                throw a.error("groupnorm expects an input of shape [N, C, …], got shape \(Value.shapeText(x.shape))", at: "x")
            }
            let channels = x.shape[1]
            guard groups > 0, channels % groups == 0 else {
                throw a.error("groupnorm needs the \(channels) channels to divide into \(groups) groups", at: "groups")
            }
            let perGroup = channels / groups * x.shape[2...].reduce(1, *)
            guard x.count == 0 || perGroup > 1 else {
                throw a.error("expected more than 1 value per group, got input shape \(Value.shapeText(x.shape)) with \(groups) groups", at: "x")
            }
            let ops = a.ops
            let grouped = try ops.reshape(x, [x.shape[0], groups, -1])
            return Interpreter.wrap(try ops.reshape(ops.standardize(grouped, axes: [2], eps: eps), x.shape))
        },
        Builtin("ema(old, new, momentum)", group: "BN family",
                "(1 − momentum)·old + momentum·new: one step of an exponential moving average, PyTorch's convention",
                example: "ema(0, 10, 0.1)") { (a: inout BoundArguments) throws(Diagnostic) in
            let old = try a.tensor("old"), new = try a.tensor("new"), m = try a.double("momentum")
            return Interpreter.wrap(try a.ops.ema(old, new, m))
        },
    ]

    /// A normalization over every axis from `first` on (LayerNorm from 1, InstanceNorm from 2).
    private static func standardizing(_ name: String, from first: Int, _ summary: String, shapes: String,
                                      example: String) -> Builtin {
        Builtin("\(name)(x, eps=1e-5)", group: "BN family", summary, example: example) { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x"), eps = try a.double("eps")
            guard x.rank > first else {
                throw a.error("\(name) expects an input of shape \(shapes), got shape \(Value.shapeText(x.shape))", at: "x")
            }
            // As batchnorm refuses one value per channel: a lone value normalises to 0 whatever it is.
            let group = x.shape[first...].reduce(1, *)
            guard x.count == 0 || group > 1 else {
                throw a.error("expected more than 1 value per \(first == 1 ? "sample" : "sample and channel"), got input shape \(Value.shapeText(x.shape))", at: "x")
            }
            return Interpreter.wrap(try a.ops.standardize(x, axes: Array(first..<x.rank), eps: eps))
        }
    }

    /// γ or β: a number, or one value per channel.
    private static func perChannel(_ a: BoundArguments, _ name: String, _ channels: Int) throws(Diagnostic) -> Tensor {
        let t = try a.tensor(name)
        guard t.count == 1 || t.shape == [channels] else {
            throw a.error("'\(name)' must be a number or have one value per channel, shape [\(channels)], got \(Value.shapeText(t.shape))", at: name)
        }
        return t
    }

    static let comparison: [Builtin] = [
        Builtin("allclose(a, b, rtol=1e-5, atol=1e-8)", group: "compare",
                "true when every |a − b| ≤ atol + rtol·|b| (numpy's rule, broadcasting)",
                example: "allclose(0.1 + 0.2, 0.3)") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("a"), y = try a.tensor("b"), rtol = try a.double("rtol"), atol = try a.double("atol")
            return .number(try a.ops.allclose(x, y, rtol: rtol, atol: atol) ? 1 : 0)
        },
        Builtin("equal(a, b)", group: "compare", "true when a and b have the same shape and the same values",
                example: "equal(shape(zeros(2, 3)), [2, 3])") { (a: inout BoundArguments) throws(Diagnostic) in
            if case .string(let s) = a.value("a"), case .string(let t) = a.value("b") { return .number(s == t ? 1 : 0) }
            let x = try a.tensor("a"), y = try a.tensor("b")
            return .number(try a.ops.arrayEqual(x, y) ? 1 : 0)
        },
    ]

    static let outputFunctions: [Builtin] = [
        Builtin("print(v...)", group: "output", "writes its arguments separated by spaces, then a new line",
                example: "print(\"mean:\", mean([1, 2, 3]))") { (a: inout BoundArguments) throws(Diagnostic) in
            let interpreter = a.interpreter
            a.output(a.rest.map { interpreter.printed($0.value) }.joined(separator: " ") + "\n")
            return .none
        },
        Builtin("help(f=none)", group: "output", "shows a function's signature, what it does and an example; help() lists every builtin",
                example: "help(mean)") { (a: inout BoundArguments) throws(Diagnostic) in
            switch a.value("f") {
            case .none:
                a.output(Builtins.overview + "\n")
            case .function(.builtin(let builtin)):
                a.output(Builtins.help(for: builtin) + "\n")
            case .function(.user(let function)):
                a.output(function.decl.signature + "\n    defined at " + (Diagnostic("", file: function.decl.file, range: function.decl.nameRange).locationDescription ?? "?") + "\n")
            case .string(let name):
                guard let builtin = Builtins.named[name] else {
                    throw a.error("no builtin named '\(name)'", at: "f").suggesting(name, from: Builtins.all.map(\.name))
                }
                a.output(Builtins.help(for: builtin) + "\n")
            case .object(let object):
                // An object's help is its constructor's; a list from .parameters() has none.
                guard let constructor = a.interpreter.builtin(named: type(of: object).typeName) else {
                    a.output("\(type(of: object).typeDescription): \(object.description)\n")
                    return .none
                }
                a.output(Builtins.help(for: constructor) + "\n")
            default:
                throw a.error("help takes a function, as in help(mean)", at: "f")
            }
            return .none
        },
    ]
}
