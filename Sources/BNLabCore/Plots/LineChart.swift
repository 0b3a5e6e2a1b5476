import Foundation

/// Why a chart cannot be drawn, and which argument is at fault.
public struct PlotProblem: Error, Equatable, Sendable {
    /// The argument to point at: a parameter's name, or the k-th series (0-based) of `plot`.
    public enum Argument: Equatable, Sendable {
        case named(String)
        case series(Int)
    }
    public let message: String
    public let argument: Argument
    /// A hint, shown as help under the diagnostic.
    public var help: String?

    public init(_ message: String, at argument: Argument) {
        self.message = message
        self.argument = argument
    }
}

/// Sizes and switches shared by the charts.
public struct ChartOptions: Sendable {
    public var width = 60
    public var height = 15
    public var title = ""
    /// Draw curves with braille dots, 2 × 4 per cell (as plotille does).
    public var braille = false
    /// ANSI colour: only on a terminal without NO_COLOR.
    public var color = false

    public static let widths = 10...200
    public static let heights = 3...100

    public init(width: Int = 60, height: Int = 15, title: String = "", braille: Bool = false, color: Bool = false) {
        self.width = width
        self.height = height
        self.title = title
        self.braille = braille
        self.color = color
    }

    func validated() throws(PlotProblem) -> ChartOptions {
        guard ChartOptions.widths.contains(width) else {
            throw PlotProblem("width must be from \(ChartOptions.widths.lowerBound) to \(ChartOptions.widths.upperBound) columns, got \(width)", at: .named("width"))
        }
        guard ChartOptions.heights.contains(height) else {
            throw PlotProblem("height must be from \(ChartOptions.heights.lowerBound) to \(ChartOptions.heights.upperBound) rows, got \(height)", at: .named("height"))
        }
        return self
    }
}

/// A line chart of one or more series, drawn as text (training.md §7).
///
/// Each series is drawn with its own marker (`*`, `o`, `+`, `x`, …) at every point, joined to
/// the next point by a line of the same marker; NaN points are skipped and break the line. A
/// point (x, y) is drawn in column `xAxis.cell(of: x)` and row `yAxis.cell(of: y)` (see
/// `PlotAxis`). Later series are drawn over earlier ones.
public enum LineChart {
    public struct Series: Sendable {
        public var label: String
        public var values: [Double]
        public init(label: String, values: [Double]) {
            self.label = label
            self.values = values
        }
    }

    public static let maxSeries = ChartFrame.markers.count

    /// The chart's lines; x defaults to 0, 1, 2, ….
    public static func lines(_ series: [Series], x: [Double]? = nil, options: ChartOptions = ChartOptions()) throws(PlotProblem) -> [String] {
        let options = try options.validated()
        guard !series.isEmpty else { throw PlotProblem("plot needs at least one series, as in plot(losses)", at: .named("y")) }
        guard series.count <= maxSeries else {
            throw PlotProblem("plot draws at most \(maxSeries) series, got \(series.count)", at: .series(maxSeries))
        }
        for (k, s) in series.enumerated() { try checkSeries(s.values, name: "series \(k + 1)", at: .series(k)) }
        let n = series[0].values.count
        for (k, s) in series.enumerated() where s.values.count != n {
            throw PlotProblem("every series must have the same length: series 1 has \(n) values, series \(k + 1) has \(s.values.count)", at: .series(k))
        }
        let xs = try xValues(x, count: n)
        let (xAxis, yAxis) = axes(xs, series.flatMap(\.values), options)
        var canvas = ChartCanvas(width: options.width, height: options.height)
        for (k, s) in series.enumerated() {
            draw(s.values, xs, on: &canvas, xAxis, yAxis, marker: ChartFrame.markers[k], color: k, braille: options.braille)
        }
        let showsLegend = series.count > 1 || series.contains { !$0.label.isEmpty }
        let legend = showsLegend ? series.enumerated().map { k, s in
            // Braille curves have no markers: their legend shows a dot pattern, told apart by colour.
            (symbol: options.braille ? "⠶" : String(ChartFrame.markers[k]), text: s.label.isEmpty ? "series \(k + 1)" : s.label, color: k)
        } : []
        return ChartFrame(canvas: canvas, xAxis: xAxis, yAxis: yAxis, title: options.title, legend: legend, color: options.color).lines()
    }

    /// Refuses what cannot be drawn: no values, infinities, nothing but NaN.
    static func checkSeries(_ values: [Double], name: String, at argument: PlotProblem.Argument) throws(PlotProblem) {
        guard !values.isEmpty else { throw PlotProblem("\(name) is empty: there is nothing to draw", at: argument) }
        if let i = values.firstIndex(where: { $0.isInfinite }) {
            throw PlotProblem("\(name) holds \(values[i] > 0 ? "inf" : "-inf") at index \(i): an axis cannot reach it", at: argument)
        }
        guard values.contains(where: { !$0.isNaN }) else {
            throw PlotProblem("\(name) holds only nan: there is nothing to draw", at: argument)
        }
    }

    static func xValues(_ x: [Double]?, count n: Int) throws(PlotProblem) -> [Double] {
        guard let x else { return (0..<n).map(Double.init) }
        guard x.count == n else {
            throw PlotProblem("x must have one value per point: the series have \(n), x has \(x.count)", at: .named("x"))
        }
        if let i = x.firstIndex(where: { !$0.isFinite }) {
            throw PlotProblem("x holds \(x[i]) at index \(i): every x must be a finite number", at: .named("x"))
        }
        return x
    }

    /// Axes over the finite values, with round ticks: about one every 10 columns and 2 rows.
    static func axes(_ xs: [Double], _ ys: [Double], _ options: ChartOptions) -> (PlotAxis, PlotAxis) {
        let finite = ys.filter { !$0.isNaN }
        let xAxis = PlotAxis(minimum: xs.min() ?? 0, maximum: xs.max() ?? 0, cells: options.width, maxIntervals: options.width / 10)
        let yAxis = PlotAxis(minimum: finite.min() ?? 0, maximum: finite.max() ?? 0, cells: options.height, maxIntervals: max(2, options.height / 2))
        return (xAxis, yAxis)
    }

    static func draw(_ ys: [Double], _ xs: [Double], on canvas: inout ChartCanvas, _ xAxis: PlotAxis, _ yAxis: PlotAxis,
                     marker: Character, color: Int, braille: Bool) {
        var previous: (Int, Int)?
        for (x, y) in zip(xs, ys) {
            guard !y.isNaN else { previous = nil; continue }
            let point = braille ? (xAxis.dot(of: x, factor: 2), yAxis.dot(of: y, factor: 4)) : (xAxis.cell(of: x), yAxis.cell(of: y))
            for (c, r) in ChartCanvas.segment(from: previous ?? point, to: point) {
                if braille { canvas.dot(x: c, y: r, color: color) } else { canvas.put(marker, column: c, row: r, color: color) }
            }
            previous = point
        }
    }
}

/// A band chart: the area between a low and a high curve shaded, the middle drawn as a line
/// (the 15th, 50th and 85th percentiles of a quantity over training steps).
public enum BandChart {
    public static let shade: Character = "░"
    public static let marker: Character = "*"

    /// The chart's lines; labels name low, mid and high (default "low", "mid", "high").
    public static func lines(low: [Double], mid: [Double], high: [Double], x: [Double]? = nil, labels: [String]? = nil,
                             options: ChartOptions = ChartOptions()) throws(PlotProblem) -> [String] {
        let options = try options.validated()
        try LineChart.checkSeries(low, name: "low", at: .named("low"))
        try LineChart.checkSeries(mid, name: "mid", at: .named("mid"))
        try LineChart.checkSeries(high, name: "high", at: .named("high"))
        let n = mid.count
        guard low.count == n else { throw PlotProblem("low and mid must have the same length, got \(low.count) and \(n)", at: .named("low")) }
        guard high.count == n else { throw PlotProblem("high and mid must have the same length, got \(high.count) and \(n)", at: .named("high")) }
        if let i = (0..<n).first(where: { low[$0] > high[$0] }) {
            throw PlotProblem("low is above high at index \(i) (\(String(format: "%g", low[i])) > \(String(format: "%g", high[i]))): the band runs from low up to high", at: .named("low"))
        }
        let names = labels ?? ["low", "mid", "high"]
        guard names.count == 3 else {
            throw PlotProblem("bands takes three labels, for low, mid and high; got \(names.count)", at: .named("labels"))
        }
        let xs = try LineChart.xValues(x, count: n)
        let (xAxis, yAxis) = LineChart.axes(xs, low + mid + high, options)
        var canvas = ChartCanvas(width: options.width, height: options.height)
        // The band: each point's span, and between two points the span interpolated at each column.
        var previous: (column: Int, low: Double, high: Double)?
        for i in 0..<n {
            guard !low[i].isNaN, !high[i].isNaN else { previous = nil; continue }
            let column = xAxis.cell(of: xs[i])
            if let p = previous, abs(column - p.column) > 1 {
                let step = column > p.column ? 1 : -1
                for c in stride(from: p.column + step, to: column, by: step) {
                    let t = Double(c - p.column) / Double(column - p.column)
                    fill(&canvas, column: c, p.low + t * (low[i] - p.low), p.high + t * (high[i] - p.high), yAxis)
                }
            }
            fill(&canvas, column: column, low[i], high[i], yAxis)
            previous = (column, low[i], high[i])
        }
        LineChart.draw(mid, xs, on: &canvas, xAxis, yAxis, marker: marker, color: 0, braille: false)
        let legend = [(symbol: String(shade), text: "\(names[0]) to \(names[2])", color: Int.max),
                      (symbol: String(marker), text: names[1], color: 0)]
        return ChartFrame(canvas: canvas, xAxis: xAxis, yAxis: yAxis, title: options.title, legend: legend, color: options.color).lines()
    }

    private static func fill(_ canvas: inout ChartCanvas, column: Int, _ low: Double, _ high: Double, _ yAxis: PlotAxis) {
        for row in yAxis.cell(of: low)...yAxis.cell(of: high) { canvas.put(shade, column: column, row: row, color: Int.max) }
    }
}
