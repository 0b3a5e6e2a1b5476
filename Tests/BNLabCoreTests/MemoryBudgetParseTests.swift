import BNLabCore
import Testing

/// Sizes as `BNLAB_MEMORY` and `:set memory` take them, and as messages show them.
@Suite struct MemoryBudgetParseTests {
    @Test func sizesParse() {
        #expect(MemoryBudget.parse("2G") == 2 << 30)
        #expect(MemoryBudget.parse("512M") == 512 << 20)
        #expect(MemoryBudget.parse("512m") == 512 << 20)
        #expect(MemoryBudget.parse("1.5GiB") == 3 << 29)
        #expect(MemoryBudget.parse("2GB") == 2 << 30)
        #expect(MemoryBudget.parse(" 64K ") == 64 << 10)
        #expect(MemoryBudget.parse("1T") == 1 << 40)
        #expect(MemoryBudget.parse("1048576") == 1 << 20)
        for bad in ["", "lots", "0", "-1G", "2X", "G", "1e3M", "1.2.3G", "0.1", "2000000T"] {
            #expect(MemoryBudget.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func sizesDescribe() {
        #expect(MemoryBudget.describe(0) == "0 bytes")
        #expect(MemoryBudget.describe(1000) == "1000 bytes")
        #expect(MemoryBudget.describe(512 << 20) == "512 MiB")
        #expect(MemoryBudget.describe(3 << 29) == "1.5 GiB")
        #expect(MemoryBudget.describe(8 << 30) == "8 GiB")
    }

    @Test func setMemoryParses() throws {
        #expect(try ReplDirective.parse(":set memory 2G")?.get() == .setMemory(2 << 30))
        #expect(try ReplDirective.parse(":set memory")?.get() == .setMemory(nil))
        guard case .failure(let error)? = ReplDirective.parse(":set memory lots") else {
            Issue.record("a bad size parsed")
            return
        }
        #expect(error.message == "memory must be a size such as 2G or 512M, got 'lots'")
    }
}
