import Foundation
import Testing
@testable import BNLabTensor

/// The fused Adam kernel: its vector and portable paths against a scalar loop written here from
/// PyTorch's `_single_tensor_adam`, bit for bit (each operation rounded on its own).
@Suite struct OptimizerKernelTests {
    /// PyTorch's order: grad += wd·p; m = lerp(m, g, w); v = v·β2 + (1 − β2)·g·g;
    /// p += (−step)·m / (√v / √bc2 + eps).
    static func reference(_ p: inout [Double], _ g: [Double], _ m: inout [Double], _ v: inout [Double],
                          _ s: OptimizerKernels.AdamStep) {
        for i in p.indices {
            var d = g[i]
            if s.weightDecay != 0 { d = d + s.weightDecay * p[i] }
            m[i] = abs(s.weight) < 0.5 ? m[i] + s.weight * (d - m[i]) : d - (d - m[i]) * (1 - s.weight)
            v[i] = v[i] * s.beta2 + (1 - s.beta2) * d * d
            let denom = v[i].squareRoot() / s.biasCorrection2Sqrt + s.eps
            p[i] = p[i] + -s.stepSize * m[i] / denom
        }
    }

    @Test("vector and portable kernels equal the scalar reference bit for bit", arguments: [
        (0.0, 0.1), (0.01, 0.1), (0.0, 0.7),  // weight decay, lerp weight (0.7 takes lerp's other branch)
    ])
    func adamBits(weightDecay: Double, weight: Double) {
        var generator = RandomGenerator(seed: 11)
        for n in [0, 1, 3, 4, 5, 8, 13, 1001] {
            let g = (0..<n).map { _ in (generator.nextUniform() * 2 - 1) * 1e-3 }
            let p0 = (0..<n).map { _ in (generator.nextUniform() * 2 - 1) }
            let m0 = (0..<n).map { _ in (generator.nextUniform() * 2 - 1) * 1e-4 }
            let v0 = (0..<n).map { _ in abs((generator.nextUniform() * 2 - 1)) * 1e-6 }
            let step = OptimizerKernels.AdamStep(weightDecay: weightDecay, weight: weight, beta2: 0.999,
                                                 biasCorrection2Sqrt: (1 - pow(0.999, 3.0)).squareRoot(), eps: 1e-8,
                                                 stepSize: 0.001 / (1 - pow(0.9, 3.0)))
            var (pr, mr, vr) = (p0, m0, v0)
            Self.reference(&pr, g, &mr, &vr, step)
            for portable in [false, true] {
                var (p, m, v) = (p0, m0, v0)
                p.withUnsafeMutableBufferPointer { pb in
                    g.withUnsafeBufferPointer { gb in
                        m.withUnsafeMutableBufferPointer { mb in
                            v.withUnsafeMutableBufferPointer { vb in
                                OptimizerKernels.adam(pb, grad: gb, m: mb, v: vb, step, portable: portable)
                            }
                        }
                    }
                }
                #expect(p.map(\.bitPattern) == pr.map(\.bitPattern), "n \(n), portable \(portable)")
                #expect(m.map(\.bitPattern) == mr.map(\.bitPattern))
                #expect(v.map(\.bitPattern) == vr.map(\.bitPattern))
            }
        }
    }
}
