import Foundation

/// A histogram of values, one text row per bin (training.md §7).
///
/// Bins follow numpy's `histogram` rule: `bins` equal-width bins over [min, max], each
/// half-open [a, b) except the last, which is closed [a, b]; when every value is the same,
/// the range is [v − 0.5, v + 0.5]. Each row shows the bin's edges, a bar proportional to its
/// count and the count; the rows holding the mean and mean ± std (ddof 0, as numpy's `std`)
/// are marked, and a last line gives n, mean and std.
public enum Histogram {
    public static let binCounts = 1...200
    public static let barWidths = 10...200

    /// Counts and edges by numpy's rule (values finite, at least one).
    public static func bins(_ values: [Double], count bins: Int) -> (counts: [Int], edges: [Double]) {
        var lo = values.min() ?? 0, hi = values.max() ?? 0
        if lo == hi {
            lo -= 0.5
            hi += 0.5
        }
        // numpy: np.linspace(first, last, bins + 1).
        let edges = (0...bins).map { i in i == bins ? hi : lo + Double(i) * ((hi - lo) / Double(bins)) }
        var counts = Array(repeating: 0, count: bins)
        for v in values {
            // numpy's search: the scaled index, then corrected against the edges themselves so a
            // value on an edge goes to the bin that edge opens.
            var i = min(bins - 1, Int((v - lo) / (hi - lo) * Double(bins)))
            if v < edges[i] { i -= 1 }
            if i < bins - 1 && v >= edges[i + 1] { i += 1 }
            counts[max(0, min(bins - 1, i))] += 1
        }
        return (counts, edges)
    }

    /// The histogram's lines; `width` is the longest bar in columns.
    public static func lines(_ values: [Double], bins: Int = 20, width: Int = 60) throws(PlotProblem) -> [String] {
        guard binCounts.contains(bins) else {
            throw PlotProblem("bins must be from \(binCounts.lowerBound) to \(binCounts.upperBound), got \(bins)", at: .named("bins"))
        }
        guard barWidths.contains(width) else {
            throw PlotProblem("width must be from \(barWidths.lowerBound) to \(barWidths.upperBound) columns, got \(width)", at: .named("width"))
        }
        guard !values.isEmpty else { throw PlotProblem("hist of no values: there is nothing to count", at: .named("x")) }
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw PlotProblem("hist needs finite values; x holds \(values[i]) at flat index \(i)", at: .named("x"))
                .adding("x[x == x] keeps the values that are not nan")
        }
        let (counts, edges) = self.bins(values, count: bins)
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let std = sqrt(values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n)
        let step = (edges[bins] - edges[0]) / Double(bins)
        let decimals = max(0, min(6, Int(-floor(log10(step))) + 1))
        func text(_ v: Double) -> String {
            if abs(v) >= 1e6 { return String(format: "%.4g", v) }
            let s = String(format: "%.\(decimals)f", v)
            return s.hasPrefix("-") && Double(s) == 0 ? String(s.dropFirst()) : s
        }
        let lefts = edges.dropLast().map(text), rights = edges.dropFirst().map(text)
        let leftWidth = lefts.map(\.count).max() ?? 0, rightWidth = rights.map(\.count).max() ?? 0
        let countWidth = String(counts.max() ?? 0).count
        let most = max(1, counts.max() ?? 1)
        var lines: [String] = []
        for b in 0..<bins {
            let close = b == bins - 1 ? "]" : ")"
            let edgesText = "[" + pad(lefts[b], leftWidth) + ", " + pad(rights[b], rightWidth) + close
            var line = edgesText + " " + pad(String(counts[b]), countWidth) + " │" + bar(counts[b], of: most, width: width)
            var marks: [String] = []
            if containsValue(mean, bin: b, edges) { marks.append("mean") }
            if containsValue(mean - std, bin: b, edges), std > 0 { marks.append("−1 std") }
            if containsValue(mean + std, bin: b, edges), std > 0 { marks.append("+1 std") }
            if !marks.isEmpty {
                line += String(repeating: " ", count: max(1, width - barLength(counts[b], of: most, width: width).columns + 1))
                line += "◀ " + marks.joined(separator: ", ")
            }
            lines.append(line.trimmingTrailingSpaces())
        }
        lines.append("n = \(values.count), mean = \(String(format: "%.4g", mean)), std = \(String(format: "%.4g", std))")
        return lines
    }

    /// Whether v falls in bin b by the binning rule.
    static func containsValue(_ v: Double, bin b: Int, _ edges: [Double]) -> Bool {
        let last = edges.count - 2
        return v >= edges[b] && (v < edges[b + 1] || (b == last && v <= edges[b + 1]))
    }

    /// A bar in eighths of a column: whole blocks, then one partial block.
    static func bar(_ count: Int, of most: Int, width: Int) -> String {
        let (whole, eighths) = barLength(count, of: most, width: width).parts
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        return String(repeating: "█", count: whole) + partial[eighths]
    }

    static func barLength(_ count: Int, of most: Int, width: Int) -> (parts: (Int, Int), columns: Int) {
        let units = Int((Double(count) / Double(most) * Double(width) * 8).rounded())
        // A bin with values shows at least a sliver.
        let shown = count > 0 ? max(1, units) : 0
        return ((shown / 8, shown % 8), (shown + 7) / 8)
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - TerminalText.width(s))) + s
    }
}

extension PlotProblem {
    /// The same problem with a hint, shown as help under the diagnostic.
    func adding(_ help: String) -> PlotProblem {
        var copy = self
        copy.help = help
        return copy
    }
}
