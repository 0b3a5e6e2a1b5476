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

    /// Waits for one key on standard input, calling `prompt` once the terminal is in single-key
    /// mode (so a key pressed as soon as the prompt shows is never taken as line editing); nil,
    /// without prompting, when standard input is not a terminal.
    static func read(prompt: () -> Void) -> Key? {
        var saved = termios()
        guard isatty(STDIN_FILENO) == 1, tcgetattr(STDIN_FILENO, &saved) == 0 else { return nil }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        // One byte at a time, no timer (c_cc is a tuple; VMIN is 6 and VTIME 5 on Linux).
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        // A SIGTERM or SIGHUP while the key is awaited must not leave the shell without echo.
        KeyReaderState.saved = saved
        var previous: [Int32: sigaction] = [:]
        for signal in KeyReaderState.fatalSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = restoreAndDie
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            var old = sigaction()
            sigaction(signal, &action, &old)
            previous[signal] = old
        }
        guard tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0 else { return nil }
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            for (signal, var old) in previous { sigaction(signal, &old, nil) }
        }
        prompt()
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

/// What the signal handler needs: plain globals, since a handler cannot capture context.
enum KeyReaderState {
    nonisolated(unsafe) static var saved = termios()
    static let fatalSignals: [Int32] = [SIGTERM, SIGHUP]
}

/// Puts the terminal back, then dies of the same signal (tcsetattr, signal and raise are async-signal-safe).
private func restoreAndDie(_ signal: Int32) {
    tcsetattr(STDIN_FILENO, TCSANOW, &KeyReaderState.saved)
    Glibc.signal(signal, SIG_DFL)
    raise(signal)
}
