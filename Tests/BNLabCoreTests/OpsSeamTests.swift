import Testing
@testable import BNLabCore

/// Every tensor operation a program asks for passes through `Ops`, the seam where gradients
/// will be recorded; numbers combined with numbers stay on the compiler's fast paths.
@Suite("Ops: one seam for tensor operations")
struct OpsSeamTests {
    /// The primitives `Ops` ran while `code` ran, after `setup` (whose own operations are not counted).
    private func heard(_ code: String, setup: String = "x = [[1, -2], [3, 4]]\ny = [10, 20]\nz = [[1, 2], [3, 5], [0, 1]]\nbn = BatchNorm(2)") -> [String] {
        let session = Session(output: { _ in })
        if let failure = session.run(setup) { Issue.record("setup failed: \(failure.message)") }
        var names: [String] = []
        session.interpreter.opsObserver = { names.append($0) }
        if let failure = session.run(code) { Issue.record("\(code) failed: \(failure.message)") }
        return names
    }

    @Test("operators, indexing, rows, .T, list stacking and mask indexing each run their primitive",
          arguments: [
              ("-x", ["negate"]),
              ("x + y", ["add"]),
              ("x * 2", ["multiply"]),
              ("x >= y", ["greaterEqual"]),
              ("x @ x", ["matmul"]),
              ("x[0]", ["index"]),
              ("x[0, 1:]", ["index"]),
              ("[x, x]", ["stack"]),
              ("for r in x { }", ["index", "index"]),
              ("x.T", ["transpose"]),
              ("x[x > 0]", ["greater", "mask"]),
              ("x[0] = y", ["assignIndex"]),
              ("x[x > 0] = 0", ["greater", "assignMask"]),
              ("x[[1, 0]]", ["gather"]),
              ("x[1:, [1, 0]]", ["index", "gather"]),
              ("x[[1, 1]] = y", ["assignGather"]),
          ])
    func language(code: String, expected: [String]) {
        #expect(heard(code) == expected)
    }

    @Test("builtins and the BatchNorm layer run their primitives",
          arguments: [
              ("mean(x)", ["mean"]),
              ("sum(x, axis=0)", ["sum"]),
              ("var(x, ddof=1)", ["var"]),
              ("exp(x)", ["exp"]),
              ("maximum(x, y)", ["maximum"]),
              ("where(x > 0, x, 0)", ["greater", "select"]),
              ("reshape(x, 4)", ["reshape"]),
              ("concat(y, y)", ["concat"]),
              ("batchnorm(x)", ["batchnorm"]),
              ("layernorm(x)", ["standardize"]),
              ("minmax(y)", ["min", "max", "subtract", "subtract", "divide"]),
              ("allclose(x, x)", ["allclose"]),
              // Training mode: batch moments, the normalization, then the running statistics.
              ("bn(z)", ["batchnorm", "channelMoments", "multiply", "ema", "ema"]),
          ])
    func builtins(code: String, expected: [String]) {
        #expect(heard(code) == expected)
    }

    @Test("numbers with numbers never reach the seam: the scalar fast paths stay")
    func scalars() {
        #expect(heard("a = 1 + 2 * 3\nb = a >= 7\nif a > 2 { c = -a }\ns = 0\nfor i in 0..5 { s = s + i ^ 2 }").isEmpty)
    }

    @Test("a failing primitive is reported where it was asked for: a shape error marks both operands")
    func failureRange() {
        let session = Session(output: { _ in })
        let failure = session.run("a = [1, 2, 3]\nb = a + [1, 2]")
        #expect(failure?.message == "cannot broadcast shapes [3] and [2]")
        let marked = failure.flatMap { d in d.range.flatMap { r in d.file.map { String($0.slice(r)) } } }
        #expect(marked == "a")
        let highlighted = failure.flatMap { d in d.file.map { file in d.highlights.map { String(file.slice($0)) } } }
        #expect(highlighted == ["[1, 2]"])
        // A builtin's failure is at its call.
        let other = session.run("c = reshape(a, 2)")
        #expect(other.flatMap { d in d.range.flatMap { r in d.file.map { String($0.slice(r)) } } } == "reshape(a, 2)")
    }
}
