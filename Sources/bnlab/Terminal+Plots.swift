#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import BNLabCore

extension Terminal {
    /// Colour for plots when stdout is a terminal without NO_COLOR, and progress bars when
    /// stderr is a terminal; into pipes and files, neither.
    static func prepare(_ interpreter: Interpreter, plotColor: Bool = true) {
        interpreter.plotColor = plotColor && colorEnabled(for: STDOUT_FILENO)
        interpreter.progressDisplay = stderrIsTerminal && !isDumb
            ? ProgressDisplay(write: writeError, width: { stderrWidth }) : nil
    }

    /// A terminal that cannot erase a line (TERM=dumb) gets no progress bar.
    private static var isDumb: Bool {
        getenv("TERM").map { String(cString: $0) == "dumb" } ?? false
    }

    /// The width of the terminal on stderr, or 80.
    static var stderrWidth: Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
