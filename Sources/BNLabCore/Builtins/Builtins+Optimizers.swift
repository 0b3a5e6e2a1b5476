/// Optimizers (training.md §5): PyTorch's update rules on parameters given as tensors or layers.
extension Builtins {
    static let optimizers: [Builtin] = [
        Builtin("SGD(params..., lr, momentum=0, weight_decay=0)", group: "optimizers", makes: SGDOptimizer.self,
                "stochastic gradient descent as torch.optim.SGD: .step() moves each parameter by −lr times its .grad (with momentum and L2 weight decay); .zero_grad() clears the gradients",
                example: "w = param([1, 2]); opt = SGD(w, lr=0.1); sum(w ^ 2).backward(); opt.step(); w") { (a: inout BoundArguments) throws(Diagnostic) in
            let params = try OptimizerSupport.parameters(a)
            let lr = try a.double("lr")
            if let problem = OptimizerSupport.learningRate(lr) { throw a.error(problem, at: "lr") }
            let momentum = try OptimizerSupport.checkNonNegative(a, "momentum")
            let weightDecay = try OptimizerSupport.checkNonNegative(a, "weight_decay")
            return .object(SGDOptimizer(params: params, lr: lr, momentum: momentum, weightDecay: weightDecay))
        },
        Builtin("Adam(params..., lr=0.001, betas=[0.9, 0.999], eps=1e-8, weight_decay=0)", group: "optimizers", makes: AdamOptimizer.self,
                "Adam with bias correction as torch.optim.Adam (weight_decay is L2, added to the gradient): .step() updates the parameters from their .grad; .zero_grad() clears them",
                example: "w = param([1, 2]); opt = Adam(w, lr=0.1); sum(w ^ 2).backward(); opt.step(); w") { (a: inout BoundArguments) throws(Diagnostic) in
            let params = try OptimizerSupport.parameters(a)
            let lr = try a.double("lr")
            if let problem = OptimizerSupport.learningRate(lr) { throw a.error(problem, at: "lr") }
            let b = try Builtins.betas(a)
            let eps = try OptimizerSupport.checkNonNegative(a, "eps")
            let weightDecay = try OptimizerSupport.checkNonNegative(a, "weight_decay")
            return .object(AdamOptimizer(params: params, lr: lr, betas: (b[0], b[1]), eps: eps, weightDecay: weightDecay))
        },
    ]
}

extension Builtins {
    /// Adam's betas: two numbers in [0, 1); none is the signature's default [0.9, 0.999] (see Builtin's list defaults).
    static func betas(_ a: BoundArguments) throws(Diagnostic) -> [Double] {
        if a.isNone("betas") { return [0.9, 0.999] }
        let betas = try a.tensor("betas")
        let b = betas.elements
        guard betas.rank == 1, b.count == 2, b.allSatisfy({ $0 >= 0 && $0 < 1 }) else {
            let got = betas.rank == 1 && b.count == 2 ? "[\(b.map(Interpreter.numberText).joined(separator: ", "))]"
                : betas.rank == 0 ? "a number" : "shape \(Value.shapeText(betas.shape))"
            throw a.error("'betas' must be two numbers [β1, β2], each from 0 up to (not including) 1, got \(got)", at: "betas")
        }
        return b
    }
}
