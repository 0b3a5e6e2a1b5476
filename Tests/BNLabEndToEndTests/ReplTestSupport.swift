#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// Finding the built `bnlab` and a throwaway home for it, so tests never touch the real history.
enum ReplTestEnvironment {
    /// The `bnlab` executable built next to this test bundle (or under the package's `.build`).
    static var binary: String? {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((exe as NSString).deletingLastPathComponent + "/bnlab")
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        candidates.append(packageRoot + "/.build/debug/bnlab")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A fresh directory under the system's temporary directory.
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "bnlab-repl-test-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// An environment with HOME and XDG_STATE_HOME inside `home`, no user inputrc, and `extra` on top.
    static func environment(home: String, _ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home
        environment["XDG_STATE_HOME"] = home + "/state"
        environment["INPUTRC"] = "/dev/null"
        environment["NO_COLOR"] = nil
        environment["TERM"] = "xterm"
        environment["SWIFT_BACKTRACE"] = "enable=no"
        for (key, value) in extra { environment[key] = value }
        return environment
    }
}

/// The result of running `bnlab` with piped input.
struct ReplPipedRun {
    var stdout: String
    var stderr: String
    var status: Int32
}

/// Runs `bnlab repl` with `input` on a pipe; nil when it did not finish within `timeout` seconds.
func runPipedRepl(_ input: String, home: String, timeout: TimeInterval = 10) throws -> ReplPipedRun? {
    guard let binary = ReplTestEnvironment.binary else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["repl"]
    process.environment = ReplTestEnvironment.environment(home: home)
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    // Read both pipes while the process runs, so a large output cannot block it.
    nonisolated(unsafe) var out = Data(), err = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { out = stdout.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter()
    DispatchQueue.global().async { err = stderr.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning {
        process.terminate()
        process.waitUntilExit()
        return nil
    }
    process.waitUntilExit()
    _ = group.wait(timeout: .now() + 5)
    return ReplPipedRun(stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self),
                        status: process.terminationStatus)
}

/// `bnlab repl` on a pseudo-terminal of its own (it is the session leader, so Ctrl-C sends SIGINT),
/// driven by writing keys and waiting for text.
final class ReplPseudoTerminal {
    enum Failure: Error, CustomStringConvertible {
        case noBinary
        case spawn(Int32)
        case timeout(waitingFor: String, output: String)

        var description: String {
            switch self {
            case .noBinary: return "bnlab is not built"
            case .spawn(let code): return "could not start bnlab (\(code))"
            case .timeout(let text, let output): return "timed out waiting for \(text.debugDescription); output so far:\n\(output)"
            }
        }
    }

    private let master: Int32
    let pid: pid_t
    /// Everything the program wrote, escape codes and `\r\n` included.
    private var raw: [UInt8] = []
    /// The same without escape sequences, carriage returns and bells: what `expect` searches.
    private var bytes: [UInt8] = []
    private var filter = EscapeFilter()
    /// Where the next `expect` starts looking in `bytes`.
    private var searchStart = 0
    /// The raw output, for checking escape codes.
    var output: String { String(decoding: raw, as: UTF8.self) }
    /// The output as a reader sees it: no escape codes, `\n` line ends.
    var text: String { String(decoding: bytes, as: UTF8.self) }
    private var exitStatus: Int32?

    /// Starts `bnlab` with `arguments` (a REPL by default) on a terminal `columns` wide.
    init(home: String, environment extra: [String: String] = [:], arguments: [String] = ["repl"],
         columns: UInt16 = 100) throws {
        guard let binary = ReplTestEnvironment.binary else { throw Failure.noBinary }
        var master: Int32 = -1, slave: Int32 = -1
        var size = winsize(ws_row: 24, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&master, &slave, nil, nil, &size) == 0 else { throw Failure.spawn(errno) }
        defer { close(slave) }
        // ttyname_r, not ttyname: ttyname's static buffer is shared by the tests that open
        // terminals in parallel, and another's path (gone by then) made the spawn fail with ENOENT.
        var nameBuffer = [CChar](repeating: 0, count: 256)
        let nameStatus = ttyname_r(slave, &nameBuffer, nameBuffer.count)
        guard nameStatus == 0 else {
            close(master)
            throw Failure.spawn(nameStatus)
        }
        let slavePath = String(decoding: nameBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened after setsid(), the terminal becomes the child's controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        posix_spawn_file_actions_addclose(&actions, master)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        let setsid: Int16 = 0x80  // POSIX_SPAWN_SETSID, not imported into Swift
        posix_spawnattr_setflags(&attributes, setsid | Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        let environment = ReplTestEnvironment.environment(home: home, extra).map { "\($0.key)=\($0.value)" }
        let argv = [binary] + arguments
        var pid: pid_t = 0
        let status = withCStrings(argv) { argvPointers in
            withCStrings(environment) { envPointers in
                posix_spawn(&pid, binary, &actions, &attributes, argvPointers, envPointers)
            }
        }
        guard status == 0 else {
            close(master)
            throw Failure.spawn(status)
        }
        self.master = master
        self.pid = pid
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
    }

    /// The terminal's current settings (the master sees the slave's), to check a program restored them.
    var terminalSettings: termios? {
        var settings = termios()
        return tcgetattr(master, &settings) == 0 ? settings : nil
    }

    /// Types text as keys (use `\r` for Enter, `\u{3}` for Ctrl-C, `\u{4}` for Ctrl-D, `\t` for Tab).
    func send(_ keys: String) {
        let bytes = Array(keys.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            offset += n
        }
    }

    /// Waits until `text` appears after the previous match; returns the output between them.
    @discardableResult
    func expect(_ text: String, timeout: Double = 5) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let end = find(Array(text.utf8)) {
                let seen = String(decoding: bytes[searchStart..<end], as: UTF8.self)
                searchStart = end
                return seen
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw Failure.timeout(waitingFor: text, output: self.text) }
            readAvailable(waitingUpTo: min(remaining, 0.1))
        }
    }

    /// Reads whatever the program writes within `seconds`, for checking what did not appear.
    func drain(for seconds: Double) -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while deadline.timeIntervalSinceNow > 0 { readAvailable(waitingUpTo: deadline.timeIntervalSinceNow) }
        return String(decoding: bytes[searchStart...], as: UTF8.self)
    }

    /// The end offset of the first occurrence of `needle` at or after `searchStart`.
    private func find(_ needle: [UInt8]) -> Int? {
        guard !needle.isEmpty, bytes.count - searchStart >= needle.count else { return nil }
        for start in searchStart...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if bytes[start..<(start + needle.count)].elementsEqual(needle) { return start + needle.count }
        }
        return nil
    }

    /// Reads what the program has written, waiting up to `seconds` for it; false when nothing came.
    @discardableResult
    private func readAvailable(waitingUpTo seconds: Double) -> Bool {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(max(1, seconds * 1000))) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        guard n > 0 else {
            usleep(10_000)
            return false
        }
        raw += buffer[..<n]
        for byte in buffer[..<n] {
            if let kept = filter.feed(byte) { bytes.append(kept) }
        }
        return true
    }

    /// The exit status once the program ends within `timeout` seconds, else nil.
    func waitForExit(timeout: Double = 5) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                // Exited normally: the low 7 bits are zero and the code is in the next byte.
                let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                exitStatus = code
                // What it wrote just before exiting may still sit in the terminal's buffer.
                while readAvailable(waitingUpTo: 0.05) {}
                return code
            }
            readAvailable(waitingUpTo: 0.05)
        }
        return nil
    }
}

/// Drops terminal escape sequences, `\r` and bells from a byte stream, across reads.
struct EscapeFilter {
    private enum State { case text, escape, csi }
    private var state = State.text

    /// The byte to keep, if any.
    mutating func feed(_ byte: UInt8) -> UInt8? {
        switch state {
        case .text:
            if byte == 0x1B {
                state = .escape
                return nil
            }
            return byte == UInt8(ascii: "\r") || byte == 0x07 ? nil : byte
        case .escape:
            state = byte == UInt8(ascii: "[") ? .csi : .text
            return nil
        case .csi:
            if (0x40...0x7E).contains(byte) { state = .text }
            return nil
        }
    }
}

/// Calls `body` with a NULL-terminated array of C strings.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}
