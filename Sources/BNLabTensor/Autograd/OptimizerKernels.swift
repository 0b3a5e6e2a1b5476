import CKernels

/// Fused optimizer updates over a parameter's buffers: one pass over p, g and the state, in
/// place, vectorised where the CPU allows and bit for bit the same where it does not.
public enum OptimizerKernels {
    /// The constants of one Adam step for one parameter, as PyTorch's `_single_tensor_adam` forms them.
    public struct AdamStep {
        public var weightDecay: Double
        /// 1 − β1 (torch.lerp's weight); β1 = 1 − weight.
        public var weight: Double
        public var beta2: Double
        /// √(1 − β2^t).
        public var biasCorrection2Sqrt: Double
        public var eps: Double
        /// lr / (1 − β1^t).
        public var stepSize: Double

        public init(weightDecay: Double, weight: Double, beta2: Double, biasCorrection2Sqrt: Double, eps: Double, stepSize: Double) {
            self.weightDecay = weightDecay
            self.weight = weight
            self.beta2 = beta2
            self.biasCorrection2Sqrt = biasCorrection2Sqrt
            self.eps = eps
            self.stepSize = stepSize
        }
    }

    /// One Adam step: m, v and p updated in place from g (all of p's count). `portable` forces
    /// the scalar loop (tests compare the two paths).
    public static func adam(_ p: UnsafeMutableBufferPointer<Double>, grad g: UnsafeBufferPointer<Double>,
                            m: UnsafeMutableBufferPointer<Double>, v: UnsafeMutableBufferPointer<Double>,
                            _ step: AdamStep, portable: Bool = false) {
        guard let pp = p.baseAddress, let gp = g.baseAddress, let mp = m.baseAddress, let vp = v.baseAddress else { return }
        var settings = ck_adam_settings(
            weight_decay: step.weightDecay, weight: step.weight, one_minus_weight: 1 - step.weight,
            lerp_small: Swift.abs(step.weight) < 0.5 ? 1 : 0, beta2: step.beta2, scale2: 1 - step.beta2,
            bias_correction2_sqrt: step.biasCorrection2Sqrt, eps: step.eps, step_size: step.stepSize)
        ck_adam(p.count, pp, gp, mp, vp, &settings, portable ? 1 : 0)
    }
}
