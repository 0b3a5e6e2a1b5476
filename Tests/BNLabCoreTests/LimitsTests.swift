import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// Inputs far past every limit end in a diagnostic, never a crash or a hang.
@Suite("Limits")
struct LimitsTests {
    private func error(of source: String) -> Diagnostic? {
        Session(output: { _ in }).run(source)
    }

    @Test("100,000 nested brackets")
    func nestedBrackets() {
        let source = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let d = error(of: source)
        #expect(d?.message.hasPrefix("too deeply nested") == true)
        #expect(d?.range?.start == Parser.nestingLimit)
    }

    @Test("100,000 nested parentheses, blocks and prefix operators")
    func otherNesting() {
        #expect(error(of: String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000))?
            .message.hasPrefix("too deeply nested") == true)
        #expect(error(of: String(repeating: "if 1 { ", count: 100_000))?.message.hasPrefix("too deeply nested") == true)
        #expect(error(of: String(repeating: "-", count: 100_000) + "1")?.message.hasPrefix("too deeply nested") == true)
        #expect(error(of: String(repeating: "not ", count: 100_000) + "1")?.message.hasPrefix("too deeply nested") == true)
        #expect(error(of: "2" + String(repeating: "^2", count: 100_000))?.message.hasPrefix("too deeply nested") == true)
    }

    @Test("a 100,000-term chain is refused, a 1,000-term chain runs")
    func longChains() {
        let long = (0..<100_000).map { _ in "1" }.joined(separator: " + ")
        #expect(error(of: long)?.message.hasPrefix("expression too long") == true)
        var shown = ""
        let session = Session(output: { shown += $0 })
        #expect(session.run((0..<1000).map { _ in "1" }.joined(separator: " + ")) == nil)
        #expect(shown == "1000\n")
    }

    @Test("runaway recursion, direct and through a method call")
    func recursion() {
        #expect(error(of: "fn f(n) = f(n + 1)\nf(0)")?.message == "recursion too deep: more than 1000 nested calls")
        #expect(error(of: "fn f(x) = x.f()\nf(1)")?.message == "recursion too deep: more than 1000 nested calls")
    }

    @Test("deep expressions times deep recursion end in a diagnostic, never a stack overflow")
    func deepExpressionsInRecursion() {
        // The recursive call sits at the bottom of a 1,990-operation chain: each call nests the
        // whole chain again, so the evaluation depth limit stops it long before 1000 calls.
        let chain = "f(n - 1)" + String(repeating: " + 1", count: 1990)
        let d = error(of: "fn f(n) {\n  if n == 0 { return 0 }\n  \(chain)\n}\nf(1000)")
        #expect(d?.message == "evaluation nested too deeply (more than 60000 levels)")
        #expect(d?.notes.contains { $0.message.hasPrefix("in 'f', called at") } == true)
        // Calls nested in calls' arguments count too.
        let nested = String(repeating: "g(", count: 200) + "f(n - 1)" + String(repeating: ")", count: 200)
        #expect(error(of: "fn g(x) = x\nfn f(n) {\n  if n == 0 { return 0 }\n  \(nested)\n}\nf(1000)")?.message
            == "evaluation nested too deeply (more than 60000 levels)")
        // The same chain with the call at its top is shallow: 999 calls run.
        var shown = ""
        let session = Session(output: { shown += $0 })
        let shallow = String(repeating: "1 + ", count: 1990) + "f(n - 1)"
        #expect(session.run("fn f(n) {\n  if n == 0 { return 0 }\n  \(shallow)\n}\nf(999)") == nil)
        #expect(shown == "1988010\n")
    }

    @Test("huge sizes are refused before allocating")
    func sizes() {
        #expect(error(of: "zeros(1000000, 1000000)")?.message.contains("more than the limit") == true)
        #expect(error(of: "x = ones(2^20); x @ ones(2^20, 2^20)")?.message.contains("more than the limit") == true)
        #expect(error(of: "randn(2^40, 2^40)")?.message.contains("more than the limit") == true)
    }

    @Test("an interrupt stops a long loop with an 'interrupted' diagnostic and keeps earlier state")
    func interrupt() {
        let session = Session(output: { _ in })
        session.rollsBackFailedStatements = true
        let flag = InterruptFlag()
        session.interpreter.interruptFlag = flag
        // Raised from another thread while the loop runs, as the SIGINT handler does.
        let raiser = Thread { Thread.sleep(forTimeInterval: 0.2); flag.raise() }
        raiser.start()
        let d = session.run("s = 1\nfor i in 0..1000000000000 { s = i }")
        #expect(d?.kind == .interrupted)
        if case .number(let s)? = session.value(of: "s") { #expect(s == 1) } else { Issue.record("s is unbound") }
        #expect(!flag.isRaised)
    }

    @Test("a deadline stops a runaway loop as 'timed out'")
    func deadline() {
        let session = Session(output: { _ in })
        session.interpreter.deadline = ContinuousClock.now + .milliseconds(100)
        let start = ContinuousClock.now
        let d = session.run("for i in 0..1000000000000 { }")
        #expect(d?.kind == .timedOut)
        #expect(ContinuousClock.now - start < .seconds(2))
    }
}
