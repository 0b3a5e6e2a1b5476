#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Testing

/// `bnlab lesson N` on a real pseudo-terminal: the pause between cells reacts to single keys.
@Suite("The lesson's pause on a terminal", .serialized)
struct LessonPauseTests {
    static let good = LessonBinary.fixtures.appendingPathComponent("good").path

    /// The fixture lesson on a terminal `columns` wide, stopped at its first pause.
    private func startLesson(home: String, columns: UInt16 = 100) throws -> ReplPseudoTerminal {
        let terminal = try ReplPseudoTerminal(home: home, environment: ["BNLAB_LESSONS": Self.good],
                                              arguments: ["lesson", "1"], columns: columns)
        try terminal.expect("Out[1]: 2.5000")
        try terminal.expect("Enter")
        return terminal
    }

    private func assertCanonical(_ terminal: ReplPseudoTerminal) {
        guard let settings = terminal.terminalSettings else {
            Issue.record("cannot read the terminal's settings")
            return
        }
        #expect(settings.c_lflag & tcflag_t(ICANON) != 0, "line editing restored")
        #expect(settings.c_lflag & tcflag_t(ECHO) != 0, "echo restored")
        #expect(settings.c_lflag & tcflag_t(ISIG) != 0, "signals restored")
    }

    @Test("Enter alone runs the next cell; the terminal is back in line mode while it runs")
    func enter() throws {
        let home = ReplTestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let terminal = try startLesson(home: home)
        terminal.send("\r")
        try terminal.expect("Out[2]: sum 10")
        try terminal.expect("[2, 4, 6, 8]")
        try terminal.expect("Enter")
        terminal.send("q")
        #expect(terminal.waitForExit() == 0)
        assertCanonical(terminal)
    }

    @Test("q without Enter quits with exit 0 and runs nothing more")
    func quit() throws {
        let home = ReplTestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let terminal = try startLesson(home: home)
        terminal.send("q")
        #expect(terminal.waitForExit() == 0)
        #expect(!terminal.text.contains("In [2]"))
        assertCanonical(terminal)
    }

    @Test("Ctrl-D at the pause quits with exit 0 (it used to run the rest of the lesson)")
    func controlD() throws {
        let home = ReplTestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let terminal = try startLesson(home: home)
        terminal.send("\u{4}")
        #expect(terminal.waitForExit() == 0)
        #expect(!terminal.text.contains("In [2]"))
        #expect(!terminal.text.contains("Exercises for lesson 1"))
        assertCanonical(terminal)
    }

    @Test("Ctrl-C at the pause quits at once with exit 130 (it used to hang)")
    func controlC() throws {
        let home = ReplTestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let terminal = try startLesson(home: home)
        terminal.send("\u{3}")
        #expect(terminal.waitForExit(timeout: 2) == 130)
        #expect(!terminal.text.contains("In [2]"))
        assertCanonical(terminal)
    }

    @Test("killed by SIGTERM at the pause, it still puts the terminal back")
    func terminated() throws {
        let home = ReplTestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let terminal = try startLesson(home: home)
        // The footer shows once the terminal is in single-key mode, so the signal lands in that mode.
        kill(terminal.pid, SIGTERM)
        #expect(terminal.waitForExit() == 128 + SIGTERM)
        assertCanonical(terminal)
    }

    @Test("r without Enter opens the REPL; what it changes, :reset included, is undone on leaving")
    func replCheckpoint() throws {
        let home = ReplTestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let terminal = try startLesson(home: home)
        terminal.send("r")
        try terminal.expect("bn> ")
        terminal.send("x = x * 0\r")
        try terminal.expect("bn> ")
        terminal.send("sum(x)\r")
        try terminal.expect("0\n")
        try terminal.expect("bn> ")
        terminal.send(":reset\r")
        try terminal.expect("every variable is forgotten")
        try terminal.expect("bn> ")
        terminal.send("\u{4}")
        try terminal.expect("The REPL's changes were undone")
        try terminal.expect("Enter")
        terminal.send("\r")
        // The fixture's cell 2 with the lesson's x = [1, 2, 3, 4], as its prose says.
        try terminal.expect("Out[2]: sum 10")
        try terminal.expect("[2, 4, 6, 8]")
        try terminal.expect("Enter")
        terminal.send("\r")
        try terminal.expect("cannot broadcast shapes [4] and [3]")
        try terminal.expect("Enter")
        terminal.send("\r")
        try terminal.expect("Enter")
        terminal.send("\r")
        try terminal.expect("[0.3333, 0.6667, 1.0000, 1.3333]")
        try terminal.expect("Exercises for lesson 1")
        #expect(terminal.waitForExit() == 0)
    }

    @Test("a REPL that only looks changes nothing, so no notice")
    func replLookOnly() throws {
        let home = ReplTestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let terminal = try startLesson(home: home)
        terminal.send("r")
        try terminal.expect("bn> ")
        terminal.send("x + 1\r")
        try terminal.expect("[2, 3, 4, 5]")
        try terminal.expect("bn> ")
        terminal.send(":quit\r")
        let between = try terminal.expect("Enter")
        #expect(!between.contains("undone"))
        terminal.send("q")
        #expect(terminal.waitForExit() == 0)
    }

    @Test("at 60 columns the footer fits on one line and is erased in place, leaving no stale lines")
    func narrowFooter() throws {
        let home = ReplTestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let terminal = try startLesson(home: home, columns: 60)
        terminal.send("\r")
        try terminal.expect("Out[2]: sum 10")
        try terminal.expect("Enter")
        terminal.send("x")
        try terminal.expect("quits at once.")
        try terminal.expect("Enter")
        terminal.send("q")
        #expect(terminal.waitForExit() == 0)
        // The terminal turns each newline into CR LF; Swift counts CR LF as one Character, not "\n".
        let raw = terminal.output.replacingOccurrences(of: "\r\n", with: "\n")
        // Every footer (from the start of its line) is at most 59 columns wide, so the terminal never
        // wraps it, and is followed at once by a carriage return and erase-line.
        var footers = 0
        var searchFrom = raw.startIndex
        while let found = raw.range(of: "Enter", range: searchFrom..<raw.endIndex) {
            searchFrom = found.upperBound
            let lineStart = raw[..<found.lowerBound].lastIndex(of: "\n").map { raw.index(after: $0) } ?? raw.startIndex
            guard let erase = raw.range(of: "\r\u{1B}[2K", range: found.lowerBound..<raw.endIndex) else {
                Issue.record("a footer was not erased")
                break
            }
            let footer = String(raw[lineStart..<erase.lowerBound])
            if footer.contains("runs the next cell") { continue }  // the help text, not a footer
            footers += 1
            #expect(!footer.contains("\n"), "the footer is one line")
            #expect(visibleWidth(footer) <= 59, "footer \(footer.debugDescription) fits 60 columns")
        }
        #expect(footers == 3)
        // The screen as the terminal leaves it: nothing wider than 60 columns, and no footer left behind.
        let screen = screenLines(raw)
        #expect(screen.contains("Out[2]: sum 10"))
        for line in screen {
            #expect(line.count <= 60, "\(line) fits 60 columns")
            #expect(!line.contains("Enter: next"), "stale footer: \(line)")
        }
    }

    /// The lines a terminal would show for `raw`, given that `\r ESC[2K` erases the line so far.
    private func screenLines(_ raw: String) -> [String] {
        raw.components(separatedBy: "\n").map { line in
            var line = Substring(line)
            if let erase = line.range(of: "\r\u{1B}[2K", options: .backwards) { line = line[erase.upperBound...] }
            var filter = EscapeFilter()
            return String(decoding: Array(line.utf8).compactMap { filter.feed($0) }, as: UTF8.self)
        }
    }

    @Test("progress is recorded in XDG_STATE_HOME, and bare bnlab reports it")
    func progressAndStatus() throws {
        let home = ReplTestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let terminal = try startLesson(home: home)
        terminal.send("\r")
        try terminal.expect("Out[2]: sum 10")
        try terminal.expect("Enter")
        terminal.send("q")
        #expect(terminal.waitForExit() == 0)
        let file = home + "/state/bnlab/progress.json"
        let data = try #require(FileManager.default.contents(atPath: file))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Int])
        #expect(json == ["lesson": 1, "cell": 2, "cells": 5])

        let status = try BinaryRunner.run([], environment: ["BNLAB_LESSONS": Self.good, "XDG_STATE_HOME": home + "/state"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("You were in lesson 1 (Fixture basics), at cell 2 of 5."))
        #expect(status.stdout.contains("Exercises: 0/2 done."))
        #expect(status.stdout.contains("Next exercise: 1.1, the mean"))
        #expect(status.stdout.contains("bnlab lesson 1 "))
        #expect(status.stdout.contains("bnlab check exercises 1"))
        #expect(status.stdout.contains("bnlab hint 1.1"))
    }

    /// Columns on screen: escape sequences take none.
    private func visibleWidth(_ text: String) -> Int {
        var filter = EscapeFilter()
        return String(decoding: Array(text.utf8).compactMap { filter.feed($0) }, as: UTF8.self).count
    }
}
