#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Renders tensors the way numpy's `array2string(a, separator=", ")` does, with bnlab's number rules.
///
/// Number rules (language.md §7): if every shown finite element is a whole number (and
/// below 1e16) they print as integers; otherwise with `precision` fixed decimals, or in
/// scientific notation when the largest magnitude is at least 1e8 or the smallest non-zero
/// one is below 10^-precision. Zero never shows a minus sign. Layout follows numpy:
/// common right-aligned width, rows wrapped at 75 columns, blank lines between blocks,
/// and more than 1000 elements summarised with `...` and 3 edge items per axis.
public struct TensorFormatter {
    static let lineWidth = 75
    static let threshold = 1000
    static let edgeItems = 3

    /// The value only (used by print).
    public static func format(_ t: Tensor, precision: Int) -> String {
        let precision = Swift.min(Swift.max(precision, 0), 40)
        if t.count == 0 { return "[]" }
        let summarize = t.count > threshold
        var shown: [Double] = []
        collect(t, axis: 0, offset: t.offset, summarize: summarize, into: &shown)
        let style = NumberStyle(values: shown, precision: precision)
        if t.rank == 0 { return style.text(t.storage[t.offset]) }
        var width = 0
        for v in shown { width = Swift.max(width, style.text(v).utf8.count) }
        let layout = Layout(tensor: t, summarize: summarize, style: style, width: width)
        return layout.recurse(axis: 0, offset: t.offset, hanging: " ", lineWidth: lineWidth)
    }

    /// `format` followed by `shape [..]` on its own line for rank >= 2 (used when a value is shown).
    public static func display(_ t: Tensor, precision: Int) -> String {
        let text = format(t, precision: precision)
        return t.rank >= 2 ? text + "\nshape " + formatShape(t.shape) : text
    }

    /// The elements that will be shown, in order (numpy's leading/trailing selection).
    private static func collect(_ t: Tensor, axis: Int, offset: Int, summarize: Bool, into values: inout [Double]) {
        if axis == t.rank {
            values.append(t.storage[offset])
            return
        }
        let n = t.shape[axis]
        let stride = t.strides[axis]
        let indices: [Int] = summarize && n > 2 * edgeItems
            ? Array(0..<edgeItems) + Array((n - edgeItems)..<n) : Array(0..<n)
        for i in indices {
            collect(t, axis: axis + 1, offset: offset + i * stride, summarize: summarize, into: &values)
        }
    }

    /// How numbers are written, decided once from all the shown values.
    struct NumberStyle {
        enum Mode { case integer, fixed, scientific }
        let mode: Mode
        let precision: Int
        var exponentDigits = 2

        init(values: [Double], precision: Int) {
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
            if integral && largest < 1e16 {
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
        let summarize: Bool
        let style: NumberStyle
        let width: Int

        func word(_ offset: Int) -> String {
            let text = style.text(tensor.storage[offset])
            let pad = width - text.utf8.count
            return pad > 0 ? String(repeating: " ", count: pad) + text : text
        }

        func recurse(axis: Int, offset: Int, hanging: String, lineWidth: Int) -> String {
            let axesLeft = tensor.rank - axis
            if axesLeft == 0 { return word(offset) }
            let nextHanging = hanging + " "
            let nextWidth = lineWidth - 1
            let n = tensor.shape[axis]
            let step = tensor.strides[axis]
            let summary = summarize && 2 * TensorFormatter.edgeItems < n
            let leading = summary ? TensorFormatter.edgeItems : 0
            let trailing = summary ? TensorFormatter.edgeItems : n
            func child(_ i: Int) -> String {
                recurse(axis: axis + 1, offset: offset + i * step, hanging: nextHanging, lineWidth: nextWidth)
            }
            var s = ""
            if axesLeft == 1 {
                let elementWidth = lineWidth - 1
                var line = hanging
                for i in 0..<leading {
                    extend(&s, &line, child(i), elementWidth, hanging)
                    line += ", "
                }
                if summary {
                    extend(&s, &line, "...", elementWidth, hanging)
                    line += ", "
                }
                for i in stride(from: trailing, to: 1, by: -1) {
                    extend(&s, &line, child(n - i), elementWidth, hanging)
                    line += ", "
                }
                extend(&s, &line, child(n - 1), elementWidth, hanging)
                s += line
            } else {
                let separator = "," + String(repeating: "\n", count: axesLeft - 1)
                for i in 0..<leading { s += hanging + child(i) + separator }
                if summary { s += hanging + "..." + separator }
                for i in stride(from: trailing, to: 1, by: -1) { s += hanging + child(n - i) + separator }
                s += hanging + child(n - 1)
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
