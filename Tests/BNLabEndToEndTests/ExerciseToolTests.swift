#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// `bnlab reset`, a missing exercise, Ctrl-C during grading and a child that writes a lot
/// (issue 9 items 5, 7 and 12; issue 8 item 3).
@Suite("bnlab reset, missing exercises and stopping the grader, end to end")
struct ExerciseToolTests {
    typealias Workspace = ExerciseCommandTests.Workspace

    static func read(_ w: Workspace, _ file: String) -> Data? {
        FileManager.default.contents(atPath: w.lessons.appendingPathComponent("exercises/\(file)").path)
    }

    static func shipped(_ w: Workspace, _ file: String) -> Data? {
        FileManager.default.contents(atPath: w.lessons.appendingPathComponent("exercises/.pristine/\(file)").path)
    }

    static let variance = "03-one-mean-per-channel/2-channel-variance.bn"

    @Test("reset without a terminal needs --yes; with it the shipped text is back and nothing else is touched")
    func resetPiped() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.write("my work\n", to: Self.variance)
        let others = w.exerciseFiles.filter { $0 != Self.variance }.map { Self.read(w, $0) }
        let refused = try w.run(["reset", "3.2"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("bnlab reset: this replaces your work in "))
        #expect(refused.stderr.contains("confirm on a terminal, or add --yes"))
        #expect(Self.read(w, Self.variance) == Data("my work\n".utf8))
        let done = try w.run(["reset", "3.2", "--yes"])
        #expect(done.status == 0)
        #expect(done.stdout.hasPrefix("Restored 3.2 to its shipped text: "))
        #expect(Self.read(w, Self.variance) == Self.shipped(w, Self.variance))
        #expect(String(decoding: Self.read(w, Self.variance) ?? Data(), as: UTF8.self).contains("sigma2 = ???"))
        #expect(w.exerciseFiles.filter { $0 != Self.variance }.map { Self.read(w, $0) } == others)
        let again = try w.run(["reset", "3.2"])
        #expect(again.status == 0)
        #expect(again.stdout.hasPrefix("3.2 is already as shipped: "))
        #expect(try w.run(["reset", "9.9", "--yes"]).status == 64)
        #expect(try w.run(["reset", "x"]).status == 64)
    }

    @Test("reset on a terminal asks y/N: n leaves the work, y restores the shipped text")
    func resetAsks() throws {
        let w = try Workspace()
        defer { w.remove() }
        let home = ReplTestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try w.write("my work\n", to: Self.variance)
        let environment = ["BNLAB_LESSONS": w.lessons.path]
        let no = try ReplPseudoTerminal(home: home, environment: environment, arguments: ["reset", "3.2"])
        try no.expect("Your changes to it will be lost. [y/N] ")
        no.send("n\r")
        try no.expect("Nothing changed.")
        #expect(no.waitForExit() == 0)
        #expect(Self.read(w, Self.variance) == Data("my work\n".utf8))
        let yes = try ReplPseudoTerminal(home: home, environment: environment, arguments: ["reset", "3.2"])
        try yes.expect("[y/N] ")
        yes.send("y\r")
        try yes.expect("Restored 3.2 to its shipped text")
        #expect(yes.waitForExit() == 0)
        #expect(Self.read(w, Self.variance) == Self.shipped(w, Self.variance))
    }

    @Test("a deleted exercise is reported missing and not done; reset brings it back without asking")
    func missing() throws {
        let w = try Workspace()
        defer { w.remove() }
        for file in w.exerciseFiles { try w.use("solutions", for: file) }
        let gone = "04-l2-scaling/1-l2-by-hand.bn"
        try FileManager.default.removeItem(at: w.lessons.appendingPathComponent("exercises/\(gone)"))
        let total = w.exerciseFiles.count + 1
        let result = try w.run(["check", "exercises"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("? 4.1 ℓ2 normalisation by hand            missing: bnlab reset 4.1 restores it\n"))
        #expect(result.stdout.contains("] \(total - 1)/\(total) done\nmissing: 4.1 (counted as not done;"))
        #expect(!result.stdout.contains("all done"))
        #expect(result.stdout.contains("next: 4.1 "))
        let listing = try w.run(["lesson"])
        #expect(listing.stdout.contains("3/4 done"), "\(listing.stdout)")
        let reset = try w.run(["reset", "4.1"])  // nothing to lose: no question, no --yes
        #expect(reset.status == 0)
        #expect(Self.read(w, gone) == Self.shipped(w, gone))
        let after = try w.run(["check", "exercises", "4"])
        #expect(after.stdout.contains("· 4.1 ℓ2 normalisation by hand            not started: replace the ???"))
    }

    /// The pid of a `grade-exercise` child of `parent`, once one runs (within `timeout` seconds).
    static func gradingChild(of parent: pid_t, timeout: Double = 10) -> pid_t? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = Int32(entry),
                      let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { continue }
                // Fields after the command's closing parenthesis: state, then the parent's pid.
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                guard fields.count > 2, Int32(fields[1]) == parent else { continue }
                let command = (try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8)) ?? ""
                if command.contains("grade-exercise") { return pid }
            }
            usleep(20_000)
        }
        return nil
    }

    /// Whether a process has ended: it no longer exists, or is a zombie left for init to reap.
    static func isGone(_ pid: pid_t) -> Bool {
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].split(separator: " ").first == "Z"
    }

    @Test("Ctrl-C during check exercises stops within a second, ends the child, exits 130 (0 with --watch)",
          arguments: [false, true])
    func interrupt(watch: Bool) throws {
        let w = try Workspace()
        defer { w.remove() }
        let home = ReplTestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try w.write("s = 0\nfor i in 0..1000000000000 { s = s + 1 }\ncheck s == 1\n", to: w.exerciseFiles[0])
        let arguments = ["check", "exercises", "1", "--time-limit", "60"] + (watch ? ["--watch"] : [])
        let terminal = try ReplPseudoTerminal(home: home, environment: ["BNLAB_LESSONS": w.lessons.path],
                                              arguments: arguments)
        let child = try #require(Self.gradingChild(of: terminal.pid))
        // The child has a process group of its own, so the terminal's Ctrl-C reaches only bnlab.
        #expect(getpgid(child) == child)
        let start = Date()
        terminal.send("\u{3}")
        let status = terminal.waitForExit(timeout: 5)
        #expect(Date().timeIntervalSince(start) < 1.5)
        #expect(status == (watch ? 0 : 130))
        #expect(Self.isGone(child))
        if !watch { try terminal.expect("interrupted") }
    }

    @Test("a grading child ends within a second when its parent is killed (bnlab lesson's listing grades too)")
    func orphan() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.write("s = 0\nfor i in 0..1000000000000 { s = s + 1 }\ncheck s == 1\n", to: w.exerciseFiles[0])
        let process = Process()
        process.executableURL = BinaryRunner.binary
        process.arguments = ["lesson"]
        var environment = ProcessInfo.processInfo.environment
        environment["BNLAB_LESSONS"] = w.lessons.path
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let child = try #require(Self.gradingChild(of: process.processIdentifier))
        kill(process.processIdentifier, SIGKILL)
        // Not waiting for the parent first: the child's own 5 s limit must not be what ends it.
        let deadline = Date().addingTimeInterval(1)
        while !Self.isGone(child) && Date() < deadline { usleep(20_000) }
        #expect(Self.isGone(child))
        if !Self.isGone(child) { kill(child, SIGKILL) }
        process.waitUntilExit()
    }

    @Test("a grade far larger than a pipe's buffer is read while the child runs, not after")
    func largeOutput() throws {
        let w = try Workspace()
        defer { w.remove() }
        // A 100,000-character message makes the child's JSON grade larger than a 64 KiB pipe.
        let message = String(repeating: "m", count: 100_000)
        try w.write("check 1 == 2, \"\(message)\"\n", to: w.exerciseFiles[0])
        let start = Date()
        let result = try w.run(["check", "exercises", "1", "--time-limit", "3"])
        #expect(Date().timeIntervalSince(start) < 3)
        #expect(result.stdout.contains("failing: check failed: " + message))
    }
}
