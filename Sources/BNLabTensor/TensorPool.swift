#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Large tensor buffers, kept when freed and handed out again for the next buffer of their
/// size class, so that a loop making same-sized results does not pay page faults and the
/// kernel's zero-fill for every one of them (about 40 % of a BN pass on fresh memory).
///
/// Blocks of 2 MiB and more are 2 MiB-aligned and advised to use transparent huge pages.
/// Idle blocks are not live tensors, so `MemoryBudget` does not count them, but they are
/// bounded: at most `idleLimit` bytes are kept, the oldest released first.
public enum TensorPool {
    /// Buffers below this size are allocated inline with their object (malloc's own free lists
    /// already recycle them without page faults).
    public static let minimumBytes = 1 << 18
    /// Blocks this large start on a huge-page boundary.
    static let hugePage = 1 << 21

    private struct Block {
        let classBytes: Int
        /// The address as an integer: raw pointers are not Sendable, and only this pool touches them idle.
        let address: UInt
    }

    private struct State {
        /// Idle blocks, oldest first.
        var idle: [Block] = []
        var idleBytes = 0
        var reuses = 0
        /// Blocks handed out per size class, reused or new (for tests that count allocations).
        var takes: [Int: Int] = [:]
    }

    private static let state = Mutex(State())

    /// The most bytes kept idle: a quarter of the memory budget, and never more than 2 GiB.
    /// Oldest-first release empties a cycle of sizes (a sweep, layers of several widths) whose
    /// blocks together exceed the limit on every round, and each block released is faulted in
    /// again (and, with huge pages, compacted for) when its size comes back.
    public static var idleLimit: Int { Swift.min(2 << 30, MemoryBudget.limit / 4) }

    /// Bytes held in idle blocks now.
    public static var idleBytes: Int { state.withLock { $0.idleBytes } }

    /// How many blocks were handed out again rather than allocated (for tests and benchmarks).
    public static var reuseCount: Int { state.withLock { $0.reuses } }

    /// How many blocks of `bytes`' size class were handed out so far.
    public static func takes(ofBytes bytes: Int) -> Int { state.withLock { $0.takes[sizeClass(bytes)] ?? 0 } }

    /// The size class of a request: rounded up to an eighth of its power of two (and to whole
    /// pages), so a block serves any request at most 12.5 % smaller.
    static func sizeClass(_ bytes: Int) -> Int {
        let top = Int.bitWidth - 1 - bytes.leadingZeroBitCount
        let step = Swift.max((1 << top) >> 3, 4096)
        return (bytes + step - 1) / step * step
    }

    /// A block of at least `bytes` (an idle one of the same class when there is one), or nil
    /// when the system has no memory for it.
    static func take(bytes: Int) -> (pointer: UnsafeMutableRawPointer, classBytes: Int)? {
        let size = sizeClass(bytes)
        let reused: UInt? = state.withLock { s in
            s.takes[size, default: 0] += 1
            // The most recently released block of the class: its pages are likeliest in cache.
            guard let i = s.idle.lastIndex(where: { $0.classBytes == size }) else { return nil }
            let block = s.idle.remove(at: i)
            s.idleBytes -= size
            s.reuses += 1
            return block.address
        }
        if let reused, let pointer = UnsafeMutableRawPointer(bitPattern: reused) { return (pointer, size) }
        if let pointer = allocate(size) { return (pointer, size) }
        // Idle blocks of other sizes may be what the system lacks.
        drain()
        return allocate(size).map { ($0, size) }
    }

    /// Takes back a block from `take`, keeping it unless that would pass `idleLimit`.
    static func give(_ pointer: UnsafeMutableRawPointer, classBytes: Int) {
        let limit = idleLimit
        var released: [UInt] = []
        let kept: Bool = state.withLock { s in
            guard classBytes <= limit else { return false }
            var dropped = 0
            while s.idleBytes + classBytes > limit, dropped < s.idle.count {
                s.idleBytes -= s.idle[dropped].classBytes
                released.append(s.idle[dropped].address)
                dropped += 1
            }
            s.idle.removeFirst(dropped)
            s.idle.append(Block(classBytes: classBytes, address: UInt(bitPattern: pointer)))
            s.idleBytes += classBytes
            return true
        }
        if !kept { free(pointer) }
        for address in released { free(UnsafeMutableRawPointer(bitPattern: address)) }
    }

    /// Frees every idle block.
    public static func drain() {
        let blocks = state.withLock { s in
            defer { s.idle.removeAll(); s.idleBytes = 0 }
            return s.idle
        }
        for block in blocks { free(UnsafeMutableRawPointer(bitPattern: block.address)) }
    }

    private static func allocate(_ size: Int) -> UnsafeMutableRawPointer? {
        var pointer: UnsafeMutableRawPointer?
        let alignment = size >= hugePage ? hugePage : 64
        guard posix_memalign(&pointer, alignment, size) == 0, let pointer else { return nil }
        #if os(Linux)
        if size >= hugePage {
            // Faulting in 128 MiB with 4 KiB pages costs several times the arithmetic on it.
            _ = madvise(pointer, size / hugePage * hugePage, MADV_HUGEPAGE)
        }
        #endif
        return pointer
    }
}
