/// Stochastic gradient descent with momentum and weight decay: exactly `torch.optim.SGD`
/// (dampening 0, no Nesterov), in its operation order.
public final class SGDOptimizer: Optimizer {
    /// The parameters, in the order given; updated in place, so every holder sees the step.
    let params: [Tensor]
    public var lr: Double
    public let momentum: Double
    public let weightDecay: Double
    /// Per parameter, the momentum buffer; nil until the parameter's first step with a gradient.
    var buffers: [[Double]?]

    public static let typeName = "SGD"
    public static let typeDescription = "an SGD optimizer"
    public static let kind = "optimizer"
    public static let exampleName = "opt"
    public static let fieldNames = ["lr", "momentum", "weight_decay"]
    public static let methodNames = ["step", "zero_grad"]

    init(params: [Tensor], lr: Double, momentum: Double, weightDecay: Double) {
        self.params = params
        self.lr = lr
        self.momentum = momentum
        self.weightDecay = weightDecay
        buffers = Array(repeating: nil, count: params.count)
    }


    /// One step: for each parameter with a gradient g, d = g + wd·p; with momentum,
    /// buf = d the first time, then momentum·buf + d, and d = buf; then p = p − lr·d.
    func step() throws(TensorError) {
        let lr = lr, momentum = momentum, wd = weightDecay
        for (index, p) in params.enumerated() {
            guard let g = try OptimizerSupport.gradient(of: p) else { continue }
            let first = buffers[index] == nil
            // Taken out of the list while updated, so the writes below find it unshared (no copy).
            var buffer = buffers[index] ?? []
            buffers[index] = nil
            defer { if momentum != 0 { buffers[index] = buffer } }
            if momentum != 0 && first { buffer = [Double](repeating: 0, count: p.count) }
            let failure: TensorError? = g.withRowMajorElements { (grad) -> TensorError? in
                do throws(TensorError) {
                    try p.updateInPlace { param in
                        buffer.withUnsafeMutableBufferPointer { buf in
                            for i in 0..<param.count {
                                // torch: grad.add(param, alpha=wd); buf.mul_(momentum).add_(grad); param.add_(grad, alpha=-lr)
                                var d = grad[i]
                                if wd != 0 { d = d + wd * param[i] }
                                if momentum != 0 {
                                    d = first ? d : buf[i] * momentum + d
                                    buf[i] = d
                                }
                                param[i] = param[i] + -lr * d
                            }
                        }
                    }
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
        }
    }

    public func snapshot() -> ObjectState {
        ObjectState([.number(lr)] + zip(params, buffers).map { OptimizerSupport.saved($1, shape: $0.shape) })
    }

    public func restore(_ state: ObjectState) {
        let v = state.values
        guard v.count == params.count + 1, case .number(let lr) = v[0] else { return }
        self.lr = lr
        buffers = v.dropFirst().map(OptimizerSupport.restored)
    }

    public func field(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        switch name {
        case "lr": return .number(lr)
        case "momentum": return .number(momentum)
        case "weight_decay": return .number(weightDecay)
        default: throw noField(name, access)
        }
    }

    public func setField(_ name: String, to value: Value, _ access: ObjectAccess) throws(Diagnostic) {
        switch name {
        case "lr": lr = try OptimizerSupport.assignedLearningRate(value, access)
        case "momentum", "weight_decay":
            throw access.error("'\(name)' is fixed when the optimizer is made").adding(.help, "make a new one: SGD(…, \(name)=…)")
        default: _ = try field(name, access)
        }
    }

    /// `SGD(4 tensors, lr=0.1, momentum=0.9, weight_decay=0)`, PyTorch's hyperparameters on one line.
    public var description: String {
        "SGD(\(params.count) tensor\(params.count == 1 ? "" : "s"), lr=\(OptimizerSupport.number(lr)), momentum=\(OptimizerSupport.number(momentum)), weight_decay=\(OptimizerSupport.number(weightDecay)))"
    }
}

extension OptimizerSupport {
    /// `opt.lr = v`: a number ≥ 0.
    static func assignedLearningRate(_ value: Value, _ access: ObjectAccess) throws(Diagnostic) -> Double {
        let t = try access.tensor(value, what: "'lr'")
        guard t.rank == 0, let v = t.scalarValue else { throw access.error("'lr' must be a number, got \(value.typeDescription)") }
        if let problem = learningRate(v) { throw access.error(problem) }
        return v
    }
}
