import Foundation
import Testing
@testable import BNLabCore

/// The text charts of training.md §7: golden outputs, each also checked against positions,
/// counts and shades derived here by hand from the documented rules.
@Suite("Plots as text")
struct PlotTests {
    /// What a session prints for one line of bnlab.
    private func printed(_ source: String) -> String {
        var out = ""
        let session = Session(output: { out += $0 })
        if let diagnostic = session.run(source) { return "error: \(diagnostic.message)" }
        return out
    }

    @Test("round steps are 1, 2 or 5 × 10^k, and the axis widens to multiples of the step")
    func roundAxis() {
        // Span 2.461 over at most 7 intervals: 0.352 → 0.5; 0.139 down to 0, 2.6 up to 3.
        let axis = PlotAxis(minimum: 0.139, maximum: 2.6, cells: 15, maxIntervals: 7)
        #expect(axis.step == 0.5 && axis.lo == 0 && axis.hi == 3)
        #expect(axis.ticks.map(axis.label) == ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"])
        #expect(PlotAxis.roundStep(atLeast: 0.00031) == 0.0005)
        #expect(PlotAxis.roundStep(atLeast: 1.2) == 2)
        #expect(PlotAxis.roundStep(atLeast: 30) == 50)
        // A constant 5 gets [4.5, 5.5] (±10 %), 1/7 → step 0.2, widened to [4.4, 5.6]: no division by zero.
        let flat = PlotAxis(minimum: 5, maximum: 5, cells: 15, maxIntervals: 7)
        #expect(flat.step == 0.2 && abs(flat.lo - 4.4) < 1e-12 && abs(flat.hi - 5.6) < 1e-12)
        #expect(flat.cell(of: 5) == 7)
        // A constant 0 gets [−1, 1].
        let zero = PlotAxis(minimum: 0, maximum: 0, cells: 11, maxIntervals: 4)
        #expect(zero.lo == -1 && zero.hi == 1 && zero.cell(of: 0) == 5)
    }

    @Test("each series' marker sits in the column and row its point maps to; labels and legend")
    func markersWhereValuesMap() throws {
        let a: [Double] = [10, 14, 11, 13, 12], b: [Double] = [0, 1, 2, 1, 0]
        let lines = try LineChart.lines([.init(label: "a", values: a), .init(label: "b", values: b)],
                                        options: ChartOptions(width: 41, height: 15))
        // By hand: y spans 0…14 over at most 15/2 = 7 intervals → step 2, axis [0, 14], so row
        // round(y / 14 · 14) = y. x spans 0…4 over at most 41/10 = 4 intervals → step 1, axis
        // [0, 4], so column round(x / 4 · 40) = 10x. The widest y label, "14", takes 2 columns,
        // then " ┤": the canvas starts at character 4; row r is line 14 − r.
        for (series, marker) in [(a, Character("*")), (b, Character("o"))] {
            for (x, y) in series.enumerated() {
                let line = Array(lines[14 - Int(y)])
                #expect(line[4 + 10 * x] == marker, "point (\(x), \(y)) of \(marker)")
            }
        }
        #expect(lines[0].hasPrefix("14 ┤") && lines[14].hasPrefix(" 0 ┤") && lines[2].hasPrefix("12 ┤"))
        let xLabels = Array(lines[16])
        #expect(xLabels[4] == "0" && xLabels[44] == "4")
        #expect(lines[17] == "    * a   o b")
        #expect(lines.joined(separator: "\n") == """
            14 ┤         ***
               │       **   ***             *******
            12 ┤    ***        ****    *****       ******
               │  **               ****
            10 ┤**
               │
             8 ┤
               │
             6 ┤
               │
             4 ┤
               │
             2 ┤               oooooooooo
               │     oooooooooo          oooooooooo
             0 ┤ooooo                              oooooo
               └┬─────────┬─────────┬─────────┬─────────┬
                0         1         2         3         4
                * a   o b
            """)
    }

    @Test("the builtin prints the same chart, with a title, x values and no colour by default")
    func builtinPrints() throws {
        let text = printed("plot([3, 1, 2], [1, 2, 3], labels=[\"train\", \"val\"], width=20, height=5, title=\"loss\")")
        // The title is centred over the 20 columns of the canvas, which start at character 3.
        #expect(text == """
                       loss
            3 ┤**               ooo
              │  **         oooo
            2 ┤    *** ooooo    ***
              │   ooooo*    ****
            1 ┤ooo      ****
              └┬─────────┬────────┬
               0         1        2
               * train   o val

            """)
        #expect(!text.contains("\u{1B}"))
        // x given: 10…30 → step 10 over at most 20/10 = 2 intervals, [10, 30]; the point x = 20
        // is in column round(10/20 · 19) = 10. y 1…5 over at most 2 intervals: step 2 would need
        // [0, 6] (3 intervals), so step 5, [0, 5]: y = 1 is in row round(1/5 · 4) = 1, line 3.
        // The canvas starts at character 3 (one-character labels, then " ┤").
        let withX = printed("plot([5, 1, 5], x=[10, 20, 30], width=20, height=5)").split(separator: "\n").map(Array.init)
        #expect(withX[3].count > 13 && withX[3][3 + 10] == "*")
        #expect(withX[0].first == "5" && withX[4].first == "0")
        #expect(String(withX[6]).hasPrefix("   10") && String(withX[6]).hasSuffix("30"))
    }

    @Test("NaN points are skipped and break the line")
    func nanSkipped() throws {
        let lines = try LineChart.lines([.init(label: "", values: [0, .nan, 2])], options: ChartOptions(width: 21, height: 5))
        // y 0…2 → step 1 over at most 2 intervals → [0, 2]: rows 0, —, 4 from the bottom; x 0…2 → columns 0, 10, 20.
        // Nothing is drawn in column 10, and no line joins the two points.
        let canvas = lines[0..<5].map { Array($0.dropFirst(3)) }
        #expect(canvas[4].first == "*" && canvas[0].count == 21 && canvas[0][20] == "*")
        #expect(canvas.allSatisfy { $0.count <= 10 || $0[10] == " " } && canvas.allSatisfy { $0.count <= 11 || $0[1...9].allSatisfy { $0 == " " } })
    }

    @Test("braille sets the dots the points map to, 2 × 4 per cell")
    func braille() throws {
        let lines = try LineChart.lines([.init(label: "", values: [0, 1])], options: ChartOptions(width: 10, height: 3, braille: true))
        // y [0, 1] on 12 dots, x [0, 1] on 20 dots: (0, 0) is the lowest left dot of the bottom-left
        // cell (bit 0x40); (1, 1) the top right dot of the top-right cell (bit 0x08).
        let gutter = lines[2].firstIndex(of: "┤").map { lines[2].distance(from: lines[2].startIndex, to: $0) + 1 } ?? 0
        let bottomLeft = Array(lines[2].unicodeScalars)[gutter].value
        let topRight = Array(lines[0].unicodeScalars)[gutter + 9].value
        #expect(bottomLeft & 0xFF00 == 0x2800 && bottomLeft & 0x40 != 0)
        #expect(topRight & 0xFF00 == 0x2800 && topRight & 0x08 != 0)
    }

    @Test("histogram counts equal a plain loop's, by numpy's rule")
    func histogramCounts() {
        // Hand cases: [0, 1, 2, 3] in 3 bins → [0,1) [1,2) [2,3]: 1, 1, 2 (the last bin is closed).
        #expect(Histogram.bins([0, 1, 2, 3], count: 3).counts == [1, 1, 2])
        // One value repeated: the range is [0.5, 1.5], and 1 opens the second bin.
        #expect(Histogram.bins([1, 1, 1], count: 2).counts == [0, 3])
        #expect(Histogram.bins([1, 1, 1], count: 2).edges == [0.5, 1, 1.5])
        // 0.3 / 3 is 0.0999…, so the edges are 0.0999… and 0.1999…: 0.1 and 0.2 open bins 1 and 2.
        #expect(Histogram.bins([0, 0.1, 0.2, 0.3], count: 3).counts == [1, 1, 2])
        // Many values against a plain loop over the edges.
        var state: UInt64 = 12345
        let values: [Double] = (0..<2000).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u = Double(state >> 11) / Double(1 << 53)
            return (u * 10).rounded() / 2 - 1.3   // many values exactly on edges
        }
        for bins in [1, 3, 7, 20] {
            let (counts, edges) = Histogram.bins(values, count: bins)
            let lo = values.min()!, hi = values.max()!
            var expected = Array(repeating: 0, count: bins)
            for v in values {
                for b in 0..<bins {
                    let left = b == 0 ? lo : lo + Double(b) * ((hi - lo) / Double(bins))
                    let right = b == bins - 1 ? hi : lo + Double(b + 1) * ((hi - lo) / Double(bins))
                    if v >= left && (v < right || (b == bins - 1 && v <= right)) {
                        expected[b] += 1
                        break
                    }
                }
            }
            #expect(counts == expected, "bins \(bins)")
            #expect(edges.first == lo && edges.last == hi && edges.count == bins + 1)
            #expect(counts.reduce(0, +) == values.count)
        }
    }

    @Test("hist prints the edges, the counts and marks the mean and std")
    func histogramText() throws {
        let text = printed("hist([1, 2, 2, 3, 3, 3, 4], bins=4, width=12)")
        // Mean 18/7 = 2.571; variance (2.571² … ) = 0.8163, std 0.9035: mean − std 1.668 is in
        // [1, 1.75), the mean in [2.5, 3.25), mean + std 3.475 in [3.25, 4].
        #expect(text == """
            [1.00, 1.75) 1 │████         ◀ −1 std
            [1.75, 2.50) 2 │████████
            [2.50, 3.25) 3 │████████████ ◀ mean
            [3.25, 4.00] 1 │████         ◀ +1 std
            n = 7, mean = 2.571, std = 0.9035

            """)
        let counts = text.split(separator: "\n").dropLast().map { line in
            Int(line.split(separator: " ")[2])!
        }
        #expect(counts == [1, 2, 3, 1])
    }

    @Test("show draws the min pixel blank and the max as @, two characters per pixel")
    func shades() throws {
        let lines = try ShadeImage.lines([0, 8, 16, 4], height: 2, width: 2)
        // 8 is half-way: round(0.5 · 9) = 5 → "+"; 4 is a quarter: round(2.25) = 2 → ":".
        #expect(lines == ["┌────┐", "│  ++│", "│@@::│", "└────┘", "[2, 2], min 0 (\" \"), max 16 (\"@\")"])
        #expect(ShadeImage.shade(0, min: 0, max: 16) == " " && ShadeImage.shade(16, min: 0, max: 16) == "@")
        // A constant image is blank, not a division by zero.
        #expect(try ShadeImage.lines([3, 3], height: 1, width: 2)[1] == "│    │")
        #expect(printed("show(arange(64).reshape(8, 8))").split(separator: "\n")[8] == "│%%%%%%%%@@@@@@@@│")
    }

    @Test("bands shade from low to high and draw mid over them")
    func bandChart() throws {
        let lines = try BandChart.lines(low: [0, 0, 0], mid: [1, 1, 1], high: [2, 2, 2], options: ChartOptions(width: 11, height: 5))
        // y 0…2, step 1 → rows 0, 2, 4 for low, mid, high; every column shaded on rows 0…4 but mid's.
        let canvas = lines[0..<5].map { Array($0.dropFirst(3)) }
        for row in 0..<5 {
            let expected: Character = row == 2 ? "*" : "░"
            #expect(canvas[4 - row].count == 11 && canvas[4 - row].allSatisfy { $0 == expected }, "row \(row)")
        }
        #expect(lines.last == "   ░ low to high   * mid")
    }

    @Test("the progress bar's text: count, percent, rate, time left; total time when done")
    func progressLine() {
        let line = ProgressBar.line(done: 25, total: 100, elapsed: 5, width: 80)
        // 25 in 5 s is 5 it/s; 75 more take 15 s. The bar is 40 wide, a quarter full.
        #expect(line == " 25/100 [██████████                              ]   25%  5 it/s  15 s left")
        #expect(ProgressBar.line(done: 100, total: 100, elapsed: 20, width: 80, finished: true)
                    .hasSuffix("]  100%  5 it/s  20 s"))
        #expect(ProgressBar.line(done: 1, total: 3, elapsed: 150, width: 80).hasSuffix("150 s/it  5:00 left"))
        // A narrow terminal drops the bar, never writes past the edge.
        #expect(ProgressBar.line(done: 5, total: 10, elapsed: 1, width: 30).count < 30)
    }

    @Test("a lesson cell's time is shown only when over a second")
    func elapsed() {
        let renderer = NotebookRenderer(color: false, width: 80)
        #expect(renderer.renderElapsed(.milliseconds(2400)) == "(ran 2.4 s)\n")
        #expect(renderer.renderElapsed(.milliseconds(900)) == "")
    }

    @Test("progress loops as its argument does and writes nothing without a terminal")
    func progressSilent() {
        #expect(printed("for i in progress(2..5) { print(i) }") == "2\n3\n4\n")
        #expect(printed("for r in progress([[1, 2], [3, 4]]) { print(r) }") == "[1, 2]\n[3, 4]\n")
        #expect(printed("for s in progress([\"a\", \"b\"]) { print(s) }\nlen(progress(0..7))") == "a\nb\n7\n")
        // `return` leaves the loop early.
        #expect(printed("fn f() {\n s = 0\n for i in progress(0..10) {\n  if i == 3 { return s }\n  s = s + i\n }\n}\nf()") == "3\n")
    }

    @Test("progress draws on a display: count and bar, finished on its own line, output between")
    func progressDrawn() {
        var out = "", bar = ""
        let session = Session(output: { out += $0 })
        session.interpreter.progressDisplay = ProgressDisplay(write: { bar += $0 }, width: { 60 })
        #expect(session.run("for i in progress(0..3) { print(i) }") == nil)
        #expect(out == "0\n1\n2\n")
        #expect(bar.hasPrefix(ProgressDisplay.eraseLine + "0/3 ["))
        #expect(bar.contains("3/3 [") && bar.contains("100%") && bar.hasSuffix("\n"))
        // A print takes the bar off its line (an erase alone) before the next draw erases again.
        #expect(bar.contains(ProgressDisplay.eraseLine + ProgressDisplay.eraseLine))
        // An error inside ends the bar's line before the diagnostic.
        bar = ""
        let diagnostic = session.run("for i in progress(0..5) { if i == 2 { x = undefined_name } }")
        #expect(diagnostic != nil && bar.contains("2/5") && bar.hasSuffix("\n"))
        // A nested progress stays silent while the outer one draws.
        bar = ""
        #expect(session.run("for i in progress(0..2) { for j in progress(0..4) { } }") == nil)
        #expect(!bar.contains("/4"))
    }
}
