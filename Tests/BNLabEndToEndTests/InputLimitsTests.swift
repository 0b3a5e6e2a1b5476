import Foundation
import Testing

/// Scripts that are huge, not UTF-8, not regular files or full of control characters end in a
/// diagnostic and exit 1, quickly and in little memory (issue 8 items 2 and 6).
@Suite struct InputLimitsTests {
    struct Measured {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Peak resident memory of the child.
        var peakKiB: Int
        var seconds: Double
    }

    /// Runs bnlab in `directory` with stdin from `stdinPath` (or /dev/null) and a bare environment.
    static func measure(_ arguments: [String], directory: String, stdinPath: String = "/dev/null") throws -> Measured {
        let run = try ChildMeasurement.run(arguments, environment: ["NO_COLOR": "1", "HOME": directory, "PATH": "/usr/bin:/bin"],
                                           directory: directory, stdinPath: stdinPath)
        return Measured(status: run.status, stdout: run.stdout, stderr: run.stderr,
                        peakKiB: run.peakBytes / 1024, seconds: run.seconds)
    }

    static func scratch() -> String {
        let path = NSTemporaryDirectory() + "bnlab-limits-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("a 50 MB script is refused from its size, before it is read")
    func hugeScript() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Real bytes, not a sparse file: reading it all would show in the peak.
        let line = Data("x = 1 + 2\n".utf8)
        var data = Data(capacity: 50_000_000)
        while data.count < 50_000_000 { data.append(line) }
        try data.write(to: URL(fileURLWithPath: directory + "/big.bn"))
        let result = try Self.measure(["run", "big.bn"], directory: directory)
        #expect(result.status == 1)
        #expect(result.stderr == "error: cannot read 'big.bn': it is 47.7 MiB, more than the limit of 16 MiB for a source\n")
        // 50 MB read and parsed would take gigabytes; refused, it costs what starting does.
        #expect(result.peakKiB < 60_000, "peak \(result.peakKiB) KiB")
        #expect(result.seconds < 5)
    }

    @Test("a 50 MB line piped to the REPL is skipped with a diagnostic, and the next line runs")
    func hugePipedLine() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var data = Data(repeating: UInt8(ascii: "1"), count: 50 * 1_048_576)
        data.append(contentsOf: Array("\n6 * 7\n".utf8))
        try data.write(to: URL(fileURLWithPath: directory + "/input"))
        let result = try Self.measure(["repl"], directory: directory, stdinPath: directory + "/input")
        #expect(result.status == 1)
        #expect(result.stdout == "42\n")
        #expect(result.stderr.hasPrefix("error: this entry is 50 MiB, more than the limit of 16 MiB for a source; it was skipped\n"))
        #expect(result.peakKiB < 120_000, "peak \(result.peakKiB) KiB")
    }

    @Test("a FIFO, /dev/zero and a directory are errors with exit 1, at once", arguments: ["fifo", "/dev/zero", "folder"])
    func notRegularFiles(_ name: String) throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        mkfifo(directory + "/fifo", 0o600)
        try FileManager.default.createDirectory(atPath: directory + "/folder", withIntermediateDirectories: true)
        let result = try Self.measure(["run", name], directory: directory)
        #expect(result.status == 1)
        let expected = ["fifo": "cannot read 'fifo': it is a named pipe, not a regular file",
                        "/dev/zero": "cannot read '/dev/zero': it is a device, not a regular file",
                        "folder": "cannot open 'folder': it is a directory"][name] ?? ""
        #expect(result.stderr == "error: \(expected)\n")
        #expect(result.seconds < 5)
    }

    @Test("a script that is not UTF-8 is an error pointing at the first bad byte")
    func notUTF8() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data([0x78, 0x20, 0x3D, 0x20, 0x31, 0x0A, 0x79, 0x20, 0x3D, 0x20, 0xFF, 0x0A])
            .write(to: URL(fileURLWithPath: directory + "/latin.bn"))
        let result = try Self.measure(["run", "latin.bn"], directory: directory)
        #expect(result.status == 1)
        #expect(result.stderr == """
            error: 'latin.bn' is not UTF-8 text: byte 0xFF does not begin a valid character
             --> latin.bn:2:5
              |
            2 | y = \u{FFFD}
              |     ^
              = help: save the file as UTF-8

            """)
    }

    @Test("control characters in a script reach the terminal escaped")
    func controlCharacters() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "x = 1\ny = x \u{1B}[2J + \u{0}\n".write(toFile: directory + "/esc.bn", atomically: true, encoding: .utf8)
        let result = try Self.measure(["run", "esc.bn"], directory: directory)
        #expect(result.status == 1)
        #expect(!result.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count >= 5)
        guard lines.count >= 5 else { return }
        #expect(lines[0].contains("\\u{1B}"), "\(lines[0])")
        #expect(lines[3] == "2 | y = x \\u{1B}[2J + \\u{0}")
        // The caret stands under the escaped character, which is six columns wide.
        #expect(lines[4] == "  |       ^^^^^^")
    }

    @Test(":load of a device or a FIFO in the REPL is an error, and the REPL goes on")
    func loadNotRegular() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        mkfifo(directory + "/fifo", 0o600)
        let result = try BinaryRunner.run(["repl"], stdin: ":load /dev/zero\n:load \(directory)/fifo\n1 + 1\n", timeout: 20)
        #expect(result.status == 1)
        #expect(result.stdout == "2\n")
        #expect(result.stderr == """
            error: cannot read '/dev/zero': it is a device, not a regular file
            error: cannot read '\(directory)/fifo': it is a named pipe, not a regular file

            """)
    }
}
