#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import BNLabCore

/// Ctrl-C handling: the signal only raises a flag that the evaluator polls.
enum Interrupts {
    /// The flag every evaluation in this process watches.
    static let flag = InterruptFlag()

    /// Installs the SIGINT handler (no SA_RESTART, so blocking reads return EINTR).
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in Interrupts.flag.raise() }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }
}
