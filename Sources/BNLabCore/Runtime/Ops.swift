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
    func observe(_ name: @autoclosure () -> String) {
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
        return failure(error, shapesClash: shapesClash)
    }

    /// A failure of an operator on two tensors whose shapes clash or not.
    @inline(never)
    private func failure(_ error: TensorError, shapesClash: Bool) -> Diagnostic {
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

    // MARK: - Recording (training.md §1)

    /// Records `result` as made by `name` from `inputs` with `rule`, when gradients are on; with
    /// them off (`no_grad`), the result carries no history even if a kernel passed one through.
    /// Callers reach here only when an input requires a gradient, so untracked code pays one test.
    @inline(never)
    func record(_ result: inout Tensor, _ name: String, _ inputs: [Tensor], _ rule: @escaping Gradients.Rule) {
        guard interpreter.gradEnabled else { result.node = nil; return }
        result.node = GradNode(name, inputs: inputs.map(\.node), shape: result.shape, origin: site, rule: rule)
    }

    /// Records a step that has no gradient rule yet: reaching it in `backward()` is an error here.
    @inline(never)
    func recordWithoutRule(_ result: inout Tensor, _ name: String, _ inputs: [Tensor]) {
        record(&result, name, inputs) { _ throws(TensorError) in
            throw TensorError("there is no gradient rule for '\(name)'")
        }
    }

    /// A result that never carries a gradient (comparisons, `argmax`, `round`).
    @inline(__always)
    func constant(_ result: Tensor) -> Tensor {
        var result = result
        result.node = nil
        return result
    }

    /// Where this operation was written, kept by the steps it records.
    var site: RecordSite { RecordSite(file: interpreter.file, range: range) }

    // MARK: - Elementwise

    /// `-x`, `exp(x)`, `relu(x)`, …
    ///
    /// As `binary`, an untracked temporary operand lends its buffer to the result.
    func unary(_ op: UnaryOp, _ x: consuming Tensor) throws(Diagnostic) -> Tensor {
        observe("\(op)")
        if x.node == nil {
            do { return try Tensor.unary(op, consume x) } catch { throw failure(error) }
        }
        return try trackedUnary(op, x)
    }

    /// `unary` when the operand requires a gradient: the rule keeps it.
    private func trackedUnary(_ op: UnaryOp, _ x: Tensor) throws(Diagnostic) -> Tensor {
        var r: Tensor
        do { r = try Tensor.unary(op, x) } catch { throw failure(error) }
        if x.node != nil {
            if Gradients.isDifferentiable(op) { record(&r, "\(op)", [x], Gradients.unary(op, x, r)) } else { r.node = nil }
        }
        return r
    }

    /// `a + b`, `a < b`, `maximum(a, b)`, … with broadcasting.
    ///
    /// Operands are taken by value: when neither requires a gradient, an operand that is a
    /// temporary nothing else holds (`(x - m) / s`) lends its buffer to the result. With a
    /// gradient the rules keep the inputs, so they are passed on as copies and never reused.
    /// `binary` between a tensor and a number (on the left when `numberFirst`), without making a
    /// tensor of the number when nothing is recorded.
    func binary(_ op: BinaryOp, _ a: consuming Tensor, number v: Double, numberFirst: Bool) throws(Diagnostic) -> Tensor {
        observe("\(op)")
        guard a.node == nil else { return numberFirst ? try trackedBinary(op, Tensor(v), a) : try trackedBinary(op, a, Tensor(v)) }
        do { return try Tensor.binary(op, consume a, number: v, numberFirst: numberFirst) } catch { throw failure(error) }
    }

    func binary(_ op: BinaryOp, _ a: consuming Tensor, _ b: consuming Tensor) throws(Diagnostic) -> Tensor {
        observe("\(op)")
        if a.node == nil && b.node == nil { return try untrackedBinary(op, consume a, consume b) }
        return try trackedBinary(op, a, b)
    }

    /// `binary` when an operand requires a gradient: the rule keeps both inputs.
    private func trackedBinary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) throws(Diagnostic) -> Tensor {
        var r: Tensor
        do { r = try Tensor.binary(op, a, b) } catch { throw failure(error, a, b, matmul: false) }
        if a.node != nil || b.node != nil {
            if Gradients.isDifferentiable(op) {
                record(&r, "\(op)", [a, b], Gradients.binary(op, a, b, r, needs: (a.node != nil, b.node != nil)))
            } else {
                r.node = nil
            }
        }
        return r
    }

    /// `binary` without gradients: the operands go to the kernel by value (only their shapes are
    /// kept, for the error), so a temporary among them is held once and can be reused.
    private func untrackedBinary(_ op: BinaryOp, _ a: consuming Tensor, _ b: consuming Tensor) throws(Diagnostic) -> Tensor {
        let shapes = (a.shape, b.shape)
        do { return try Tensor.binary(op, consume a, consume b) } catch {
            throw failure(error, shapesClash: (try? Tensor.broadcastShape(shapes.0, shapes.1)) == nil)
        }
    }

    /// `a @ b`.
    func matmul(_ a: Tensor, _ b: Tensor) throws(Diagnostic) -> Tensor {
        observe("matmul")
        var r: Tensor
        do { r = try Tensor.matmul(a, b) } catch { throw failure(error, a, b, matmul: true) }
        if a.node != nil || b.node != nil {
            record(&r, "matmul", [a, b], Gradients.matmul(a, b, needs: (a.node != nil, b.node != nil)))
        }
        return r
    }

    func round(_ x: Tensor, digits: Int) throws(Diagnostic) -> Tensor {
        observe("round")
        do { return constant(try Tensor.round(x, digits: digits)) } catch { throw failure(error) }
    }

    func clip(_ x: Tensor, _ lo: Tensor, _ hi: Tensor) throws(Diagnostic) -> Tensor {
        observe("clip")
        var r: Tensor
        do { r = try Tensor.clip(x, lo, hi) } catch { throw failure(error) }
        if x.node != nil || lo.node != nil || hi.node != nil {
            record(&r, "clip", [x, lo, hi], Gradients.clip(x, lo, hi, needs: (x.node != nil, lo.node != nil, hi.node != nil)))
        }
        return r
    }

    /// `where(cond, a, b)`.
    func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws(Diagnostic) -> Tensor {
        observe("select")
        var r: Tensor
        do { r = try Tensor.select(condition, a, b) } catch { throw failure(error) }
        if a.node != nil || b.node != nil {
            record(&r, "where", [a, b], Gradients.select(condition, a, b, needs: (a.node != nil, b.node != nil)))
        }
        return r
    }

    // MARK: - Indexing

    /// `x[i, a:b]`, and each row of `for row in x`.
    func index(_ x: Tensor, _ index: [TensorIndex]) throws(Diagnostic) -> Tensor {
        observe("index")
        var r: Tensor
        do { r = try x.indexed(index) } catch { throw failure(error) }
        if x.node != nil { record(&r, "index", [x], Gradients.index(x, index)) }
        return r
    }

    /// `x[mask]`.
    func mask(_ x: Tensor, _ mask: Tensor) throws(Diagnostic) -> Tensor {
        observe("mask")
        var r: Tensor
        do { r = try x.masked(mask) } catch { throw failure(error) }
        if x.node != nil { record(&r, "mask", [x], Gradients.mask(x, mask)) }
        return r
    }

    /// `x[i, a:b] = v`: x with the selected elements replaced.
    func assignIndex(_ x: Tensor, _ index: [TensorIndex], _ value: Tensor) throws(Diagnostic) -> Tensor {
        var result = x
        observe("assignIndex")
        do { try result.assign(index, value) } catch { throw failure(error) }
        if x.node != nil || value.node != nil {
            record(&result, "assignIndex", [x, value], Gradients.assignIndex(x, index, value, needs: (x.node != nil, value.node != nil)))
        }
        return result
    }

    /// `x[mask] = v`.
    func assignMask(_ x: Tensor, _ mask: Tensor, _ value: Tensor) throws(Diagnostic) -> Tensor {
        var result = x
        observe("assignMask")
        do { try result.assignMasked(mask, value) } catch { throw failure(error) }
        if x.node != nil || value.node != nil {
            record(&result, "assignMask", [x, value], Gradients.assignMask(x, mask, value, needs: (x.node != nil, value.node != nil)))
        }
        return result
    }

    // MARK: - Shape

    /// `x.T` and `transpose(x, axes...)`; nil reverses the axes.
    func transpose(_ x: Tensor, _ axes: [Int]?) throws(Diagnostic) -> Tensor {
        observe("transpose")
        var r: Tensor
        do { r = try x.transposed(axes) } catch { throw failure(error) }
        if x.node != nil { record(&r, "transpose", [x], Gradients.transpose(x, axes)) }
        return r
    }

    func reshape(_ x: Tensor, _ dims: [Int]) throws(Diagnostic) -> Tensor {
        observe("reshape")
        var r: Tensor
        do { r = try x.reshaped(dims) } catch { throw failure(error) }
        if x.node != nil { record(&r, "reshape", [x], Gradients.reshape(x)) }
        return r
    }

    func flatten(_ x: Tensor) throws(Diagnostic) -> Tensor {
        observe("flatten")
        var r: Tensor
        do { r = try x.flattened() } catch { throw failure(error) }
        if x.node != nil { record(&r, "flatten", [x], Gradients.reshape(x)) }
        return r
    }

    /// `[x, y]` of tensors, and `stack(t..., axis)`.
    func stack(_ tensors: [Tensor], axis: Int) throws(Diagnostic) -> Tensor {
        observe("stack")
        var r: Tensor
        do { r = try Tensor.stack(tensors, axis: axis) } catch { throw failure(error) }
        if tensors.contains(where: \.requiresGrad) { record(&r, "stack", tensors, Gradients.stack(tensors, axis: axis)) }
        return r
    }

    func concat(_ tensors: [Tensor], axis: Int) throws(Diagnostic) -> Tensor {
        observe("concat")
        var r: Tensor
        do { r = try Tensor.concat(tensors, axis: axis) } catch { throw failure(error) }
        if tensors.contains(where: \.requiresGrad) { record(&r, "concat", tensors, Gradients.concat(tensors, axis: axis)) }
        return r
    }

    // MARK: - Reductions

    /// `sum mean min max prod` over axes (nil: all).
    func reduce(_ op: ReduceOp, _ x: Tensor, axes: [Int]?, keepdims: Bool) throws(Diagnostic) -> Tensor {
        observe("\(op)")
        var r: Tensor
        do { r = try x.reduce(op, axes: axes, keepdims: keepdims) } catch { throw failure(error) }
        if x.node != nil { record(&r, "\(op)", [x], Gradients.reduce(op, x, r, axes: axes, keepdims: keepdims)) }
        return r
    }

    /// `argmax argmin`: indices, never differentiable.
    func argReduce(_ op: ArgReduceOp, _ x: Tensor, axis: Int?, keepdims: Bool) throws(Diagnostic) -> Tensor {
        observe("\(op)")
        do { return constant(try x.argReduce(op, axis: axis, keepdims: keepdims)) } catch { throw failure(error) }
    }

    func variance(_ x: Tensor, axes: [Int]?, ddof: Int, keepdims: Bool) throws(Diagnostic) -> Tensor {
        observe("var")
        var r: Tensor
        do { r = try x.variance(axes: axes, ddof: ddof, keepdims: keepdims) } catch { throw failure(error) }
        if x.node != nil { record(&r, "var", [x], Gradients.variance(x, axes: axes, ddof: ddof, keepdims: keepdims)) }
        return r
    }

    func standardDeviation(_ x: Tensor, axes: [Int]?, ddof: Int, keepdims: Bool) throws(Diagnostic) -> Tensor {
        observe("std")
        var r: Tensor
        do { r = try x.standardDeviation(axes: axes, ddof: ddof, keepdims: keepdims) } catch { throw failure(error) }
        if x.node != nil { record(&r, "std", [x], Gradients.standardDeviation(x, r, axes: axes, ddof: ddof, keepdims: keepdims)) }
        return r
    }

    func norm(_ x: Tensor, axes: [Int]?, keepdims: Bool) throws(Diagnostic) -> Tensor {
        observe("norm")
        var r: Tensor
        do { r = try x.norm(axes: axes, keepdims: keepdims) } catch { throw failure(error) }
        if x.node != nil { record(&r, "norm", [x], Gradients.norm(x, r, axes: axes, keepdims: keepdims)) }
        return r
    }

    // MARK: - Normalization (fused: one backward each, from the closed form)

    /// `batchnorm`: per channel of axis 1, batch statistics, then γ·x̂ + β.
    func batchNorm(_ x: Tensor, gamma: Tensor, beta: Tensor, eps: Double) throws(Diagnostic) -> Tensor {
        observe("batchnorm")
        var r: Tensor
        do {
            r = try x.channelBatchNormalized(channelAxis: 1, gamma: gamma, beta: beta, eps: eps)
        } catch {
            throw failure(error)
        }
        if x.node != nil || gamma.node != nil || beta.node != nil {
            let needs = (x.node != nil, gamma.node != nil, beta.node != nil)
            record(&r, "batchnorm", [x, gamma, beta], Gradients.batchNorm(x, gamma: gamma, beta: beta, eps: eps, needs: needs))
        }
        return r
    }

    /// (x − mean) / √(var + eps) over `axes`: layernorm, instancenorm, groupnorm.
    func standardize(_ x: Tensor, axes: [Int], eps: Double) throws(Diagnostic) -> Tensor {
        observe("standardize")
        var r: Tensor
        do { r = try x.standardized(axes: axes, eps: eps) } catch { throw failure(error) }
        if x.node != nil { record(&r, "standardize", [x], Gradients.standardize(x, axes: axes, eps: eps)) }
        return r
    }

    /// Per channel of axis 1, the batch mean and biased variance (a BatchNorm layer in training).
    func channelMoments(_ x: Tensor) throws(Diagnostic) -> (mean: Tensor, variance: Tensor) {
        observe("channelMoments")
        // Statistics for the running averages: never differentiated (the layer's forward records its own step).
        do {
            let (mean, variance) = try x.channelMoments(channelAxis: 1)
            return (constant(mean), constant(variance))
        } catch {
            throw failure(error)
        }
    }

    /// Per channel of axis 1, γ·(x − mean)/√(variance + eps) + β with given statistics.
    func channelAffine(_ x: Tensor, mean: Tensor, variance: Tensor, gamma: Tensor, beta: Tensor,
                       eps: Double) throws(Diagnostic) -> Tensor {
        observe("channelAffine")
        var r: Tensor
        do {
            r = try x.channelAffineNormalized(channelAxis: 1, mean: mean, variance: variance, gamma: gamma, beta: beta, eps: eps)
        } catch {
            throw failure(error)
        }
        let inputs = [x, gamma, beta, mean, variance]
        if inputs.contains(where: \.requiresGrad) {
            let rule = Gradients.channelAffine(x, mean: mean, variance: variance, gamma: gamma, beta: beta, eps: eps,
                                               needs: inputs.map(\.requiresGrad))
            record(&r, "channelAffine", inputs, rule)
        }
        return r
    }

    /// (1 − momentum)·old + momentum·new, PyTorch's running-statistics update.
    func ema(_ old: Tensor, _ new: Tensor, _ momentum: Double) throws(Diagnostic) -> Tensor {
        observe("ema")
        var r: Tensor
        do {
            r = try Tensor.binary(.add, Tensor.binary(.multiply, old, Tensor(1 - momentum)),
                                  Tensor.binary(.multiply, new, Tensor(momentum)))
        } catch {
            throw failure(error)
        }
        if old.node != nil || new.node != nil {
            record(&r, "ema", [old, new], Gradients.ema(momentum, needs: (old.node != nil, new.node != nil), shapes: (old.shape, new.shape)))
        }
        return r
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

/// Where a recorded step was written, so a failing backward step points at its forward expression.
final class RecordSite {
    let file: SourceFile
    let range: SourceRange

    init(file: SourceFile, range: SourceRange) {
        self.file = file
        self.range = range
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
