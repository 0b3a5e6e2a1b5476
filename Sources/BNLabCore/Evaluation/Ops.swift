/// The one seam between the language and the tensor library: every tensor operation a program
/// asks for (operators, unary minus, indexing and mask indexing, index assignment, `for` rows,
/// `.T`, list stacking, the builtins and layers) is one primitive here, so recording a step for
/// gradients (training.md §1) is one addition beside each primitive, not a hunt through call sites.
///
/// An `Ops` value is the place an operation was written: its failure becomes a diagnostic there
/// (and a failing backward step will point there). Numbers combined with numbers never come here:
/// the compiler's scalar fast paths stay inline. Constructors (`zeros`, `randn`, `a..b`) make
/// leaves from no tensors and stay outside.
struct Ops {
    let interpreter: Interpreter
    /// Where the operation was written.
    let range: SourceRange

    init(_ interpreter: Interpreter, at range: SourceRange) {
        self.interpreter = interpreter
        self.range = range
    }

    /// Runs one primitive: the session's observer (tests only; nil costs one load) hears its
    /// name, and a tensor failure becomes a diagnostic at `range`.
    @inline(__always)
    private func run<T>(_ name: @autoclosure () -> String, _ body: () throws(TensorError) -> T) throws(Diagnostic) -> T {
        if let observer = interpreter.opsObserver { observer(name()) }
        do { return try body() } catch { throw interpreter.error(error, range) }
    }

    /// A diagnostic at the operation, for checks a primitive's caller makes first.
    func error(_ message: String) -> Diagnostic {
        interpreter.error(message, range)
    }

    // MARK: - Elementwise

    /// `-x`, `exp(x)`, `relu(x)`, …
    func unary(_ op: UnaryOp, _ x: Tensor) throws(Diagnostic) -> Tensor {
        try run("\(op)") { () throws(TensorError) in try Tensor.unary(op, x) }
    }

    /// `a + b`, `a < b`, `maximum(a, b)`, … with broadcasting.
    func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) throws(Diagnostic) -> Tensor {
        try run("\(op)") { () throws(TensorError) in try Tensor.binary(op, a, b) }
    }

    /// `a @ b`.
    func matmul(_ a: Tensor, _ b: Tensor) throws(Diagnostic) -> Tensor {
        try run("matmul") { () throws(TensorError) in try Tensor.matmul(a, b) }
    }

    func round(_ x: Tensor, digits: Int) throws(Diagnostic) -> Tensor {
        try run("round") { () throws(TensorError) in try Tensor.round(x, digits: digits) }
    }

    func clip(_ x: Tensor, _ lo: Tensor, _ hi: Tensor) throws(Diagnostic) -> Tensor {
        try run("clip") { () throws(TensorError) in try Tensor.clip(x, lo, hi) }
    }

    /// `where(cond, a, b)`.
    func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws(Diagnostic) -> Tensor {
        try run("select") { () throws(TensorError) in try Tensor.select(condition, a, b) }
    }

    // MARK: - Indexing

    /// `x[i, a:b]`, and each row of `for row in x`.
    func index(_ x: Tensor, _ index: [TensorIndex]) throws(Diagnostic) -> Tensor {
        try run("index") { () throws(TensorError) in try x.indexed(index) }
    }

    /// `x[mask]`.
    func mask(_ x: Tensor, _ mask: Tensor) throws(Diagnostic) -> Tensor {
        try run("mask") { () throws(TensorError) in try x.masked(mask) }
    }

    /// `x[i, a:b] = v`: x with the selected elements replaced.
    func assignIndex(_ x: Tensor, _ index: [TensorIndex], _ value: Tensor) throws(Diagnostic) -> Tensor {
        var result = x
        try run("assignIndex") { () throws(TensorError) in try result.assign(index, value) }
        return result
    }

    /// `x[mask] = v`.
    func assignMask(_ x: Tensor, _ mask: Tensor, _ value: Tensor) throws(Diagnostic) -> Tensor {
        var result = x
        try run("assignMask") { () throws(TensorError) in try result.assignMasked(mask, value) }
        return result
    }

    // MARK: - Shape

    /// `x.T` and `transpose(x, axes...)`; nil reverses the axes.
    func transpose(_ x: Tensor, _ axes: [Int]?) throws(Diagnostic) -> Tensor {
        try run("transpose") { () throws(TensorError) in try x.transposed(axes) }
    }

    func reshape(_ x: Tensor, _ dims: [Int]) throws(Diagnostic) -> Tensor {
        try run("reshape") { () throws(TensorError) in try x.reshaped(dims) }
    }

    func flatten(_ x: Tensor) throws(Diagnostic) -> Tensor {
        try run("flatten") { () throws(TensorError) in try x.flattened() }
    }

    /// `[x, y]` of tensors, and `stack(t..., axis)`.
    func stack(_ tensors: [Tensor], axis: Int) throws(Diagnostic) -> Tensor {
        try run("stack") { () throws(TensorError) in try Tensor.stack(tensors, axis: axis) }
    }

    func concat(_ tensors: [Tensor], axis: Int) throws(Diagnostic) -> Tensor {
        try run("concat") { () throws(TensorError) in try Tensor.concat(tensors, axis: axis) }
    }

    // MARK: - Reductions

    /// `sum mean min max prod` over axes (nil: all).
    func reduce(_ op: ReduceOp, _ x: Tensor, axes: [Int]?, keepdims: Bool) throws(Diagnostic) -> Tensor {
        try run("\(op)") { () throws(TensorError) in try x.reduce(op, axes: axes, keepdims: keepdims) }
    }

    /// `argmax argmin`: indices, never differentiable.
    func argReduce(_ op: ArgReduceOp, _ x: Tensor, axis: Int?, keepdims: Bool) throws(Diagnostic) -> Tensor {
        try run("\(op)") { () throws(TensorError) in try x.argReduce(op, axis: axis, keepdims: keepdims) }
    }

    func variance(_ x: Tensor, axes: [Int]?, ddof: Int, keepdims: Bool) throws(Diagnostic) -> Tensor {
        try run("var") { () throws(TensorError) in try x.variance(axes: axes, ddof: ddof, keepdims: keepdims) }
    }

    func standardDeviation(_ x: Tensor, axes: [Int]?, ddof: Int, keepdims: Bool) throws(Diagnostic) -> Tensor {
        try run("std") { () throws(TensorError) in try x.standardDeviation(axes: axes, ddof: ddof, keepdims: keepdims) }
    }

    func norm(_ x: Tensor, axes: [Int]?, keepdims: Bool) throws(Diagnostic) -> Tensor {
        try run("norm") { () throws(TensorError) in try x.norm(axes: axes, keepdims: keepdims) }
    }

    // MARK: - Normalization (fused: one backward each, from the closed form)

    /// `batchnorm`: per channel of axis 1, batch statistics, then γ·x̂ + β.
    func batchNorm(_ x: Tensor, gamma: Tensor, beta: Tensor, eps: Double) throws(Diagnostic) -> Tensor {
        try run("batchnorm") { () throws(TensorError) in
            try x.channelBatchNormalized(channelAxis: 1, gamma: gamma, beta: beta, eps: eps)
        }
    }

    /// (x − mean) / √(var + eps) over `axes`: layernorm, instancenorm, groupnorm.
    func standardize(_ x: Tensor, axes: [Int], eps: Double) throws(Diagnostic) -> Tensor {
        try run("standardize") { () throws(TensorError) in try x.standardized(axes: axes, eps: eps) }
    }

    /// Per channel of axis 1, the batch mean and biased variance (a BatchNorm layer in training).
    func channelMoments(_ x: Tensor) throws(Diagnostic) -> (mean: Tensor, variance: Tensor) {
        try run("channelMoments") { () throws(TensorError) in try x.channelMoments(channelAxis: 1) }
    }

    /// Per channel of axis 1, γ·(x − mean)/√(variance + eps) + β with given statistics.
    func channelAffine(_ x: Tensor, mean: Tensor, variance: Tensor, gamma: Tensor, beta: Tensor,
                       eps: Double) throws(Diagnostic) -> Tensor {
        try run("channelAffine") { () throws(TensorError) in
            try x.channelAffineNormalized(channelAxis: 1, mean: mean, variance: variance, gamma: gamma, beta: beta, eps: eps)
        }
    }

    /// (1 − momentum)·old + momentum·new, PyTorch's running-statistics update.
    func ema(_ old: Tensor, _ new: Tensor, _ momentum: Double) throws(Diagnostic) -> Tensor {
        try run("ema") { () throws(TensorError) in
            try Tensor.binary(.add, Tensor.binary(.multiply, old, Tensor(1 - momentum)),
                              Tensor.binary(.multiply, new, Tensor(momentum)))
        }
    }

    // MARK: - Comparisons of whole tensors (a truth, no gradient)

    func allclose(_ a: Tensor, _ b: Tensor, rtol: Double, atol: Double) throws(Diagnostic) -> Bool {
        try run("allclose") { () throws(TensorError) in try Tensor.allclose(a, b, rtol: rtol, atol: atol) }
    }

    func arrayEqual(_ a: Tensor, _ b: Tensor) throws(Diagnostic) -> Bool {
        try run("arrayEqual") { () throws(TensorError) in Tensor.arrayEqual(a, b) }
    }
}

extension Interpreter {
    /// The tensor operations written at `range`.
    func ops(at range: SourceRange) -> Ops { Ops(self, at: range) }
}

extension BoundArguments {
    /// The tensor operations of this call, failing at the call.
    var ops: Ops { Ops(interpreter, at: callRange) }
}

extension ObjectAccess {
    /// The tensor operations of this member or call, failing at `range`.
    func ops(at range: SourceRange) -> Ops { Ops(interpreter, at: range) }
}
