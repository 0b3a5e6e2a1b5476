import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// Entries and commands run against a session, with output captured.
@Suite struct ReplEngineTests {
    final class Capture {
        var output = ""
        var errors: [Diagnostic] = []
        var remarks = ""
    }

    func makeEngine() -> (ReplEngine, Capture) {
        let capture = Capture()
        let engine = ReplEngine(write: { capture.output += $0 }, report: { capture.errors.append($0) },
                                remark: { capture.remarks += $0 })
        return (engine, capture)
    }

    @Test func valuesShowAndSemicolonHides() {
        let (engine, capture) = makeEngine()
        #expect(engine.handle("mean([1, 2, 3])") == .succeeded)
        #expect(engine.handle("sum([1, 2]);") == .succeeded)
        #expect(engine.handle("ans") == .succeeded)
        #expect(capture.output == "2\n2\n")
    }

    @Test func failedStatementLeavesStateAsBefore() {
        let (engine, capture) = makeEngine()
        _ = engine.handle("x = 1")
        #expect(engine.handle("x = 2\ny = x + [1, 2] @ [[1], [2], [3]]") == .failed)
        _ = engine.handle("x")
        #expect(capture.output == "2\n", "statements before the failing one stay")
        #expect(capture.errors.count == 1)
        #expect(engine.session.value(of: "y") == nil)
    }

    @Test func errorsPointIntoTheEntry() {
        let (engine, capture) = makeEngine()
        #expect(engine.handle("mean(nosuch)") == .failed)
        let text = DiagnosticRenderer.render(capture.errors[0])
        #expect(text.contains("<repl>:1:6"))
        #expect(text.contains("     ^^^^^^"))
    }

    @Test func commands() {
        let (engine, capture) = makeEngine()
        _ = engine.handle("x = zeros(2, 3)")
        _ = engine.handle("bn = BatchNorm(3)")
        #expect(engine.handle(":vars") == .succeeded)
        #expect(capture.output.contains("x   [2, 3]  [[0, 0, 0], [0, 0, 0]]"))
        #expect(capture.output.contains("bn  layer   BatchNorm(3"))
        capture.output = ""
        #expect(engine.handle("?mean") == .succeeded)
        #expect(capture.output.hasPrefix("mean(x, axis=none, keepdims=false)\n"))
        #expect(capture.output.contains("example:"))
        capture.output = ""
        #expect(engine.handle(":help") == .succeeded)
        for part in ["Language", "Builtins", "construct:", "Commands", ":time EXPR"] {
            #expect(capture.output.contains(part))
        }
        #expect(engine.handle(":help nosuchthing") == .failed)
        #expect(engine.handle(":help meen") == .failed)
        #expect(capture.errors.last?.notes.first?.message == "did you mean 'mean'?")
        #expect(engine.handle(":set precision 2") == .succeeded)
        capture.output = ""
        _ = engine.handle("[0.12345]")
        #expect(capture.output == "[0.12]\n")
        #expect(engine.handle(":reset") == .succeeded)
        #expect(engine.session.value(of: "x") == nil)
        #expect(engine.session.value(of: "mean") != nil, "builtins come back")
        #expect(engine.handle(":quit") == .quit)
    }

    @Test func timeReportsMeanAndSpread() {
        let (engine, capture) = makeEngine()
        #expect(engine.handle(":time sum(arange(10))") == .succeeded)
        #expect(capture.output.contains(" ± "))
        #expect(capture.output.contains(" per run ("))
        #expect(capture.output.hasSuffix(" runs)\n"))
        #expect(engine.session.value(of: "ans") == nil, "timing shows nothing, so ans stays unset")
        #expect(engine.handle(":time nosuch + 1") == .failed)
    }

    @Test func loadRunsAFileInTheSession() throws {
        let (engine, capture) = makeEngine()
        let path = NSTemporaryDirectory() + "bnlab-load-\(UUID().uuidString).bn"
        try "w = [1, 2]\nw * 3\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(engine.handle(":load \(path)") == .succeeded)
        #expect(capture.output == "[3, 6]\n")
        #expect(engine.session.value(of: "w") != nil)
        #expect(engine.handle(":load /nonexistent/file.bn") == .failed)
        #expect(capture.errors.last?.message == "cannot open '/nonexistent/file.bn': no such file")
    }

    @Test func interruptionIsReportedAndRolledBack() {
        let (engine, capture) = makeEngine()
        let flag = InterruptFlag()
        engine.session.interpreter.interruptFlag = flag
        _ = engine.handle("s = 0")
        // Raise the flag from inside the loop, as a Ctrl-C would.
        engine.session.interpreter.output = { _ in flag.raise() }
        #expect(engine.handle("for i in 0..100000000 { s = i\nprint(i) }") == .interrupted)
        #expect(capture.remarks == "interrupted\n")
        #expect(capture.errors.isEmpty)
        if case .number(let s)? = engine.session.value(of: "s") { #expect(s == 0) } else { Issue.record("s is gone") }
    }

    @Test func quitAndExitWords() {
        let (engine, capture) = makeEngine()
        #expect(engine.handle("quit") == .succeeded)
        #expect(capture.remarks.contains(":quit"))
    }
}

/// `:time` stops between runs on Ctrl-C, even when each run is a single evaluator step.
@Suite struct ReplTimeInterruptTests {
    @Test func timeStopsOnCtrlC() {
        var remarks = ""
        let engine = ReplEngine(write: { _ in }, report: { _ in }, remark: { remarks += $0 })
        let flag = InterruptFlag()
        engine.session.interpreter.interruptFlag = flag
        // A Ctrl-C 100 ms into a timing that would take about a second.
        let started = ContinuousClock.now
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.1)
            flag.raise()
        }
        #expect(engine.handle(":time sum(arange(100))") == .interrupted)
        #expect(ContinuousClock.now - started < .milliseconds(600))
        #expect(remarks == "interrupted\n")
        #expect(!flag.isRaised)
    }
}
