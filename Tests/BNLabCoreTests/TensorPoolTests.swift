import Testing
@testable import BNLabTensor

/// The pool of large tensor buffers: blocks come back for the next request of their size
/// class, large ones are huge-page aligned, idle bytes stay under the cap, and the memory
/// budget counts live tensors only.
///
/// Other tests allocate at the same time, so the sizes here are classes nothing else uses, and
/// checks of the global byte counters allow for concurrent changes by retrying.
@Suite(.serialized) struct TensorPoolTests {
    @Test("size classes round up by at most an eighth, to whole pages")
    func sizeClasses() {
        for bytes in [1 << 18, (1 << 18) + 1, 3_000_001, 1 << 24, (1 << 24) + 8, 123_456_789] {
            let size = TensorPool.sizeClass(bytes)
            #expect(size >= bytes && size % 4096 == 0)
            #expect(Double(size) <= Double(bytes) * 1.125 + 4096, "\(bytes) → \(size)")
        }
        #expect(TensorPool.sizeClass(1 << 24) == 1 << 24)
    }

    @Test("a released block is handed out again for the same class, and large blocks are 2 MiB-aligned")
    func reuseAndAlignment() throws {
        let bytes = 37 << 20 + 4096  // a class no other test uses
        let first = try #require(TensorPool.take(bytes: bytes))
        #expect(UInt(bitPattern: first.pointer) % UInt(TensorPool.hugePage) == 0)
        #expect(first.classBytes >= bytes)
        let reusesBefore = TensorPool.reuseCount
        TensorPool.give(first.pointer, classBytes: first.classBytes)
        let second = try #require(TensorPool.take(bytes: bytes - 100))
        #expect(second.pointer == first.pointer)
        #expect(TensorPool.reuseCount > reusesBefore)
        TensorPool.give(second.pointer, classBytes: second.classBytes)

        let small = try #require(TensorPool.take(bytes: 300_000))
        #expect(UInt(bitPattern: small.pointer) % 64 == 0)
        TensorPool.give(small.pointer, classBytes: small.classBytes)
    }

    @Test("idle blocks never exceed the cap: the oldest are released first")
    func idleBytesAreBounded() throws {
        let limit = TensorPool.idleLimit
        #expect(limit <= 2 << 30 && limit <= MemoryBudget.limit / 4)
        // Untouched blocks cost address space only, so more than the cap can be asked for.
        let size = limit / 3 + 4096
        let blocks = try (0..<5).map { _ in try #require(TensorPool.take(bytes: size)) }
        for block in blocks {
            TensorPool.give(block.pointer, classBytes: block.classBytes)
            #expect(TensorPool.idleBytes <= limit)
        }
        // A block larger than the cap is never kept.
        let huge = try #require(TensorPool.take(bytes: limit + 4096))
        TensorPool.give(huge.pointer, classBytes: huge.classBytes)
        #expect(TensorPool.idleBytes <= limit)
        TensorPool.drain()
    }

    @Test("the budget counts a pooled tensor's bytes while it lives, not while its block is idle")
    func budgetCountsLiveTensorsOnly() throws {
        let count = (23 << 20) / 8 + 512  // a class no other test uses
        var counted = false
        for _ in 0..<50 where !counted {
            let before = MemoryBudget.liveBytes
            var storage: TensorStorage? = TensorStorage.uninitialized(count: count)
            let during = MemoryBudget.liveBytes
            #expect(storage?.isPooled == true)
            storage = nil
            let after = MemoryBudget.liveBytes
            counted = during - before == count * 8 && after == before
        }
        #expect(counted)
        // Small buffers stay inline.
        #expect(!TensorStorage.uninitialized(count: 100).isPooled)
    }

    @Test("results of a loop reuse pooled blocks instead of fresh pages")
    func loopsReuseBlocks() throws {
        let x = try Tensor(shape: [3, 41, 1000], elements: (0..<123_000).map { Double($0) })
        let reusesBefore = TensorPool.reuseCount
        var y = x
        for _ in 0..<4 { y = try Tensor.binary(.add, x, Tensor(1)) }
        #expect(TensorPool.reuseCount >= reusesBefore + 2)
        #expect(y.elements[5] == 6)
    }
}
