extension Builtins {
    static let construction: [Builtin] = [
        Builtin("zeros(d...)", group: "construct", "a tensor of zeros with the given sizes", example: "zeros(2, 3)") { (a: inout BoundArguments) throws(Diagnostic) in
            let dims = try a.dimensions()
            return Interpreter.wrap(try a.attempt { () throws(TensorError) in try Tensor.zeros(dims) })
        },
        Builtin("ones(d...)", group: "construct", "a tensor of ones with the given sizes", example: "ones(3)") { (a: inout BoundArguments) throws(Diagnostic) in
            let dims = try a.dimensions()
            return Interpreter.wrap(try a.attempt { () throws(TensorError) in try Tensor.full(dims, 1) })
        },
        Builtin("full(shape, v)", group: "construct", "a tensor of the given shape filled with v", example: "full([2, 2], 0.5)") { (a: inout BoundArguments) throws(Diagnostic) in
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
            return Interpreter.wrap(try a.attempt { () throws(TensorError) in try Tensor.full(dims, v) })
        },
        Builtin("arange(a, b=none, step=1)", group: "construct",
                "arange(n) is 0, 1, …, n−1; arange(a, b, step) counts from a up to (not including) b",
                example: "arange(36).reshape(3, 3, 2, 2)") { (a: inout BoundArguments) throws(Diagnostic) in
            var start = try a.double("a")
            var stop = 0.0
            if let b = try a.optionalDouble("b") { stop = b } else { (start, stop) = (0, start) }
            let step = try a.double("step")
            guard step != 0 else { throw a.error("'step' of arange cannot be 0", at: "step") }
            return .tensor(try a.attempt { () throws(TensorError) in try Tensor.arange(start, stop, step) })
        },
        Builtin("linspace(a, b, n)", group: "construct", "n evenly spaced numbers from a to b, both included",
                example: "linspace(0, 1, 5)") { (a: inout BoundArguments) throws(Diagnostic) in
            let low = try a.double("a"), high = try a.double("b"), n = try a.int("n")
            guard n >= 0 else { throw a.error("'n' of linspace cannot be negative", at: "n") }
            return .tensor(try a.attempt { () throws(TensorError) in try Tensor.linspace(low, high, n) })
        },
        Builtin("eye(n)", group: "construct", "the n×n identity matrix", example: "eye(3)") { (a: inout BoundArguments) throws(Diagnostic) in
            let n = try a.int("n")
            guard n >= 0 else { throw a.error("'n' of eye cannot be negative", at: "n") }
            return .tensor(try a.attempt { () throws(TensorError) in try Tensor.eye(n) })
        },
        Builtin("randn(d..., seed=0)", group: "construct",
                "standard normal samples from bnlab's seeded generator: the same seed gives the same numbers everywhere",
                example: "randn(4, 3, seed=1)") { (a: inout BoundArguments) throws(Diagnostic) in
            let dims = try a.dimensions()
            let seed = try Builtins.seed(&a)
            return Interpreter.wrap(try a.attempt { () throws(TensorError) in try Tensor.randn(dims, seed: seed) })
        },
        Builtin("rand(d..., seed=0)", group: "construct", "uniform samples in [0, 1) from bnlab's seeded generator",
                example: "rand(2, 2, seed=3)") { (a: inout BoundArguments) throws(Diagnostic) in
            let dims = try a.dimensions()
            let seed = try Builtins.seed(&a)
            return Interpreter.wrap(try a.attempt { () throws(TensorError) in try Tensor.rand(dims, seed: seed) })
        },
        Builtin("BatchNorm(num_features, eps=1e-5, momentum=0.1, affine=true)", group: "BN family",
                "a batch normalization layer with PyTorch's semantics: call it on [N, C, …] batches; .train() and .eval() switch mode",
                example: "bn = BatchNorm(3); y = bn(randn(8, 3, seed=1))") { (a: inout BoundArguments) throws(Diagnostic) in
            let n = try a.int("num_features")
            guard n > 0 else { throw a.error("'num_features' must be positive, got \(n)", at: "num_features") }
            let eps = try a.double("eps")
            guard eps >= 0 else { throw a.error("'eps' must be ≥ 0", at: "eps") }
            let momentum = try a.optionalDouble("momentum")
            if let m = momentum, !(m >= 0 && m <= 1) {
                throw a.error("'momentum' must be none or a number from 0 to 1", at: "momentum")
            }
            let affine = try a.bool("affine")
            return .layer(try a.attempt { () throws(TensorError) in
                try BatchNormLayer(numFeatures: n, eps: eps, momentum: momentum, affine: affine)
            })
        },
    ]

    private static func seed(_ a: inout BoundArguments) throws(Diagnostic) -> UInt64 {
        let seed = try a.int("seed")
        guard seed >= 0 else { throw a.error("'seed' must be a non-negative integer", at: "seed") }
        return UInt64(seed)
    }
}
