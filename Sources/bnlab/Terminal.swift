#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import BNLabCore

/// Facts about the terminal and small helpers for writing to it.
enum Terminal {
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Colour only on a terminal and only when NO_COLOR is unset (no-color.org).
    static func colorEnabled(for fd: Int32) -> Bool {
        if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
        return isatty(fd) == 1
    }

    /// Writes text to standard output without buffering surprises between stdout and stderr.
    static func write(_ text: String) {
        writeAll(STDOUT_FILENO, text)
    }

    static func writeError(_ text: String) {
        writeAll(STDERR_FILENO, text)
    }

    /// Writes text to any descriptor (the REPL's prompts may go to stderr).
    static func write(_ text: String, fd: Int32) {
        writeAll(fd, text)
    }

    private static func writeAll(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(fd, base + offset, buffer.count - offset)
            }
            if n < 0 && errno == EINTR { continue }
            // A closed pipe (or nothing written) ends the output rather than spinning.
            if n <= 0 { return }
            offset += n
        }
    }

    /// The terminal's width in columns, or 80.
    static var width: Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// numpy's `linewidth` for tensors on stdout: 75, or the terminal's width when narrower; 75 into a pipe.
    static var tensorLineWidth: Int {
        stdoutIsTerminal ? min(TensorFormatter.lineWidth, width) : TensorFormatter.lineWidth
    }

    /// The width diagnostics wrap at: the terminal's when stderr is one, none (no wrapping) into a pipe or file.
    static var diagnosticWidth: Int? {
        var size = winsize()
        guard stderrIsTerminal, ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// The width prose on stdout wraps at: the terminal's, or none (no wrapping) into a pipe or file.
    static var proseWidth: Int? { stdoutIsTerminal ? width : nil }

    /// A diagnostic rendered for stderr.
    static func report(_ diagnostic: Diagnostic) {
        writeError(DiagnosticRenderer.render(diagnostic, color: colorEnabled(for: STDERR_FILENO), width: diagnosticWidth))
    }
}
