import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// `:time`'s run policy and its IPython-like report.
@Suite struct ReplTimingTests {
    @Test func timesWithUnits() {
        #expect(ReplTiming.format(seconds: 512e-9) == "512 ns")
        #expect(ReplTiming.format(seconds: 3.07e-6) == "3.07 µs")
        #expect(ReplTiming.format(seconds: 0.0123) == "12.3 ms")
        #expect(ReplTiming.format(seconds: 1.5) == "1.5 s")
        #expect(ReplTiming.format(seconds: 0.00099996) == "1 ms")
        #expect(ReplTiming.format(seconds: 0.001) == "1 ms")
        #expect(ReplTiming.format(seconds: 42) == "42 s")
        #expect(ReplTiming.format(seconds: 0) == "0 ns")
        #expect(ReplTiming.format(seconds: .nan) == "0 ns")
    }

    @Test func summaryIsMeanPlusMinusStd() {
        // The first run is a warm-up and is left out once there are three or more.
        let samples: [Duration] = [.milliseconds(50), .milliseconds(10), .milliseconds(12), .milliseconds(14)]
        #expect(ReplTiming.summary(samples) == "12 ms ± 1.63 ms per run (3 runs)")
        #expect(ReplTiming.summary([.microseconds(250)]) == "250 µs per run (1 run)")
        #expect(ReplTiming.summary([]) == "no runs")
    }

    @Test func runCountsAreGrouped() {
        #expect(ReplTiming.grouped(10_000) == "10,000")
        #expect(ReplTiming.grouped(999) == "999")
        #expect(ReplTiming.grouped(1_234_567) == "1,234,567")
    }

    @Test func policyKeepsTotalTimeBounded() {
        #expect(ReplTiming.shouldRunAgain(runs: 1, elapsed: .milliseconds(1)))
        #expect(!ReplTiming.shouldRunAgain(runs: ReplTiming.maxRuns, elapsed: .milliseconds(1)))
        // A slow expression: a second run for a spread, then stop.
        #expect(ReplTiming.shouldRunAgain(runs: 1, elapsed: .milliseconds(1200)))
        #expect(!ReplTiming.shouldRunAgain(runs: 2, elapsed: .milliseconds(2400)))
        // A very slow one runs once.
        #expect(!ReplTiming.shouldRunAgain(runs: 1, elapsed: .seconds(3)))
    }
}
