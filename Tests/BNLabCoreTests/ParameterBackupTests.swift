import Testing
@testable import BNLabCore

/// Parameters are written in place, so undoing a failed REPL statement or closing a lesson's REPL
/// must copy their numbers and write them back into the same buffer.
@Suite struct ParameterBackupTests {
    private func shown(_ session: Session, _ code: String) -> String {
        var text = ""
        session.interpreter.output = { text += $0 }
        if let failure = session.run(code) { Issue.record("\(code) failed: \(failure.message)") }
        return text
    }

    @Test("a failed statement puts back a parameter written in place, seen through every alias")
    func rollback() {
        let s = Session(output: { _ in })
        s.rollsBackFailedStatements = true
        _ = shown(s, "w = param([1, 2, 3]); v = w")
        // One statement: the write happens, then the error; the rollback must undo the write.
        #expect(s.run("if true { w.data = [9, 9, 9]; sum(w).backward(); nosuch }") != nil)
        #expect(shown(s, "print(w, v, w.grad == none)") == "[1, 2, 3] [1, 2, 3] 1\n")
        // Without rollback (a script), the write stays and every alias sees it, as in PyTorch.
        s.rollsBackFailedStatements = false
        #expect(s.run("if true { w.data = [4, 5, 6]; nosuch }") != nil)
        #expect(shown(s, "print(v)") == "[4, 5, 6]\n")
    }

    @Test("a lesson's checkpoint restores parameter values and gradients, and reports the change")
    func checkpoint() {
        let s = Session(output: { _ in })
        _ = shown(s, "w = param([1, 2]); sum(w * w).backward()")
        let checkpoint = SessionCheckpoint(of: s)
        #expect(!checkpoint.restore(), "nothing changed yet")
        _ = shown(s, "w.data = w.data * 0; zero_grad(w)")
        #expect(checkpoint.restore())
        #expect(shown(s, "print(w, w.grad)") == "[1, 2] [2, 4]\n")
    }

    @Test("param(x) copies: writing the parameter in place leaves x alone")
    func paramCopies() {
        let s = Session(output: { _ in })
        #expect(shown(s, "x = [1, 2, 3]; w = param(x); w.data = [0, 0, 0]; y = randn(2, requires_grad=true); print(x, w)") == "[1, 2, 3] [0, 0, 0]\n")
    }
}
