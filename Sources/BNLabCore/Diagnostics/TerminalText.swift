/// Text made safe and fitted for a terminal: control characters escaped, long lines wrapped.
public enum TerminalText {
    /// Whether a scalar must not reach the terminal raw: C0 and C1 controls, DEL, and the
    /// bidirectional overrides that reorder what is shown.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// The text with control characters written as Swift escapes, e.g. ESC as `\u{1B}` and NUL
    /// as `\u{0}`; line breaks are kept when `keepingNewlines` (multi-line notes), tabs always.
    public static func escaped<S: StringProtocol>(_ text: S, keepingNewlines: Bool = true) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return String(text) }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) && !(scalar == "\t") && !(keepingNewlines && scalar == "\n") {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Terminal columns taken by text: wide East Asian characters take two, combining marks and
    /// C0 controls none. The one width table; `TextWidth` answers from it too.
    public static func width<S: StringProtocol>(_ text: S) -> Int {
        var width = 0
        for scalar in text.unicodeScalars { width += self.width(of: scalar) }
        return width
    }

    /// Columns taken by one scalar (East Asian Width W and F take two).
    public static func width(of scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F:
            return 0
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return scalar.value < 0x20 ? 0 : 1
        }
    }

    /// Lines of at most `width` columns, breaking at spaces: the first starts with `first`, the
    /// rest with `rest` (a hanging indent). A word longer than a line stays whole. Existing line
    /// breaks are kept, each continuing with `rest`. Without a width, nothing is wrapped.
    public static func wrap(_ text: String, width: Int?, first: String, rest: String) -> [String] {
        let paragraphs = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let width else {
            return paragraphs.enumerated().map { ($0.offset == 0 ? first : rest) + $0.element }
        }
        var lines: [String] = []
        for (p, paragraph) in paragraphs.enumerated() {
            var line = p == 0 ? first : rest
            var lineWidth = self.width(line)
            let prefixWidth = lineWidth
            var pendingSpace = false
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                if word.isEmpty {
                    // Runs of spaces inside a line (alignment) are kept as they are.
                    line += " "
                    lineWidth += 1
                    continue
                }
                let w = self.width(word)
                let space = pendingSpace ? 1 : 0
                if lineWidth > prefixWidth && lineWidth + space + w > width {
                    lines.append(line.trimmingTrailingSpaces())
                    line = rest
                    lineWidth = self.width(rest)
                } else if pendingSpace {
                    line += " "
                    lineWidth += 1
                }
                line += word
                lineWidth += w
                pendingSpace = true
            }
            lines.append(line.trimmingTrailingSpaces())
        }
        return lines
    }

    /// A block of help text wrapped line by line: a wrapped line continues under its own
    /// description column (after the last run of two spaces) when that leaves 20 columns or more,
    /// else four columns in from its own indent. Without a width, the text is returned as it is.
    public static func wrapBlock(_ text: String, width: Int?) -> String {
        guard let width else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line -> [String] in
            guard self.width(line) > width else { return [String(line)] }
            let indent = line.prefix { $0 == " " }.count
            var hanging = indent + 4
            if let column = line.ranges(ofTwoSpacesAfter: indent).last, column <= width - 20 { hanging = column }
            return wrap(String(line), width: width, first: "", rest: String(repeating: " ", count: hanging))
        }.joined(separator: "\n")
    }
}

extension Substring {
    /// Columns where text resumes after a run of two or more spaces, past the line's indent.
    func ranges(ofTwoSpacesAfter indent: Int) -> [Int] {
        var result: [Int] = []
        var spaces = 0
        for (i, c) in enumerated() where i >= indent {
            if c == " " {
                spaces += 1
            } else {
                if spaces >= 2 { result.append(i) }
                spaces = 0
            }
        }
        return result
    }
}
