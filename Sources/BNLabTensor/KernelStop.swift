#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When long kernels should give up early: Ctrl-C or a deadline, for the evaluation
/// running on the current thread.
///
/// The interpreter polls between statements and calls, but one matmul of 2048 × 2048 is a
/// single step lasting seconds. Kernels therefore read `KernelStop.current` once on entry and
/// ask `isRaised` at a coarse grain (about every `pollElements` elements, or every row of a
/// product), never inside an inner loop. A kernel that sees it raised abandons its work;
/// the operation then calls `check()`, which throws, so the half-done result is never seen.
public final class KernelStop: @unchecked Sendable {
    /// Elements a kernel processes between two polls: a poll costs a few nanoseconds,
    /// 64K elements at least tens of microseconds.
    static let pollElements = 1 << 16

    let flag: InterruptFlag?
    let deadline: ContinuousClock.Instant?

    public init(flag: InterruptFlag?, deadline: ContinuousClock.Instant?) {
        self.flag = flag
        self.deadline = deadline
    }

    /// Whether the evaluation should stop: one relaxed load, plus a clock read with a deadline.
    var isRaised: Bool {
        if let flag, flag.isRaised { return true }
        if let deadline, ContinuousClock.now > deadline { return true }
        return false
    }

    /// Throws the reason to stop, if any; the flag is left for the interpreter to clear.
    func check() throws(TensorError) {
        if let flag, flag.isRaised { throw TensorError("interrupted", kind: .interrupted) }
        if let deadline, ContinuousClock.now > deadline { throw TensorError("timed out", kind: .timedOut) }
    }

    // MARK: - The current thread's stop

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// The stop of the evaluation on this thread, or nil outside one (tests calling kernels directly).
    static var current: KernelStop? {
        guard let raw = pthread_getspecific(key) else { return nil }
        return Unmanaged<KernelStop>.fromOpaque(raw).takeUnretainedValue()
    }

    /// The current stop for a kernel of `work` elementary steps; nil for small work, which
    /// ends soon anyway, so that small tensors in a loop pay nothing for polling.
    @inline(__always)
    static func current(forWork work: Int) -> KernelStop? {
        work >= pollElements ? current : nil
    }

    /// Runs `body` with `stop` as this thread's stop, restoring the previous one afterwards.
    public static func with<R, E: Error>(_ stop: KernelStop, _ body: () throws(E) -> R) throws(E) -> R {
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, Unmanaged.passUnretained(stop).toOpaque())
        defer { pthread_setspecific(key, previous) }
        return try withExtendedLifetime(stop) { () throws(E) -> R in try body() }
    }

    /// Throws when the current evaluation should stop (after a kernel that may have abandoned its work).
    static func checkCurrent(forWork work: Int) throws(TensorError) {
        try current(forWork: work)?.check()
    }
}
