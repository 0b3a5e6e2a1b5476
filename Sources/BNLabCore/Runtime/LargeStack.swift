#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs work on a thread with a large stack, so deep (but limited) recursion in the parser and
/// evaluator ends in a diagnostic rather than overflowing the main thread's 8 MiB stack.
public enum LargeStack {
    /// Stack size of evaluation threads; only touched pages use memory.
    public static let stackSize = 1 << 29

    private final class Job {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }

    /// Calls `body` on a fresh thread with a large stack and waits for its result.
    public static func run<T>(_ body: @escaping () -> T) -> T {
        var result: T?
        let job = Job { result = body() }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        let context = Unmanaged.passRetained(job).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let status = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            Unmanaged<Job>.fromOpaque(raw).takeRetainedValue().work()
            return nil
        }, context)
        guard status == 0 else {
            // No thread could be made (resource limits): run here, on the normal stack.
            Unmanaged<Job>.fromOpaque(context).release()
            return body()
        }
        #if canImport(Darwin)
        if let thread { pthread_join(thread, nil) }
        #else
        pthread_join(thread, nil)
        #endif
        return result ?? body()
    }
}
