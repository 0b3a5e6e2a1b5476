import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// One budget for the bytes of all live tensors in the process, so that no program can take
/// the machine's memory: each tensor is capped at `Tensor.elementLimit`, and this caps their sum.
///
/// Every buffer is counted while it lives (`TensorStorage`); an operation checks its result
/// against the budget before allocating it (`Tensor.reserve`). Temporary work arrays inside a
/// kernel are not counted, so the real peak can exceed the budget by about one result.
public enum MemoryBudget {
    private static let live = Atomic<Int>(0)
    private static let limitBytes = Atomic<Int>(defaultLimit)

    /// The environment variable that sets the budget, e.g. `BNLAB_MEMORY=2G`.
    public static let environmentVariable = "BNLAB_MEMORY"

    /// Bytes currently held by live tensors.
    public static var liveBytes: Int { live.load(ordering: .relaxed) }

    /// The most bytes live tensors may hold together.
    public static var limit: Int {
        get { limitBytes.load(ordering: .relaxed) }
        set { limitBytes.store(Swift.max(newValue, 0), ordering: .relaxed) }
    }

    /// `BNLAB_MEMORY` when it is set and valid, else the smaller of 8 GiB and half the physical memory.
    static var defaultLimit: Int {
        if let text = getenv(environmentVariable).map({ String(cString: $0) }), let bytes = parse(text) {
            return bytes
        }
        return Swift.min(8 << 30, physicalMemory / 2)
    }

    /// The machine's memory, or 16 GiB when it cannot be read.
    static var physicalMemory: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return 16 << 30 }
        let (bytes, overflow) = pages.multipliedReportingOverflow(by: size)
        return overflow ? Int.max : bytes
    }

    /// A size such as `2G`, `512M`, `1.5GiB`, `100000K` or a plain byte count; nil when malformed,
    /// not positive, or more than 2^60 bytes.
    public static func parse(_ text: String) -> Int? {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()[...]
        var scale = 1.0
        for suffix in ["IB", "B"] where body.hasSuffix(suffix) && body.count > suffix.count {
            body = body.dropLast(suffix.count)
            break
        }
        if let last = body.last, let power = ["K": 10, "M": 20, "G": 30, "T": 40][String(last)] {
            scale = Double(1 << power)
            body = body.dropLast()
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isNumber || $0 == "." }), let value = Double(body) else { return nil }
        let bytes = value * scale
        guard bytes.isFinite, bytes >= 1, bytes <= Double(1 << 60) else { return nil }
        return Int(bytes)
    }

    /// A byte count as messages show it: `512 MiB`, `1.5 GiB`.
    public static func describe(_ bytes: Int) -> String {
        let units = [(1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, name) in units where bytes >= size {
            let value = Double(bytes) / Double(size)
            let rounded = (value * 10).rounded() / 10
            return rounded == rounded.rounded() ? "\(Int(rounded)) \(name)" : "\(rounded) \(name)"
        }
        return "\(bytes) bytes"
    }

    static func add(_ bytes: Int) { live.add(bytes, ordering: .relaxed) }
    static func remove(_ bytes: Int) { live.subtract(bytes, ordering: .relaxed) }

    /// Throws when `bytes` more would take live tensors past the budget.
    static func check(_ bytes: Int) throws(TensorError) {
        let inUse = liveBytes, budget = limit
        if bytes > budget - inUse {
            throw TensorError("out of memory budget: this needs \(describe(bytes)) but \(describe(inUse)) of \(describe(budget)) "
                + "are in use; set \(environmentVariable) or :set memory")
        }
    }
}

/// The buffer a tensor and its views share; its bytes count against `MemoryBudget` while it lives.
///
/// Small buffers keep their elements in the object itself (one allocation, as a Swift array);
/// large ones (`TensorPool.minimumBytes` and up) point into a block from `TensorPool`, which goes
/// back to the pool when the buffer dies, so the next result of that size skips the page faults
/// and zero-fill of fresh memory. Either way `base` is where the elements start.
final class TensorStorage: ManagedBuffer<TensorStorage.Header, Double> {
    struct Header {
        /// The number of elements.
        let count: Int
        /// The first element: inline, or in a pooled block.
        let base: UnsafeMutablePointer<Double>
        /// The pooled block's size class in bytes, or 0 for inline elements.
        let pooledBytes: Int
    }

    /// A buffer of `count` elements whose contents are undefined until the caller writes them.
    /// (Doubles are trivial, so uninitialized memory is valid storage for them.)
    @inline(__always)
    static func uninitialized(count: Int) -> TensorStorage {
        let bytes = count &* MemoryLayout<Double>.stride
        let storage: TensorStorage
        if bytes >= TensorPool.minimumBytes, let block = TensorPool.take(bytes: bytes) {
            storage = unsafeDowncast(create(minimumCapacity: 0) { _ in
                Header(count: count, base: block.pointer.assumingMemoryBound(to: Double.self), pooledBytes: block.classBytes)
            }, to: TensorStorage.self)
        } else {
            storage = unsafeDowncast(create(minimumCapacity: count) { buffer in
                // The elements of a class instance never move, so their address may be kept.
                Header(count: count, base: buffer.withUnsafeMutablePointerToElements { $0 }, pooledBytes: 0)
            }, to: TensorStorage.self)
        }
        MemoryBudget.add(bytes)
        return storage
    }

    /// A buffer of `count` elements that `body` initializes, every one of them.
    @inline(__always)
    static func make(count: Int, _ body: (UnsafeMutableBufferPointer<Double>) -> Void) -> TensorStorage {
        let storage = uninitialized(count: count)
        body(UnsafeMutableBufferPointer(start: storage.base, count: count))
        return storage
    }

    /// A buffer holding a copy of `elements`.
    static func copying(_ elements: UnsafeBufferPointer<Double>) -> TensorStorage {
        make(count: elements.count) { buffer in
            guard let source = elements.baseAddress, let target = buffer.baseAddress else { return }
            target.initialize(from: source, count: elements.count)
        }
    }

    /// A buffer holding a copy of `elements`.
    static func copying(_ elements: [Double]) -> TensorStorage {
        elements.withUnsafeBufferPointer { copying($0) }
    }

    deinit {
        // Doubles need no deinitialization; the budget is told, and a pooled block goes back.
        let header = withUnsafeMutablePointerToHeader { $0.pointee }
        MemoryBudget.remove(header.count &* MemoryLayout<Double>.stride)
        if header.pooledBytes > 0 {
            TensorPool.give(UnsafeMutableRawPointer(header.base), classBytes: header.pooledBytes)
        }
    }

    /// The number of elements, read through a pointer: `header` is a stored property of a
    /// standard-library class, so reading it directly costs a dynamic exclusivity check.
    @inline(__always)
    var count: Int { withUnsafeMutablePointerToHeader { $0.pointee.count } }

    /// Where the elements start.
    @inline(__always)
    var base: UnsafeMutablePointer<Double> { withUnsafeMutablePointerToHeader { $0.pointee.base } }

    /// Whether the elements live in a block from `TensorPool`.
    var isPooled: Bool { withUnsafeMutablePointerToHeader { $0.pointee.pooledBytes > 0 } }

    subscript(_ index: Int) -> Double {
        get { base[index] }
        set { base[index] = newValue }
    }

    /// The elements as an array (a copy).
    var array: [Double] { withUnsafeBufferPointer { Array($0) } }

    @inline(__always)
    func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Double>) throws(E) -> R) throws(E) -> R {
        let header = withUnsafeMutablePointerToHeader { $0.pointee }
        return try withExtendedLifetime(self) { () throws(E) -> R in
            try body(UnsafeBufferPointer(start: header.base, count: header.count))
        }
    }

    @inline(__always)
    func withUnsafeMutableBufferPointer<R>(_ body: (inout UnsafeMutableBufferPointer<Double>) -> R) -> R {
        let header = withUnsafeMutablePointerToHeader { $0.pointee }
        return withExtendedLifetime(self) {
            var buffer = UnsafeMutableBufferPointer(start: header.base, count: header.count)
            return body(&buffer)
        }
    }
}
