/// What SGD and Adam share: the parameters they are given, their hyperparameter checks, their
/// state's saved form, and how they print (training.md §5).
enum OptimizerSupport {
    /// The parameters given to an optimizer's constructor: tensors that require a gradient
    /// (leaves) and objects (modules, lists of parameters: whatever `heldParameters` they and
    /// their children hold), in the order given, each once.
    static func parameters(_ a: BoundArguments) throws(Diagnostic) -> [Tensor] {
        let name = a.builtin.name
        var found: [Tensor] = []
        var seen: Set<ObjectIdentifier> = []
        func add(_ p: Tensor, _ range: SourceRange) throws(Diagnostic) {
            guard let node = p.node, seen.insert(ObjectIdentifier(node)).inserted else {
                throw a.interpreter.error("a parameter of shape \(Value.shapeText(p.shape)) is given to \(name) twice", range)
                    .adding(.help, "give each parameter once: a layer already includes its own weights")
            }
            found.append(p)
        }
        for (value, range) in a.rest {
            switch value {
            case .tensor(let t) where t.node?.isLeaf == true:
                try add(t, range)
            case .tensor(let t) where t.node != nil:
                throw a.interpreter.error("\(name) updates parameters, and this tensor of shape \(Value.shapeText(t.shape)) was computed from them (by '\(t.node?.name ?? "")')", range)
                    .adding(.help, "pass the parameters themselves (made with param(x)), one by one: \(name)(w, b, lr=…)")
            case .tensor, .number:
                throw a.interpreter.error("\(name) updates tensors that require a gradient; this is \(value.typeDescription) that does not", range)
                    .adding(.help, "make it a parameter with param(x) or requires_grad=true; give the learning rate by name, as in \(name)(w, lr=0.1)")
            case .object(let object):
                let held = ObjectGraph.parameters(from: [object])
                guard !held.isEmpty else {
                    throw a.interpreter.error("\(type(of: object).typeDescription) holds no parameters for \(name) to update", range)
                }
                for p in held { try add(p, range) }
            default:
                throw a.interpreter.error(DiagnosticMessages.wrongType("an argument of \(name)", expected: "a parameter or a layer", got: value.typeDescription), range)
            }
        }
        guard !found.isEmpty else {
            throw a.error("\(name) got no parameters to update")
                .adding(.help, "give it parameters or a model first, as in \(name)(w, b, lr=0.1) or \(name)(model, lr=0.1)")
        }
        return found
    }

    /// A learning rate: a finite number ≥ 0 (PyTorch refuses negative ones).
    static func learningRate(_ value: Double) -> String? {
        value.isFinite && value >= 0 ? nil : "'lr' must be a number ≥ 0, got \(Interpreter.numberText(value))"
    }

    /// A hyperparameter that must be finite and ≥ 0 (momentum, weight_decay, eps).
    static func checkNonNegative(_ a: BoundArguments, _ name: String) throws(Diagnostic) -> Double {
        let v = try a.double(name)
        guard v.isFinite, v >= 0 else { throw a.error("'\(name)' must be a number ≥ 0, got \(Interpreter.numberText(v))", at: name) }
        return v
    }

    /// A buffer saved by `snapshot()`: a copy, since the optimizer updates its buffers in place.
    static func saved(_ buffer: [Double]?, shape: [Int]) -> Value {
        guard let buffer, let t = try? Tensor(shape: shape, elements: buffer) else { return .none }
        return .tensor(t)
    }

    /// A buffer put back by `restore`.
    static func restored(_ value: Value) -> [Double]? {
        if case .tensor(let t) = value { return t.elements }
        return nil
    }

    /// A hyperparameter as Python prints it in PyTorch's repr: `0.001`, `1e-08`, `0` for an integer.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e16 { return String(Int(value)) }
        return BatchNormLayer.pythonFloat(value)
    }

    /// The gradient of `p` as row-major elements, checked against p's shape; nil when p has none.
    static func gradient(of p: Tensor) throws(TensorError) -> Tensor? {
        guard let g = p.node?.grad else { return nil }
        guard g.shape == p.shape else {
            throw TensorError("the gradient of a parameter of shape \(formatShape(p.shape)) has shape \(formatShape(g.shape))")
        }
        return g
    }

    /// `opt.zero_grad()`: every parameter's gradient set to none (PyTorch's set_to_none=True).
    static func zeroGrad(_ params: [Tensor]) {
        for p in params { p.node?.grad = nil }
    }
}

/// An optimizer: an object holding parameters that `.step()` updates from their gradients and
/// `.zero_grad()` clears; the methods are shared, each optimizer supplies its update rule.
protocol Optimizer: Object {
    /// The parameters, in the order given.
    var params: [Tensor] { get }
    /// One update of every parameter that has a gradient, in place.
    func step() throws(TensorError)
}

extension Optimizer {
    public var heldParameters: [Tensor] { params }

    public func method(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        switch name {
        case "step":
            try access.expectNoArguments(name)
            try access.attempt(at: access.range) { () throws(TensorError) in try step() }
            return .none
        case "zero_grad":
            try access.expectNoArguments(name)
            OptimizerSupport.zeroGrad(params)
            return .none
        default:
            throw noMethod(name, access, note: "an optimizer has .step() (update the parameters from their .grad) and .zero_grad()")
        }
    }
}
