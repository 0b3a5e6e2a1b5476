/// A grid of character cells with a colour per cell, and the frame around it: y tick labels on
/// the left, the x axis with its labels below, a title above and a legend underneath.
///
/// Row 0 is the bottom row and column 0 the left column, as on the axes. Every line is
/// deterministic text; colour (ANSI) is added only when asked for.
struct ChartCanvas {
    let width: Int
    let height: Int
    private(set) var cells: [Character]
    private(set) var colors: [Int]
    /// Braille dots per cell (bits as in Unicode's braille block), used when drawing dots.
    private var dots: [UInt8]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        cells = Array(repeating: " ", count: width * height)
        colors = Array(repeating: -1, count: width * height)
        dots = Array(repeating: 0, count: width * height)
    }

    mutating func put(_ c: Character, column: Int, row: Int, color: Int) {
        guard (0..<width).contains(column), (0..<height).contains(row) else { return }
        cells[row * width + column] = c
        colors[row * width + column] = color
    }

    func character(column: Int, row: Int) -> Character { cells[row * width + column] }

    /// Sets one braille dot: x in 0..<2·width from the left, y in 0..<4·height from the bottom.
    mutating func dot(x: Int, y: Int, color: Int) {
        let column = x / 2, row = y / 4
        guard (0..<width).contains(column), (0..<height).contains(row) else { return }
        // Within a cell, dots are numbered from the top: bits 0x01 0x02 0x04 0x40 on the left,
        // 0x08 0x10 0x20 0x80 on the right.
        let fromTop = 3 - y % 4
        let bits: [UInt8] = x % 2 == 0 ? [0x01, 0x02, 0x04, 0x40] : [0x08, 0x10, 0x20, 0x80]
        let i = row * width + column
        dots[i] |= bits[fromTop]
        cells[i] = Character(Unicode.Scalar(0x2800 + UInt32(dots[i]))!)
        colors[i] = color
    }

    /// Cells along the straight line from one cell to another, both ends included.
    static func segment(from a: (Int, Int), to b: (Int, Int)) -> [(Int, Int)] {
        let dx = b.0 - a.0, dy = b.1 - a.1
        let n = max(abs(dx), abs(dy))
        guard n > 0 else { return [a] }
        return (0...n).map { s in
            (a.0 + Int((Double(dx * s) / Double(n)).rounded()), a.1 + Int((Double(dy * s) / Double(n)).rounded()))
        }
    }
}

/// Where the pieces of a chart go and how they look.
struct ChartFrame {
    static let markers: [Character] = ["*", "o", "+", "x", "#", "@", "%", "&"]
    /// ANSI colours for the series on a terminal, in marker order.
    static let colorCodes = ["34", "33", "32", "31", "35", "36", "94", "93"]

    let canvas: ChartCanvas
    let xAxis: PlotAxis
    let yAxis: PlotAxis
    let title: String
    /// Legend entries: the symbol drawn and the text after it, with the symbol's colour.
    let legend: [(symbol: String, text: String, color: Int)]
    let color: Bool

    /// The chart as lines of text, top to bottom.
    func lines() -> [String] {
        let yTicks = yAxis.ticks
        var rowLabels: [Int: String] = [:]
        for tick in yTicks { rowLabels[yAxis.cell(of: tick)] = yAxis.label(tick) }
        let gutter = max(1, rowLabels.values.map { TerminalText.width($0) }.max() ?? 1)
        var out: [String] = []
        if !title.isEmpty {
            let pad = max(0, gutter + 2 + (canvas.width - TerminalText.width(title)) / 2)
            out.append(String(repeating: " ", count: pad) + title)
        }
        for row in stride(from: canvas.height - 1, through: 0, by: -1) {
            let label = rowLabels[row] ?? ""
            var line = String(repeating: " ", count: gutter - TerminalText.width(label)) + label + " "
            line += dim(rowLabels[row] == nil ? "│" : "┤")
            line += rowText(row)
            out.append(line.trimmingTrailingSpaces())
        }
        var axis = Array(repeating: Character("─"), count: canvas.width)
        var xLabels: [(column: Int, text: String)] = []
        for tick in xAxis.ticks {
            let column = xAxis.cell(of: tick)
            axis[column] = "┬"
            xLabels.append((column, xAxis.label(tick)))
        }
        out.append(String(repeating: " ", count: gutter + 1) + dim("└" + String(axis)))
        out.append(labelLine(xLabels, offset: gutter + 2))
        if !legend.isEmpty {
            let entries = legend.map { paint($0.symbol, $0.color) + " " + $0.text }
            out.append(String(repeating: " ", count: gutter + 2) + entries.joined(separator: "   "))
        }
        return out
    }

    /// The x tick labels, each centred under its column. The first and last are always shown;
    /// an inner one that would come within a space of its neighbours is left out.
    private func labelLine(_ labels: [(column: Int, text: String)], offset: Int) -> String {
        let starts = labels.map { max(0, offset + $0.column - (TerminalText.width($0.text) - 1) / 2) }
        let widths = labels.map { TerminalText.width($0.text) }
        var line = ""
        var used = 0
        for k in labels.indices {
            let isLast = k == labels.count - 1
            var start = starts[k]
            if k > 0 && start < used + 1 {
                guard isLast else { continue }
                start = used + 1
            }
            if !isLast, k > 0, start + widths[k] + 1 > starts[labels.count - 1] { continue }
            line += String(repeating: " ", count: start - used) + labels[k].text
            used = start + widths[k]
        }
        return line
    }

    private func rowText(_ row: Int) -> String {
        var text = ""
        for column in 0..<canvas.width {
            let c = canvas.cells[row * canvas.width + column]
            let k = canvas.colors[row * canvas.width + column]
            text += c == " " ? " " : paint(String(c), k)
        }
        return text
    }

    private func paint(_ text: String, _ color: Int) -> String {
        guard self.color, color >= 0 else { return text }
        let code = color == Int.max ? "2" : ChartFrame.colorCodes[color % ChartFrame.colorCodes.count]
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    private func dim(_ text: String) -> String {
        color ? "\u{1B}[2m\(text)\u{1B}[0m" : text
    }
}
