/// Renders diagnostics in the one format every command uses (rustc's layout).
public enum DiagnosticRenderer {
    /// Longest source excerpt shown, in characters.
    static let maxLineWidth = 120

    /// The full text of a diagnostic, ending with a newline.
    ///
    /// ```
    /// error: cannot broadcast shapes [3, 2] and [4]
    ///  --> lesson 3, cell 2, line 1, column 5
    ///   |
    /// 1 | y = x + [1, 2, 3, 4]
    ///   |     ^^^^^^^^^^^^^^^^
    /// ```
    ///
    /// Control characters in the message, notes and excerpt are shown escaped (`\u{1B}`), so a
    /// source file cannot drive the terminal. With a `width` (a terminal's), the message and
    /// notes wrap with a hanging indent and the excerpt is a window that fits; without one (a
    /// pipe) lines are not wrapped and the excerpt window is `maxLineWidth` characters.
    public static func render(_ diagnostic: Diagnostic, color: Bool = false, width: Int? = nil) -> String {
        let red = color ? "\u{1B}[1;31m" : "", bold = color ? "\u{1B}[1m" : ""
        let blue = color ? "\u{1B}[1;34m" : "", reset = color ? "\u{1B}[0m" : ""
        let width = width.map { max($0, 20) }
        let message = TerminalText.wrap(TerminalText.escaped(diagnostic.message), width: width, first: "error: ",
                                        rest: "       ")
        var out = "\(red)error\(reset)\(bold): \(message[0].dropFirst(7))\(reset)\n"
        for line in message.dropFirst() { out += "\(bold)\(line)\(reset)\n" }
        var gutter = " "
        if let file = diagnostic.file, let range = diagnostic.range, let location = diagnostic.locationDescription {
            let lineIndex = file.lineIndex(of: range.start)
            let lineNumber = String(lineIndex + file.firstLine)
            gutter = String(repeating: " ", count: lineNumber.count)
            let excerpt = Excerpt(file: file, lineIndex: lineIndex, range: range,
                                  maxWidth: width.map { max(20, $0 - lineNumber.count - 3) } ?? maxLineWidth)
            out += "\(gutter)\(blue)-->\(reset) \(TerminalText.escaped(location, keepingNewlines: false))\n"
            out += "\(gutter) \(blue)|\(reset)\n"
            out += "\(blue)\(lineNumber) |\(reset) \(excerpt.text)\n"
            let pad = String(repeating: " ", count: excerpt.caretColumn)
            out += "\(gutter) \(blue)|\(reset) \(pad)\(red)\(String(repeating: "^", count: excerpt.caretWidth))\(reset)\n"
        }
        for note in diagnostic.notes where note.range == nil || diagnostic.file == nil {
            // Multi-line notes (a tensor's rows) stay aligned under the first line.
            let head = "\(gutter) = \(note.kind.rawValue): "
            let indent = String(repeating: " ", count: head.count)
            let lines = TerminalText.wrap(TerminalText.escaped(note.message), width: width, first: head, rest: indent)
            out += "\(gutter) \(blue)=\(reset) \(bold)\(note.kind.rawValue)\(reset): \(lines[0].dropFirst(head.count))\n"
            for line in lines.dropFirst() { out += line + "\n" }
        }
        for note in diagnostic.notes {
            if let range = note.range, let file = diagnostic.file { out += located(note, file, range, color: color, width: width) }
        }
        return out
    }

    /// A note about another place, as rustc shows one: its own heading, location and caret.
    private static func located(_ note: Diagnostic.Note, _ file: SourceFile, _ range: SourceRange, color: Bool, width: Int?) -> String {
        let excerpt = render(Diagnostic(note.message, file: file, range: range), color: color, width: width)
        let body = excerpt.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first ?? ""
        let green = color ? "\u{1B}[1;32m" : "", bold = color ? "\u{1B}[1m" : "", reset = color ? "\u{1B}[0m" : ""
        return "\(green)\(note.kind.rawValue)\(reset)\(bold): \(TerminalText.escaped(note.message))\(reset)\n" + body
    }

    /// The source line shown under a diagnostic: escaped, cut to a window around the caret.
    struct Excerpt {
        var text = ""
        var caretColumn = 0
        var caretWidth = 1

        init(file: SourceFile, lineIndex: Int, range: SourceRange, maxWidth: Int) {
            let line = file.lineText(lineIndex)
            let (_, column) = file.location(of: range.start)
            let lineEnd = file.lineStarts[lineIndex] + line.utf8.count
            let endOffset = max(range.start, min(range.end, lineEnd))
            let endColumn = file.location(of: endOffset).column
            let caretStart = column - 1, caretEnd = max(column, endColumn) - 1
            // Only a window of the line is looked at, so a line of megabytes costs no more than one of 120.
            let count = line.count
            let fits = count <= maxWidth && TerminalText.width(TerminalText.escaped(line, keepingNewlines: false)) <= maxWidth
            // A window leaves room for the `...` on either side.
            let maxWidth = fits ? maxWidth : max(10, maxWidth - 6)
            let from = count > maxWidth ? max(0, min(caretStart - 20, count - maxWidth)) : 0
            var units: [(text: String, width: Int)] = []
            var index = line.index(line.startIndex, offsetBy: from)
            var shown = 0
            while index < line.endIndex && units.count < maxWidth {
                let c = line[index]
                let unit = c == "\t" ? " " : TerminalText.escaped(String(c), keepingNewlines: false)
                let w = TerminalText.width(unit)
                // Escapes widen the line: stop once past the width, but never before the caret.
                if shown + w > maxWidth && from + units.count > caretStart { break }
                units.append((unit, w))
                shown += w
                index = line.index(after: index)
            }
            let prefix = from > 0 ? "..." : ""
            let suffix = index < line.endIndex ? "..." : ""
            text = prefix + units.map(\.text).joined() + suffix
            let before = max(0, caretStart - from), through = max(before + 1, caretEnd - from)
            caretColumn = prefix.count + units.prefix(before).reduce(0) { $0 + $1.width }
            let covered = units.dropFirst(before).prefix(through - before).reduce(0) { $0 + $1.width }
            caretWidth = max(1, covered)
        }
    }
}
