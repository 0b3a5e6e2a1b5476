import Synchronization

/// A flag another thread or a signal handler raises to stop an evaluation (Ctrl-C).
public final class InterruptFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    /// Raises the flag; lock-free, so safe from a signal handler.
    public func raise() { raised.store(true, ordering: .relaxed) }

    public func clear() { raised.store(false, ordering: .relaxed) }

    public var isRaised: Bool { raised.load(ordering: .relaxed) }
}
