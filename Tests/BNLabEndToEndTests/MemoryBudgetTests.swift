#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// One memory budget for all live tensors (issue 8): programs that would take the machine's
/// memory end in a diagnostic and exit 1, and the child's peak stays far below the machine.
@Suite struct MemoryBudgetTests {
    /// What a run of `bnlab` left behind, with its peak resident memory.
    struct Measured {
        var status: Int32
        var stdout: String
        var stderr: String
        var peakBytes: Int
    }

    /// Runs bnlab with `arguments` and extra environment, input from `stdin`, and measures it.
    func measure(_ arguments: [String], environment extra: [String: String], stdin: String = "") throws -> Measured {
        let directory = ReplTestEnvironment.temporaryDirectory()
        let input = directory + "/in"
        try stdin.write(toFile: input, atomically: true, encoding: .utf8)
        var environment = ReplTestEnvironment.environment(home: directory, extra)
        environment["NO_COLOR"] = "1"
        let run = try ChildMeasurement.run(arguments, environment: environment, directory: directory, stdinPath: input)
        return Measured(status: run.status, stdout: run.stdout, stderr: run.stderr, peakBytes: run.peakBytes)
    }

    func script(_ source: String, budget: String) throws -> Measured {
        let path = ReplTestEnvironment.temporaryDirectory() + "/program.bn"
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        return try measure(["run", path], environment: ["BNLAB_MEMORY": budget])
    }

    static let gib = 1 << 30

    /// Twenty live tensors of 128 MiB: the fifth would take the live bytes past 512 MiB.
    @Test func manyLiveTensorsStopAtTheBudget() throws {
        let source = (1...20).map { "a\($0) = ones(2^24)" }.joined(separator: "\n") + "\nprint(\"all twenty\")\n"
        let run = try script(source, budget: "512M")
        #expect(run.status == 1)
        #expect(run.stderr.contains(
            "error: out of memory budget: this needs 128 MiB but 512 MiB of 512 MiB are in use; set BNLAB_MEMORY or :set memory"))
        #expect(run.stderr.contains("a5 = ones(2^24)"))
        #expect(!run.stdout.contains("all twenty"))
        #expect(run.peakBytes < MemoryBudgetTests.gib, "peak \(run.peakBytes) bytes")
        // The samples did see the four live tensors, so the bound above means something.
        #expect(run.peakBytes > 400 << 20, "peak \(run.peakBytes) bytes")
    }

    /// Recursion where every frame holds its own 128 MiB tensor.
    @Test func recursionHoldingATensorPerFrameStops() throws {
        let source = """
            fn deep(n) {
              x = ones(2^24)
              if n == 0 { return 0 }
              return deep(n - 1) + x[0]
            }
            deep(20)
            """
        let run = try script(source, budget: "512M")
        #expect(run.status == 1)
        #expect(run.stderr.contains("out of memory budget: this needs 128 MiB but 512 MiB of 512 MiB are in use"))
        #expect(run.peakBytes < MemoryBudgetTests.gib, "peak \(run.peakBytes) bytes")
    }

    /// A tensor that doubles forty times: 8 MiB → 16 → … stops when the next one does not fit.
    @Test func doublingStopsAtTheBudget() throws {
        let run = try script("s = ones(2^20)\nfor i in 0..40 { s = concat(s, s) }\n", budget: "512M")
        #expect(run.status == 1)
        // 256 MiB live and 512 MiB more needed; the old s is still bound while the new one is built.
        #expect(run.stderr.contains("out of memory budget: this needs 512 MiB but 256 MiB of 512 MiB are in use"))
        #expect(run.peakBytes < MemoryBudgetTests.gib, "peak \(run.peakBytes) bytes")
    }

    /// Memory is given back: at most 512 MiB live at once (a, b, ones and the sum), over and
    /// over, never fills 600 MiB; without freeing, the second round would.
    @Test func freedTensorsLeaveTheBudget() throws {
        let run = try script("for i in 0..10 { a = ones(2^24) + 1\n b = a * 2 }\nprint(\"done\")\n", budget: "600M")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "done\n")
    }

    @Test func aMalformedBudgetIsAUsageError() throws {
        for bad in ["lots", "0", "-1G", "2X", ""] {
            let run = try script("1 + 1\n", budget: bad)
            #expect(run.status == 64, "BNLAB_MEMORY=\(bad)")
            #expect(run.stderr.contains("error: BNLAB_MEMORY must be a size such as 2G or 512M, got '\(bad)'"))
        }
    }

    /// `:set memory` changes the budget of a running REPL and shows it.
    @Test func replSetsTheBudget() throws {
        let input = ":set memory 200M\na = ones(2^25)\n:set memory 1G\na = ones(2^25)\nsize(a)\n:set memory\n"
        let run = try measure(["repl"], environment: [:], stdin: input)
        // Piped, a REPL whose entry failed exits 1, like a script.
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout.contains("memory 200 MiB (0 bytes in use)"))
        #expect(run.stderr.contains("out of memory budget: this needs 256 MiB but 0 bytes of 200 MiB are in use"))
        #expect(run.stdout.contains("33554432\n"))
        #expect(run.stdout.contains("memory 1 GiB (256 MiB in use)"))
    }
}
