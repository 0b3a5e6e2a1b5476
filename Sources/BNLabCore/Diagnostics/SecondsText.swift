/// Times as messages show them: the one seconds formatter, for `:time` and the grader's limits.
public enum SecondsText {
    /// A duration as a number of seconds.
    public static func seconds(_ d: Duration) -> Double {
        let (s, attoseconds) = d.components
        return Double(s) + Double(attoseconds) * 1e-18
    }

    /// A time with three significant digits in the unit that fits: `512 ns`, `3.07 µs`, `12.3 ms`, `1.5 s`.
    public static func fitting(_ value: Double) -> String {
        guard value.isFinite, value > 0 else { return "0 ns" }
        let units: [(String, Double)] = [("ns", 1e-9), ("µs", 1e-6), ("ms", 1e-3), ("s", 1)]
        var index = units.lastIndex(where: { value >= $0.1 }) ?? 0
        var text = significant(value / units[index].1)
        // 999.96 µs rounds to 1000 µs: say 1 ms instead.
        if text == "1000", index < units.count - 1 {
            index += 1
            text = significant(value / units[index].1)
        }
        return "\(text) \(units[index].0)"
    }

    /// Three significant digits without trailing zeros, as `%.3g` writes values from 1 to 999;
    /// larger values keep every integer digit rather than switching to exponents.
    static func significant(_ value: Double) -> String {
        // The fewest decimals that still leave three significant digits after rounding.
        var decimals = 0
        if (value * 100).rounded() < 1000 {
            decimals = 2
        } else if (value * 10).rounded() < 1000 {
            decimals = 1
        }
        let scale = decimals == 2 ? 100 : decimals == 1 ? 10 : 1
        let scaled = (value * Double(scale)).rounded()
        guard scaled < 9e15 else { return "huge" }
        let units = Int(scaled)
        let whole = units / scale
        var fraction = units % scale
        var digits = decimals
        while digits > 0 && fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        guard digits > 0 else { return "\(whole)" }
        let fractionText = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }

    /// A time in seconds with at most three significant digits: `5 s`, `0.3 s` (a limit the
    /// learner gave in seconds is echoed in seconds); below 10 ms, in the unit that fits.
    public static func inSeconds(_ value: Double) -> String {
        guard value.isFinite, value >= 0.01 else { return fitting(value) }
        return "\(significant(value)) s"
    }
}
