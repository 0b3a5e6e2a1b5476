import Foundation
import Testing
@testable import BNLabCore
import BNLabTensor

/// The modules of training.md §3 against plain-Swift references written in the test with
/// hand-written loops (forward and backward), so a wrong kernel or rule cannot agree with itself.
@Suite("Modules: Linear, Conv2d, MaxPool2d, Dropout against hand-written references")
struct ModuleTests {
    private func session(_ code: String) -> Session {
        let s = Session(output: { _ in })
        if let failure = s.run(code) { Issue.record("\(code) failed: \(failure.message)") }
        return s
    }

    private func tensor(_ s: Session, _ name: String) -> Tensor {
        switch s.value(of: name) {
        case .tensor(let t)?: return t
        case .number(let v)?: return Tensor(v)
        default:
            Issue.record("\(name) is not a tensor")
            return Tensor(0)
        }
    }

    private func values(_ s: Session, _ name: String) -> [Double] { tensor(s, name).elements }

    /// The largest |a − b| relative to the largest |b| (1 when the lengths differ).
    private func error(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 1 }
        let scale = max(b.map(abs).max() ?? 1, 1e-300)
        return zip(a, b).map { abs($0 - $1) }.max()! / scale
    }

    @Test("Linear: forward and the gradients of input, weight and bias equal hand-written loops")
    func linear() {
        let s = session("""
        manual_seed(4)
        lin = Linear(4, 3)
        x = param(randn(5, 4, seed=2))
        c = randn(5, 3, seed=3)
        y = lin(x)
        sum(y * c).backward()
        w = lin.weight; b = lin.bias
        gx = x.grad; gw = lin.weight.grad; gb = lin.bias.grad
        """)
        let x = values(s, "x"), w = values(s, "w"), b = values(s, "b"), c = values(s, "c")
        let (n, i, o) = (5, 4, 3)
        var y = [Double](repeating: 0, count: n * o), gx = [Double](repeating: 0, count: n * i)
        var gw = [Double](repeating: 0, count: o * i), gb = [Double](repeating: 0, count: o)
        for r in 0..<n {
            for k in 0..<o {
                var sum = b[k]
                for j in 0..<i { sum += x[r * i + j] * w[k * i + j] }
                y[r * o + k] = sum
                // L = Σ y·c, so dL/dy = c.
                gb[k] += c[r * o + k]
                for j in 0..<i {
                    gw[k * i + j] += c[r * o + k] * x[r * i + j]
                    gx[r * i + j] += c[r * o + k] * w[k * i + j]
                }
            }
        }
        #expect(tensor(s, "y").shape == [5, 3])
        #expect(error(values(s, "y"), y) < 1e-12)
        #expect(error(values(s, "gx"), gx) < 1e-12)
        #expect(error(values(s, "gw"), gw) < 1e-12)
        #expect(error(values(s, "gb"), gb) < 1e-12)
    }

    @Test("Conv2d with stride 2, padding 1 and a bias: forward and the three gradients equal loops over a zero-padded copy")
    func conv2d() {
        let s = session("""
        manual_seed(1)
        conv = Conv2d(2, 3, 3, stride=2, padding=1)
        x = param(randn(2, 2, 5, 6, seed=5))
        y = conv(x)
        c = randn(2, 3, 3, 3, seed=6)
        sum(y * c).backward()
        w = conv.weight; b = conv.bias
        gx = x.grad; gw = conv.weight.grad; gb = conv.bias.grad
        """)
        let (n, ch, h, wd, o, k, st, pad) = (2, 2, 5, 6, 3, 3, 2, 1)
        let (ho, wo) = ((h + 2 * pad - k) / st + 1, (wd + 2 * pad - k) / st + 1)
        #expect(tensor(s, "y").shape == [n, o, ho, wo])
        let x = values(s, "x"), w = values(s, "w"), b = values(s, "b"), c = values(s, "c")
        // The input copied into a zero border of width `pad`: no bounds tests in the sums below.
        let (hp, wp) = (h + 2 * pad, wd + 2 * pad)
        var padded = [Double](repeating: 0, count: n * ch * hp * wp)
        for a in 0..<n { for q in 0..<ch { for r in 0..<h { for t in 0..<wd {
            padded[((a * ch + q) * hp + r + pad) * wp + t + pad] = x[((a * ch + q) * h + r) * wd + t]
        } } } }
        var y = [Double](repeating: 0, count: n * o * ho * wo)
        var gPadded = [Double](repeating: 0, count: padded.count)
        var gw = [Double](repeating: 0, count: w.count), gb = [Double](repeating: 0, count: o)
        for a in 0..<n { for f in 0..<o { for r in 0..<ho { for t in 0..<wo {
            let out = ((a * o + f) * ho + r) * wo + t
            var sum = b[f]
            gb[f] += c[out]
            for q in 0..<ch { for u in 0..<k { for v in 0..<k {
                let xi = ((a * ch + q) * hp + r * st + u) * wp + t * st + v
                let wi = ((f * ch + q) * k + u) * k + v
                sum += padded[xi] * w[wi]
                gPadded[xi] += c[out] * w[wi]
                gw[wi] += c[out] * padded[xi]
            } } }
            y[out] = sum
        } } } }
        var gx = [Double](repeating: 0, count: x.count)
        for a in 0..<n { for q in 0..<ch { for r in 0..<h { for t in 0..<wd {
            gx[((a * ch + q) * h + r) * wd + t] = gPadded[((a * ch + q) * hp + r + pad) * wp + t + pad]
        } } } }
        #expect(error(values(s, "y"), y) < 1e-12)
        #expect(error(values(s, "gx"), gx) < 1e-12)
        #expect(error(values(s, "gw"), gw) < 1e-12)
        #expect(error(values(s, "gb"), gb) < 1e-12)
    }

    @Test("MaxPool2d: each window's maximum, and the gradient to the first maximum on a tie (overlapping windows add up)")
    func maxPool() {
        // Ties everywhere: 3s repeated, and a window of equal values.
        let input: [Double] = [1, 3, 3, 0,
                               3, 2, 1, 1,
                               5, 5, 1, 1,
                               5, 5, 0, 2]
        for (kernel, stride) in [(2, 2), (2, 1), (3, 1)] {
            let s = session("""
            x = param(\(input).reshape(1, 1, 4, 4))
            pool = MaxPool2d(\(kernel), stride=\(stride))
            y = pool(x)
            c = arange(1, 1 + y.size).reshape(y.shape)
            sum(y * c).backward()
            gx = x.grad
            """)
            let out = (4 - kernel) / stride + 1
            var y: [Double] = [], gx = [Double](repeating: 0, count: 16)
            for r in 0..<out {
                for t in 0..<out {
                    var best = -Double.infinity, at = -1
                    for u in 0..<kernel {
                        for v in 0..<kernel {
                            let k = (r * stride + u) * 4 + t * stride + v
                            if input[k] > best { best = input[k]; at = k }
                        }
                    }
                    y.append(best)
                    gx[at] += Double(r * out + t + 1)
                }
            }
            #expect(values(s, "y") == y, "kernel \(kernel) stride \(stride)")
            #expect(values(s, "gx") == gx, "kernel \(kernel) stride \(stride)")
        }
    }

    @Test("Dropout in training: kept elements scaled by 1/(1 − p), a kept fraction near 1 − p, the same mask after the same seed")
    func dropoutTraining() {
        let s = session("""
        drop = Dropout(0.25)
        manual_seed(5)
        a = drop(ones(100000))
        manual_seed(5)
        b = drop(ones(100000))
        c = drop(ones(100000))
        x = param(randn(6, seed=1))
        manual_seed(9)
        y = drop(x)
        sum(y).backward()
        g = x.grad
        manual_seed(9)
        u = rand(6)
        """)
        let a = values(s, "a")
        #expect(a.allSatisfy { $0 == 0 || $0 == 1 / 0.75 })
        let kept = Double(a.filter { $0 != 0 }.count) / Double(a.count)
        // The kept count is binomial(100000, 0.75): its standard deviation is 0.0014 of the count.
        #expect(abs(kept - 0.75) < 0.01)
        #expect(a == values(s, "b"))
        #expect(a != values(s, "c"))
        // The mask is bernoulli(1 − p) from the session's uniforms: kept where u < 0.75.
        let mask = values(s, "u").map { $0 < 0.75 ? 1 / 0.75 : 0 }
        #expect(values(s, "g") == mask)
        #expect(values(s, "y") == zip(values(s, "x"), mask).map { $0 * $1 })
    }

    @Test("Dropout in eval mode, and with p = 0, is the identity; p = 1 gives zeros")
    func dropoutIdentity() {
        let s = session("""
        x = randn(50, seed=3)
        d = Dropout(0.5)
        d.eval()
        e = d(x)
        z = Dropout(0)(x)
        one = Dropout(1)(x)
        """)
        #expect(values(s, "e") == values(s, "x"))
        #expect(values(s, "z") == values(s, "x"))
        #expect(values(s, "one").allSatisfy { $0 == 0 })
    }

    @Test("initialisation: within ±1/√fan_in and filling it, different per layer, repeated by manual_seed, weight then bias from rand")
    func initialisation() {
        let s = session("""
        big = Linear(100, 60)
        conv = Conv2d(4, 8, 3)
        a = Linear(3, 4); b = Linear(3, 4)
        manual_seed(7); c = Linear(3, 4)
        manual_seed(7); d = Linear(3, 4)
        manual_seed(7); u = rand(4, 3); v = rand(4)
        bw = big.weight; cw = conv.weight; cb = conv.bias
        aw = a.weight; bw2 = b.weight; cw2 = c.weight; dw = d.weight; cb2 = c.bias
        """)
        let bigW = values(s, "bw")
        #expect(bigW.allSatisfy { abs($0) <= 0.1 })
        // 6000 uniform draws reach past 0.099 unless the bound is wrong.
        #expect(bigW.map(abs).max()! > 0.099)
        let convBound = 1 / (4.0 * 9).squareRoot()
        #expect((values(s, "cw") + values(s, "cb")).allSatisfy { abs($0) <= convBound })
        #expect(values(s, "cw").map(abs).max()! > 0.9 * convBound)
        #expect(values(s, "aw") != values(s, "bw2"))
        #expect(values(s, "cw2") == values(s, "dw"))
        let bound = 1 / 3.0.squareRoot()
        // PyTorch's uniform_(−b, b) is −b + 2b·u.
        #expect(error(values(s, "cw2"), values(s, "u").map { $0 * (2 * bound) - bound }) < 1e-15)
        #expect(error(values(s, "cb2"), values(s, "v").map { $0 * (2 * bound) - bound }) < 1e-15)
    }

    @Test("parameters(): a module's own first, then its children's in order, each shared leaf once, with qualified names")
    func parameterOrder() {
        let s = session("""
        lin = Linear(3, 4)
        inner = Sequential(Linear(4, 4), relu)
        model = Sequential(lin, BatchNorm(4), relu, inner, lin, Linear(4, 2, bias=false))
        ps = model.parameters()
        n = len(ps)
        first = ps[0]
        """)
        guard case .object(let object)? = s.value(of: "ps"), let list = object as? ModuleParameters else {
            Issue.record("parameters() did not give a parameter list")
            return
        }
        #expect(list.named.map(\.name) == ["0.weight", "0.bias", "1.gamma", "1.beta", "3.0.weight", "3.0.bias", "5.weight"])
        #expect(values(s, "n") == [7])
        guard case .object(let linear)? = s.value(of: "lin"), let lin = linear as? LinearModule else { return }
        #expect(tensor(s, "first").node === lin.weight.node)
    }

    @Test("train() and eval() reach every layer below a Sequential, nested ones too")
    func modePropagation() {
        let s = session("""
        model = Sequential(Linear(2, 2), Sequential(BatchNorm(2), Dropout()), relu)
        model.eval()
        e = [model.training, model[0].training, model[1].training, model[1][0].training, model[1][1].training]
        model[1].train()
        t = [model.training, model[1].training, model[1][0].training, model[1][1].training]
        """)
        #expect(values(s, "e") == [0, 0, 0, 0, 0])
        #expect(values(s, "t") == [0, 1, 1, 1])
    }

    @Test("a failed statement puts back parameter values written in place, and their gradients")
    func rollback() {
        let s = Session(output: { _ in })
        s.rollsBackFailedStatements = true
        #expect(s.run("lin = Linear(2, 1)\nlin.weight = [[1, 2]]\nw = lin.weight\nsum(lin([[1, 1]])).backward()") == nil)
        #expect(s.run("if true { lin.weight = [[5, 6]]; lin.zero_grad(); lin.bias = [1, 2] }")?.message
                == "'bias' of this Linear layer must have shape [1], got [2]")
        #expect(values(s, "w") == [1, 2])
        guard case .object(let object)? = s.value(of: "lin"), let lin = object as? LinearModule else { return }
        #expect(lin.weight.elements == [1, 2])
        #expect(lin.weight.node?.grad?.elements == [1, 1])
    }
}

/// A lesson's REPL puts the lesson's modules back when it closes: parameters written in place
/// (by assignment or a training step) come back with their old values, in the same tensors.
@Suite("Modules: checkpoints")
struct ModuleCheckpointTests {
    @Test("a checkpoint restores parameter values in place, through a Sequential, and reports the change")
    func checkpoint() {
        let s = Session(output: { _ in })
        #expect(s.run("model = Sequential(Linear(2, 1), BatchNorm(1))\nw = model[0].weight\nmodel[0].weight = [[1, 2]]") == nil)
        let checkpoint = SessionCheckpoint(of: s)
        #expect(s.run("model[0].weight = [[5, 6]]\nmodel[1].gamma = [3]\nmodel.eval()") == nil)
        #expect(checkpoint.restore())
        guard case .tensor(let w)? = s.value(of: "w"), case .object(let object)? = s.value(of: "model"),
              let model = object as? SequentialModule, case .object(let bn) = model.items[1],
              let layer = bn as? BatchNormLayer else {
            Issue.record("the variables are gone")
            return
        }
        #expect(w.elements == [1, 2])
        #expect(layer.gamma.elements == [1])
        #expect(layer.training)
        #expect(!SessionCheckpoint(of: s).restore())
    }
}

/// Help, completion and `:vars` know every module through its constructor's `makes:`.
@Suite("Modules: help, completion and :vars")
struct ModuleHelpTests {
    @Test("every module constructor has help, and its fields and methods complete after a dot")
    func helpAndCompletion() {
        let session = Session(output: { _ in })
        #expect(session.run("lin = Linear(3, 2)\nmodel = Sequential(lin, relu)\nps = model.parameters()") == nil)
        for builtin in Builtins.layers {
            guard let type = builtin.makes else {
                Issue.record("\(builtin.name) does not say what it makes")
                continue
            }
            #expect(type.typeName == builtin.name)
            #expect(ReplHelp.topic(builtin.name, session: session)?.hasPrefix(builtin.signature) == true)
            #expect(type.methodNames == ["train", "eval", "parameters", "zero_grad"])
        }
        #expect(ReplHelp.topic("Linear", session: session)?.contains("example: lin = Linear(3, 2)") == true)
        let completer = ReplCompleter(session: session)
        #expect(completer.complete(before: "lin.", word: "w").candidates == ["weight"])
        #expect(completer.complete(before: "lin.", word: "zero").candidates == ["zero_grad"])
        #expect(completer.complete(before: "model.", word: "pa").candidates == ["parameters"])
        // Constructors are not offered as methods of a tensor.
        #expect(!completer.complete(before: "x = zeros(2).", word: "Lin").candidates.contains("Linear"))
        let vars = ReplVariableList.render(session: session, width: 100)
        #expect(vars.contains("lin    layer       Linear(in_features=3, out_features=2, bias=true)"))
        #expect(vars.contains("model  model       Sequential( (0): Linear(in_features=3, out_features=2, bias=true) (1): relu )"))
        #expect(vars.contains("ps     parameters  ParameterList("))
    }
}
