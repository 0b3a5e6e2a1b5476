import Foundation
import Testing

/// `bnlab hint` on a narrow terminal: long hints wrap with a hanging indent, never at column 0.
@Suite("Hints on a narrow terminal")
struct HintLayoutTests {
    @Test("at 40 columns every line fits and continuation lines are indented under the hint text")
    func narrowHints() throws {
        let home = ReplTestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let terminal = try ReplPseudoTerminal(home: home, environment: ["XDG_STATE_HOME": home],
                                              arguments: ["hint", "1.1", "--all"], columns: 40)
        #expect(terminal.waitForExit() == 0)
        let lines = terminal.output.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n")
        let hintLines = lines.drop { !$0.hasPrefix("hint 1 of ") }.prefix { !$0.hasPrefix("(") }
        #expect(hintLines.count > 3, "the hints of 1.1 are longer than one 40-column line each")
        for line in hintLines {
            #expect(line.count <= 40, "\(line.debugDescription) fits 40 columns")
            // "hint 1 of 3: " is 13 columns: a continuation starts under the hint's first word.
            #expect(line.hasPrefix("hint ") || line.hasPrefix(String(repeating: " ", count: 13)), "\(line.debugDescription)")
        }
    }
}
