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
    /// Where an operator's two operands were written, so a shape error underlines both.
    let operands: OperandRanges?

    init(_ interpreter: Interpreter, at range: SourceRange, operands: OperandRanges? = nil) {
        self.interpreter = interpreter
        self.range = range
        self.operands = operands
    }

    // Each primitive tells the session's observer (tests only; nil costs one load) its name,
    // then runs its kernel, a failure becoming a diagnostic at `range`. Written out rather than
    // through a generic helper taking a closure, which costs calls and copies on every operation.

    @inline(__always)
    private func observe(_ name: @autoclosure () -> String) {
        if let observer = interpreter.opsObserver { observer(name()) }
    }

    /// A kernel's failure as a diagnostic at the operation.
    @inline(never)
    private func failure(_ error: TensorError) -> Diagnostic {
        interpreter.error(error, range)
    }

    /// A failure of an operator on two tensors: a shape error marks both operands when known.
    @inline(never)
    private func failure(_ error: TensorError, _ a: Tensor, _ b: Tensor, matmul: Bool) -> Diagnostic {
        let shapesClash = matmul
            ? !((1...2).contains(a.rank) && (1...2).contains(b.rank) && a.shape[a.rank - 1] == b.shape[0])
            : (try? Tensor.broadcastShape(a.shape, b.shape)) == nil
        // Only a clash of the two shapes is the operands' fault; a budget or work limit is the operation's.
        if let operands, error.kind == .failure, shapesClash {
            return interpreter.error(error, operands.left, highlights: [operands.right])
        }
        return failure(error)
    }

    /// A diagnostic at the operation, for checks a primitive's caller makes first.
    func error(_ message: String) -> Diagnostic {
        interpreter.error(message, range)
    }

    // MARK: - Elementwise

    /// `-x`, `exp(x)`, `relu(x)`, …
    func unary(_ op: UnaryOp, _ x: Tensor) throws(Diagnostic) -> Tensor {
        observe("\(op)")
        do { return try Tensor.unary(op, x) } catch { throw failure(error) }
    }

    /// `a + b`, `a < b`, `maximum(a, b)`, … with broadcasting.
    func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) throws(Diagnostic) -> Tensor {
        observe("\(op)")
        do { return try Tensor.binary(op, a, b) } catch { throw failure(error, a, b, matmul: false) }
    }

    /// `a @ b`.
    func matmul(_ a: Tensor, _ b: Tensor) throws(Diagnostic) -> Tensor {
        observe("matmul")
        do { return try Tensor.matmul(a, b) } catch { throw failure(error, a, b, matmul: true) }
    }

    func round(_ x: Tensor, digits: Int) throws(Diagnostic) -> Tensor {
        observe("round")
        do { return try Tensor.round(x, digits: digits) } catch { throw failure(error) }
    }

    func clip(_ x: Tensor, _ lo: Tensor, _ hi: Tensor) throws(Diagnostic) -> Tensor {
        observe("clip")
        do { return try Tensor.clip(x, lo, hi) } catch { throw failure(error) }
    }

    /// `where(cond, a, b)`.
    func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws(Diagnostic) -> Tensor {
        observe("select")
        do { return try Tensor.select(condition, a, b) } catch { throw failure(error) }
    }

    // MARK: - Indexing

    /// `x[i, a:b]`, and each row of `for row in x`.
    func index(_ x: Tensor, _ index: [TensorIndex]) throws(Diagnostic) -> Tensor {
        observe("index")
        do { return try x.indexed(index) } catch { throw failure(error) }
    }

    /// `x[mask]`.
    func mask(_ x: Tensor, _ mask: Tensor) throws(Diagnostic) -> Tensor {
        observe("mask")
        do { return try x.masked(mask) } catch { throw failure(error) }
    }

    /// `x[i, a:b] = v`: x with the selected elements replaced.
    func assignIndex(_ x: Tensor, _ index: [TensorIndex], _ value: Tensor) throws(Diagnostic) -> Tensor {
        var result = x
        observe("assignIndex")
        do { try result.assign(index, value) } catch { throw failure(error) }
        return result
    }

    /// `x[mask] = v`.
    func assignMask(_ x: Tensor, _ mask: Tensor, _ value: Tensor) throws(Diagnostic) -> Tensor {
        var result = x
        observe("assignMask")
        do { try result.assignMasked(mask, value) } catch { throw failure(error) }
        return result
    }

    // MARK: - Shape

    /// `x.T` and `transpose(x, axes...)`; nil reverses the axes.
    func transpose(_ x: Tensor, _ axes: [Int]?) throws(Diagnostic) -> Tensor {
        observe("transpose")
        do { return try x.transposed(axes) } catch { throw failure(error) }
    }

    func reshape(_ x: Tensor, _ dims: [Int]) throws(Diagnostic) -> Tensor {
        observe("reshape")
        do { return try x.reshaped(dims) } catch { throw failure(error) }
    }

    func flatten(_ x: Tensor) throws(Diagnostic) -> Tensor {
        observe("flatten")
        do { return try x.flattened() } catch { throw failure(error) }
    }

    /// `[x, y]` of tensors, and `stack(t..., axis)`.
    func stack(_ tensors: [Tensor], axis: Int) throws(Diagnostic) -> Tensor {
        observe("stack")
        do { return try Tensor.stack(tensors, axis: axis) } catch { throw failure(error) }
    }

    func concat(_ tensors: [Tensor], axis: Int) throws(Diagnostic) -> Tensor {
        observe("concat")
        do { return try Tensor.concat(tensors, axis: axis) } catch { throw failure(error) }
    }

    // MARK: - Reductions

    /// `sum mean min max prod` over axes (nil: all).
    func reduce(_ op: ReduceOp, _ x: Tensor, axes: [Int]?, keepdims: Bool) throws(Diagnostic) -> Tensor {
        observe("\(op)")
        do { return try x.reduce(op, axes: axes, keepdims: keepdims) } catch { throw failure(error) }
    }

    /// `argmax argmin`: indices, never differentiable.
    func argReduce(_ op: ArgReduceOp, _ x: Tensor, axis: Int?, keepdims: Bool) throws(Diagnostic) -> Tensor {
        observe("\(op)")
        do { return try x.argReduce(op, axis: axis, keepdims: keepdims) } catch { throw failure(error) }
    }

    func variance(_ x: Tensor, axes: [Int]?, ddof: Int, keepdims: Bool) throws(Diagnostic) -> Tensor {
        observe("var")
        do { return try x.variance(axes: axes, ddof: ddof, keepdims: keepdims) } catch { throw failure(error) }
    }

    func standardDeviation(_ x: Tensor, axes: [Int]?, ddof: Int, keepdims: Bool) throws(Diagnostic) -> Tensor {
        observe("std")
        do { return try x.standardDeviation(axes: axes, ddof: ddof, keepdims: keepdims) } catch { throw failure(error) }
    }

    func norm(_ x: Tensor, axes: [Int]?, keepdims: Bool) throws(Diagnostic) -> Tensor {
        observe("norm")
        do { return try x.norm(axes: axes, keepdims: keepdims) } catch { throw failure(error) }
    }

    // MARK: - Normalization (fused: one backward each, from the closed form)

    /// `batchnorm`: per channel of axis 1, batch statistics, then γ·x̂ + β.
    func batchNorm(_ x: Tensor, gamma: Tensor, beta: Tensor, eps: Double) throws(Diagnostic) -> Tensor {
        observe("batchnorm")
        do {
            return try x.channelBatchNormalized(channelAxis: 1, gamma: gamma, beta: beta, eps: eps)
        } catch {
            throw failure(error)
        }
    }

    /// (x − mean) / √(var + eps) over `axes`: layernorm, instancenorm, groupnorm.
    func standardize(_ x: Tensor, axes: [Int], eps: Double) throws(Diagnostic) -> Tensor {
        observe("standardize")
        do { return try x.standardized(axes: axes, eps: eps) } catch { throw failure(error) }
    }

    /// Per channel of axis 1, the batch mean and biased variance (a BatchNorm layer in training).
    func channelMoments(_ x: Tensor) throws(Diagnostic) -> (mean: Tensor, variance: Tensor) {
        observe("channelMoments")
        do { return try x.channelMoments(channelAxis: 1) } catch { throw failure(error) }
    }

    /// Per channel of axis 1, γ·(x − mean)/√(variance + eps) + β with given statistics.
    func channelAffine(_ x: Tensor, mean: Tensor, variance: Tensor, gamma: Tensor, beta: Tensor,
                       eps: Double) throws(Diagnostic) -> Tensor {
        observe("channelAffine")
        do {
            return try x.channelAffineNormalized(channelAxis: 1, mean: mean, variance: variance, gamma: gamma, beta: beta, eps: eps)
        } catch {
            throw failure(error)
        }
    }

    /// (1 − momentum)·old + momentum·new, PyTorch's running-statistics update.
    func ema(_ old: Tensor, _ new: Tensor, _ momentum: Double) throws(Diagnostic) -> Tensor {
        observe("ema")
        do {
            return try Tensor.binary(.add, Tensor.binary(.multiply, old, Tensor(1 - momentum)),
                                     Tensor.binary(.multiply, new, Tensor(momentum)))
        } catch {
            throw failure(error)
        }
    }

    // MARK: - Comparisons of whole tensors (a truth, no gradient)

    func allclose(_ a: Tensor, _ b: Tensor, rtol: Double, atol: Double) throws(Diagnostic) -> Bool {
        observe("allclose")
        do { return try Tensor.allclose(a, b, rtol: rtol, atol: atol) } catch { throw failure(error) }
    }

    func arrayEqual(_ a: Tensor, _ b: Tensor) throws(Diagnostic) -> Bool {
        observe("arrayEqual")
        return Tensor.arrayEqual(a, b)
    }
}

extension Interpreter {
    /// The tensor operations written at `range`.
    func ops(at range: SourceRange, operands: OperandRanges? = nil) -> Ops { Ops(self, at: range, operands: operands) }
}

extension BoundArguments {
    /// The tensor operations of this call, failing at the call.
    var ops: Ops { Ops(interpreter, at: callRange) }
}

extension ObjectAccess {
    /// The tensor operations of this member or call, failing at `range`.
    func ops(at range: SourceRange) -> Ops { Ops(interpreter, at: range) }
}
