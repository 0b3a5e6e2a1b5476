#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Single keys from the terminal, without Enter: the lesson's pause reacts to `r`, `q`, Enter,
/// Ctrl-C and Ctrl-D at once.
///
/// The terminal is switched to non-canonical mode without echo or signals for one key and always
/// switched back before `read()` returns. Signals are off so Ctrl-C arrives as a byte and never
/// has to interrupt a blocking read (a blocked `readLine` after SIGINT is what hung the pause).
enum KeyReader {
    /// What one key press meant.
    enum Key: Equatable {
        case enter
        case character(Character)
        /// Ctrl-D, or the end of input.
        case endOfInput
        /// Ctrl-C, or SIGINT from elsewhere.
        case interrupt
    }

    /// Waits for one key on standard input; nil when standard input is not a terminal.
    static func read() -> Key? {
        var saved = termios()
        guard isatty(STDIN_FILENO) == 1, tcgetattr(STDIN_FILENO, &saved) == 0 else { return nil }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        // One byte at a time, no timer (c_cc is a tuple; VMIN is 6 and VTIME 5 on Linux).
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0 else { return nil }
        defer { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
        return readKey()
    }

    private static func readKey() -> Key {
        while true {
            // A SIGINT sent by another process still ends the pause.
            if Interrupts.flag.isRaised {
                Interrupts.flag.clear()
                return .interrupt
            }
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 100)
            if ready < 0 {
                if errno == EINTR { continue }
                return .endOfInput
            }
            guard ready > 0 else { continue }
            guard descriptor.revents & Int16(POLLIN) != 0 else { return .endOfInput }
            var byte: UInt8 = 0
            let n = Glibc.read(STDIN_FILENO, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            guard n == 1 else { return .endOfInput }
            switch byte {
            case 0x03: return .interrupt
            case 0x04: return .endOfInput
            case 0x0A, 0x0D: return .enter
            case 0x1B:
                // An arrow or function key sends a sequence; swallow the rest of it.
                drainEscapeSequence()
                return .character("\u{1B}")
            default:
                return .character(Character(Unicode.Scalar(byte)))
            }
        }
    }

    /// Reads what follows ESC within a few milliseconds, so `ESC [ A` counts as one key.
    private static func drainEscapeSequence() {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        var byte: UInt8 = 0
        while poll(&descriptor, 1, 20) > 0, descriptor.revents & Int16(POLLIN) != 0,
              Glibc.read(STDIN_FILENO, &byte, 1) == 1 {}
    }
}
