import Foundation
import Testing

/// On a 60-column terminal, tensors, diagnostics and help fit the width (issue 9 item 8).
@Suite(.serialized) struct NarrowTerminalTests {
    let home = ReplTestEnvironment.temporaryDirectory()

    /// The lines of `text` wider than `columns` (no escape codes are left in `text`).
    /// The echo of what was typed is readline's business and is left out.
    func overlong(_ text: String, columns: Int = 60) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.count > columns && !$0.hasPrefix("check ") }
    }

    @Test func wideTensorWrapsWithin60Columns() throws {
        let terminal = try ReplPseudoTerminal(home: home, environment: ["NO_COLOR": "1"], columns: 60)
        try terminal.expect("bn> ")
        terminal.send("arange(0, 100, 1.5)\r")
        let shown = try terminal.expect("bn> ")
        // numpy: np.array2string(np.arange(0, 100, 1.5), separator=', ', max_line_width=60).
        #expect(shown.contains("\n[ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,\n  9.0000, 10.5000,"))
        #expect(shown.contains("\n 99.0000]\n"))
        #expect(overlong(shown).isEmpty, "\(overlong(shown))")

        // A long diagnostic wraps with a hanging indent under the message.
        terminal.send("check 1 == 2, \"the quick brown fox jumps over the lazy dog and keeps running far past the edge\"\r")
        let error = try terminal.expect("bn> ")
        #expect(overlong(error).isEmpty, "\(overlong(error))")
        #expect(error.contains("error: check failed: the quick brown fox jumps over the lazy\n       dog and keeps running far past the edge"),
                "\(error)")

        // Help text wraps too, continuing under its description column.
        terminal.send(":help\r")
        let help = try terminal.expect("bn> ")
        #expect(overlong(help).isEmpty, "\(overlong(help))")
        #expect(help.contains("  x = [[1, 2], [3, 4]]           bind a name; a bare\n"), "\(help.prefix(600))")
        terminal.send("\u{4}")
        #expect(terminal.waitForExit() == 0)
    }

    @Test func historyThatCannotBeWrittenIsReportedOnce() throws {
        // The state folder is a file, so the history's folder cannot be made.
        let blocked = home + "/blocked"
        FileManager.default.createFile(atPath: blocked, contents: Data())
        let terminal = try ReplPseudoTerminal(home: home, environment: ["NO_COLOR": "1", "XDG_STATE_HOME": blocked])
        try terminal.expect("bn> ")
        terminal.send("1 + 1\r")
        try terminal.expect("\n2\n")
        terminal.send("2 + 2\r")
        try terminal.expect("\n4\n")
        terminal.send("3 + 3\r")
        try terminal.expect("\n6\n")
        try terminal.expect("bn> ")
        terminal.send("\u{4}")
        #expect(terminal.waitForExit() == 0)
        let notes = terminal.text.components(separatedBy: "note: history cannot be saved to \(blocked)/bnlab/history").count - 1
        #expect(notes == 1, "\(terminal.text)")
    }
}
