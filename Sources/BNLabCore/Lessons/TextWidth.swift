/// How many terminal columns text takes: wide East Asian characters take two, combining marks none.
/// The table is `TerminalText.width(of:)`, so prose, diagnostics and the REPL measure alike.
public enum TextWidth {
    public static func of<S: StringProtocol>(_ text: S) -> Int {
        TerminalText.width(text)
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        TerminalText.width(of: scalar)
    }
}

extension TextWidth {
    /// Plain text broken at spaces into lines of at most `width` columns, the first starting with
    /// `first` and the rest with `rest` (a hanging indent). A word wider than a line stays whole.
    public static func wrap(_ text: String, width: Int, first: String = "", rest: String = "") -> [String] {
        var lines: [String] = []
        var line = first
        var lineWidth = of(first)
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let wordWidth = of(word)
            if lineHasWord && lineWidth + 1 + wordWidth > width {
                lines.append(line)
                line = rest
                lineWidth = of(rest)
                lineHasWord = false
            }
            if lineHasWord {
                line += " "
                lineWidth += 1
            }
            line += word
            lineWidth += wordWidth
            lineHasWord = true
        }
        lines.append(line)
        return lines
    }
}
