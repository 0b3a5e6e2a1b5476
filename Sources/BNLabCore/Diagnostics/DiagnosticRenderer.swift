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
    public static func render(_ diagnostic: Diagnostic, color: Bool = false) -> String {
        let red = color ? "\u{1B}[1;31m" : "", bold = color ? "\u{1B}[1m" : ""
        let blue = color ? "\u{1B}[1;34m" : "", reset = color ? "\u{1B}[0m" : ""
        var out = "\(red)error\(reset)\(bold): \(diagnostic.message)\(reset)\n"
        var gutter = " "
        if let file = diagnostic.file, let range = diagnostic.range, let location = diagnostic.locationDescription {
            let lineIndex = file.lineIndex(of: range.start)
            let lineNumber = String(lineIndex + file.firstLine)
            gutter = String(repeating: " ", count: lineNumber.count)
            let fullText = file.lineText(lineIndex)
            let (_, column) = file.location(of: range.start)
            let lineEnd = file.lineStarts[lineIndex] + fullText.utf8.count
            let endOffset = max(range.start, min(range.end, lineEnd))
            let endColumn = file.location(of: endOffset).column
            // A very long line is shown as a window around the caret.
            var characters = Array(fullText)
            var caretStart = column - 1, caretWidth = max(1, endColumn - column)
            var prefix = "", suffix = ""
            if characters.count > maxLineWidth {
                let from = max(0, min(caretStart - 20, characters.count - maxLineWidth))
                let to = min(characters.count, from + maxLineWidth)
                if from > 0 { prefix = "..." }
                if to < characters.count { suffix = "..." }
                characters = Array(characters[from..<to])
                caretStart = caretStart - from + prefix.count
                caretWidth = min(caretWidth, max(1, characters.count + prefix.count - caretStart))
            }
            let shown = prefix + String(characters) + suffix
            out += "\(gutter)\(blue)-->\(reset) \(location)\n"
            out += "\(gutter) \(blue)|\(reset)\n"
            out += "\(blue)\(lineNumber) |\(reset) \(expandTabs(Substring(shown)))\n"
            let pad = String(repeating: " ", count: displayWidth(of: Substring(shown).prefix(caretStart)))
            out += "\(gutter) \(blue)|\(reset) \(pad)\(red)\(String(repeating: "^", count: caretWidth))\(reset)\n"
        }
        for note in diagnostic.notes where note.range == nil || diagnostic.file == nil {
            // Multi-line notes (a tensor's rows) stay aligned under the first line.
            let head = "\(gutter) = \(note.kind.rawValue): "
            let indent = String(repeating: " ", count: head.count)
            let lines = note.message.split(separator: "\n", omittingEmptySubsequences: false)
            out += "\(gutter) \(blue)=\(reset) \(bold)\(note.kind.rawValue)\(reset): \(lines[0])\n"
            for line in lines.dropFirst() { out += indent + line + "\n" }
        }
        for note in diagnostic.notes {
            if let range = note.range, let file = diagnostic.file { out += located(note, file, range, color: color) }
        }
        return out
    }

    /// A note about another place, as rustc shows one: its own heading, location and caret.
    private static func located(_ note: Diagnostic.Note, _ file: SourceFile, _ range: SourceRange, color: Bool) -> String {
        let excerpt = render(Diagnostic(note.message, file: file, range: range), color: color)
        let body = excerpt.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first ?? ""
        let green = color ? "\u{1B}[1;32m" : "", bold = color ? "\u{1B}[1m" : "", reset = color ? "\u{1B}[0m" : ""
        return "\(green)\(note.kind.rawValue)\(reset)\(bold): \(note.message)\(reset)\n" + body
    }

    private static func expandTabs(_ text: Substring) -> String {
        String(text.map { $0 == "\t" ? " " : $0 })
    }

    /// Terminal columns taken by text; tabs are shown as one space, wide CJK characters as two.
    private static func displayWidth(of text: Substring) -> Int {
        var width = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
                 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x20000...0x3FFFD:
                width += 2
            case 0x0300...0x036F:
                break
            default:
                width += 1
            }
        }
        return width
    }
}
