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
/// One entry per line; a multi-line entry keeps its line breaks as `\n` (and `\` as `\\`),
/// so a recalled `fn` comes back whole. Every entry is appended as soon as it is typed, so a
/// crash or kill loses nothing. Any file problem only turns persistence off: history must never
/// stop the REPL.
public struct ReplHistory {
    /// Most entries kept, as `HISTSIZE` would.
    public static let defaultCapacity = 10_000

    /// The history file, or nil when there is nowhere to keep it.
    public let path: String?
    public let capacity: Int
    /// Entries oldest first, as loaded and then recorded.
    public private(set) var entries: [String] = []

    /// Loads the history at `path` (if any), trimming it to `capacity`.
    public init(path: String?, capacity: Int = ReplHistory.defaultCapacity) {
        self.path = path
        self.capacity = max(1, capacity)
        guard let path, let data = FileManager.default.contents(atPath: path) else { return }
        let text = String(decoding: data, as: UTF8.self)
        entries = text.split(separator: "\n", omittingEmptySubsequences: true).map { Self.decode($0) }
            .filter { !$0.isEmpty }
        if entries.count > self.capacity {
            entries.removeFirst(entries.count - self.capacity)
            rewrite()
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
        !Substring(entry).trimmingWhitespace.isEmpty && entry != entries.last
    }

    /// Records an entry and appends it to the file; false when it was blank or a repeat.
    @discardableResult
    public mutating func record(_ entry: String) -> Bool {
        guard accepts(entry) else { return false }
        entries.append(entry)
        if entries.count > capacity + capacity / 10 {
            // Trim in batches so a long session does not rewrite the file on every entry.
            entries.removeFirst(entries.count - capacity)
            rewrite()
        } else {
            append(entry)
        }
        return true
    }

    private func append(_ entry: String) {
        guard let path, makeDirectory(for: path) else { return }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        // One write call, so concurrent sessions do not interleave within an entry.
        writeAll(fd, Array((Self.encode(entry) + "\n").utf8))
    }

    /// Replaces the file with the current entries, through a temporary file so a crash leaves one or the other.
    private func rewrite() {
        guard let path, makeDirectory(for: path) else { return }
        let temporary = path + ".tmp\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let text = entries.map { Self.encode($0) + "\n" }.joined()
        let written = writeAll(fd, Array(text.utf8))
        close(fd)
        if !written || rename(temporary, path) != 0 { unlink(temporary) }
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

    private func makeDirectory(for path: String) -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return true }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            return true
        } catch {
            return false
        }
    }

    /// One entry as one line of the file.
    public static func encode(_ entry: String) -> String {
        var out = ""
        for c in entry {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    /// The entry a line of the file holds.
    public static func decode(_ line: Substring) -> String {
        var out = ""
        var escaped = false
        for c in line {
            if escaped {
                switch c {
                case "n": out.append("\n")
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
        return out
    }
}
