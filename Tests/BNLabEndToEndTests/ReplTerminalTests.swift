import Foundation
import Testing

/// `bnlab repl` on a real pseudo-terminal: readline editing, completion, history, Ctrl-C and Ctrl-D.
@Suite(.serialized) struct ReplTerminalTests {
    let home = ReplTestEnvironment.temporaryDirectory()

    func start(_ environment: [String: String] = ["NO_COLOR": "1"]) throws -> ReplPseudoTerminal {
        let terminal = try ReplPseudoTerminal(home: home, environment: environment)
        try terminal.expect("bn> ")
        return terminal
    }

    @Test func valueTypedAndShown() throws {
        let terminal = try start()
        terminal.send("mean([1, 2, 3])\r")
        try terminal.expect("\n2\n")
        try terminal.expect("bn> ")
        terminal.send("\u{4}")
        #expect(terminal.waitForExit() == 0)
    }

    @Test func tabCompletesAndListsMatches() throws {
        let terminal = try start()
        terminal.send("mea\t")
        try terminal.expect("mean")
        terminal.send("([4, 6])\r")
        try terminal.expect("\n5\n")
        try terminal.expect("bn> ")
        // Several matches: the first Tab finds nothing to add, the second lists them.
        terminal.send("mi\t\t")
        let listing = try terminal.expect("minmax")
        #expect(listing.contains("min") && listing.contains("minimum"))
        try terminal.expect("bn> mi")
        terminal.send("\u{15}x = 1\r")
        try terminal.expect("bn> ")
        // After a Tab that extends to a shared prefix, a second Tab lists.
        terminal.send("bn = BatchNorm(2)\r")
        try terminal.expect("bn> ")
        terminal.send("bn.r\t")
        try terminal.expect("running_")
        terminal.send("\t")
        try terminal.expect("running_mean")
        try terminal.expect("running_var")
    }

    @Test func upRecallsThePreviousLine() throws {
        let terminal = try start()
        terminal.send("40 + 2\r")
        try terminal.expect("42\n")
        try terminal.expect("bn> ")
        terminal.send("\u{1B}[A")
        try terminal.expect("40 + 2")
        terminal.send("\r")
        try terminal.expect("42\n")
    }

    @Test func functionAcrossContinuationPrompts() throws {
        let terminal = try start()
        terminal.send("fn twice(a) {\r")
        try terminal.expect("..> ")
        terminal.send("  return a * 2\r")
        try terminal.expect("..> ")
        terminal.send("}\r")
        try terminal.expect("bn> ")
        terminal.send("twice(21)\r")
        try terminal.expect("42\n")
    }

    @Test func ctrlCStopsALongLoopQuickly() throws {
        let terminal = try start()
        terminal.send("s = -1\r")
        try terminal.expect("bn> ")
        terminal.send("for i in 0..100000000 { s = i }\r")
        try terminal.expect("{ s = i }\n")
        // Let the loop get going before interrupting it.
        usleep(300_000)
        let sent = Date()
        terminal.send("\u{3}")
        try terminal.expect("interrupted", timeout: 5)
        try terminal.expect("bn> ", timeout: 5)
        #expect(Date().timeIntervalSince(sent) < 1.0)
        // The prompt works and the state is as before the loop.
        terminal.send("s\r")
        try terminal.expect("-1\n")
    }

    @Test func ctrlCDiscardsAHalfTypedLine() throws {
        let terminal = try start()
        terminal.send("12345 +")
        try terminal.expect("12345 +")
        terminal.send("\u{3}")
        try terminal.expect("^C")
        try terminal.expect("bn> ")
        terminal.send("7 * 6\r")
        try terminal.expect("\n42\n")
        try terminal.expect("bn> ")
        #expect(!terminal.text.contains("12387"), "the discarded line is not part of the next one")
        // On an empty line it says how to leave.
        terminal.send("\u{3}")
        try terminal.expect(":quit or press Ctrl-D")
        try terminal.expect("bn> ")
    }

    @Test func historyIsRecalledInALaterSession() throws {
        let first = try start()
        first.send("6 * 7\r")
        try first.expect("42\n")
        try first.expect("bn> ")
        first.send("\u{4}")
        #expect(first.waitForExit() == 0)

        let second = try start()
        second.send("\u{1B}[A")
        try second.expect("6 * 7")
        second.send("\r")
        try second.expect("42\n")
        try second.expect("bn> ")
        second.send(":quit\r")
        #expect(second.waitForExit() == 0)
        let history = try String(contentsOfFile: home + "/state/bnlab/history", encoding: .utf8)
        #expect(history == "6 * 7\n:quit\n")
    }

    @Test func ctrlDOnAnEmptyLineExitsWithZero() throws {
        let terminal = try start()
        terminal.send("\u{4}")
        #expect(terminal.waitForExit() == 0)
    }

    @Test func colourFollowsNoColor() throws {
        let coloured = try start([:])
        #expect(coloured.output.contains("\u{1B}[1;32mbn>"))
        coloured.send("nosuch\r")
        try coloured.expect("unknown name")
        #expect(coloured.output.contains("\u{1B}[1;31merror"))
        // Keys typed while an entry runs reach readline later; wait for the prompt before Ctrl-D.
        try coloured.expect("bn> ")
        coloured.send("\u{4}")
        #expect(coloured.waitForExit() == 0)

        let plain = try start(["NO_COLOR": "1"])
        plain.send("nosuch\r")
        try plain.expect("unknown name")
        try plain.expect("bn> ")
        #expect(!plain.output.contains("\u{1B}[1;32m"))
        #expect(!plain.output.contains("\u{1B}[1;31m"))
    }
}
