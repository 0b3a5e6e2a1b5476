#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import BNLabCore

/// Lines from a descriptor (piped standard input) with a ceiling on each line's length, so a
/// gigabyte without a newline costs one buffer of the limit and not the gigabyte.
struct CappedLineReader {
    enum Line {
        case text(String)
        /// A line longer than the limit, read past and dropped; how many bytes it had.
        case tooLong(bytes: Int)
    }

    let fd: Int32
    let limit: Int
    /// Bytes read and not yet returned start at `start`; bytes before `scanned` hold no newline.
    private var pending: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private var atEnd = false

    init(fd: Int32 = STDIN_FILENO, limit: Int = SourceLimits.maxSourceBytes) {
        self.fd = fd
        self.limit = limit
    }

    /// The next line without its newline; nil at end of input (or when reading fails, e.g. Ctrl-C).
    mutating func next() -> Line? {
        var skipped = 0  // bytes of an over-long line already thrown away
        while true {
            if let newline = pending[max(start, scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[start..<newline]
                start = newline + 1
                scanned = start
                if skipped > 0 { return .tooLong(bytes: skipped + line.count) }
                return .text(String(decoding: line, as: UTF8.self))
            }
            scanned = pending.count
            if pending.count - start > limit {
                skipped += pending.count - start
                pending.removeAll(keepingCapacity: true)
                (start, scanned) = (0, 0)
            } else if start > 0 && start >= pending.count / 2 {
                // Drop returned lines now and then, so the buffer holds about one line and one chunk.
                pending.removeSubrange(..<start)
                scanned -= start
                start = 0
            }
            if atEnd {
                guard pending.count > start || skipped > 0 else { return nil }
                let rest = pending[start...]
                defer { pending.removeAll(); (start, scanned) = (0, 0) }
                if skipped > 0 { return .tooLong(bytes: skipped + rest.count) }
                return .text(String(decoding: rest, as: UTF8.self))
            }
            let n = chunk.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(fd, base, buffer.count)
            }
            if n > 0 {
                pending.append(contentsOf: chunk[..<n])
            } else {
                // EINTR is Ctrl-C here (the handler is installed without SA_RESTART): it ends input as readLine did.
                atEnd = true
            }
        }
    }
}
