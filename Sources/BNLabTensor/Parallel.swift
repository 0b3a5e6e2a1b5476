import Dispatch

/// Fork–join helpers for the big kernels.
///
/// Work is always cut into a number of parts that depends only on the data size, never
/// on the machine, and partial results are combined in part order, so every result is
/// the same bit for bit whatever the core count; only the speed changes.
enum Parallel {
    /// Elements per part below which splitting does not pay for the thread hand-off.
    static let elementsPerPart = 1 << 20
    /// The most parts any operation is cut into.
    static let maxParts = 8

    /// How many parts an operation over `count` elements is cut into.
    static func parts(for count: Int) -> Int {
        Swift.min(maxParts, Swift.max(1, count / elementsPerPart))
    }

    /// Runs `body(i)` for every `i` in `0..<n`, concurrently when `n > 1`.
    ///
    /// Each index must touch only its own memory, which is why sharing the closure is safe.
    static func forEach(_ n: Int, _ body: (Int) -> Void) {
        if n <= 1 {
            for i in 0..<n { body(i) }
            return
        }
        withoutActuallyEscaping(body) { work in
            let shared = UncheckedSendable(work)
            DispatchQueue.concurrentPerform(iterations: n) { i in shared.value(i) }
        }
    }
}

/// Carries a value across threads when the caller guarantees there is no data race.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
