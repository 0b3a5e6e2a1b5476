#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam with bias correction and L2 weight decay (not AdamW): exactly `torch.optim.Adam`'s
/// single-tensor update, in its operation order, so the numbers are PyTorch's scalar kernels'.
public final class AdamOptimizer: Optimizer {
    /// The parameters, in the order given; updated in place, so every holder sees the step.
    let params: [Tensor]
    public var lr: Double
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let weightDecay: Double
    /// Per parameter, as PyTorch's `state`: steps taken (a parameter without a gradient is
    /// skipped and does not count), and the first and second moments, nil before the first step.
    var steps: [Int]
    var firstMoments: [[Double]?]
    var secondMoments: [[Double]?]

    public static let typeName = "Adam"
    public static let typeDescription = "an Adam optimizer"
    public static let kind = "optimizer"
    public static let exampleName = "opt"
    public static let fieldNames = ["lr", "betas", "eps", "weight_decay"]
    public static let methodNames = ["step", "zero_grad"]

    init(params: [Tensor], lr: Double, betas: (Double, Double), eps: Double, weightDecay: Double) {
        self.params = params
        self.lr = lr
        (beta1, beta2) = betas
        self.eps = eps
        self.weightDecay = weightDecay
        steps = Array(repeating: 0, count: params.count)
        firstMoments = Array(repeating: nil, count: params.count)
        secondMoments = Array(repeating: nil, count: params.count)
    }


    /// One step, per parameter with a gradient g, as PyTorch's `_single_tensor_adam`:
    /// g += wd·p; m = lerp(m, g, 1 − β1); v = β2·v + (1 − β2)·g·g;
    /// p += −(lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + eps).
    func step() throws(TensorError) {
        let wd = weightDecay, beta1 = beta1, beta2 = beta2, eps = eps
        // torch.lerp's weight (the kernel takes lerp's two branches, its choice for accuracy).
        let weight = 1 - beta1
        for (index, p) in params.enumerated() {
            guard let g = try OptimizerSupport.gradient(of: p) else { continue }
            // Taken out of the lists while updated, so the writes below find them unshared (no copy).
            var m = firstMoments[index] ?? [Double](repeating: 0, count: p.count)
            var v = secondMoments[index] ?? [Double](repeating: 0, count: p.count)
            firstMoments[index] = nil
            secondMoments[index] = nil
            defer { firstMoments[index] = m; secondMoments[index] = v }
            steps[index] += 1
            let t = Double(steps[index])
            let biasCorrection1 = 1 - pow(beta1, t)
            let biasCorrection2 = 1 - pow(beta2, t)
            let stepSize = lr / biasCorrection1
            let biasCorrection2Sqrt = pow(biasCorrection2, 0.5)
            let failure: TensorError? = g.withRowMajorElements { (grad) -> TensorError? in
                do throws(TensorError) {
                    try p.updateInPlace { param in
                        m.withUnsafeMutableBufferPointer { m in
                            v.withUnsafeMutableBufferPointer { v in
                                OptimizerKernels.adam(param, grad: grad, m: m, v: v, OptimizerKernels.AdamStep(
                                    weightDecay: wd, weight: weight, beta2: beta2, biasCorrection2Sqrt: biasCorrection2Sqrt,
                                    eps: eps, stepSize: stepSize))
                            }
                        }
                    }
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { steps[index] -= 1; throw failure }
        }
    }

    public func snapshot() -> ObjectState {
        var values: [Value] = [.number(lr)]
        for (index, p) in params.enumerated() {
            values.append(.number(Double(steps[index])))
            values.append(OptimizerSupport.saved(firstMoments[index], shape: p.shape))
            values.append(OptimizerSupport.saved(secondMoments[index], shape: p.shape))
        }
        return ObjectState(values)
    }

    public func restore(_ state: ObjectState) {
        let v = state.values
        guard v.count == 1 + 3 * params.count, case .number(let lr) = v[0] else { return }
        self.lr = lr
        for index in params.indices {
            if case .number(let t) = v[1 + 3 * index] { steps[index] = Int(t) }
            firstMoments[index] = OptimizerSupport.restored(v[2 + 3 * index])
            secondMoments[index] = OptimizerSupport.restored(v[3 + 3 * index])
        }
    }

    public func field(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        switch name {
        case "lr": return .number(lr)
        case "betas":
            return try access.attempt(at: access.nameRange) { () throws(TensorError) in
                .tensor(try Tensor(shape: [2], elements: [beta1, beta2]))
            }
        case "eps": return .number(eps)
        case "weight_decay": return .number(weightDecay)
        default: throw noField(name, access)
        }
    }

    public func setField(_ name: String, to value: Value, _ access: ObjectAccess) throws(Diagnostic) {
        switch name {
        case "lr": lr = try OptimizerSupport.assignedLearningRate(value, access)
        case "betas", "eps", "weight_decay":
            throw access.error("'\(name)' is fixed when the optimizer is made").adding(.help, "make a new one: Adam(…, \(name)=…)")
        default: _ = try field(name, access)
        }
    }

    /// `Adam(4 tensors, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0)`, as PyTorch's hyperparameters.
    public var description: String {
        let n = OptimizerSupport.number
        return "Adam(\(params.count) tensor\(params.count == 1 ? "" : "s"), lr=\(n(lr)), betas=(\(n(beta1)), \(n(beta2))), eps=\(n(eps)), weight_decay=\(n(weightDecay)))"
    }
}
