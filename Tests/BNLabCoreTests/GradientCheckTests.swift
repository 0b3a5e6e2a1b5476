import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// Every gradient rule against central finite differences (training.md §1), driven through the
/// language as a learner writes it: inputs are `param` leaves, the program's `out` is weighted by
/// a fixed random tensor and summed, `backward()` fills `.grad`, and each `.grad` is compared with
/// (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h computed by re-running the same program on plain tensors.
@Suite("Gradient check: every rule against finite differences")
struct GradientCheckTests {
    /// One program: `source` assigns `out` from the `params` (leaves) and `constants`.
    struct Program: CustomTestStringConvertible, Sendable {
        let rule: String
        let source: String
        let params: [(String, Tensor)]
        var constants: [(String, Tensor)] = []
        var testDescription: String { "\(rule): \(source.replacingOccurrences(of: "\n", with: "; "))" }
    }

    // MARK: - Inputs

    /// Uniform doubles from a fixed seed: no accidental ties, reproducible.
    struct Draw {
        var rng: TestRNG
        init(_ seed: UInt64) { rng = TestRNG(seed) }
        mutating func uniform(_ low: Double, _ high: Double) -> Double {
            low + (high - low) * Double(rng.next() >> 11) / Double(1 << 53)
        }
        mutating func tensor(_ shape: [Int], _ low: Double = -2, _ high: Double = 2) -> Tensor {
            let n = shape.reduce(1, *)
            return try! Tensor(shape: shape, elements: (0..<n).map { _ in uniform(low, high) })
        }
    }

    static func values(_ shape: [Int], _ elements: [Double]) -> Tensor { try! Tensor(shape: shape, elements: elements) }

    static func programs() -> [Program] {
        var d = Draw(11)
        func r(_ s: [Int]) -> Tensor { d.tensor(s) }
        func p(_ s: [Int]) -> Tensor { d.tensor(s, 0.5, 2.5) }
        // Away from 0, for abs and relu kinks.
        func away(_ s: [Int]) -> Tensor {
            let t = d.tensor(s, 0.2, 2)
            return values(s, t.elements.enumerated().map { $0.offset % 2 == 0 ? $0.element : -$0.element })
        }
        return [
            Program(rule: "add", source: "out = a + b", params: [("a", r([3, 1, 4])), ("b", r([2, 4]))]),
            Program(rule: "subtract", source: "out = a - b", params: [("a", r([2, 3])), ("b", r([3]))]),
            Program(rule: "multiply", source: "out = a * b", params: [("a", r([4, 1])), ("b", r([1, 5]))]),
            Program(rule: "multiply", source: "out = a * 3 * a", params: [("a", r([2, 2]))]),
            Program(rule: "divide", source: "out = a / b", params: [("a", r([3, 2])), ("b", p([2]))]),
            Program(rule: "divide", source: "out = 2 / b", params: [("b", p([3, 1]))]),
            Program(rule: "power", source: "out = a ^ b", params: [("a", p([3, 2])), ("b", r([2]))]),
            Program(rule: "power", source: "out = a ^ 3 + 2 ^ a", params: [("a", r([4]))]),
            Program(rule: "maximum", source: "out = maximum(a, b)",
                    params: [("a", values([4], [1, 2, 3, 4])), ("b", values([4], [1, 5, 0, 4]))]),
            Program(rule: "minimum", source: "out = minimum(a, b)", params: [("a", r([3, 4])), ("b", r([4]))]),
            Program(rule: "remainder", source: "out = a % b",
                    params: [("a", values([4], [5.3, -7.1, 2.2, 0.4])), ("b", values([4], [2.1, 3.3, -1.5, 0.7]))]),
            Program(rule: "negate", source: "out = -a", params: [("a", r([3]))]),
            Program(rule: "abs", source: "out = abs(a)", params: [("a", away([2, 3]))]),
            Program(rule: "sqrt", source: "out = sqrt(a)", params: [("a", p([5]))]),
            Program(rule: "exp", source: "out = exp(a)", params: [("a", r([2, 2]))]),
            Program(rule: "log", source: "out = log(a)", params: [("a", p([4]))]),
            Program(rule: "tanh", source: "out = tanh(a)", params: [("a", r([4]))]),
            Program(rule: "sigmoid", source: "out = sigmoid(a)", params: [("a", r([4]))]),
            Program(rule: "relu", source: "out = relu(a)", params: [("a", away([3, 3]))]),
            Program(rule: "matmul", source: "out = a @ b", params: [("a", r([3, 4])), ("b", r([4, 2]))]),
            Program(rule: "matmul", source: "out = a @ b", params: [("a", r([4])), ("b", r([4, 2]))]),
            Program(rule: "matmul", source: "out = a @ b", params: [("a", r([3, 4])), ("b", r([4]))]),
            Program(rule: "matmul", source: "out = a @ b", params: [("a", r([4])), ("b", r([4]))]),
            Program(rule: "matmul", source: "out = a.T[::-1] @ b[:, 1:]", params: [("a", r([4, 3])), ("b", r([4, 3]))]),
            Program(rule: "sum", source: "out = sum(x, axis=[0, 2], keepdims=true)", params: [("x", r([2, 3, 4]))]),
            Program(rule: "sum", source: "out = sum(x.T, axis=-1)", params: [("x", r([3, 4]))]),
            Program(rule: "mean", source: "out = mean(x, axis=-1)", params: [("x", r([2, 3, 4]))]),
            Program(rule: "mean", source: "out = mean(x)", params: [("x", r([5]))]),
            Program(rule: "max", source: "out = max(x, axis=1)",
                    params: [("x", values([2, 3], [1, 4, 4, 2, 0, -1]))]),
            Program(rule: "max", source: "out = max(x)", params: [("x", values([4], [3, -1, 3, 2]))]),
            Program(rule: "min", source: "out = min(x, axis=0, keepdims=true)",
                    params: [("x", values([3, 2], [1, 5, 1, 2, 3, 2]))]),
            Program(rule: "prod", source: "out = prod(x, axis=0)",
                    params: [("x", values([3, 3], [0, 1.5, 0, 2, -1, 0, 0.5, 3, 1.2]))]),
            Program(rule: "prod", source: "out = prod(x)", params: [("x", r([5]))]),
            Program(rule: "var", source: "out = var(x, axis=1, ddof=1)", params: [("x", r([3, 4]))]),
            Program(rule: "var", source: "out = var(x, axis=[0, -1], keepdims=true)", params: [("x", r([2, 3, 4]))]),
            Program(rule: "var", source: "out = var(x[:, ::2])", params: [("x", r([3, 4]))]),
            Program(rule: "std", source: "out = std(x, axis=0, ddof=1)", params: [("x", r([4, 3]))]),
            Program(rule: "std", source: "out = std(x.T, axis=-1, keepdims=true)", params: [("x", r([3, 4]))]),
            Program(rule: "norm", source: "out = norm(x, axis=1)", params: [("x", r([3, 4]))]),
            Program(rule: "norm", source: "out = norm(x, keepdims=true)", params: [("x", r([2, 3]))]),
            Program(rule: "reshape", source: "out = reshape(x.T, 6, 2)[::-1]", params: [("x", r([3, 4]))]),
            Program(rule: "transpose", source: "out = transpose(x, 2, 0, 1) * w", params: [("x", r([2, 3, 4])), ("w", r([4, 2, 1]))]),
            Program(rule: "flatten", source: "out = flatten(x.T)", params: [("x", r([2, 3]))]),
            Program(rule: "stack", source: "out = stack(a, b, axis=1)", params: [("a", r([2, 3])), ("b", r([2, 3]))]),
            Program(rule: "stack", source: "out = [a, b * 2, a]", params: [("a", r([3])), ("b", r([3]))]),
            Program(rule: "stack", source: "out = stack(a, c, axis=-1)", params: [("a", r([2, 2]))], constants: [("c", r([2, 2]))]),
            Program(rule: "concat", source: "out = concat(a, b, axis=-1)", params: [("a", r([2, 3])), ("b", r([2, 1]))]),
            Program(rule: "concat", source: "out = concat(a, c, a)", params: [("a", r([2]))], constants: [("c", r([3]))]),
            Program(rule: "index", source: "out = x[1:, ::-2]", params: [("x", r([3, 5]))]),
            Program(rule: "index", source: "out = x[-1] * x[0]", params: [("x", r([3, 2]))]),
            Program(rule: "index", source: "out = x.T[::2, 1]", params: [("x", r([3, 4]))]),
            Program(rule: "index", source: "s = 0\nfor row in x { s = s + row * row }\nout = s", params: [("x", r([3, 2]))]),
            Program(rule: "mask", source: "out = x[x > 0.3]", params: [("x", r([3, 4]))]),
            Program(rule: "mask", source: "out = x[c > 0]", params: [("x", r([4, 2]))], constants: [("c", values([4], [1, -1, 2, 3]))]),
            Program(rule: "assignIndex", source: "y = x * 1\ny[1:, ::-1] = v\nout = y * x",
                    params: [("x", r([3, 3])), ("v", r([3]))]),
            Program(rule: "assignIndex", source: "y = x * 1\ny[0, 1] = v\nout = y", params: [("x", r([2, 2])), ("v", r([]))]),
            Program(rule: "assignMask", source: "y = x * 1\ny[x > 0] = v\nout = y * y", params: [("x", r([3, 4])), ("v", r([]))]),
            Program(rule: "assignMask", source: "y = x * 1\ny[c > 0] = v\nout = y", params: [("x", r([3, 2])), ("v", r([2]))],
                    constants: [("c", values([3], [1, -1, 1]))]),
            Program(rule: "where", source: "out = where(c > 0, a, b)", params: [("a", r([3, 4])), ("b", r([4]))],
                    constants: [("c", r([3, 4]))]),
            Program(rule: "clip", source: "out = clip(x, lo, hi)",
                    params: [("x", r([3, 4])), ("lo", d.tensor([4], -1.5, 0)), ("hi", d.tensor([3, 1], -0.5, 1.5))]),
            Program(rule: "gather", source: "out = x[idx]", params: [("x", r([3, 4]))],
                    constants: [("idx", values([2, 2], [2, 0, 2, -1]))]),
            Program(rule: "gather", source: "out = x[:, idx]", params: [("x", r([2, 3]))], constants: [("idx", values([3], [1, 1, 0]))]),
            Program(rule: "gather", source: "out = x[1, idx]", params: [("x", r([3, 4]))], constants: [("idx", values([2], [3, -4]))]),
            Program(rule: "gather", source: "out = x.T[::-1][idx]", params: [("x", r([3, 4]))], constants: [("idx", values([3], [0, 0, 3]))]),
            Program(rule: "gather", source: "out = x[:, :, idx]", params: [("x", r([2, 2, 3]))], constants: [("idx", values([2], [2, 2]))]),
            Program(rule: "assignGather", source: "y = x * 1\ny[idx] = v\nout = y * x", params: [("x", r([4, 2])), ("v", r([2, 2]))],
                    constants: [("idx", values([2], [2, 0]))]),
            Program(rule: "assignGather", source: "y = x * 1\ny[:, idx] = v\nout = y", params: [("x", r([2, 3])), ("v", r([3]))],
                    constants: [("idx", values([3], [1, 1, -1]))]),
            Program(rule: "batchnorm", source: "out = batchnorm(x, g, b)", params: [("x", r([4, 3, 2])), ("g", r([3])), ("b", r([3]))]),
            Program(rule: "batchnorm", source: "out = batchnorm(x.T, g)", params: [("x", r([2, 5])), ("g", r([]))]),
            Program(rule: "layernorm", source: "out = layernorm(x)", params: [("x", r([3, 4, 2]))]),
            Program(rule: "instancenorm", source: "out = instancenorm(x)", params: [("x", r([2, 3, 4]))]),
            Program(rule: "groupnorm", source: "out = groupnorm(x, 2)", params: [("x", r([2, 4, 3]))]),
            Program(rule: "ema", source: "out = ema(a, b, 0.1)", params: [("a", r([3])), ("b", r([3]))]),
            Program(rule: "minmax", source: "out = minmax(x, axis=1)", params: [("x", r([3, 4]))]),
            Program(rule: "zscore", source: "out = zscore(x, axis=0, ddof=1)", params: [("x", r([4, 3]))]),
            Program(rule: "l2normalize", source: "out = l2normalize(x, axis=-1)", params: [("x", r([2, 3]))]),
        ]
    }

    // MARK: - Running programs

    /// A session holding the constants, the weights `W` and the inputs (leaves when `tracked`).
    static func session(_ program: Program, inputs: [(String, Tensor)], weights: Tensor?, tracked: Bool) throws -> Session {
        let session = Session(output: { _ in })
        let globals = session.interpreter.globals
        for (name, value) in program.constants { globals.set(name, .tensor(value)) }
        if let weights { globals.set("W", .tensor(weights)) }
        for (name, value) in inputs {
            globals.set(name, .tensor(value))
            if tracked, let failure = session.run("\(name) = param(\(name))") { throw Failure(failure.message) }
        }
        return session
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func number(_ value: Value?) throws -> Double {
        switch value {
        case .number(let v)?: return v
        case .tensor(let t)?: if let v = t.scalarValue { return v }
        default: break
        }
        throw Failure("not a number: \(String(describing: value))")
    }

    /// Σ out·W for the given inputs, untracked.
    static func loss(_ program: Program, _ inputs: [(String, Tensor)], _ weights: Tensor) throws -> Double {
        let session = try session(program, inputs: inputs, weights: weights, tracked: false)
        if let failure = session.run(program.source + "\nloss = sum(out * W)") { throw Failure(failure.message) }
        return try number(session.value(of: "loss"))
    }

    /// The gradients `backward()` leaves in each input's `.grad`, flattened in input order.
    static func analytic(_ program: Program, _ weights: Tensor) throws -> [Double] {
        let session = try session(program, inputs: program.params, weights: weights, tracked: true)
        let leaves = program.params.map { session.value(of: $0.0)?.tensorValue?.node }
        if let failure = session.run(program.source + "\nloss = sum(out * W)\nloss.backward()") { throw Failure(failure.message) }
        var result: [Double] = []
        for (leaf, (name, value)) in zip(leaves, program.params) {
            guard let grad = leaf?.grad else { throw Failure("\(name).grad is none") }
            #expect(grad.shape == value.shape, "\(name).grad has shape \(grad.shape), expected \(value.shape)")
            result += grad.elements
        }
        return result
    }

    /// Central differences with step h, in input order.
    static func numeric(_ program: Program, _ weights: Tensor, h: Double = 1e-6) throws -> [Double] {
        var result: [Double] = []
        for (k, (_, value)) in program.params.enumerated() {
            let base = value.elements
            for i in base.indices {
                var inputs = program.params
                var plus = base, minus = base
                plus[i] += h
                minus[i] -= h
                inputs[k].1 = values(value.shape, plus)
                let up = try loss(program, inputs, weights)
                inputs[k].1 = values(value.shape, minus)
                let down = try loss(program, inputs, weights)
                result.append((up - down) / (2 * h))
            }
        }
        return result
    }

    /// ‖a − b‖ / max(‖a‖, ‖b‖), 0 when both are 0.
    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        let diff = zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        let scale = max(a.reduce(0) { $0 + $1 * $1 }.squareRoot(), b.reduce(0) { $0 + $1 * $1 }.squareRoot())
        return scale == 0 ? 0 : diff / scale
    }

    /// The weights for `out`: a fixed random tensor of its shape, so no gradient is trivially ones.
    static func weights(_ program: Program) throws -> Tensor {
        let session = try session(program, inputs: program.params, weights: nil, tracked: false)
        if let failure = session.run(program.source) { throw Failure(failure.message) }
        guard let out = session.value(of: "out")?.tensorValue else { throw Failure("out is not a tensor") }
        var d = Draw(UInt64(out.count) &+ 97)
        return d.tensor(out.shape, 0.5, 1.5)
    }

    @Test("each rule's gradient matches central differences to 1e-6 (norm-wise)", arguments: programs())
    func matchesFiniteDifferences(_ program: Program) throws {
        let w = try Self.weights(program)
        let a = try Self.analytic(program, w)
        let n = try Self.numeric(program, w)
        #expect(a.count == n.count)
        let error = Self.relativeError(a, n)
        #expect(error <= 1e-6, "\(program.rule): relative error \(error)\n analytic \(a)\n numeric  \(n)")
        #expect(a.contains { $0 != 0 }, "a gradient of all zeros checks nothing")
    }

    /// The worst error per rule, printed for the record (the issue asks for the figures).
    @Test("worst error per rule, for the record")
    func worstPerRule() throws {
        var worst: [String: Double] = [:]
        for program in Self.programs() {
            let w = try Self.weights(program)
            let error = Self.relativeError(try Self.analytic(program, w), try Self.numeric(program, w))
            worst[program.rule] = max(worst[program.rule] ?? 0, error)
        }
        let lines = worst.sorted { $0.key < $1.key }.map { String(format: "%@ %.2e", $0.key, $0.value) }
        print("gradient check, worst norm-wise relative error per rule:\n  " + lines.joined(separator: "\n  "))
        #expect(worst.values.allSatisfy { $0 <= 1e-6 })
    }
}
