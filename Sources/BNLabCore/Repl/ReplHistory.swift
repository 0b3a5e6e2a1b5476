#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The REPL's persistent history: where it lives, what is kept, and how entries are stored.
///
/// One entry per line; a line break inside an entry is stored as `\n`, a carriage return as
/// `\r` and `\` as `\\`, so any text comes back as it was (a recalled `fn` comes back whole).
/// Every entry is appended as soon as it is typed, so a crash or kill loses nothing. Several
/// REPLs may share the file: appends and trims take an exclusive `flock` on `<file>.lock`, and
/// a trim re-reads the file and keeps its newest entries, whoever wrote them. A file problem only
/// turns persistence off (reported once through `onWriteFailure`): history never stops the REPL.
public struct ReplHistory {
    /// Most entries kept, as `HISTSIZE` would.
    public static let defaultCapacity = 10_000
    /// Most of the file read at start: its end, so a runaway file cannot fill memory.
    static let maxBytesRead = 64 << 20

    /// The history file, or nil when there is nowhere to keep it.
    public let path: String?
    public let capacity: Int
    /// Entries oldest first, as loaded and then recorded.
    public private(set) var entries: [String] = []
    /// Told, once, when an entry could not be written (read-only folder, full disk), and why.
    public var onWriteFailure: ((String) -> Void)?
    private var hasReportedFailure = false

    /// Loads the history at `path` (if any), trimming it to `capacity`.
    public init(path: String?, capacity: Int = ReplHistory.defaultCapacity) {
        self.path = path
        self.capacity = max(1, capacity)
        guard let path else { return }
        entries = Self.readEntries(path)
        if entries.count > self.capacity {
            entries.removeFirst(entries.count - self.capacity)
            _ = trimFile()
        }
    }

    /// `$XDG_STATE_HOME/bnlab/history`, else `~/.local/state/bnlab/history`; nil without either.
    public static func defaultPath(environment: [String: String]) -> String? {
        // The XDG spec says relative values are invalid and must be ignored.
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/bnlab/history"
        }
        if let home = environment["HOME"], !home.isEmpty {
            return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.local/state/bnlab/history"
        }
        return nil
    }

    /// Whether an entry would be stored: not blank and not the same as the one before.
    public func accepts(_ entry: String) -> Bool {
        !entry.trimming().isEmpty && entry != entries.last
    }

    /// Records an entry and appends it to the file; false when it was blank or a repeat.
    @discardableResult
    public mutating func record(_ entry: String) -> Bool {
        guard accepts(entry) else { return false }
        entries.append(entry)
        var problem: String?
        if entries.count > capacity + capacity / 10 {
            // Trim in batches so a long session does not rewrite the file on every entry.
            entries.removeFirst(entries.count - capacity)
            problem = append(entry, thenTrim: true)
        } else {
            problem = append(entry, thenTrim: false)
        }
        if let problem, !hasReportedFailure, let path {
            hasReportedFailure = true
            onWriteFailure?("history cannot be saved to \(path): \(problem)")
        }
        return true
    }

    /// Appends under the lock, then (when asked) trims the file to its newest `capacity` entries;
    /// nil on success, else what went wrong.
    private func append(_ entry: String, thenTrim: Bool) -> String? {
        guard let path else { return nil }
        if let problem = makeDirectory(for: path) { return problem }
        let lock = Self.lock(path)
        defer { Self.unlock(lock) }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return Self.systemError() }
        // One write call, so even a session that could not take the lock does not split an entry.
        let written = writeAll(fd, Array((Self.encode(entry) + "\n").utf8))
        let problem = written ? nil : Self.systemError()
        close(fd)
        if let problem { return problem }
        return thenTrim ? rewriteNewest(path) : nil
    }

    /// Trims the file under the lock (at load, when it has grown past the capacity).
    private func trimFile() -> String? {
        guard let path else { return nil }
        let lock = Self.lock(path)
        defer { Self.unlock(lock) }
        return rewriteNewest(path)
    }

    /// Re-reads the file and replaces it with its newest `capacity` entries, through a temporary
    /// file so a crash leaves one or the other. The caller holds the lock.
    private func rewriteNewest(_ path: String) -> String? {
        var newest = Self.readEntries(path)
        guard newest.count > capacity else { return nil }
        newest.removeFirst(newest.count - capacity)
        let temporary = path + ".tmp\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return Self.systemError() }
        let text = newest.map { Self.encode($0) + "\n" }.joined()
        let written = writeAll(fd, Array(text.utf8))
        let problem = written ? nil : Self.systemError()
        close(fd)
        if problem != nil || rename(temporary, path) != 0 {
            let reason = problem ?? Self.systemError()
            unlink(temporary)
            return reason
        }
        return nil
    }

    /// The entries stored at `path` (the last `maxBytesRead` bytes of it at most).
    static func readEntries(_ path: String) -> [String] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return [] }
        let size = Int(info.st_size)
        let start = max(0, size - maxBytesRead)
        var bytes = [UInt8](repeating: 0, count: size - start)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return pread(fd, base + count, buffer.count - count, off_t(start + count))
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            count += n
        }
        var lines = bytes[..<count].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        // Started mid-file: the first line is a piece of an entry.
        if start > 0, !lines.isEmpty { lines.removeFirst() }
        return lines.map { decode(Substring(String(decoding: $0, as: UTF8.self))) }.filter { !$0.isEmpty }
    }

    /// An exclusive lock on `<path>.lock`, or -1 when there is none to take (the trim then runs unlocked).
    private static func lock(_ path: String) -> Int32 {
        let fd = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return -1 }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { break }
        }
        return fd
    }

    private static func unlock(_ fd: Int32) {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
    }

    private static func systemError() -> String {
        String(cString: strerror(errno))
    }

    @discardableResult
    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    /// Creates the file's folder; nil on success, else why not.
    private func makeDirectory(for path: String) -> String? {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return nil }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            return nil
        } catch {
            return "cannot create the folder \(directory)"
        }
    }

    /// One entry as one line of the file: `\`, line feed and carriage return escaped.
    public static func encode(_ entry: String) -> String {
        var out = String.UnicodeScalarView()
        // Scalars, not Characters: "\r\n" is one Character and must come back as two scalars.
        for c in entry.unicodeScalars {
            switch c {
            case "\\": out.append("\\"); out.append("\\")
            case "\n": out.append("\\"); out.append("n")
            case "\r": out.append("\\"); out.append("r")
            default: out.append(c)
            }
        }
        return String(out)
    }

    /// The entry a line of the file holds.
    public static func decode(_ line: Substring) -> String {
        var out = String.UnicodeScalarView()
        var escaped = false
        for c in line.unicodeScalars {
            if escaped {
                switch c {
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "\\": out.append("\\")
                default: out.append("\\"); out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        if escaped { out.append("\\") }
        return String(out)
    }
}
