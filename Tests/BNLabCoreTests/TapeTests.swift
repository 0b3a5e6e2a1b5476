import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// The tape itself (training.md §1): iterative backward, accumulation, no_grad, detach, and the
/// errors backward() gives.
@Suite("Tape: backward, accumulation, no_grad and errors")
struct TapeTests {
    func run(_ source: String) -> (Session, Diagnostic?) {
        let session = Session(output: { _ in })
        return (session, session.run(source))
    }

    func grad(_ session: Session, _ name: String) -> [Double]? {
        session.value(of: name)?.tensorValue?.node?.grad?.elements
    }

    @Test("a chain of 100 000 recorded steps runs backward without a stack overflow")
    func longChain() throws {
        let (session, failure) = run("""
            w = param([1.0])
            y = w
            for i in 0..100000 { y = y * 1.0000001 }
            sum(y).backward()
            """)
        #expect(failure == nil, "\(failure?.message ?? "")")
        let g = try #require(grad(session, "w"))
        // d/dw of w·c^100000 is c^100000, computed here by repeated multiplication as the forward did.
        var expected = 1.0
        for _ in 0..<100_000 { expected *= 1.0000001 }
        #expect(abs(g[0] - expected) <= 1e-12 * expected)
        // Dropping the chain here, on the test's own (small) stack rather than inside a run:
        // freeing 100 000 steps must not recurse either.
        session.interpreter.globals.set("y", nil)
    }

    @Test("gradients accumulate across two backward calls until zeroed")
    func accumulation() throws {
        let (session, failure) = run("""
            w = param([1.0, 2.0])
            sum(w * w).backward()
            sum(w * w).backward()
            g2 = w.grad
            zero_grad(w)
            g0 = w.grad == none
            sum(3 * w).backward()
            """)
        #expect(failure == nil)
        #expect(session.value(of: "g2")?.tensorValue?.elements == [4, 8])
        #expect(try GradientCheckTests.number(session.value(of: "g0")) == 1)
        #expect(grad(session, "w") == [3, 3])
    }

    @Test("no_grad records nothing and opens no scope")
    func noGrad() throws {
        let (session, failure) = run("""
            w = param([1.0, 2.0])
            no_grad { z = w * 2; inside = z.requires_grad }
            after = (w * 2).requires_grad
            """)
        #expect(failure == nil)
        #expect(session.value(of: "z")?.tensorValue?.node == nil)
        #expect(try GradientCheckTests.number(session.value(of: "inside")) == 0)
        #expect(try GradientCheckTests.number(session.value(of: "after")) == 1)
    }

    @Test("detach, .data and item give values without history")
    func detachDataItem() throws {
        let (session, failure) = run("""
            w = param([1.0, 2.0])
            d = detach(w * 3)
            e = (w * 3).data
            i = sum(w).item()
            """)
        #expect(failure == nil)
        for name in ["d", "e"] {
            let t = session.value(of: name)?.tensorValue
            #expect(t?.elements == [3, 6])
            #expect(t?.node == nil)
        }
        if case .number(let v)? = session.value(of: "i") { #expect(v == 3) } else { Issue.record("item() is not a number") }
    }

    @Test("backward on a non-scalar names its shape; on an untracked tensor says so")
    func backwardErrors() {
        let (_, shape) = run("w = param([1.0, 2.0])\n(w * 2).backward()")
        #expect(shape?.message == "backward() needs a tensor with one element (a loss), got shape [2]")
        let (_, untracked) = run("sum([1.0, 2.0]).backward()")
        #expect(untracked?.message.hasPrefix("backward() needs a tensor that requires a gradient") == true)
    }

    @Test("a builtin without a rule: backward names it and points at the forward expression")
    func builtinWithoutRule() throws {
        let session = Session(output: { _ in })
        // A builtin that computes with a kernel directly, recording nothing: the interpreter marks it.
        let mystery = Builtin("mystery(x)", group: "elementwise", "doubles x without recording", example: "mystery(1)") { a throws(Diagnostic) in
            let x = try a.tensor("x")
            return .tensor(try a.attempt { () throws(TensorError) in try Tensor.binary(.multiply, x, Tensor(2)) })
        }
        session.interpreter.globals.set("mystery", .function(.builtin(mystery)))
        let failure = try #require(session.run("w = param([1.0])\ny = mystery(w)\nsum(y).backward()"))
        #expect(failure.message == "in backward(): there is no gradient rule for 'mystery'")
        let marked = failure.range.flatMap { r in failure.file.map { String($0.slice(r)) } }
        #expect(marked == "mystery(w)")
    }
}
