import Testing
@testable import BNLabCore

/// `:vars` says which tensors take part in gradients, as PyTorch's repr shows requires_grad or grad_fn.
@Suite struct GradientReplTests {
    @Test func kinds() {
        let s = Session(output: { _ in })
        #expect(s.run("w = param(zeros(2, 3)); y = sum(w * 2); z = detach(y); x = 3") == nil)
        let lines = ReplVariableList.render(session: s).split(separator: "\n").map { String($0) }
        #expect(lines[0].hasPrefix("w  [2, 3] param"))
        #expect(lines[1].hasPrefix("y  number grad:sum"))
        #expect(lines[2].hasPrefix("z  number  "))
        #expect(lines[3].hasPrefix("x  number  "))
    }

    @Test("help and completion know no_grad and the gradient members")
    func helpAndCompletion() {
        let s = Session(output: { _ in })
        #expect(ReplHelp.topic("no_grad", session: s)?.contains("without recording gradients") == true)
        #expect(ReplHelp.topic("grad", session: s)?.contains("backward()") == true)
        let completer = ReplCompleter(session: s)
        #expect(completer.complete(before: "", word: "no_").candidates == ["no_grad"])
        #expect(s.run("w = param([1])") == nil)
        #expect(completer.complete(before: "w.", word: "gr").candidates == ["grad", "groupnorm"], "a member, and a builtin called as a method")
    }
}
