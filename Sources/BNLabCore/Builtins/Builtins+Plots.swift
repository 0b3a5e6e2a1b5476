/// Plots and progress (training.md §7–§8): charts printed as text through the session's output,
/// so a lesson records them; the drawing itself is in `Plots/`.
extension Builtins {
    static let plots: [Builtin] = [
        Builtin("plot(y..., x=none, labels=none, width=60, height=15, title=\"\", braille=false)", group: "plots",
                "a line chart of one or more series (1-D tensors or lists of one length), each with its own marker (* o + x …), round ticks and a legend; x defaults to 0, 1, 2, …; nan points are skipped; braille=true draws fine curves with 2×4 dots per cell",
                example: "plot([3, 1, 2], [1, 2, 3], labels=[\"train\", \"val\"], width=20, height=5)") { (a: inout BoundArguments) throws(Diagnostic) in
            var series: [LineChart.Series] = []
            for (k, argument) in a.rest.enumerated() {
                series.append(.init(label: "", values: try plotSeries(argument.value, argument.range, a, what: "series \(k + 1)")))
            }
            if let labels = try plotLabels(a) {
                guard labels.count == series.count else {
                    throw a.error("plot got \(labels.count) label\(labels.count == 1 ? "" : "s") for \(series.count) series: give one label per series", at: "labels")
                }
                for k in series.indices { series[k].label = labels[k] }
            }
            let x = a.isNone("x") ? nil : try plotSeries(a.value("x"), a.range(of: "x"), a, what: "x")
            let options = try chartOptions(a)
            return try draw(a) { () throws(PlotProblem) in try LineChart.lines(series, x: x, options: options) }
        },
        Builtin("hist(x, bins=20, width=60)", group: "plots",
                "a histogram of all the values of x: numpy's bins (equal widths over [min, max], the last closed), a bar and the count for each, and the bins holding the mean and mean ± std marked",
                example: "hist([1, 2, 2, 3, 3, 3, 4], bins=4, width=12)") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x"), bins = try a.int("bins"), width = try a.int("width")
            return try draw(a) { () throws(PlotProblem) in try Histogram.lines(x.elements, bins: bins, width: width) }
        },
        Builtin("bands(low, mid, high, x=none, labels=none, width=60, height=15, title=\"\")", group: "plots",
                "a band chart: the area from low to high shaded ░, mid drawn as a line (the 15th, 50th and 85th percentiles over training steps); labels names the three",
                example: "bands([0, 1, 2], [1, 2, 3], [2, 3, 5], width=20, height=5)") { (a: inout BoundArguments) throws(Diagnostic) in
            let low = try plotSeries(a.value("low"), a.range(of: "low"), a, what: "low")
            let mid = try plotSeries(a.value("mid"), a.range(of: "mid"), a, what: "mid")
            let high = try plotSeries(a.value("high"), a.range(of: "high"), a, what: "high")
            let x = a.isNone("x") ? nil : try plotSeries(a.value("x"), a.range(of: "x"), a, what: "x")
            let labels = try plotLabels(a), options = try chartOptions(a, braille: false)
            return try draw(a) { () throws(PlotProblem) in
                try BandChart.lines(low: low, mid: mid, high: high, x: x, labels: labels, options: options)
            }
        },
        Builtin("show(image)", group: "plots",
                "an [H, W] tensor drawn with shades \" .:-=+*#%@\" from its min to its max, two characters per pixel (an 8×8 digit at a glance)",
                example: "show(arange(16).reshape(4, 4))") { (a: inout BoundArguments) throws(Diagnostic) in
            let image = try a.tensor("image")
            guard image.rank == 2 else {
                let error = a.error("show expects an image of shape [H, W], got \(Value.shapeText(image.shape))", at: "image")
                let side = Int(Double(image.count).squareRoot())
                if image.rank == 1, side * side == image.count, side > 0 {
                    throw error.adding(.help, "a flat image of \(image.count) pixels: show(x.reshape(\(side), \(side)))")
                }
                if image.rank == 3, image.shape[0] == 1 {
                    throw error.adding(.help, "one image with a channel axis: show(x[0])")
                }
                throw error
            }
            return try draw(a) { () throws(PlotProblem) in
                try ShadeImage.lines(image.elements, height: image.shape[0], width: image.shape[1])
            }
        },
        Builtin("progress(x)", group: "plots",
                "x as it is, for a for loop, with a progress bar (count, rate, time left) on the terminal's stderr; nothing into a pipe or a recorded output",
                example: "for i in progress(0..3) { }") { (a: inout BoundArguments) throws(Diagnostic) in
            let value = a.value("x")
            switch value {
            case .tensor(let t) where t.rank >= 1:
                return .object(ProgressLoop(wrapping: value, count: t.shape[0]))
            case .object(let object):
                if let length = object.length { return .object(ProgressLoop(wrapping: value, count: length)) }
            default: break
            }
            throw a.error("progress loops over a range, a tensor or a list, got \(value.typeDescription)", at: "x")
                .adding(.help, "for i in progress(0..n) { … }")
        },
    ]

    /// Prints a chart's lines, or reports its problem at the argument at fault.
    private static func draw(_ a: BoundArguments, _ lines: () throws(PlotProblem) -> [String]) throws(Diagnostic) -> Value {
        do throws(PlotProblem) {
            a.output(try lines().joined(separator: "\n") + "\n")
            return .none
        } catch {
            let range: SourceRange
            switch error.argument {
            case .named(let name): range = a.builtin.parameters.contains { $0.name == name } ? a.range(of: name) : a.callRange
            case .series(let k): range = k < a.rest.count ? a.rest[k].range : a.callRange
            }
            let diagnostic = a.interpreter.error(error.message, range)
            throw error.help.map { diagnostic.adding(.help, $0) } ?? diagnostic
        }
    }

    /// A series: a 1-D tensor or a list of numbers.
    private static func plotSeries(_ value: Value, _ range: SourceRange, _ a: BoundArguments, what: String) throws(Diagnostic) -> [Double] {
        let t = try a.interpreter.tensor(value, range, what: "\(what) of \(a.builtin.name)")
        guard t.rank == 1 else {
            let error = a.interpreter.error("\(what) must be 1-D (a list of numbers), got \(t.rank == 0 ? "a number" : "shape \(Value.shapeText(t.shape))")", range)
            if t.rank == 2 {
                throw error.adding(.help, "one column is x[:, 0]; all the values in one line are x.reshape(-1)")
            }
            throw error
        }
        // A chart is at most 200 columns wide: more points than this only cost time and memory.
        guard t.count <= plotPointLimit else {
            let step = (t.count + plotPointLimit - 1) / plotPointLimit
            throw a.interpreter.error("\(what) has \(t.count) points; plot draws at most \(plotPointLimit) per series", range)
                .adding(.help, "plot one point in \(step), as in y[::\(step)]")
        }
        return t.elements
    }

    /// The most points one series of `plot` or `bands` may have.
    static let plotPointLimit = 100_000

    /// `labels=["train", "val"]` (a single string for one series), or nil when not given.
    private static func plotLabels(_ a: BoundArguments) throws(Diagnostic) -> [String]? {
        switch a.value("labels") {
        case .none: return nil
        case .string(let s): return [s]
        case .object(let list as StringList): return list.strings
        case let other:
            throw a.error("labels must be a list of strings, as in labels=[\"train\", \"val\"], got \(other.typeDescription)", at: "labels")
        }
    }

    private static func chartOptions(_ a: BoundArguments, braille: Bool = true) throws(Diagnostic) -> ChartOptions {
        let title: String
        switch a.value("title") {
        case .string(let s): title = s
        case .none: title = ""
        case let other: throw a.error("title must be a string, got \(other.typeDescription)", at: "title")
        }
        return ChartOptions(width: try a.int("width"), height: try a.int("height"), title: title,
                            braille: braille ? try a.bool("braille") : false, color: a.interpreter.plotColor)
    }
}
