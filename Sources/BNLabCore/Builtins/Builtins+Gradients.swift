/// Gradients (training.md §1): leaves, backward, and taking values out of the tape.
extension Builtins {
    static let gradients: [Builtin] = [
        Builtin("param(x)", group: "gradients",
                "a copy of x that requires a gradient (a leaf, as a PyTorch parameter): operations on it are recorded, and backward() fills its .grad",
                example: "w = param([1, 2, 3]); loss = sum(w * w); loss.backward(); w.grad") { (a: inout BoundArguments) throws(Diagnostic) in
            .tensor(a.ops.parameter(try a.tensor("x")))
        },
        Builtin("backward(y)", group: "gradients",
                "fills .grad of every leaf y depends on with the gradient of y (one element), adding to what is there until zero_grad",
                example: "w = param([1, 2]); sum(w ^ 2).backward(); w.grad") { (a: inout BoundArguments) throws(Diagnostic) in
            let y = try a.tensor("y")
            try a.interpreter.backward(y, at: a.range(of: "y"), call: a.callRange)
            return .none
        },
        Builtin("detach(x)", group: "gradients", "x's values without history: operations on the result are not recorded",
                example: "w = param([1, 2]); detach(w * 2)") { (a: inout BoundArguments) throws(Diagnostic) in
            var x = try a.tensor("x")
            x.node = nil
            return Interpreter.wrap(x)
        },
        Builtin("zero_grad(params...)", group: "gradients",
                "sets the gradients of the given parameters (tensors, layers or optimizers) to none, as PyTorch's zero_grad(set_to_none=True)",
                example: "w = param([1, 2]); sum(w).backward(); zero_grad(w); w.grad") { (a: inout BoundArguments) throws(Diagnostic) in
            for (value, range) in a.rest {
                for p in try a.interpreter.parameters(in: value, range, what: "an argument of zero_grad") { p.node?.grad = nil }
            }
            return .none
        },
    ]
}

extension Ops {
    /// `param(x)`: a copy of x in a buffer of its own, a leaf that collects gradients.
    func parameter(_ x: Tensor) -> Tensor {
        observe("param")
        var leaf = x.copied()
        leaf.node = GradNode(leafOf: leaf.shape, origin: site)
        return leaf
    }
}

extension Interpreter {
    /// `y.backward()`: the gradient of one-element `y` with respect to every leaf it depends on.
    func backward(_ y: Tensor, at range: SourceRange, call: SourceRange) throws(Diagnostic) {
        guard let node = y.node else {
            throw error("backward() needs a tensor that requires a gradient; this one has no recorded history", range)
                .adding(.help, "make the inputs with param(x) or requires_grad=true, outside no_grad { … }")
        }
        guard y.count == 1 else {
            throw error("backward() needs a tensor with one element (a loss), got shape \(Value.shapeText(y.shape))", range)
                .adding(.help, "reduce it first, as in sum(y).backward() or mean(y).backward()")
        }
        let seed: Tensor
        do { seed = try Tensor.full(y.shape, 1) } catch { throw self.error(error, call) }
        do {
            try node.backward(seed: seed)
        } catch {
            throw backwardFailure(error, call: call)
        }
    }

    /// A failed backward step as a diagnostic at the forward expression that recorded it.
    private func backwardFailure(_ failure: BackwardFailure, call: SourceRange) -> Diagnostic {
        var diagnostic = Diagnostic(failure.error, file: file, range: call)
        if let site = failure.node.origin as? RecordSite {
            diagnostic = Diagnostic(failure.error, file: site.file, range: site.range)
            diagnostic.message = "in backward(): " + diagnostic.message
            diagnostic = diagnostic.adding(.note, "this step of the forward pass was recorded here; backward() was called at \(Diagnostic("", file: file, range: call).locationDescription ?? "the call")")
        }
        return diagnostic
    }

    /// The leaves among a value: a tensor that requires a gradient, or every parameter held by
    /// an object (a module and its children, an optimizer), each once.
    func parameters(in value: Value, _ range: SourceRange, what: @autoclosure () -> String) throws(Diagnostic) -> [Tensor] {
        switch value {
        case .tensor(let t) where t.node?.isLeaf == true:
            return [t]
        case .tensor, .number:
            throw error("\(what()) must be a tensor that requires a gradient (a parameter), a layer or an optimizer", range)
                .adding(.help, "make one with param(x)")
        case .object(let object):
            return ObjectGraph.parameters(from: [object])
        default:
            throw error(DiagnosticMessages.wrongType(what(), expected: "a parameter, a layer or an optimizer", got: value.typeDescription), range)
        }
    }
}
