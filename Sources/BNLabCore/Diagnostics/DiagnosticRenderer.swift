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
            // Highlights on the error's line share its caret line; others get a line of their own, in order.
            let highlights = diagnostic.highlights.filter { $0.start >= 0 && $0.start <= file.text.utf8.count }
            let otherLines = Set(highlights.map { file.lineIndex(of: $0.start) }).subtracting([lineIndex]).sorted()
            let lastLine = max(lineIndex, otherLines.last ?? lineIndex)
            gutter = String(repeating: " ", count: String(lastLine + file.firstLine).count)
            out += "\(gutter)\(blue)-->\(reset) \(TerminalText.escaped(location, keepingNewlines: false))\n"
            out += "\(gutter) \(blue)|\(reset)\n"
            var shown = [(lineIndex, [range] + highlights.filter { file.lineIndex(of: $0.start) == lineIndex })]
            for other in otherLines { shown.append((other, highlights.filter { file.lineIndex(of: $0.start) == other })) }
            shown.sort { $0.0 < $1.0 }
            for (index, ranges) in shown {
                let lineNumber = String(index + file.firstLine)
                let number = String(repeating: " ", count: gutter.count - lineNumber.count) + lineNumber
                let excerpt = Excerpt(file: file, lineIndex: index, ranges: ranges,
                                      maxWidth: width.map { max(20, $0 - gutter.count - 3) } ?? maxLineWidth)
                out += "\(blue)\(number) |\(reset) \(excerpt.text)\n"
                out += "\(gutter) \(blue)|\(reset) \(red)\(excerpt.marks)\(reset)\n"
            }
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
        /// The caret line: `^` under each range on the line, spaces between, none after.
        var marks = "^"

        /// The window is placed around the first range; the others are marked where they fall inside it.
        init(file: SourceFile, lineIndex: Int, ranges: [SourceRange], maxWidth: Int) {
            let line = file.lineText(lineIndex)
            let lineEnd = file.lineStarts[lineIndex] + line.utf8.count
            // A range's columns on this line, 0-based, end exclusive; one past the start at least.
            func columns(_ range: SourceRange) -> (start: Int, end: Int) {
                let column = file.location(of: range.start).column
                let endOffset = max(range.start, min(range.end, lineEnd))
                let endColumn = file.location(of: endOffset).column
                return (column - 1, max(column, endColumn) - 1)
            }
            let primary: (start: Int, end: Int) = ranges.first.map(columns) ?? (0, 1)
            let caretStart = primary.start
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
            // Display columns (start, width) of a range within the window.
            func place(_ c: (start: Int, end: Int)) -> (column: Int, width: Int) {
                let before = max(0, c.start - from), through = max(before + 1, c.end - from)
                let column = prefix.count + units.prefix(before).reduce(0) { $0 + $1.width }
                let covered = units.dropFirst(before).prefix(through - before).reduce(0) { $0 + $1.width }
                return (column, max(1, covered))
            }
            (caretColumn, caretWidth) = place(primary)
            var carets = Array(repeating: Character(" "), count: caretColumn) + Array(repeating: Character("^"), count: caretWidth)
            for range in ranges.dropFirst() {
                let c = columns(range)
                // A highlight outside the window is left unmarked rather than drawn at its edge.
                guard c.start >= from, c.start - from < units.count else { continue }
                let (column, width) = place(c)
                if carets.count < column + width { carets += Array(repeating: " ", count: column + width - carets.count) }
                for i in column..<(column + width) { carets[i] = "^" }
            }
            marks = String(carets)
        }
    }
}
