import BNLabCore
import Foundation
import Testing

/// Kernels stop for Ctrl-C and the exercise deadline (issue 8), in process, without a terminal.
@Suite struct KernelStopTests {
    /// The grader's deadline reaches inside one long matmul: a single evaluation step of
    /// 2^33 multiply-adds (seconds in release, minutes in debug) ends as "timed out".
    @Test func deadlineStopsALongMatmul() {
        let session = Session(output: { _ in })
        #expect(session.run("a = ones(2048, 2048)") == nil)
        session.interpreter.deadline = ContinuousClock.now + .milliseconds(200)
        let start = ContinuousClock.now
        let diagnostic = session.run("b = a @ a")
        let elapsed = ContinuousClock.now - start
        #expect(diagnostic?.kind == .timedOut)
        #expect(diagnostic?.message == "timed out")
        #expect(elapsed < .seconds(2), "stopped after \(elapsed)")
    }

    /// A raised flag stops elementwise and reduction kernels, the diagnostic says interrupted,
    /// the flag is cleared for the next entry, and a REPL-style session rolls the statement back.
    @Test func interruptStopsKernelsAndRollsBack() {
        let session = Session(output: { _ in })
        session.rollsBackFailedStatements = true
        let flag = InterruptFlag()
        session.interpreter.interruptFlag = flag
        #expect(session.run("x = zeros(2^26)\ns = -1") == nil)
        let raiser = Thread { usleep(150_000); flag.raise() }
        raiser.start()
        let start = ContinuousClock.now
        // About a hundred passes over 512 MiB: far longer than 150 ms in any build.
        let diagnostic = session.run("s = sum(exp(x) + tanh(x)) + var(x) + sum(sqrt(x) * x) + max(abs(x) - x) + sum(x @ x)")
        let elapsed = ContinuousClock.now - start
        #expect(diagnostic?.kind == .interrupted)
        #expect(elapsed < .seconds(1), "stopped after \(elapsed)")
        #expect(!flag.isRaised)
        guard case .number(let s)? = session.value(of: "s") else {
            Issue.record("s is no longer a number")
            return
        }
        #expect(s == -1)
    }

    /// In a session, random tensors are filled in blocks between polls; the numbers must be
    /// those of one uninterrupted fill (Box–Muller pairs must not be split).
    @Test func blockwiseRandomFillsMatchOneFill() throws {
        let session = Session(output: { _ in })
        #expect(session.run("a = randn(3 * 2^16 + 1, seed=7)\nb = rand(3 * 2^16 + 1, seed=7)") == nil)
        let n = 3 * 65536 + 1
        guard case .tensor(let a)? = session.value(of: "a"), case .tensor(let b)? = session.value(of: "b") else {
            Issue.record("a and b are not tensors")
            return
        }
        #expect(a.elements == (try Tensor.randn([n], seed: 7)).elements)
        #expect(b.elements == (try Tensor.rand([n], seed: 7)).elements)
    }

    /// A transposing copy of 2^26 elements (flatten of a transpose) stops too.
    @Test func interruptStopsATransposingCopy() {
        let session = Session(output: { _ in })
        let flag = InterruptFlag()
        session.interpreter.interruptFlag = flag
        #expect(session.run("x = zeros(2^13, 2^13)") == nil)
        let raiser = Thread { usleep(100_000); flag.raise() }
        raiser.start()
        let start = ContinuousClock.now
        let diagnostic = session.run("y = flatten(x.T)\ny = flatten(x.T)\ny = flatten(x.T)\ny = flatten(x.T)\ny = flatten(x.T)")
        let elapsed = ContinuousClock.now - start
        #expect(diagnostic?.kind == .interrupted)
        #expect(elapsed < .seconds(1), "stopped after \(elapsed)")
    }
}
