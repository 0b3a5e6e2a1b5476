/// How `:time` decides how often to run an expression and how it reports the result,
/// modelled on IPython's `%timeit`: `1.23 ms ± 45.6 µs per run (812 runs)`.
public enum ReplTiming {
    /// Wall time aimed for in total, so a quick expression is measured many times and a slow one once or twice.
    public static let budget: Duration = .seconds(1)
    /// Most runs of one `:time`, so trivial expressions finish promptly.
    public static let maxRuns = 10_000

    /// Whether to run once more, given the runs so far and their total time.
    public static func shouldRunAgain(runs: Int, elapsed: Duration) -> Bool {
        guard runs < maxRuns else { return false }
        if elapsed < budget { return true }
        // A few runs give a spread worth showing, unless each run is itself long.
        return runs < 3 && elapsed < budget * 2
    }

    /// `mean ± std per run (N runs)`; the standard deviation is the population one, as `%timeit` shows.
    public static func summary(_ samples: [Duration]) -> String {
        guard !samples.isEmpty else { return "no runs" }
        // The first run warms caches and allocators; with enough runs it would only skew the spread.
        let seconds = (samples.count >= 3 ? samples.dropFirst() : samples[...]).map(Self.seconds)
        let mean = seconds.reduce(0, +) / Double(seconds.count)
        let runs = "(\(grouped(seconds.count)) \(seconds.count == 1 ? "run" : "runs"))"
        guard seconds.count > 1 else { return "\(format(seconds: mean)) per run \(runs)" }
        let variance = seconds.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(seconds.count)
        return "\(format(seconds: mean)) ± \(format(seconds: variance.squareRoot())) per run \(runs)"
    }

    static func seconds(_ d: Duration) -> Double { SecondsText.seconds(d) }

    /// A time with three significant digits in the unit that fits: `512 ns`, `3.07 µs`, `12.3 ms`, `1.5 s`.
    public static func format(seconds value: Double) -> String { SecondsText.fitting(value) }

    /// `10,000`.
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}
