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
    private var pending: [UInt8] = []
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
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                defer { pending.removeSubrange(...newline) }
                if skipped > 0 { return .tooLong(bytes: skipped + newline) }
                return .text(String(decoding: pending[..<newline], as: UTF8.self))
            }
            if pending.count > limit {
                skipped += pending.count
                pending.removeAll(keepingCapacity: true)
            }
            if atEnd {
                guard !pending.isEmpty || skipped > 0 else { return nil }
                defer { pending.removeAll() }
                if skipped > 0 { return .tooLong(bytes: skipped + pending.count) }
                return .text(String(decoding: pending, as: UTF8.self))
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
