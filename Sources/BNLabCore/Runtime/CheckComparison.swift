import Foundation

/// How much of a failed check's operands to show.
public struct CheckValueDetail: Sendable {
    /// Every value after the summary (`check exercises --full`), not only a few rows.
    public var full: Bool
    /// Said after a summary that left rows out, e.g. how to see them all.
    public var moreHint: String?

    public init(full: Bool = false, moreHint: String? = nil) {
        self.full = full
        self.moreHint = moreHint
    }
}

/// What a failed check compared, so its summary counts the elements that broke it.
enum CheckTest {
    /// `allclose(a, b, rtol, atol)`: |a - b| <= atol + rtol·|b|.
    case close(rtol: Double, atol: Double)
    /// `equal(a, b)`: same shape, same values.
    case equal
    /// `a op b` for a comparison operator, element by element.
    case compare(BinaryOperator)

    /// The tolerances of an `allclose` call as it was written: positional or named, else the defaults.
    static func close(_ arguments: [EvaluatedArgument]) -> CheckTest {
        var rtol = 1e-5, atol = 1e-8
        for (k, argument) in arguments.enumerated() {
            guard let v = argument.value.tensorValue?.scalarValue else { continue }
            switch argument.label ?? (k == 2 ? "rtol" : k == 3 ? "atol" : "") {
            case "rtol": rtol = v
            case "atol": atol = v
            default: break
            }
        }
        return .close(rtol: rtol, atol: atol)
    }
}

/// The got-against-expected summary of a failed check, as numpy's `assert_allclose` gives it: how
/// many elements differ, the largest absolute and relative difference and where, then a few rows
/// of both sides in aligned columns, with enough digits that each difference shows.
struct CheckComparison {
    /// Rows with differences shown at most (the row of the largest difference is added if missed).
    static let shownRows = 3
    /// Elements of a row shown at most; a longer row shows a window around its first difference.
    static let shownColumns = 8
    /// The width of `got      ` and `expected `, so both sides' values start in one column.
    static let labelWidth = 9

    let got: Tensor
    let expected: Tensor
    let test: CheckTest
    /// The session's decimals: values never show fewer.
    let precision: Int
    let detail: CheckValueDetail

    /// The note's lines.
    func lines() -> [String] {
        if got.rank == 0 && expected.rank == 0 { return scalarLines() }
        if case .equal = test, got.shape != expected.shape { return shapeLines(broadcast: nil) }
        guard let shape = try? Tensor.broadcastShape(got.shape, expected.shape) else { return shapeLines(broadcast: nil) }
        let n = shape.reduce(1, *)
        let a = Tensor.expand(got, to: shape), b = Tensor.expand(expected, to: shape)
        let rowLength = Swift.max(shape.last ?? 1, 1)
        // Counts and positions only, never a list of every difference: a failing check on a
        // huge tensor must not need memory in proportion to it.
        var mismatches = 0
        var firstRows: [Int] = []
        var first: Int?
        var maxAbs: (value: Double, at: Int)?
        var maxRel: (value: Double, at: Int)?
        Tensor.forEachPair(a, b) { i, x, y in
            guard !passes(x, y) else { return }
            mismatches += 1
            if first == nil { first = i }
            let row = i / rowLength
            if firstRows.count < Self.shownRows && firstRows.last != row { firstRows.append(row) }
            let d = Swift.abs(x - y)
            guard d.isFinite else { return }
            if maxAbs == nil || d > maxAbs!.value { maxAbs = (d, i) }
            if y != 0 {
                let r = d / Swift.abs(y)
                if maxRel == nil || r > maxRel!.value { maxRel = (r, i) }
            } else if maxRel == nil || maxRel!.value.isFinite {
                maxRel = (.infinity, i)
            }
        }
        var lines: [String] = []
        if got.shape != expected.shape && got.rank > 0 && expected.rank > 0 {
            lines.append("shapes: got \(Value.shapeText(got.shape)), expected \(Value.shapeText(expected.shape)), "
                         + "compared as \(Value.shapeText(shape))")
        }
        guard let first else {
            // The check failed on something other than the values (it cannot for allclose; a
            // comparison of a shape does): show the operands as they are.
            return lines + fullLines()
        }
        lines.append("Mismatched elements: \(mismatches) / \(n) (\(Self.percent(mismatches, of: n)))")
        if let maxAbs {
            lines.append("Max absolute difference: \(Self.short(maxAbs.value)) at \(Self.indexText(maxAbs.at, shape))")
        }
        if let maxRel {
            lines.append("Max relative difference: \(Self.short(maxRel.value)) at \(Self.indexText(maxRel.at, shape))")
        }
        if maxAbs == nil {
            lines.append("first difference at \(Self.indexText(first, shape))")
        }
        var shownRows = firstRows
        let maxRow = (maxAbs?.at ?? first) / rowLength
        if !shownRows.contains(maxRow) { shownRows.append(maxRow) }
        let rows = rowLines(a, b, shape: shape, rows: shownRows)
        lines += rows.lines
        // The full values with the rows' digits, so the differences stay visible there too.
        if detail.full { lines += fullLines(digits: rows.digits) }
        return lines
    }

    /// Whether one pair of elements satisfies the check.
    private func passes(_ x: Double, _ y: Double) -> Bool {
        switch test {
        case .close(let rtol, let atol):
            if x.isFinite && y.isFinite { return Swift.abs(x - y) <= atol + rtol * Swift.abs(y) }
            return x == y
        case .equal:
            return x == y
        case .compare(let op):
            switch op {
            case .equal: return x == y
            case .notEqual: return x != y
            case .less: return x < y
            case .lessEqual: return x <= y
            case .greater: return x > y
            case .greaterEqual: return x >= y
            default: return x == y
            }
        }
    }

    /// Two numbers: `got 13` and `expected 13.5000`, with more decimals when the difference needs them.
    private func scalarLines() -> [String] {
        let x = got.element(at: 0), y = expected.element(at: 0)
        let style = NumberStyle(values: [x, y], differences: [(x, y)], precision: precision)
        // As the session shows them (13 against 13.5000) unless that hides the difference.
        let plain = [Self.plain(x, precision), Self.plain(y, precision)]
        let usePlain = style.integral || (style.digits <= precision && (plain[0] != plain[1] || x == y))
        let pair = usePlain ? plain : [style.text(x), style.text(y)]
        return ["got      " + pair[0], "expected " + pair[1]]
    }

    /// Operands that cannot be compared element by element: their shapes, then a preview of each.
    private func shapeLines(broadcast: [Int]?) -> [String] {
        // Two vectors (often shapes, as in equal(x.shape, [3])) differ in length, not in "shape".
        var lines = got.rank == 1 && expected.rank == 1
            ? ["lengths differ: got \(Self.values(got.count)), expected \(Self.values(expected.count))"]
            : ["shapes differ: got \(Value.shapeText(got.shape)), expected \(Value.shapeText(expected.shape))"]
        lines += fullLines(limit: detail.full ? nil : 4)
        return lines
    }

    /// Both operands in full (as `print` shows them), or their first `limit` lines.
    private func fullLines(limit: Int? = nil, digits: Int? = nil) -> [String] {
        var lines: [String] = []
        for (label, t) in [("got", got), ("expected", expected)] {
            var text = TensorFormatter.format(t, precision: digits ?? precision).split(separator: "\n", omittingEmptySubsequences: false)
                .map(String.init)
            if let limit, text.count > limit {
                text = Array(text.prefix(limit)) + ["… (\(text.count - limit) more lines)"]
            }
            let pad = String(repeating: " ", count: Self.labelWidth)
            let head = label.padding(toLength: Self.labelWidth, withPad: " ", startingAt: 0)
            for (k, line) in text.enumerated() { lines.append((k == 0 ? head : pad) + line) }
            if t.rank >= 2 { lines.append(pad + "shape " + Value.shapeText(t.shape)) }
        }
        return lines
    }

    /// A few rows holding differences: got above expected, columns aligned, carets under the differences.
    private func rowLines(_ a: Tensor, _ b: Tensor, shape: [Int], rows: [Int]) -> (lines: [String], digits: Int) {
        let rowLength = shape.last ?? 1
        let rowCount = shape.count <= 1 ? 1 : shape.dropLast().reduce(1, *)
        // Each shown row's differing columns, found again by scanning just that row.
        var rowsWithDifferences: [Int: [Int]] = [:]
        for row in rows {
            rowsWithDifferences[row] = (0..<rowLength).filter { column in
                !passes(a.element(at: row * rowLength + column), b.element(at: row * rowLength + column))
            }
        }
        // Each row's window of columns: all of them, or some around its first difference.
        let windows: [Range<Int>] = rows.map { row in
            guard rowLength > Self.shownColumns else { return 0..<rowLength }
            let first = rowsWithDifferences[row]?.first ?? 0
            let start = Swift.max(0, Swift.min(first - 2, rowLength - Self.shownColumns))
            return start..<(start + Self.shownColumns)
        }
        var values: [Double] = []
        var differences: [(Double, Double)] = []
        for (row, window) in zip(rows, windows) {
            for column in window {
                let x = a.element(at: row * rowLength + column), y = b.element(at: row * rowLength + column)
                values += [x, y]
                if rowsWithDifferences[row]?.contains(column) == true { differences.append((x, y)) }
            }
        }
        let style = NumberStyle(values: values, differences: differences, precision: precision)
        let width = values.map { style.text($0).count }.max() ?? 1
        let labels: [String] = zip(rows, windows).map { row, window in
            var parts: [String] = []
            if shape.count >= 2 {
                var rest = row
                var leading: [Int] = []
                for size in shape.dropLast().reversed() {
                    leading.append(rest % size)
                    rest /= size
                }
                parts += leading.reversed().map(String.init)
            }
            if window.count < rowLength { parts.append("\(window.lowerBound):\(window.upperBound)") }
            return parts.isEmpty ? "" : "[" + parts.joined(separator: ", ") + "] "
        }
        let labelWidth = labels.map(\.count).max() ?? 0
        var lines: [String] = []
        for (k, (row, window)) in zip(rows, windows).enumerated() {
            let label = labels[k].padding(toLength: labelWidth, withPad: " ", startingAt: 0)
            let before = window.lowerBound > 0 ? "…, " : ""
            let after = window.upperBound < rowLength ? ", …" : ""
            func rowText(_ t: Tensor) -> String {
                let cells = window.map { column -> String in
                    let text = style.text(t.element(at: row * rowLength + column))
                    return String(repeating: " ", count: width - text.count) + text
                }
                return "[" + before + cells.joined(separator: ", ") + after + "]"
            }
            lines.append("got      " + label + rowText(a))
            lines.append("expected " + label + rowText(b))
            if window.count > 1 {
                // A caret under each element that differs, so the eye finds it in a long row.
                var marks = String(repeating: " ", count: Self.labelWidth + labelWidth + 1 + before.count)
                for (j, column) in window.enumerated() {
                    let hit = rowsWithDifferences[row]?.contains(column) == true
                    marks += String(repeating: hit ? "^" : " ", count: width)
                    if j < window.count - 1 { marks += "  " }
                }
                lines.append(marks.trimmingTrailingSpaces())
            }
        }
        if detail.full {
            // Every value follows.
        } else if rows.count < rowCount {
            var trailer = "\(rows.count) of \(rowCount) rows shown (shape \(Value.shapeText(shape)))"
            if let hint = detail.moreHint { trailer += "; " + hint }
            lines.append(trailer)
        } else if rowLength > Self.shownColumns, let hint = detail.moreHint {
            lines.append("some columns left out; " + hint)
        }
        return (lines, style.digits)
    }

    /// `1 value`, `3 values`.
    static func values(_ n: Int) -> String { n == 1 ? "1 value" : "\(n) values" }

    /// `[5, 2]`: a row-major position as an index into `shape`.
    static func indexText(_ flat: Int, _ shape: [Int]) -> String {
        var rest = flat
        var index: [Int] = []
        for size in shape.reversed() {
            index.append(size > 0 ? rest % size : 0)
            rest = size > 0 ? rest / size : 0
        }
        return "[" + index.reversed().map(String.init).joined(separator: ", ") + "]"
    }

    /// `3.1%`: one decimal, never rounding a part up to the whole or down to nothing.
    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0%" }
        if part == whole { return "100%" }
        let p = 100 * Double(part) / Double(whole)
        if p < 0.1 { return "<0.1%" }
        if p >= 99.95 { return ">99.9%" }
        return String(format: "%.1f%%", p)
    }

    /// A difference in four significant digits: `0.0001`, `0.04651`, `1.5e-10`.
    static func short(_ v: Double) -> String {
        if v.isInfinite { return "inf" }
        if v.isNaN { return "nan" }
        return String(format: "%.4g", v)
    }

    /// A number as the session shows it when no difference asks for more digits.
    static func plain(_ v: Double, _ precision: Int) -> String {
        TensorFormatter.format(Tensor(v), precision: precision)
    }

    /// How the shown numbers are written: decided once for all of them, with the decimals the
    /// smallest shown difference needs to show two significant digits (at least the session's).
    struct NumberStyle {
        let integral: Bool
        let scientific: Bool
        let digits: Int

        init(values: [Double], differences: [(Double, Double)], precision: Int) {
            let finite = values.filter(\.isFinite)
            integral = finite.allSatisfy { $0.rounded(.towardZero) == $0 && Swift.abs($0) < 1e16 }
            let largest = finite.map { Swift.abs($0) }.max() ?? 0
            let smallest = finite.filter { $0 != 0 }.map { Swift.abs($0) }.min() ?? 1
            let base = Swift.max(0, Swift.min(precision, 17))
            scientific = largest >= 1e8 || smallest < pow(10, -Double(base))
            var digits = base
            for (x, y) in differences where x.isFinite && y.isFinite && x != y {
                // Enough decimals that the difference itself reads as two digits (0.00205 against
                // 0.00215, not 0.0021 against 0.0022); in scientific notation, relative to the number.
                let d = Swift.abs(x - y)
                let scale = scientific ? Swift.max(Swift.abs(x), Swift.abs(y)) : 1
                // (The slack keeps 0.00215 - 0.00205 = 9.99…e-5 from asking for a digit more.)
                let needed = Int((1 - log10(d / scale) - 1e-6).rounded(.up))
                digits = Swift.max(digits, Swift.min(needed, 17))
            }
            var chosen = Swift.min(digits, 17)
            if !integral {
                // Whatever the estimate, two different numbers must not print the same.
                let sci = scientific
                while chosen < 17, differences.contains(where: { x, y in
                    x != y && x.isFinite && y.isFinite && Self.format(x, sci, chosen) == Self.format(y, sci, chosen)
                }) {
                    chosen += 1
                }
            }
            self.digits = chosen
        }

        func text(_ v: Double) -> String {
            if v.isNaN { return "nan" }
            if v.isInfinite { return v < 0 ? "-inf" : "inf" }
            if integral { return String(Int(v)) }
            return Self.format(v, scientific, digits)
        }

        static func format(_ v: Double, _ scientific: Bool, _ digits: Int) -> String {
            let value = v == 0 ? 0 : v
            var s = String(format: scientific ? "%.\(digits)e" : "%.\(digits)f", value)
            // A value that rounds to zero shows no minus sign, as the formatter does.
            if s.hasPrefix("-"), s.dropFirst().allSatisfy({ "0.e+-".contains($0) }) { s.removeFirst() }
            return s
        }
    }
}
