import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// The fused normalization backwards (one step each, from the closed form) equal the backward of
/// the same function composed from primitives (mean, subtraction, var, sqrt, division), to 1e-12.
@Suite("Fused normalization backward equals the composed one")
struct FusedGradientTests {
    typealias Program = GradientCheckTests.Program

    static func compare(_ fused: Program, _ composed: Program) throws -> Double {
        let w = try GradientCheckTests.weights(fused)
        let a = try GradientCheckTests.analytic(fused, w)
        let b = try GradientCheckTests.analytic(composed, w)
        return GradientCheckTests.relativeError(a, b)
    }

    static func draw(_ seed: UInt64, _ shape: [Int]) -> Tensor {
        var d = GradientCheckTests.Draw(seed)
        return d.tensor(shape)
    }

    @Test("batchnorm: dx, dγ, dβ")
    func batchnorm() throws {
        let inputs = [("x", Self.draw(1, [4, 3, 5])), ("g", Self.draw(2, [3])), ("b", Self.draw(3, [3]))]
        let fused = Program(rule: "batchnorm", source: "out = batchnorm(x, g, b)", params: inputs)
        let composed = Program(rule: "composed", source: """
            m = mean(x, axis=[0, 2], keepdims=true)
            v = var(x, axis=[0, 2], keepdims=true)
            out = (x - m) / sqrt(v + 1e-5) * reshape(g, 1, 3, 1) + reshape(b, 1, 3, 1)
            """, params: inputs)
        #expect(try Self.compare(fused, composed) <= 1e-12)
    }

    @Test("batchnorm on [N, C] with a scalar γ")
    func batchnorm2d() throws {
        let inputs = [("x", Self.draw(4, [6, 2])), ("g", Self.draw(5, []))]
        let fused = Program(rule: "batchnorm", source: "out = batchnorm(x, g)", params: inputs)
        let composed = Program(rule: "composed", source: "out = (x - mean(x, axis=0)) / sqrt(var(x, axis=0) + 1e-5) * g", params: inputs)
        #expect(try Self.compare(fused, composed) <= 1e-12)
    }

    @Test("batchnorm on [N, C] with per-channel γ and β (the row-wise kernel of BatchNorm1d inputs)")
    func batchnormColumns() throws {
        let inputs = [("x", Self.draw(7, [60, 7])), ("g", Self.draw(8, [7])), ("b", Self.draw(9, [7]))]
        let fused = Program(rule: "batchnorm", source: "out = batchnorm(x, g, b) * reshape(arange(420) / 100, 60, 7)", params: inputs)
        let composed = Program(rule: "composed", source: """
            out = ((x - mean(x, axis=0)) / sqrt(var(x, axis=0) + 1e-5) * g + b) * reshape(arange(420) / 100, 60, 7)
            """, params: inputs)
        #expect(try Self.compare(fused, composed) <= 1e-12)
    }

    @Test("layernorm, instancenorm, groupnorm", arguments: [
        ("out = layernorm(x)", "out = (x - mean(x, axis=[1, 2], keepdims=true)) / sqrt(var(x, axis=[1, 2], keepdims=true) + 1e-5)"),
        ("out = instancenorm(x)", "out = (x - mean(x, axis=2, keepdims=true)) / sqrt(var(x, axis=2, keepdims=true) + 1e-5)"),
        ("out = groupnorm(x, 2)", """
            y = reshape(x, 2, 2, -1)
            out = reshape((y - mean(y, axis=2, keepdims=true)) / sqrt(var(y, axis=2, keepdims=true) + 1e-5), 2, 4, 3)
            """),
        ("out = layernorm(x, eps=0.5)", "out = (x - mean(x, axis=[1, 2], keepdims=true)) / sqrt(var(x, axis=[1, 2], keepdims=true) + 0.5)"),
    ])
    func standardizing(fused: String, composed: String) throws {
        let shape = fused.contains("groupnorm") ? [2, 4, 3] : [2, 3, 4]
        let inputs = [("x", Self.draw(6, shape))]
        let error = try Self.compare(Program(rule: "fused", source: fused, params: inputs),
                                     Program(rule: "composed", source: composed, params: inputs))
        #expect(error <= 1e-12)
    }

    @Test("each fused normalization is one recorded step")
    func oneStep() throws {
        let session = Session(output: { _ in })
        let failure = session.run("x = param(randn(2, 3, 4))\na = layernorm(x)\nb = instancenorm(x)\nc = batchnorm(x)")
        #expect(failure == nil)
        for (name, step) in [("a", "standardize"), ("b", "standardize"), ("c", "batchnorm")] {
            let node = session.value(of: name)?.tensorValue?.node
            #expect(node?.name == step)
            #expect(node?.inputs.first??.isLeaf == true, "\(name)'s step takes x directly")
        }
    }

    /// The eval-mode affine with given statistics (the BatchNorm layer in eval mode): the fused rule
    /// for all five inputs against the composed function's backward.
    @Test("channel affine (eval-mode BatchNorm): dx, dγ, dβ, and d mean, d var when they require one")
    func channelAffine() throws {
        let x = Self.draw(7, [4, 3, 2]), g = Self.draw(8, [3]), b = Self.draw(9, [3]), m = Self.draw(10, [3])
        var d = GradientCheckTests.Draw(11)
        let v = d.tensor([3], 0.3, 2)
        let eps = 1e-5
        let composed = Program(rule: "composed", source: """
            out = (x - reshape(m, 1, 3, 1)) / sqrt(reshape(v, 1, 3, 1) + 1e-5) * reshape(g, 1, 3, 1) + reshape(b, 1, 3, 1)
            """, params: [("x", x), ("g", g), ("b", b), ("m", m), ("v", v)])
        let w = try GradientCheckTests.weights(composed)
        let expected = try GradientCheckTests.analytic(composed, w)
        // The forward agrees with the composed one, then the rule is fed the same output gradient W.
        let y = try x.channelAffineNormalized(channelAxis: 1, mean: m, variance: v, gamma: g, beta: b, eps: eps)
        #expect(y.shape == w.shape)
        let rule = Gradients.channelAffine(x, mean: m, variance: v, gamma: g, beta: b, eps: eps, needs: [true, true, true, true, true])
        let got = try rule(w)
        // The composed program lists x, γ, β, m, v; the rule returns x, γ, β, m, v too.
        let flat = got.flatMap { $0?.elements ?? [] }
        #expect(GradientCheckTests.relativeError(flat, expected) <= 1e-12)
    }

    @Test("the BatchNorm layer in eval mode: x's gradient is g·γ/√(running var + eps)")
    func layerEval() throws {
        let session = Session(output: { _ in })
        session.interpreter.globals.set("x0", .tensor(Self.draw(12, [5, 3])))
        session.interpreter.globals.set("x1", .tensor(Self.draw(13, [4, 3])))
        let failure = session.run("""
            bn = BatchNorm(3)
            y0 = bn(x0 * 3 + 1)
            bn.eval()
            x = param(x1)
            loss = sum(bn(x) * [1, 2, 3])
            loss.backward()
            """)
        #expect(failure == nil, "\(failure?.message ?? "")")
        // Running statistics after one training step from (0, 1) with momentum 0.1, by hand:
        // var_running = 0.9 + 0.1 · unbiased variance of column c of 3·x0 + 1.
        let x0 = Self.draw(12, [5, 3]).elements
        let grad = try #require(session.value(of: "x")?.tensorValue?.node?.grad)
        for c in 0..<3 {
            let column = (0..<5).map { 3 * x0[$0 * 3 + c] + 1 }
            let mean = column.reduce(0, +) / 5
            let unbiased = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 4
            let running = 0.9 + 0.1 * unbiased
            let expected = Double(c + 1) / (running + 1e-5).squareRoot()
            for n in 0..<4 { #expect(abs(grad.elements[n * 3 + c] - expected) <= 1e-12 * expected) }
        }
    }

    @Test("groups whose kept axes are not side by side take the permuting path, with the same result")
    func permutedLayout() throws {
        let x = Self.draw(14, [2, 3, 4]), g = Self.draw(15, [2, 3, 4])
        // Keeping axes 0 and 2 (not neighbours) against keeping 0 and 1 of the transposed tensors.
        let (dx, sumG, sumGX) = try Tensor.standardizeBackward(x, g, flags: [false, true, false], eps: 1e-5, scales: nil)
        let xt = try x.transposed([0, 2, 1]), gt = try g.transposed([0, 2, 1])
        let (dxt, sumGt, sumGXt) = try Tensor.standardizeBackward(xt, gt, flags: [false, false, true], eps: 1e-5, scales: nil)
        let back = try dxt.transposed([0, 2, 1])
        #expect(GradientCheckTests.relativeError(dx.elements, back.elements) <= 1e-14)
        #expect(GradientCheckTests.relativeError(sumG, sumGt) <= 1e-14)
        #expect(GradientCheckTests.relativeError(sumGX, sumGXt) <= 1e-14)
    }

    @Test("a large mean costs the fused backward no more precision than the composed one")
    func largeMean() throws {
        let offset = try Tensor.binary(.add, Self.draw(16, [3, 8]), Tensor(1000))
        let inputs = [("x", offset)]
        let error = try Self.compare(
            Program(rule: "fused", source: "out = layernorm(x)", params: inputs),
            Program(rule: "composed", source: "out = (x - mean(x, axis=1, keepdims=true)) / sqrt(var(x, axis=1, keepdims=true) + 1e-5)", params: inputs))
        #expect(error <= 1e-12, "relative error \(error)")
    }
}
