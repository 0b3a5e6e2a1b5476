import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// Source text for a list of numbers, every digit kept (Swift's description round-trips).
func bnList(_ values: [Double]) -> String { "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }

/// Source text for a matrix given row-major.
func bnMatrix(_ values: [Double], rows: Int, columns: Int) -> String {
    "[" + (0..<rows).map { r in bnList(Array(values[(r * columns)..<((r + 1) * columns)])) }.joined(separator: ", ") + "]"
}

extension TestRNG {
    /// Uniform in [low, high).
    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * Double(next() >> 11) * 0x1p-53
    }
}

/// Runs `code` in `session`, recording a failure.
func runOrRecord(_ session: Session, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
    if let failure = session.run(code) { Issue.record("\(code.prefix(200)) failed: \(failure.message)", sourceLocation: sourceLocation) }
}

/// A global's elements (a number is one element); empty when there is none.
func globalElements(_ session: Session, _ name: String) -> [Double] {
    session.value(of: name)?.tensorValue?.elements ?? []
}

/// ‖a − b‖ / max(‖b‖, 1): the norm-wise distance the reference tests bound.
func normwiseDistance(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    let diff = zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
    return diff / max(b.map { $0 * $0 }.reduce(0, +).squareRoot(), 1)
}

/// Losses (training.md §4) against naive references and finite differences.
@Suite struct LossTests {
    /// The textbook cross entropy, no shift (for moderate logits): mean of log Σ exp − logit at the label.
    static func naiveCrossEntropy(_ z: [Double], n: Int, k: Int, labels: [Int]) -> Double {
        var total = 0.0
        for i in 0..<n {
            let row = z[(i * k)..<((i + 1) * k)]
            total += Foundation.log(row.map { Foundation.exp($0) }.reduce(0, +)) - z[i * k + labels[i]]
        }
        return total / Double(n)
    }

    @Test("cross_entropy: value equals the naive formula, gradient equals (softmax − onehot)/N and finite differences")
    func crossEntropyValueAndGradient() {
        var rng = TestRNG(11)
        let n = 7, k = 5
        let z = (0..<(n * k)).map { _ in rng.uniform(-3, 3) }
        let labels = (0..<n).map { _ in rng.int(0...(k - 1)) }
        let s = Session(output: { _ in })
        runOrRecord(s, "z = param(\(bnMatrix(z, rows: n, columns: k)))\nloss = cross_entropy(z, \(bnList(labels.map(Double.init))))\nloss.backward()\ng = z.grad")
        let loss = globalElements(s, "loss")
        let expected = Self.naiveCrossEntropy(z, n: n, k: k, labels: labels)
        #expect(loss.count == 1 && abs(loss[0] - expected) <= 1e-14 * max(1, abs(expected)), "\(loss) vs \(expected)")

        // Central differences of the naive loss, one logit at a time.
        let h = 1e-5
        var numeric = [Double](repeating: 0, count: n * k)
        for j in 0..<(n * k) {
            var up = z, down = z
            up[j] += h; down[j] -= h
            numeric[j] = (Self.naiveCrossEntropy(up, n: n, k: k, labels: labels) - Self.naiveCrossEntropy(down, n: n, k: k, labels: labels)) / (2 * h)
        }
        let g = globalElements(s, "g")
        #expect(normwiseDistance(g, numeric) <= 1e-6, "finite differences: \(normwiseDistance(g, numeric))")
        // Each row of the gradient sums to 0 (softmax sums to 1, the onehot to 1).
        for i in 0..<n { #expect(abs(g[(i * k)..<((i + 1) * k)].reduce(0, +)) <= 1e-15) }
    }

    @Test("cross_entropy stays finite for logits of 1000: the shift by the row maximum")
    func crossEntropyLargeLogits() {
        let s = Session(output: { _ in })
        runOrRecord(s, "z = param([[1000, 0, -1000], [1000, 1000, 0]])\nloss = cross_entropy(z, [1, 0])\nloss.backward()\ng = z.grad")
        // Row 0: log Σ exp = 1000 (the others underflow), minus z[0,1] = 0 → 1000.
        // Row 1: log(2 e^1000 + 1) − 1000 = log 2 (to double precision).
        let loss = globalElements(s, "loss")
        #expect(loss.count == 1 && abs(loss[0] - (1000 + Foundation.log(2)) / 2) <= 1e-12)
        let g = globalElements(s, "g")
        let expected = [1 / 2.0, -1 / 2.0, 0, (0.5 - 1) / 2, 0.5 / 2, Foundation.exp(-1000.0) / 2]
        #expect(g.allSatisfy { $0.isFinite })
        #expect(normwiseDistance(g, expected) <= 1e-15, "\(g)")
    }

    @Test("mse_loss: value and gradients to both input and target, against the formula and finite differences")
    func mse() {
        var rng = TestRNG(5)
        let a = (0..<12).map { _ in rng.uniform(-2, 2) }, b = (0..<12).map { _ in rng.uniform(-2, 2) }
        let s = Session(output: { _ in })
        runOrRecord(s, "a = param(\(bnMatrix(a, rows: 3, columns: 4)))\nb = param(\(bnMatrix(b, rows: 3, columns: 4)))\nloss = mse_loss(a, b)\nloss.backward()\nga = a.grad\ngb = b.grad")
        func naive(_ x: [Double]) -> Double { zip(x, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(x.count) }
        let loss = globalElements(s, "loss")
        #expect(loss.count == 1 && abs(loss[0] - naive(a)) <= 1e-15 * max(1, naive(a)))
        let h = 1e-5
        let numeric = (0..<12).map { j -> Double in
            var up = a, down = a
            up[j] += h; down[j] -= h
            return (naive(up) - naive(down)) / (2 * h)
        }
        let ga = globalElements(s, "ga"), gb = globalElements(s, "gb")
        #expect(normwiseDistance(ga, numeric) <= 1e-6)
        #expect(normwiseDistance(gb, numeric.map { -$0 }) <= 1e-6)
        #expect(normwiseDistance(ga, zip(a, b).map { 2 * ($0 - $1) / 12 }) <= 1e-15)
    }

    @Test("a loss is one recorded step: one primitive through the seam, no gradient to the labels")
    func oneStep() {
        let s = Session(output: { _ in })
        runOrRecord(s, "z = param([[1, 2], [3, 4]]); y = param([0, 1])")
        var names: [String] = []
        s.interpreter.opsObserver = { names.append($0) }
        runOrRecord(s, "cross_entropy(z, y).backward(); mse_loss(z, z * 2)")
        #expect(names == ["cross_entropy", "multiply", "mse_loss"])
        runOrRecord(s, "gy = y.grad == none")
        #expect(globalElements(s, "gy") == [1])
    }
}

/// Optimizers (training.md §5) against plain-Swift implementations of PyTorch's documented rules.
@Suite struct OptimizerTests {
    /// Two parameters and a loss whose gradient is known in closed form: L = Σ c·w² + Σ d·b³,
    /// so ∂L/∂w = 2c·w and ∂L/∂b = 3d·b².
    static let w0: [Double] = [0.5, -1.25, 2.0, 0.75], c: [Double] = [1.0, 0.5, -0.25, 2.0]
    static let b0: [Double] = [0.3, -0.7], d: [Double] = [1.5, -0.5]
    static let setup = "w = param(\(bnList(w0))); b = param(\(bnList(b0)))\nc = \(bnList(c)); d = \(bnList(d))"
    static let lossStep = "opt.zero_grad(); loss = sum(c * w * w) + sum(d * b ^ 3); loss.backward(); opt.step()"

    static func gradients(_ w: [Double], _ b: [Double]) -> ([Double], [Double]) {
        (zip(c, w).map { 2 * $0 * $1 }, zip(d, b).map { 3 * $0 * $1 * $1 })
    }

    @Test("SGD with momentum and weight decay: two steps (the buffer starts as the gradient, then decays) equal torch.optim.SGD's rule")
    func sgd() {
        let lr = 0.1, momentum = 0.9, wd = 0.01
        var w = Self.w0, b = Self.b0
        var bufW: [Double]? = nil, bufB: [Double]? = nil
        func update(_ p: inout [Double], _ g: [Double], _ buf: inout [Double]?) {
            let dp = zip(g, p).map { $0 + wd * $1 }
            buf = buf.map { old in zip(old, dp).map { momentum * $0 + $1 } } ?? dp
            p = zip(p, buf!).map { $0 - lr * $1 }
        }
        let s = Session(output: { _ in })
        runOrRecord(s, Self.setup + "\nopt = SGD(w, b, lr=\(lr), momentum=\(momentum), weight_decay=\(wd))")
        for _ in 0..<2 {
            let (gw, gb) = Self.gradients(w, b)
            update(&w, gw, &bufW)
            update(&b, gb, &bufB)
            runOrRecord(s, Self.lossStep)
            #expect(normwiseDistance(globalElements(s, "w"), w) <= 1e-15)
            #expect(normwiseDistance(globalElements(s, "b"), b) <= 1e-15)
        }
        // Plain SGD: p − lr·g exactly.
        let plain = Session(output: { _ in })
        runOrRecord(plain, Self.setup + "\nopt = SGD(w, lr=0.5)\n" + Self.lossStep)
        #expect(globalElements(plain, "w") == zip(Self.w0, Self.c).map { $0 - 0.5 * (2 * $1 * $0) })
        #expect(globalElements(plain, "b") == Self.b0, "b was not given to the optimizer")
    }

    /// Adam as the paper and torch's docs write it: m̂ / (√v̂ + eps), weight decay added to g.
    static func adam(steps: Int, lr: Double, beta1: Double, beta2: Double, eps: Double, wd: Double) -> ([Double], [Double]) {
        var w = w0, b = b0
        var mw = [Double](repeating: 0, count: 4), vw = mw, mb = [Double](repeating: 0, count: 2), vb = mb
        func update(_ p: inout [Double], _ g0: [Double], _ m: inout [Double], _ v: inout [Double], _ t: Int) {
            for i in p.indices {
                let g = g0[i] + wd * p[i]
                m[i] = beta1 * m[i] + (1 - beta1) * g
                v[i] = beta2 * v[i] + (1 - beta2) * g * g
                let mHat = m[i] / (1 - Foundation.pow(beta1, Double(t)))
                let vHat = v[i] / (1 - Foundation.pow(beta2, Double(t)))
                p[i] -= lr * mHat / (vHat.squareRoot() + eps)
            }
        }
        for t in 1...steps {
            let (gw, gb) = gradients(w, b)
            update(&w, gw, &mw, &vw, t)
            update(&b, gb, &mb, &vb, t)
        }
        return (w, b)
    }

    @Test("Adam: three steps equal the bias-corrected rule, with and without weight decay",
          arguments: [(0.01, 0.9, 0.999, 1e-8, 0.0), (0.05, 0.8, 0.99, 1e-6, 0.1), (0.1, 0.3, 0.5, 1e-8, 0.0)])
    func adam(lr: Double, beta1: Double, beta2: Double, eps: Double, wd: Double) {
        let s = Session(output: { _ in })
        runOrRecord(s, Self.setup + "\nopt = Adam(w, b, lr=\(lr), betas=[\(beta1), \(beta2)], eps=\(eps), weight_decay=\(wd))")
        for _ in 0..<3 { runOrRecord(s, Self.lossStep) }
        let (w, b) = Self.adam(steps: 3, lr: lr, beta1: beta1, beta2: beta2, eps: eps, wd: wd)
        // PyTorch's operation order (lerp, √v/√bc2) differs from the textbook's by rounding only.
        #expect(normwiseDistance(globalElements(s, "w"), w) <= 1e-14, "\(globalElements(s, "w")) vs \(w)")
        #expect(normwiseDistance(globalElements(s, "b"), b) <= 1e-14)
        // The first step of Adam moves each coordinate by about lr·sign(g): a hand check.
        let first = Session(output: { _ in })
        runOrRecord(first, Self.setup + "\nopt = Adam(w, lr=\(lr), betas=[\(beta1), \(beta2)], eps=\(eps))\n" + Self.lossStep)
        let moved = zip(globalElements(first, "w"), Self.w0).map { $0 - $1 }
        let directions = zip(Self.c, Self.w0).map { 2 * $0 * $1 > 0 ? -1.0 : 1.0 }
        for (m, direction) in zip(moved, directions) { #expect(abs(m - lr * direction) <= lr * 1e-5) }
    }

    @Test("a parameter without a gradient is skipped and its step count does not advance (PyTorch's lazy state)")
    func skipsWithoutGradient() {
        let s = Session(output: { _ in })
        runOrRecord(s, Self.setup + "\nopt = Adam(w, b, lr=0.01)\nsum(c * w * w).backward()\nopt.step()")
        #expect(globalElements(s, "b") == Self.b0)
        // Now b gets its first gradient: its step is t = 1 (a full lr-sized move), not t = 2.
        runOrRecord(s, "opt.zero_grad(); sum(d * b ^ 3).backward(); opt.step()")
        let moved = zip(globalElements(s, "b"), Self.b0).map { abs($0 - $1) }
        for m in moved { #expect(abs(m - 0.01) <= 1e-8) }
    }

    /// A stand-in for a module: an object that holds two leaves (the layers land separately).
    final class TwoWeights: Object {
        static let typeName = "TwoWeights", typeDescription = "a TwoWeights object", kind = "layer"
        static let fieldNames = ["w", "b"]
        let w: Tensor, b: Tensor
        init() {
            var w = Tensor(2.0), b = try! Tensor(shape: [2], elements: [1, -1])
            w.node = GradNode(leafOf: w.shape); b.node = GradNode(leafOf: b.shape)
            (self.w, self.b) = (w, b)
        }
        var heldParameters: [Tensor] { [w, b] }
        func field(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
            switch name {
            case "w": return .tensor(w)
            case "b": return .tensor(b)
            default: throw noField(name, access)
            }
        }
        var description: String { "TwoWeights()" }
        func snapshot() -> ObjectState { ObjectState([]) }
        func restore(_ state: ObjectState) {}
    }

    @Test("Adam(model) and SGD(model) take every parameter an object holds; the optimizer holds them for zero_grad")
    func objectsAsParameters() {
        let s = Session(output: { _ in })
        s.interpreter.globals.set("model", .object(TwoWeights()))
        runOrRecord(s, "opt = SGD(model, lr=0.5)\nsum(model.w * model.b * [3, 5]).backward()\nopt.step()\nw = model.w; b = model.b\nzero_grad(opt)\nnone_now = model.b.grad == none")
        // ∂/∂w = Σ b·[3, 5] = −2, ∂/∂b = w·[3, 5] = [6, 10]: w = 2 + 1, b = [1 − 3, −1 − 5].
        #expect(globalElements(s, "w") == [3])
        #expect(globalElements(s, "b") == [-2, -6])
        #expect(globalElements(s, "none_now") == [1])
        #expect(s.run("opt2 = Adam(model, model.w)")?.message == "a parameter of shape [] is given to Adam twice")
        #expect(s.run("opt2 = Adam(model.w * 2)")?.message == "Adam updates parameters, and this tensor of shape [] was computed from them (by 'multiply')")
    }

    @Test("snapshot and restore put back the buffers and step counts, which steps update in place")
    func snapshotRestore() {
        let s = Session(output: { _ in })
        runOrRecord(s, Self.setup + "\nopt = Adam(w, b, lr=0.01)\n" + Self.lossStep)
        guard case .object(let object)? = s.value(of: "opt"), let opt = object as? AdamOptimizer else {
            Issue.record("opt is not an Adam optimizer"); return
        }
        let state = opt.snapshot()
        let m = opt.firstMoments, v = opt.secondMoments, steps = opt.steps
        runOrRecord(s, Self.lossStep + "; opt.lr = 0.5")
        #expect(opt.steps != steps && opt.firstMoments[0] != m[0])
        opt.restore(state)
        #expect(opt.steps == steps && opt.firstMoments[0] == m[0] && opt.secondMoments[1] == v[1] && opt.lr == 0.01)
    }

    @Test("a failed REPL statement after a step puts back both the parameters and the optimizer's state")
    func rollback() {
        let s = Session(output: { _ in })
        s.rollsBackFailedStatements = true
        runOrRecord(s, Self.setup + "\nopt = Adam(w, b, lr=0.01)\n" + Self.lossStep)
        let afterOne = globalElements(s, "w")
        #expect(s.run("if true { " + Self.lossStep + "; nosuch }") != nil)
        #expect(globalElements(s, "w") == afterOne)
        // The second step taken now is the second step (t = 2 from the first step's moments).
        runOrRecord(s, Self.lossStep + "; opt.zero_grad(); " + Self.lossStep)
        let (w, _) = Self.adam(steps: 3, lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, wd: 0)
        #expect(normwiseDistance(globalElements(s, "w"), w) <= 1e-14)
    }

    @Test("optimizers print their hyperparameters on one line, as PyTorch's")
    func printing() {
        var text = ""
        let s = Session(output: { text += $0 })
        runOrRecord(s, Self.setup + "\nprint(Adam(w, b))\nprint(SGD(w, lr=0.1, momentum=0.9))")
        #expect(text == "Adam(2 tensors, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0)\nSGD(1 tensor, lr=0.1, momentum=0.9, weight_decay=0)\n")
    }
}
