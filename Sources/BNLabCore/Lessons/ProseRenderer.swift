/// Renders Markdown prose for a terminal: headings, emphasis, lists, inline code, tables,
/// quotes and rules, wrapped to a width, with or without colour.
public struct ProseRenderer: Sendable {
    public let color: Bool
    /// The width to wrap to, in columns.
    public let width: Int

    public init(color: Bool, width: Int) {
        self.color = color
        // Narrower than this and every word would get its own line.
        self.width = max(20, width)
    }

    /// The rendered prose, each line ending with a newline; blocks are separated by one blank line.
    public func render(_ lines: [String]) -> String {
        var out: [String] = []
        var previous: ProseBlock?
        for (block, adjacent) in ProseBlock.parse(lines) {
            let tight = adjacent && previous?.isListItem == true && block.isListItem
            if previous != nil && !tight { out.append("") }
            out += render(block)
            previous = block
        }
        return out.map { $0 + "\n" }.joined()
    }

    func render(_ block: ProseBlock) -> [String] {
        switch block {
        case .heading(let level, let text):
            let codes: [String] = level == 1 ? ["1", "35"] : level == 2 ? ["1", "34"] : ["1"]
            let lines = wrap(text, base: codes, first: "", rest: "")
            guard !color, level <= 2 else { return lines }
            // Without colour, underline the top two levels so they still stand out.
            let rule = String(repeating: level == 1 ? "=" : "-",
                              count: min(width, lines.map { TextWidth.of($0) }.max() ?? 0))
            return lines + [rule]
        case .paragraph(let text):
            return wrap(text, base: [], first: "", rest: "")
        case .listItem(let level, let marker, let text):
            let indent = String(repeating: "  ", count: level)
            let bullet = marker.first?.isNumber == true ? marker : "•"
            let first = indent + bullet + " "
            return wrap(text, base: [], first: first, rest: String(repeating: " ", count: TextWidth.of(first)))
        case .quote(let text):
            return wrap(text, base: ["2"], first: "│ ", rest: "│ ")
        case .rule:
            return [paint(String(repeating: "─", count: min(width, 72)), ["2"])]
        case .table(let rows, let alignments):
            return renderTable(rows, alignments)
        }
    }

    // MARK: Wrapping

    /// A word: spans with no space between them, and its width in columns.
    private struct Word {
        var spans: [StyledSpan] = []
        var width = 0
    }

    private func words(_ text: String) -> [Word] {
        var words: [Word] = []
        var current = Word()
        for span in InlineMarkdown.spans(text, color: color) {
            var piece = ""
            // Short code such as `[N, C, H, W]` reads as one unit, so it is never split across lines.
            let keepWhole = span.style.contains(.code) && TextWidth.of(span.text) <= 24
            for ch in span.text {
                if (ch == " " || ch == "\t" || ch == "\n") && !(keepWhole && ch == " ") {
                    if !piece.isEmpty { current.spans.append(StyledSpan(text: piece, style: span.style)) }
                    piece = ""
                    if !current.spans.isEmpty { words.append(current) }
                    current = Word()
                } else {
                    piece.append(ch)
                    current.width += TextWidth.of(String(ch))
                }
            }
            if !piece.isEmpty { current.spans.append(StyledSpan(text: piece, style: span.style)) }
        }
        if !current.spans.isEmpty { words.append(current) }
        return words
    }

    /// Greedy wrapping; a word longer than the line gets a line of its own rather than being cut.
    func wrap(_ text: String, base: [String], first: String, rest: String) -> [String] {
        var lines: [String] = []
        var line: [Word] = []
        var used = 0
        var prefix = first
        func finish() {
            lines.append(prefix + paint(line, base: base))
            line = []
            used = 0
            prefix = rest
        }
        for word in words(text) {
            let available = width - TextWidth.of(prefix)
            if !line.isEmpty && used + 1 + word.width > available { finish() }
            used += (line.isEmpty ? 0 : 1) + word.width
            line.append(word)
        }
        if !line.isEmpty || lines.isEmpty { finish() }
        return lines
    }

    /// Words joined by single spaces, with SGR codes at style changes when colour is on.
    private func paint(_ words: [Word], base: [String]) -> String {
        var out = ""
        var active: [String] = []
        func switchTo(_ codes: [String]) {
            guard color, codes != active else { return }
            if !active.isEmpty { out += "\u{1B}[0m" }
            if !codes.isEmpty { out += "\u{1B}[" + codes.joined(separator: ";") + "m" }
            active = codes
        }
        for (k, word) in words.enumerated() {
            if k > 0 {
                // The space takes the style both neighbours share: underlined inside a link, plain after one.
                let before = words[k - 1].spans.last?.style ?? []
                let after = word.spans.first?.style ?? []
                switchTo(base + before.intersection(after).sgrCodes)
                out += " "
            }
            for span in word.spans {
                switchTo(base + span.style.sgrCodes)
                out += span.text
            }
        }
        switchTo([])
        return out
    }

    private func paint(_ text: String, _ codes: [String]) -> String {
        guard color, !codes.isEmpty else { return text }
        return "\u{1B}[" + codes.joined(separator: ";") + "m" + text + "\u{1B}[0m"
    }

    // MARK: Tables

    private func renderTable(_ rows: [[String]], _ alignments: [ProseBlock.Alignment]) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        // Each cell on one line: tables are not wrapped, they are short in lessons.
        let cells: [[(text: String, width: Int)]] = rows.enumerated().map { r, row in
            (0..<columns).map { k in
                let source = k < row.count ? row[k] : ""
                let cellWords = words(source)
                let width = cellWords.reduce(0) { $0 + $1.width } + max(0, cellWords.count - 1)
                return (paint(cellWords, base: r == 0 ? ["1"] : []), width)
            }
        }
        let widths = (0..<columns).map { k in cells.map { $0[k].width }.max() ?? 0 }
        var out: [String] = []
        for (r, row) in cells.enumerated() {
            let parts = row.enumerated().map { k, cell in
                let pad = String(repeating: " ", count: widths[k] - cell.width)
                let alignment = k < alignments.count ? alignments[k] : .left
                switch alignment {
                case .right: return pad + cell.text
                case .center:
                    let left = String(repeating: " ", count: (widths[k] - cell.width) / 2)
                    let right = String(repeating: " ", count: widths[k] - cell.width - left.count)
                    return left + cell.text + right
                case .left: return cell.text + pad
                }
            }
            out.append((" " + parts.joined(separator: " │ ")).trimmingTrailingWhitespace())
            if r == 0 {
                out.append(paint(widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: "┼"), ["2"]))
            }
        }
        return out
    }
}
