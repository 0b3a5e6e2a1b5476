extension Builtins {
    static let construction: [Builtin] = [
        Builtin("zeros(d..., requires_grad=false)", group: "construct", "a tensor of zeros with the given sizes", example: "zeros(2, 3)") { (a: inout BoundArguments) throws(Diagnostic) in
            let dims = try a.dimensions()
            return try Builtins.leaf(&a, try a.attempt { () throws(TensorError) in try Tensor.zeros(dims) })
        },
        Builtin("ones(d..., requires_grad=false)", group: "construct", "a tensor of ones with the given sizes", example: "ones(3)") { (a: inout BoundArguments) throws(Diagnostic) in
            let dims = try a.dimensions()
            return try Builtins.leaf(&a, try a.attempt { () throws(TensorError) in try Tensor.full(dims, 1) })
        },
        Builtin("full(shape, v, *, requires_grad=false)", group: "construct", "a tensor of the given shape filled with v", example: "full([2, 2], 0.5)") { (a: inout BoundArguments) throws(Diagnostic) in
            let shapeTensor = try a.tensor("shape")
            var dims: [Int] = []
            for v in shapeTensor.elements {
                if shapeTensor.rank <= 1, Interpreter.exactInt(v) == nil, v.isFinite, v == v.rounded(), v > 0 {
                    throw a.error("'shape' must be a list of sizes, got \(Interpreter.integerMismatch(v))", at: "shape")
                }
                guard let i = Interpreter.exactInt(v), i >= 0, shapeTensor.rank <= 1 else {
                    throw a.error("'shape' must be a list of sizes, as in [2, 3]", at: "shape")
                }
                dims.append(i)
            }
            let v = try a.double("v")
            return try Builtins.leaf(&a, try a.attempt { () throws(TensorError) in try Tensor.full(dims, v) })
        },
        Builtin("arange(a, b=none, step=1, *, requires_grad=false)", group: "construct",
                "arange(n) is 0, 1, …, n−1; arange(a, b, step) counts from a up to (not including) b",
                example: "arange(36).reshape(3, 3, 2, 2)") { (a: inout BoundArguments) throws(Diagnostic) in
            var start = try a.double("a")
            var stop = 0.0
            if let b = try a.optionalDouble("b") { stop = b } else { (start, stop) = (0, start) }
            let step = try a.double("step")
            guard step != 0 else { throw a.error("'step' of arange cannot be 0", at: "step") }
            return try Builtins.leaf(&a, try a.attempt { () throws(TensorError) in try Tensor.arange(start, stop, step) })
        },
        Builtin("linspace(a, b, n, *, requires_grad=false)", group: "construct", "n evenly spaced numbers from a to b, both included",
                example: "linspace(0, 1, 5)") { (a: inout BoundArguments) throws(Diagnostic) in
            let low = try a.double("a"), high = try a.double("b"), n = try a.int("n")
            guard n >= 0 else { throw a.error(DiagnosticMessages.cannotBeNegative("'n' of linspace"), at: "n") }
            return try Builtins.leaf(&a, try a.attempt { () throws(TensorError) in try Tensor.linspace(low, high, n) })
        },
        Builtin("eye(n, *, requires_grad=false)", group: "construct", "the n×n identity matrix", example: "eye(3)") { (a: inout BoundArguments) throws(Diagnostic) in
            let n = try a.int("n")
            guard n >= 0 else { throw a.error(DiagnosticMessages.cannotBeNegative("'n' of eye"), at: "n") }
            return try Builtins.leaf(&a, try a.attempt { () throws(TensorError) in try Tensor.eye(n) })
        },
        Builtin("randn(d..., seed=none, requires_grad=false)", group: "construct",
                "standard normal samples from the session's generator (manual_seed sets it; each call advances it); seed=k gives seed k's fixed numbers and leaves the session's generator alone",
                example: "randn(4, 3, seed=1)") { (a: inout BoundArguments) throws(Diagnostic) in
            let dims = try a.dimensions()
            return try Builtins.drawing(&a) { (g: inout RandomGenerator) throws(TensorError) in try Tensor.randn(dims, generator: &g) }
        },
        Builtin("rand(d..., seed=none, requires_grad=false)", group: "construct",
                "uniform samples in [0, 1) from the session's generator (or seed k's fixed numbers with seed=k)",
                example: "rand(2, 2, seed=3)") { (a: inout BoundArguments) throws(Diagnostic) in
            let dims = try a.dimensions()
            return try Builtins.drawing(&a) { (g: inout RandomGenerator) throws(TensorError) in try Tensor.rand(dims, generator: &g) }
        },
        Builtin("randint(low, high, d..., seed=none)", group: "construct",
                "random integers from low up to (not including) high, as PyTorch's randint, from the session's generator",
                example: "randint(0, 10, 2, 3, seed=1)") { (a: inout BoundArguments) throws(Diagnostic) in
            let low = try a.int("low"), high = try a.int("high")
            guard high > low else { throw a.error("randint needs low < high, got low \(low) and high \(high)", at: "high") }
            let dims = try a.dimensions()
            return try Builtins.drawing(&a) { (g: inout RandomGenerator) throws(TensorError) in
                try Tensor.randint(low, high, dims, generator: &g)
            }
        },
        Builtin("perm(n, seed=none)", group: "construct",
                "a random order of 0, 1, …, n−1 (PyTorch's randperm), from the session's generator",
                example: "perm(5, seed=1)") { (a: inout BoundArguments) throws(Diagnostic) in
            let n = try a.int("n")
            guard n >= 0 else { throw a.error(DiagnosticMessages.cannotBeNegative("'n' of perm"), at: "n") }
            return try Builtins.drawing(&a) { (g: inout RandomGenerator) throws(TensorError) in try Tensor.permutation(n, generator: &g) }
        },
        Builtin("manual_seed(n)", group: "construct",
                "seeds the session's generator, as torch.manual_seed: the random calls after it repeat their numbers; a session starts as if manual_seed(0) had run",
                example: "manual_seed(5); randn(3)") { (a: inout BoundArguments) throws(Diagnostic) in
            let seed = try Builtins.seed(&a, "n")
            a.interpreter.generator = RandomGenerator(seed: seed)
            return .none
        },
        Builtin("BatchNorm(num_features, eps=1e-5, momentum=0.1, affine=true)", group: "BN family", makes: BatchNormLayer.self,
                "a batch normalization layer with PyTorch's semantics: call it on [N, C, …] batches; .train() and .eval() switch mode",
                example: "bn = BatchNorm(3); y = bn(randn(8, 3, seed=1))") { (a: inout BoundArguments) throws(Diagnostic) in
            let n = try a.int("num_features")
            guard n > 0 else { throw a.error("'num_features' must be positive, got \(n)", at: "num_features") }
            let eps = try a.eps()
            let momentum = try a.optionalDouble("momentum")
            if let m = momentum, !(m >= 0 && m <= 1) {
                throw a.error(DiagnosticMessages.momentumRange, at: "momentum")
            }
            let affine = try a.bool("affine")
            return .object(try a.attempt { () throws(TensorError) in
                try BatchNormLayer(numFeatures: n, eps: eps, momentum: momentum, affine: affine)
            })
        },
    ]

    /// A constructor's result, a leaf that requires a gradient when `requires_grad=true` was given
    /// (the constructors without that parameter give plain tensors).
    static func leaf(_ a: inout BoundArguments, _ t: Tensor) throws(Diagnostic) -> Value {
        guard a.builtin.parameters.contains(where: { $0.name == "requires_grad" }), try a.bool("requires_grad") else {
            return Interpreter.wrap(t)
        }
        return .tensor(a.ops.parameter(t))
    }

    private static func seed(_ a: inout BoundArguments, _ name: String = "seed") throws(Diagnostic) -> UInt64 {
        let seed = try a.int(name)
        guard seed >= 0 else { throw a.error("'\(name)' must be a non-negative integer", at: name) }
        return UInt64(seed)
    }

    /// Runs a random draw on seed k's own generator when `seed=k` is given, else on the
    /// session's, which is left advanced only when the draw succeeds.
    private static func drawing(_ a: inout BoundArguments,
                                _ draw: (inout RandomGenerator) throws(TensorError) -> Tensor) throws(Diagnostic) -> Value {
        if !a.isNone("seed") {
            var generator = RandomGenerator(seed: try seed(&a))
            let result = try a.attempt { () throws(TensorError) in try draw(&generator) }
            return try leaf(&a, result)
        }
        var generator = a.interpreter.generator
        let result = try a.attempt { () throws(TensorError) in try draw(&generator) }
        a.interpreter.generator = generator
        return try leaf(&a, result)
    }
}
