import Foundation

/// One axis of a chart: a range widened to round numbers, its ticks, and the mapping from values
/// to cells.
///
/// The range is [lo, hi] with lo and hi multiples of `step`, a round step (1, 2 or 5 × 10^k)
/// chosen so that the axis has at most `maxIntervals` intervals. A value v maps to the cell
/// `round((v − lo) / (hi − lo) · (cells − 1))`, rounded half away from zero: cell 0 is the
/// bottom row (or left column) and `cells − 1` the top row (or right column). Tests compute
/// cells from this rule.
public struct PlotAxis: Equatable, Sendable {
    public let lo: Double
    public let hi: Double
    public let step: Double
    /// How many cells (rows or columns) the axis spans.
    public let cells: Int

    /// An axis covering [minimum, maximum] (finite, minimum ≤ maximum) in `cells` cells with at
    /// most `maxIntervals` round intervals. A single value gets a small range around it, so a
    /// constant series is a flat line in the middle rather than a division by zero.
    public init(minimum: Double, maximum: Double, cells: Int, maxIntervals: Int) {
        var low = minimum, high = maximum
        if !(high > low) {
            let half = low == 0 ? 1 : abs(low) * 0.1
            low -= half
            high += half
        }
        let intervals = max(1, maxIntervals)
        var step = PlotAxis.roundStep(atLeast: (high - low) / Double(intervals))
        // The widened range may need one interval more than the raw span: take the next step then.
        for _ in 0..<4 where PlotAxis.index(high, step, up: true) - PlotAxis.index(low, step, up: false) > intervals {
            step = PlotAxis.roundStep(atLeast: step * 1.000001)
        }
        self.step = step
        lo = Double(PlotAxis.index(low, step, up: false)) * step + 0
        hi = Double(PlotAxis.index(high, step, up: true)) * step + 0
        self.cells = max(1, cells)
    }

    /// The smallest 1, 2 or 5 × 10^k that is at least `raw` (positive, finite).
    static func roundStep(atLeast raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, floor(log10(raw)))
        for m in [1.0, 2, 5, 10] where m * power >= raw * (1 - 1e-12) { return m * power }
        return 10 * power
    }

    /// The multiple of step at or below (or above) v, forgiving rounding in the last bits.
    private static func index(_ v: Double, _ step: Double, up: Bool) -> Int {
        let q = v / step
        let nearest = q.rounded()
        if abs(q - nearest) < 1e-9 * max(1, abs(q)) { return Int(nearest) }
        return Int(up ? q.rounded(.up) : q.rounded(.down))
    }

    /// The tick values from lo to hi, each a multiple of step.
    public var ticks: [Double] {
        let first = PlotAxis.index(lo, step, up: false), last = PlotAxis.index(hi, step, up: true)
        return (first...max(first, last)).map { Double($0) * step + 0 }
    }

    /// The cell a value falls in (see the type's summary); values outside the range are clamped.
    public func cell(of value: Double) -> Int {
        let t = (value - lo) / (hi - lo) * Double(cells - 1)
        return min(cells - 1, max(0, Int(t.rounded())))
    }

    /// The position of a value on a finer grid of `cells · factor` dots (braille), same rule.
    func dot(of value: Double, factor: Int) -> Int {
        let n = cells * factor
        let t = (value - lo) / (hi - lo) * Double(n - 1)
        return min(n - 1, max(0, Int(t.rounded())))
    }

    /// A tick's text: as many decimals as the step needs, or %g for very large or small numbers.
    public func label(_ value: Double) -> String {
        PlotAxis.label(value, step: step)
    }

    static func label(_ value: Double, step: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1e6 || (step < 1e-4 && magnitude != 0) {
            return String(format: "%g", value)
        }
        let decimals = max(0, Int(-floor(log10(step) + 1e-9)))
        let text = String(format: "%.\(decimals)f", value)
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }
}
