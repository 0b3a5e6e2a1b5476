import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// Calls push their locals on one frame stack: every way out of a call (a value, a `return`, an
/// error in an argument or in the body, an interrupt, the recursion limit) gives the frame back
/// and releases what it held.
@Suite("Fast calls and the frame stack")
struct FastCallTests {
    private func run(_ session: Session, _ source: String) -> Diagnostic? {
        session.run(source)
    }

    @Test("the frame stack is empty again after calls that return, fail, or recurse too deep")
    func framesBalance() {
        let session = Session(output: { _ in })
        let programs = [
            "fn f(a) { t = a * 2; u = t + 1; u }\ns = 0\nfor i in 0..100 { s = f(i) }",
            "fn g(a, b) { if a > 3 { return b }; g(a + 1, b * 2) }\nr = g(0, 1)",
            "fn bad(a) { t = a; t + \"s\" }\nbad(1)",
            "fn two(a, b) = a + b\ntwo(1, nope)",
            "fn down(n) { k = n; down(n + 1) }\ndown(0)",
            "fn h(a, b=2) = a + b\nh(1, c=3)",
        ]
        for program in programs {
            _ = run(session, program)
            #expect(session.interpreter.framesInUse == 0, "\(program)")
        }
        // The first program's result, computed by hand: f(99) = 99 * 2 + 1.
        if case .number(let s)? = session.value(of: "s") { #expect(s == 199) } else { Issue.record("s is unbound") }
        // g doubles b four times before a exceeds 3: 1 * 2^4.
        if case .number(let r)? = session.value(of: "r") { #expect(r == 16) } else { Issue.record("r is unbound") }
    }

    @Test("a frame's values are released when its call fails")
    func failedCallReleasesLocals() {
        let session = Session(output: { _ in })
        session.register(Counter.constructor)
        #expect(run(session, "c = Counter(2)\nfn keep(t) { u = t; u + \"s\" }\nfn keep2(t, k) { u = t; u + k }") == nil)
        weak var counter: Counter?
        if case .object(let object)? = session.value(of: "c") { counter = object as? Counter }
        #expect(counter != nil)
        #expect(run(session, "keep(c)") != nil)
        #expect(run(session, "keep2(c, \"s\")") != nil)
        #expect(run(session, "keep2(c, nope)") != nil)
        // Once the variable lets go, nothing else may hold the object: not the failed calls'
        // parameters or locals.
        #expect(run(session, "c = 0") == nil)
        #expect(counter == nil)
        #expect(session.interpreter.framesInUse == 0)
    }

    @Test("recursion deeper than the frame stack's slots still works, in separately allocated frames")
    func deepRecursionWithManyLocals() {
        let session = Session(output: { _ in })
        // 30 locals × 900 calls = 27,000 slots, more than the stack's 8,192.
        let locals = (0..<29).map { "v\($0) = n" }.joined(separator: "; ")
        let source = "fn deep(n) { \(locals); if n == 0 { return 0 }; deep(n - 1) + v28 }\nr = deep(900)"
        #expect(run(session, source) == nil)
        // deep(n) = deep(n - 1) + n, so deep(900) = 900 * 901 / 2.
        if case .number(let r)? = session.value(of: "r") { #expect(r == 405_450) } else { Issue.record("r is unbound") }
        #expect(session.interpreter.framesInUse == 0)
    }

    @Test("an interrupt stops runaway recursion through the fast path")
    func interruptStopsRecursion() {
        let session = Session(output: { _ in })
        let flag = InterruptFlag()
        session.interpreter.interruptFlag = flag
        let raiser = Thread { Thread.sleep(forTimeInterval: 0.2); flag.raise() }
        raiser.start()
        // fib(60) makes about 10^12 calls, all through f(a): only the interrupt can end it.
        let d = run(session, "fn fib(n) { if n < 2 { return n }; fib(n - 1) + fib(n - 2) }\nfib(60)")
        #expect(d?.kind == .interrupted)
        #expect(session.interpreter.framesInUse == 0)
    }
}
