import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// Lesson 6's recorded numbers, derived here without bnlab: the neuron's gradients by the chain
/// rule, BN's backward by the staged (step-by-step graph) derivation rather than the lesson's
/// compact formula, and central finite differences of a plain-loop BN forward.
@Suite("Lesson 6 numbers, derived independently")
struct Lesson6Tests {
    typealias Matrix = [[Double]]
    static let eps = 1e-5

    static func recorded(_ cell: Int) throws -> [String] { try LessonNumbersTests.recordedTokens(6, cell: cell) }
    static func flat(_ m: Matrix) -> [Double] { m.flatMap { $0 } }

    /// BN's training forward, one column at a time, with plain loops.
    static func forward(_ x: Matrix, _ gamma: [Double], _ beta: [Double]) -> Matrix {
        let m = x.count, d = x[0].count
        var y = x
        for j in 0..<d {
            let mu = x.map { $0[j] }.reduce(0, +) / Double(m)
            let v = x.map { ($0[j] - mu) * ($0[j] - mu) }.reduce(0, +) / Double(m)
            for i in 0..<m { y[i][j] = gamma[j] * (x[i][j] - mu) / (v + eps).squareRoot() + beta[j] }
        }
        return y
    }

    /// The backward of BN taken one graph node at a time (x → x − μ → (x − μ)² → σ² → 1/√(σ²+ε) → x̂),
    /// as cs231n's staged version; it shares nothing with the lesson's compact formula but the maths.
    static func stagedBackward(_ dy: Matrix, _ x: Matrix, _ gamma: [Double]) -> Matrix {
        let m = x.count, d = x[0].count, n = Double(m)
        var dx = x
        for j in 0..<d {
            let mu = x.map { $0[j] }.reduce(0, +) / n
            let xmu = x.map { $0[j] - mu }
            let v = xmu.map { $0 * $0 }.reduce(0, +) / n
            let sq = (v + eps).squareRoot(), iv = 1 / sq
            let dxhat = (0..<m).map { dy[$0][j] * gamma[j] }
            let divar = zip(dxhat, xmu).map { $0 * $1 }.reduce(0, +)
            let dsq = -divar / (sq * sq)
            let dvar = 0.5 / sq * dsq
            let dxmu = (0..<m).map { dxhat[$0] * iv + 2 * xmu[$0] / n * dvar }
            let dmu = -dxmu.reduce(0, +)
            for i in 0..<m { dx[i][j] = dxmu[i] + dmu / n }
        }
        return dx
    }

    static func loss(_ dy: Matrix, _ x: Matrix, _ gamma: [Double], _ beta: [Double]) -> Double {
        zip(flat(dy), flat(forward(x, gamma, beta))).map { $0 * $1 }.reduce(0, +)
    }

    static func numeric(_ dy: Matrix, _ x: Matrix, _ gamma: [Double], _ beta: [Double], h: Double = 1e-5) -> Matrix {
        var g = x
        for i in x.indices {
            for j in x[0].indices {
                var p = x, q = x
                p[i][j] += h
                q[i][j] -= h
                g[i][j] = (loss(dy, p, gamma, beta) - loss(dy, q, gamma, beta)) / (2 * h)
            }
        }
        return g
    }

    static func norm(_ v: [Double]) -> Double { v.map { $0 * $0 }.reduce(0, +).squareRoot() }
    static func rel(_ a: [Double], _ b: [Double]) -> Double {
        norm(zip(a, b).map { $0 - $1 }) / max(norm(a), norm(b))
    }

    static let x: Matrix = [[1, 2, 0], [3, 6, 1], [5, 10, 0], [7, 18, 1]]
    static let gamma = [1.0, 2, 0.5], beta = [0.0, 1, -1]
    static let dy: Matrix = [[1, -1, 2], [0, 3, -2], [2, 1, 1], [-1, 0, 4]]

    @Test("the neuron: tanh(x1·w1 + x2·w2 + b) and its gradients by the chain rule and by finite differences")
    func neuron() throws {
        let (x1, x2, w1, w2, b) = (2.0, 0.0, -3.0, 1.0, 6.8813735870195432)
        let n = x1 * w1 + x2 * w2 + b, o = tanh(n)
        LessonNumbersTests.expectClose(try Self.recorded(1), [n, o])
        #expect(abs(o - 1 / 2.0.squareRoot()) < 1e-9, "the bias is chosen so that o = 1/√2")
        let dn = 1 - o * o
        let grads = [w1 * dn, x1 * dn, w2 * dn, x2 * dn, dn]
        LessonNumbersTests.expectClose(try Self.recorded(2), grads)
        LessonNumbersTests.expectClose(try Self.recorded(3), [dn] + grads)
        let h = 1e-5
        let dx1 = (tanh((x1 + h) * w1 + b) - tanh((x1 - h) * w1 + b)) / (2 * h)
        let dw1 = (tanh(x1 * (w1 + h) + b) - tanh(x1 * (w1 - h) + b)) / (2 * h)
        LessonNumbersTests.expectClose(try Self.recorded(4), [dx1, dw1, 1])
        // The prose's "about 2e-10": h²/6 · w1³ · tanh'''(n), with tanh''' = −2(1 − o²)(1 − 3o²).
        let truncation = h * h / 6 * pow(w1, 3) * (-2 * (1 - o * o) * (1 - 3 * o * o))
        #expect(abs(truncation) > 1e-10 && abs(truncation) < 3e-10)
        #expect(abs(dx1 - grads[0]) < 1e-9 && abs(dw1 - grads[1]) < 1e-9)
    }

    @Test("BN's backward: the staged graph, finite differences and the recorded hand, tape and numeric gradients agree")
    func bnBackward() throws {
        let staged = Self.stagedBackward(Self.dy, Self.x, Self.gamma)
        let num = Self.numeric(Self.dy, Self.x, Self.gamma, Self.beta)
        #expect(Self.rel(Self.flat(staged), Self.flat(num)) < 1e-9)
        for cell in [6, 7, 8] { LessonNumbersTests.expectClose(try Self.recorded(cell), Self.flat(staged)) }
        // Cell 9: hand against tape is rounding (< 1e-14); both against finite differences near 1e-10.
        let errors = try Self.recorded(9).map { Double($0)! }
        #expect(errors.count == 3 && errors[0] < 1e-14)
        #expect(errors[1] > 1e-12 && errors[1] < 1e-9 && errors[2] > 1e-12 && errors[2] < 1e-9)
        #expect(Self.rel(Self.flat(staged), Self.flat(num)) > 1e-12, "finite differences are not exact here either")
    }

    @Test("60 × 10: the norm-wise error stays near 1e-10 while the element-wise one is 1e-7, at a near-zero entry")
    func elementwiseMisleads() throws {
        func draw(_ shape: [Int], seed: UInt64) throws -> [Double] {
            var g = RandomGenerator(seed: seed)
            return try Tensor.randint(-9, 10, shape, generator: &g).elements
        }
        let xs = try draw([60, 10], seed: 6), gs = try draw([10], seed: 7).map { $0 / 4 }, ds = try draw([60, 10], seed: 8)
        let x = (0..<60).map { Array(xs[($0 * 10)..<($0 * 10 + 10)]) }
        let dy = (0..<60).map { Array(ds[($0 * 10)..<($0 * 10 + 10)]) }
        let beta = [Double](repeating: 0, count: 10)
        let dx = Self.flat(Self.stagedBackward(dy, x, gs)), num = Self.flat(Self.numeric(dy, x, gs, beta))
        let normwise = Self.rel(dx, num)
        let elementwise = zip(dx, num).map { abs($0 - $1) / max(abs($0) + abs($1), 1e-8) }
        let worst = elementwise.indices.max { elementwise[$0] < elementwise[$1] }!
        let recorded = try Self.recorded(10).map { Double($0)! }
        #expect(recorded.count == 4)
        // Rounding noise: the same order of magnitude as bnlab's, not the same digits.
        #expect(normwise > 1e-11 && normwise < 3e-9 && recorded[0] > 1e-11 && recorded[0] < 3e-9)
        #expect(elementwise[worst] > 100 * normwise && recorded[1] > 100 * recorded[0])
        #expect(abs(dx[worst]) < 0.01, "the worst element-wise error sits at a near-zero gradient")
        let meanAbs = dx.map(abs).reduce(0, +) / Double(dx.count)
        LessonNumbersTests.expectClose([try Self.recorded(10)[3]], [meanAbs])
        #expect(abs(recorded[2]) < 0.01)
    }

    @Test("the shortcut dx = γ·dy/σ: half wrong for this dy, 100 % wrong for a constant dy")
    func shortcut() throws {
        func shortcut(_ dy: Matrix) -> [Double] {
            var out: [Double] = []
            for row in dy.indices {
                for j in 0..<3 {
                    let c = Self.x.map { $0[j] }, mu = c.reduce(0, +) / 4
                    let v = c.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / 4
                    out.append(Self.gamma[j] * dy[row][j] / (v + Self.eps).squareRoot())
                }
            }
            return out
        }
        let ones: Matrix = Array(repeating: [1, 1, 1], count: 4)
        let wrong = Self.rel(shortcut(Self.dy), Self.flat(Self.stagedBackward(Self.dy, Self.x, Self.gamma)))
        let wrongOnes = Self.rel(shortcut(ones), Self.flat(Self.stagedBackward(ones, Self.x, Self.gamma)))
        LessonNumbersTests.expectClose(try Self.recorded(11), [wrong, wrongOnes])
        #expect(wrong > 0.3 && abs(wrongOnes - 1) < 1e-12)
        LessonNumbersTests.expectClose(try Self.recorded(12), [0])
    }

    @Test("the bias before BN: its gradient is rounding, W's is not, and shifting it changes nothing")
    func biasBeforeBN() throws {
        let u: Matrix = [[1, 0], [0, 1], [1, 1], [2, 1]]
        let w: Matrix = [[1, 2, 0], [3, -1, 1]]
        let b = [10.0, -5, 0.5]
        func z(_ shift: Double) -> Matrix {
            u.map { row in (0..<3).map { j in row[0] * w[0][j] + row[1] * w[1][j] + b[j] + shift } }
        }
        let dh = Self.stagedBackward(Self.dy, z(0), [1, 1, 1])
        let db = (0..<3).map { j in dh.map { $0[j] }.reduce(0, +) }
        var dw = w
        for k in 0..<2 { for j in 0..<3 { dw[k][j] = (0..<4).map { u[$0][k] * dh[$0][j] }.reduce(0, +) } }
        let recordedBias = try Self.recorded(13).map { Double($0)! }
        #expect(recordedBias.count == 4)
        #expect(recordedBias.prefix(3).allSatisfy { abs($0) < 1e-14 } && db.allSatisfy { abs($0) < 1e-14 })
        LessonNumbersTests.expectClose([try Self.recorded(13)[3]], [Self.flat(dw).map(abs).max()!])
        #expect(Self.flat(dw).map(abs).max()! > 1, "W's gradient is far from rounding")
        let ones3 = [1.0, 1, 1], zeros3 = [0.0, 0, 0]
        let shifted = Self.loss(Self.dy, z(5), ones3, zeros3) - Self.loss(Self.dy, z(0), ones3, zeros3)
        #expect(abs(shifted) < 1e-12)
        LessonNumbersTests.expectClose([try Self.recorded(14)[0]], [0])
    }

    @Test("a constant dy (per column) gives dx = 0, and dx's column sums are 0 for any dy")
    func constantUpstream() throws {
        let ones: Matrix = Array(repeating: [1, 1, 1], count: 4)
        let perColumn: Matrix = Array(repeating: [1, 5, -2], count: 4)
        let a = Self.flat(Self.stagedBackward(ones, Self.x, Self.gamma))
        let c = Self.flat(Self.stagedBackward(perColumn, Self.x, Self.gamma))
        #expect(a.allSatisfy { abs($0) < 1e-14 } && c.allSatisfy { abs($0) < 1e-14 })
        LessonNumbersTests.expectClose(try Self.recorded(15), [Double](repeating: 0, count: 24))
        // Σ y = m·β whatever x is: the loss of a constant dy does not move with x.
        var moved = Self.x
        moved[2][1] += 3.7
        #expect(abs(Self.loss(ones, moved, Self.gamma, Self.beta) - 4 * Self.beta.reduce(0, +)) < 1e-12)
        let sums = try Self.recorded(16).map { Double($0)! }
        #expect(sums.count == 4 && sums.allSatisfy { abs($0) < 1e-14 })
        let dx = Self.stagedBackward(Self.dy, Self.x, Self.gamma)
        #expect((0..<3).allSatisfy { j in abs(dx.map { $0[j] }.reduce(0, +)) < 1e-14 })
    }
}
