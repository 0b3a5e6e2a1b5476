import Foundation
import Testing

/// `progress(…)` (training.md §8) end to end: silent into pipes, drawn on a terminal's stderr,
/// its line finished before an interruption's diagnostic.
@Suite("progress bars, end to end")
struct ProgressTests {
    /// A script in a fresh directory, removed with it.
    private func script(_ text: String) throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("loop.bn").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (directory, path)
    }

    @Test("into pipes it writes nothing: stdout holds only the program's output, stderr is empty")
    func silentIntoPipes() throws {
        let (directory, path) = try script("for i in progress(0..3) { print(i) }\nfor r in progress([[1, 2]]) { print(r) }\nplot([1, 2, 3], width=10, height=3)\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try BinaryRunner.run(["run", path])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.hasPrefix("0\n1\n2\n[1, 2]\n3 ┤"))
        #expect(!result.stdout.contains("\u{1B}") && !result.stdout.contains("\r"))
    }

    @Test("on a terminal it draws count, percent and rate, redrawn in place, and ends on its own line")
    func drawnOnTerminal() throws {
        let (directory, path) = try script("""
            for i in progress(0..40) { s = sum(randn(20000)) }
            print("after")
            """)
        defer { try? FileManager.default.removeItem(at: directory) }
        let terminal = try ReplPseudoTerminal(home: directory.path, arguments: ["run", path], columns: 80)
        try terminal.expect("40/40 [", timeout: 30)
        let tail = try terminal.expect("after", timeout: 10)
        #expect(terminal.waitForExit(timeout: 10) == 0)
        #expect(tail.contains("100%") && tail.contains("it/s"))
        // The program's output starts on a fresh line after the finished bar.
        #expect(terminal.text.contains("\nafter"))
        // Redrawn in place: each draw returns to the start of the line and erases it.
        #expect(terminal.output.contains("\r\u{1B}[K 0/40 ["))
        #expect(terminal.output.components(separatedBy: "\r\u{1B}[K").count >= 3)
    }

    @Test("Ctrl-C interrupts as usual, and the diagnostic starts on a fresh line")
    func interrupted() throws {
        let (directory, path) = try script("for i in progress(0..100000000) { }\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        let terminal = try ReplPseudoTerminal(home: directory.path, environment: ["NO_COLOR": "1"], arguments: ["run", path], columns: 80)
        try terminal.expect("/100000000 [", timeout: 30)
        terminal.send("\u{3}")
        try terminal.expect("interrupted", timeout: 10)
        #expect(terminal.waitForExit(timeout: 10) == 130)
        #expect(terminal.text.contains("left\nerror: interrupted") || terminal.text.contains("%\nerror: interrupted"))
    }

    @Test("plots are coloured on a terminal without NO_COLOR, and plain with it or into a pipe")
    func plotColour() throws {
        let (directory, path) = try script("plot([1, 2], [2, 1], width=10, height=3)\nprint(\"end\")\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        let coloured = try ReplPseudoTerminal(home: directory.path, arguments: ["run", path], columns: 80)
        try coloured.expect("end", timeout: 10)
        // The first series in blue (34), the second in yellow (33), markers unchanged.
        #expect(coloured.output.contains("\u{1B}[34m*\u{1B}[0m") && coloured.output.contains("\u{1B}[33mo\u{1B}[0m"))
        let plain = try ReplPseudoTerminal(home: directory.path, environment: ["NO_COLOR": "1"], arguments: ["run", path], columns: 80)
        try plain.expect("end", timeout: 10)
        #expect(!plain.output.contains("\u{1B}["))
        let piped = try BinaryRunner.run(["run", path])
        #expect(piped.status == 0 && !piped.stdout.contains("\u{1B}") && piped.stdout.contains("* series 1   o series 2"))
    }

    @Test("bnlab lesson on a terminal shows the time of a cell over a second; into a pipe it does not")
    func lessonCellTime() throws {
        let (directory, _) = try script("")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lessons = directory.appendingPathComponent("lessons")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        // Twelve million loop steps take seconds in a debug build, far over the one-second threshold.
        try """
            # Lesson 1 · A slow cell

            ```bn
            s = 0
            for i in 0..12000000 { s = s + i }
            s > 0
            ```

            ```output
            1
            ```
            """.write(to: lessons.appendingPathComponent("01-slow.md"), atomically: true, encoding: .utf8)
        let terminal = try ReplPseudoTerminal(home: directory.path, environment: ["BNLAB_LESSONS": lessons.path, "NO_COLOR": "1"],
                                              arguments: ["lesson", "1", "--all"], columns: 80)
        try terminal.expect("Out[1]: 1\n(ran ", timeout: 60)
        try terminal.expect(" s)\n", timeout: 5)
        #expect(terminal.waitForExit(timeout: 10) == 0)
        let piped = try BinaryRunner.run(["lesson", "1", "--all"], environment: ["BNLAB_LESSONS": lessons.path])
        #expect(piped.status == 0 && piped.stdout.contains("Out[1]: 1\n") && !piped.stdout.contains("(ran"))
    }
}
