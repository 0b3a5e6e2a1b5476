#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Sizes that bound what a program's text can cost: parsing takes tens of bytes of memory per
/// source byte, so a source file, a REPL entry and a string value each have a ceiling.
public enum SourceLimits {
    /// Longest source accepted (a script, a `:load`ed file, a REPL entry, a lesson cell).
    public static let maxSourceBytes = 16 << 20
    /// Longest string value (a literal cannot exceed the source; joining strings could).
    public static let maxStringBytes = 16 << 20

    /// A byte count as people read it: `512 bytes`, `3.5 KiB`, `16 MiB` when exact, the bytes when a tenth would hide the difference.
    public static func sizeText(_ bytes: Int) -> String {
        let units = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, unit) in units where bytes >= size {
            if bytes % size == 0 { return "\(bytes / size) \(unit)" }
            let tenths = (bytes * 10 + size / 2) / size
            // "16.0 MiB, more than the limit of 16 MiB" would read as no difference at all.
            if tenths % 10 == 0 { return "\(bytes) bytes" }
            return "\(tenths / 10).\(tenths % 10) \(unit)"
        }
        return bytes == 1 ? "1 byte" : "\(bytes) bytes"
    }

    /// The diagnostic for a source over the limit, or nil when it fits.
    public static func check(_ file: SourceFile) -> Diagnostic? {
        let size = file.text.utf8.count
        guard size > maxSourceBytes else { return nil }
        let what: String
        switch file.origin {
        case .file(let path): what = "'\(path)'"
        case .cell(let lesson, let cell): what = "lesson \(lesson), cell \(cell)"
        case .named: what = "this entry"
        }
        return Diagnostic("\(what) is \(sizeText(size)), more than the limit of \(sizeText(maxSourceBytes)) for a source")
    }
}

/// Reads a script from disk without ever waiting on it or reading more than the limit.
///
/// Opening with `O_NONBLOCK` keeps a FIFO with no writer from blocking `open`; only regular
/// files are read, so `/dev/zero`, a terminal or a directory is refused at once; the size is
/// checked before a byte is read, and the read stops at the limit in case the file grows.
public enum SourceReader {
    /// The script at `path` as a source file named `shownAs`, or the diagnostic that says why not.
    public static func read(_ path: String, shownAs name: String? = nil,
                            limit: Int = SourceLimits.maxSourceBytes) -> Result<SourceFile, Diagnostic> {
        let name = name ?? path
        switch readBytes(path, limit: limit) {
        case .failure(let problem):
            return .failure(Diagnostic(problem.message(name: name, limit: limit)))
        case .success(let bytes):
            return decode(bytes, origin: .file(path: name))
        }
    }

    /// Why a file could not be read.
    public enum Problem: Error, Equatable {
        case missing
        case directory
        case notRegular(kind: String)
        case tooLarge(bytes: Int)
        case system(String)

        /// The diagnostic's message, naming the file as `name`.
        public func message(name: String, limit: Int = SourceLimits.maxSourceBytes) -> String {
            switch self {
            case .missing: return "cannot open '\(name)': no such file"
            case .directory: return "cannot open '\(name)': it is a directory"
            case .notRegular(let kind): return "cannot read '\(name)': it is \(kind), not a regular file"
            case .tooLarge(let bytes):
                return "cannot read '\(name)': it is \(SourceLimits.sizeText(bytes)), more than the limit of \(SourceLimits.sizeText(limit)) for a source"
            case .system(let reason): return "cannot open '\(name)': \(reason)"
            }
        }
    }

    /// The bytes of a regular file of at most `limit` bytes.
    public static func readBytes(_ path: String, limit: Int) -> Result<[UInt8], Problem> {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR: return .failure(.missing)
            case EISDIR: return .failure(.directory)
            default: return .failure(.system(String(cString: strerror(errno))))
            }
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.system(String(cString: strerror(errno)))) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .failure(.directory)
        case S_IFIFO: return .failure(.notRegular(kind: "a named pipe"))
        case S_IFCHR, S_IFBLK: return .failure(.notRegular(kind: "a device"))
        case S_IFSOCK: return .failure(.notRegular(kind: "a socket"))
        default: return .failure(.notRegular(kind: "not a file"))
        }
        let size = Int(info.st_size)
        guard size <= limit else { return .failure(.tooLarge(bytes: size)) }
        // A regular file never blocks, but a file that grows while read must still stop at the limit.
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return systemRead(fd, base + count, buffer.count - count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.system(String(cString: strerror(errno))))
            }
            if n == 0 { break }
            count += n
            if count == bytes.count && count <= limit {
                bytes.append(contentsOf: [UInt8](repeating: 0, count: Swift.min(limit + 1, bytes.count * 2) - bytes.count))
            }
        }
        guard count <= limit else { return .failure(.tooLarge(bytes: count)) }
        bytes.removeLast(bytes.count - count)
        return .success(bytes)
    }

    /// UTF-8 text as a source file, or an error pointing at the first byte that is not UTF-8.
    public static func decode(_ bytes: [UInt8], origin: SourceFile.Origin) -> Result<SourceFile, Diagnostic> {
        if let text = String(validating: bytes, as: UTF8.self) {
            return .success(SourceFile(origin: origin, text: text))
        }
        let bad = firstInvalidOffset(bytes) ?? 0
        // Up to the bad byte the repaired text has the same bytes, so the offset still points at it.
        let repaired = SourceFile(origin: origin, text: String(decoding: bytes, as: UTF8.self))
        let name: String
        switch origin {
        case .file(let path): name = "'\(path)'"
        default: name = "the input"
        }
        let hex = "0x" + String(bytes[bad], radix: 16, uppercase: true)
        return .failure(Diagnostic("\(name) is not UTF-8 text: byte \(hex) does not begin a valid character",
                                   file: repaired, range: SourceRange(bad, bad + 3),
                                   notes: [.init(.help, "save the file as UTF-8")]))
    }

    /// The offset of the first byte that does not belong to a valid UTF-8 sequence.
    static func firstInvalidOffset(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            var lowest: UInt8 = 0x80, highest: UInt8 = 0xBF
            switch b {
            case 0x00...0x7F: i += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lowest = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; highest = 0x9F
            case 0xF0: length = 4; lowest = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; highest = 0x8F
            default: return i
            }
            guard i + length <= bytes.count else { return i }
            for k in 1..<length {
                let c = bytes[i + k]
                let (lo, hi): (UInt8, UInt8) = k == 1 ? (lowest, highest) : (0x80, 0xBF)
                if c < lo || c > hi { return i }
            }
            i += length
        }
        return nil
    }
}

/// `read(2)`, named apart from `SourceReader.read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

