#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Renders tensors the way numpy's `array2string(a, separator=", ")` does, with bnlab's number rules.
///
/// Number rules (language.md §7): if every finite element of the tensor (not only the shown
/// ones) is a whole number below 1e16 they print as integers; otherwise with `precision` fixed
/// decimals, or in scientific notation when the largest shown magnitude is at least 1e8 or the
/// smallest shown non-zero one is below 10^-precision. Zero never shows a minus sign. Layout
/// follows numpy: common right-aligned width, rows wrapped at `lineWidth` columns (75, or the
/// terminal's width when narrower), blank lines between blocks, and more than 1000 elements
/// summarised with `...` and 3 edge items per axis.
///
/// Beyond numpy, the text is bounded whatever the shape: numpy never cuts an axis of 6 or fewer
/// items, so 28 axes of length 2 would show all 2^28 elements. When the summary still shows more
/// than `maxShown` elements, outer axes show fewer items (one at each end, then only the first)
/// until it does not. Only the shown elements are ever formatted.
public struct TensorFormatter {
    /// numpy's default `linewidth`, used into a pipe and on terminals at least this wide.
    public static let lineWidth = 75
    static let threshold = 1000
    static let edgeItems = 3
    /// Most elements a summary shows: 6^4, what numpy shows of a summarised rank-4 tensor.
    static let maxShown = 1296

    /// The value only (used by print).
    public static func format(_ t: Tensor, precision: Int, lineWidth: Int = TensorFormatter.lineWidth) -> String {
        format(t, precision: precision, lineWidth: lineWidth, budget: nil)
    }

    /// `format` followed by `shape [..]` on its own line for rank >= 2 (used when a value is shown).
    public static func display(_ t: Tensor, precision: Int, lineWidth: Int = TensorFormatter.lineWidth) -> String {
        let text = format(t, precision: precision, lineWidth: lineWidth)
        return t.rank >= 2 ? text + "\nshape " + formatShape(t.shape) : text
    }

    /// The start of `format`'s text: it stops adding elements once `visibleCharacters` characters
    /// other than whitespace are written, so a one-line preview costs no more than it shows.
    public static func prefix(_ t: Tensor, precision: Int, visibleCharacters: Int) -> String {
        format(t, precision: precision, lineWidth: lineWidth, budget: Swift.max(1, visibleCharacters))
    }

    private static func format(_ t: Tensor, precision: Int, lineWidth: Int, budget: Int?) -> String {
        let precision = Swift.min(Swift.max(precision, 0), 40)
        // Below this numpy's layout cannot fit a bracket and one digit per nesting level.
        let lineWidth = Swift.max(lineWidth, 10)
        if t.count == 0 { return "[]" }
        let selection = Selection(shape: t.shape, summarize: t.count > threshold)
        var shown: [Double] = []
        shown.reserveCapacity(selection.shownCount)
        collect(t, axis: 0, offset: t.offset, selection: selection, into: &shown)
        let style = NumberStyle(values: shown, precision: precision,
                                integral: selection.summarized ? allIntegral(t) : nil)
        if t.rank == 0 { return style.text(t.storage[t.offset]) }
        var width = 0
        for v in shown { width = Swift.max(width, style.text(v).utf8.count) }
        let layout = Layout(tensor: t, selection: selection, style: style, width: width,
                            budget: Budget(remaining: budget ?? Int.max))
        return layout.recurse(axis: 0, offset: t.offset, hanging: " ", lineWidth: lineWidth)
    }

    /// Which items of each axis are shown: the first `leading[axis]`, then `...` when some are
    /// left out, then the last `trailing[axis]`.
    struct Selection {
        var leading: [Int]
        var trailing: [Int]
        let shape: [Int]

        init(shape: [Int], summarize: Bool) {
            self.shape = shape
            leading = shape.map { summarize && $0 > 2 * TensorFormatter.edgeItems ? TensorFormatter.edgeItems : $0 }
            trailing = shape.map { summarize && $0 > 2 * TensorFormatter.edgeItems ? TensorFormatter.edgeItems : 0 }
            guard summarize else { return }
            // Outer axes give way first, so the rows that are shown stay whole.
            for axis in shape.indices where shownCount > TensorFormatter.maxShown {
                if leading[axis] + trailing[axis] > 2 { (leading[axis], trailing[axis]) = (1, 1) }
                if shownCount > TensorFormatter.maxShown, leading[axis] + trailing[axis] > 1 {
                    (leading[axis], trailing[axis]) = (1, 0)
                }
            }
        }

        var summarized: Bool { shape.indices.contains { leading[$0] + trailing[$0] < shape[$0] } }

        /// The product of the shown counts, saturating rather than overflowing.
        var shownCount: Int {
            var product = 1
            for axis in shape.indices {
                let (p, overflow) = product.multipliedReportingOverflow(by: leading[axis] + trailing[axis])
                if overflow { return Int.max }
                product = p
            }
            return product
        }

        /// The shown indices of an axis, with nil where `...` stands.
        func items(_ axis: Int) -> [Int?] {
            let n = shape[axis], lead = leading[axis], trail = trailing[axis]
            if lead + trail >= n { return Array(0..<n) }
            return Array(0..<lead) + [nil] + Array((n - trail)..<n)
        }
    }

    /// Whether every finite element is a whole number below 1e16 (a summary must not decide from the shown ones).
    static func allIntegral(_ t: Tensor) -> Bool {
        let loop = StridedLoop(shape: t.shape, strides: [t.strides])
        // A broadcast view repeats one element along its run.
        let n = loop.innerStride(0) == 0 ? 1 : loop.innerCount, step = loop.innerStride(0)
        var integral = true
        t.storage.withUnsafeBufferPointer { storage in
            loop.forEachRun1(t.offset) { start in
                guard integral else { return }
                var i = 0
                // Blocks without branches (so the loop vectorises), and a stop after the first bad block.
                while i < n && integral {
                    let end = Swift.min(n, i + 4096)
                    var bad: UInt8 = 0
                    var o = start + i * step
                    for _ in i..<end {
                        bad |= isWholeOrNotFinite(storage[o]) ? 0 : 1
                        o += step
                    }
                    if bad != 0 { integral = false }
                    i = end
                }
            }
        }
        return integral
    }

    /// A whole number below 1e16 in magnitude, or nan/inf; without `rounded()`, which is a call
    /// per element on baseline x86-64. Below 2^52, adding and removing 2^52 rounds to an integer,
    /// so the value is unchanged exactly when it is one; from 2^52 up every double is whole.
    @inline(__always)
    static func isWholeOrNotFinite(_ v: Double) -> Bool {
        let a = Swift.abs(v)
        let big = 4_503_599_627_370_496.0  // 2^52
        return !(a < .infinity) || (a < 1e16 && (a >= big || (a + big) - big == a))
    }

    /// The elements that will be shown, in order (numpy's leading/trailing selection).
    private static func collect(_ t: Tensor, axis: Int, offset: Int, selection: Selection, into values: inout [Double]) {
        if axis == t.rank {
            values.append(t.storage[offset])
            return
        }
        let stride = t.strides[axis]
        for case let i? in selection.items(axis) {
            collect(t, axis: axis + 1, offset: offset + i * stride, selection: selection, into: &values)
        }
    }

    /// Visible characters a prefix may still write; shared by the whole recursion.
    final class Budget {
        var remaining: Int
        init(remaining: Int) { self.remaining = remaining }
        var isExhausted: Bool { remaining <= 0 }
        func spend(_ text: String) { remaining -= text.utf8.count }
    }

    /// How numbers are written, decided once from all the shown values.
    struct NumberStyle {
        enum Mode { case integer, fixed, scientific }
        let mode: Mode
        let precision: Int
        var exponentDigits = 2

        /// `integral`, when given, is whether the whole tensor is integral (a summary shows only some values).
        init(values: [Double], precision: Int, integral wholeTensorIntegral: Bool? = nil) {
            self.precision = precision
            var integral = true
            var largest = 0.0
            var smallest = Double.infinity
            for v in values where v.isFinite {
                let m = Swift.abs(v)
                if v.rounded(.towardZero) != v { integral = false }
                if m > largest { largest = m }
                if m != 0 && m < smallest { smallest = m }
            }
            if wholeTensorIntegral ?? (integral && largest < 1e16) {
                mode = .integer
            } else if largest >= 1e8 || smallest < 1 / Tensor.powerOfTen(precision) {
                mode = .scientific
                for v in values where v.isFinite {
                    let text = NumberStyle.cFormat(v == 0 ? 0 : v, "e", precision)
                    if let e = text.firstIndex(of: "e") {
                        exponentDigits = Swift.max(exponentDigits, text.distance(from: e, to: text.endIndex) - 2)
                    }
                }
            } else {
                mode = .fixed
            }
        }

        /// One element, unpadded.
        func text(_ v: Double) -> String {
            if v.isNaN { return "nan" }
            if v.isInfinite { return v < 0 ? "-inf" : "inf" }
            let value = v == 0 ? 0 : v  // -0 prints as 0
            switch mode {
            case .integer:
                return String(Int(value))
            case .fixed:
                var s = NumberStyle.cFormat(value, "f", precision)
                if precision == 0 { s += "." }
                return NumberStyle.unsignedIfZero(s)
            case .scientific:
                var s = NumberStyle.cFormat(value, "e", precision)
                guard let e = s.firstIndex(of: "e") else { return s }
                var mantissa = String(s[..<e])
                var exponent = String(s[s.index(after: e)...])
                let sign = exponent.removeFirst()
                if precision == 0 { mantissa += "." }
                if exponent.count < exponentDigits {
                    exponent = String(repeating: "0", count: exponentDigits - exponent.count) + exponent
                }
                s = mantissa + "e" + String(sign) + exponent
                return NumberStyle.unsignedIfZero(s)
            }
        }

        /// Drops the minus sign of a value that rounded to zero.
        static func unsignedIfZero(_ s: String) -> String {
            guard s.hasPrefix("-") else { return s }
            let mantissa = s.split(separator: "e").first ?? Substring(s)
            if mantissa.allSatisfy({ $0 == "-" || $0 == "0" || $0 == "." }) { return String(s.dropFirst()) }
            return s
        }

        /// C's `%.*f` / `%.*e`: exact decimal rounding, ties to even.
        static func cFormat(_ v: Double, _ conversion: Character, _ precision: Int) -> String {
            let format = "%.\(precision)\(conversion)"
            var buffer = [CChar](repeating: 0, count: 400)
            let written = buffer.withUnsafeMutableBufferPointer { b in
                withVaList([v]) { vsnprintf(b.baseAddress, b.count, format, $0) }
            }
            guard written > 0 else { return String(v) }
            let bytes = buffer.prefix(Swift.min(Int(written), buffer.count - 1)).map { UInt8(bitPattern: $0) }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// numpy's `_formatArray` recursion.
    private struct Layout {
        let tensor: Tensor
        let selection: Selection
        let style: NumberStyle
        let width: Int
        let budget: Budget

        func word(_ offset: Int) -> String {
            let text = style.text(tensor.storage[offset])
            budget.spend(text)
            budget.remaining -= 1  // its comma
            let pad = width - text.utf8.count
            return pad > 0 ? String(repeating: " ", count: pad) + text : text
        }

        func recurse(axis: Int, offset: Int, hanging: String, lineWidth: Int) -> String {
            let axesLeft = tensor.rank - axis
            if axesLeft == 0 { return word(offset) }
            let nextHanging = hanging + " "
            let nextWidth = lineWidth - 1
            let step = tensor.strides[axis]
            let items = selection.items(axis)
            func child(_ item: Int?) -> String {
                guard let i = item else { budget.spend("..."); return "..." }
                return recurse(axis: axis + 1, offset: offset + i * step, hanging: nextHanging, lineWidth: nextWidth)
            }
            var s = ""
            if axesLeft == 1 {
                let elementWidth = lineWidth - 1
                var line = hanging
                for (k, item) in items.enumerated() {
                    if budget.isExhausted { break }
                    extend(&s, &line, child(item), elementWidth, hanging)
                    if k < items.count - 1 && !budget.isExhausted { line += ", " }
                }
                s += line
            } else {
                let separator = "," + String(repeating: "\n", count: axesLeft - 1)
                for (k, item) in items.enumerated() {
                    if budget.isExhausted { break }
                    s += hanging + child(item)
                    if k < items.count - 1 && !budget.isExhausted { s += separator; budget.remaining -= 1 }
                }
            }
            return "[" + s.dropFirst(hanging.count) + "]"
        }

        /// numpy's `_extendLine`: wrap before a word that would pass the width, unless the line is still empty.
        private func extend(_ s: inout String, _ line: inout String, _ word: String, _ width: Int, _ prefix: String) {
            let lineCount = line.utf8.count
            if lineCount + word.utf8.count > width && lineCount > prefix.utf8.count {
                while line.hasSuffix(" ") { line.removeLast() }
                s += line + "\n"
                line = prefix
            }
            line += word
        }
    }
}
