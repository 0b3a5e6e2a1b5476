import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite("A session's mode is one value, saved and put back whole")
struct SessionModeTests {
    @Test("a saved mode restores the output, rollback and ans binding together")
    func saveAndRestore() {
        var first = "", second = ""
        let s = Session(output: { first += $0 })
        let saved = s.mode
        s.mode = Session.Mode(output: { second += $0 }, rollsBackFailedStatements: true, bindsAnswer: true)
        s.run("x = 1\n1 + 1\nif true { x = 5; nosuch }")
        #expect(second == "2\n" && first.isEmpty)
        #expect(s.value(of: "ans") != nil)
        #expect(shownNumber(s, "x") == 1, "the failed line was undone")
        s.mode = saved
        s.run("if true { x = 7; nosuch }")
        #expect(shownNumber(s, "x") == 7, "scripts keep what ran before the error")
        s.run("3 + 3")
        #expect(first == "6\n")
        #expect(!s.mode.bindsAnswer && !s.mode.rollsBackFailedStatements)
    }

    private func shownNumber(_ s: Session, _ name: String) -> Double? {
        if case .number(let v)? = s.value(of: name) { return v }
        return nil
    }
}
