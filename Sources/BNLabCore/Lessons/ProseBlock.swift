/// A block of Markdown prose: what the prose renderer lays out.
enum ProseBlock: Equatable {
    enum Alignment: Equatable { case left, center, right }

    case heading(level: Int, text: String)
    case paragraph(String)
    /// A list item at a nesting level, with its marker (`-`, `*`, `+` or `1.`).
    case listItem(level: Int, marker: String, text: String)
    case quote(String)
    case rule
    /// A table: the header row first, then the body rows.
    case table(rows: [[String]], alignments: [Alignment])

    var isListItem: Bool {
        if case .listItem = self { return true }
        return false
    }

    /// The blocks of some prose lines, each with whether it directly follows the previous block
    /// (no blank line between), which keeps list items together.
    static func parse(_ lines: [String]) -> [(ProseBlock, adjacent: Bool)] {
        var blocks: [(ProseBlock, Bool)] = []
        var i = 0
        var adjacent = false
        func add(_ block: ProseBlock) {
            blocks.append((block, adjacent))
            adjacent = true
        }
        while i < lines.count {
            let line = lines[i]
            if line.allSatisfy(\.isWhitespace) {
                adjacent = false
                i += 1
                continue
            }
            if let heading = LessonParser.heading(line) {
                add(.heading(level: heading.level, text: heading.text))
                i += 1
                continue
            }
            if isRule(line) {
                add(.rule)
                i += 1
                continue
            }
            if let table = table(lines, at: i) {
                add(.table(rows: table.rows, alignments: table.alignments))
                i = table.end
                continue
            }
            if let item = listItem(line) {
                var text = item.text
                i += 1
                // Continuation lines: anything that does not start another block.
                while i < lines.count, !lines[i].allSatisfy(\.isWhitespace), !startsBlock(lines[i]) {
                    text += " " + lines[i].trimmingWhitespace()
                    i += 1
                }
                add(.listItem(level: item.level, marker: item.marker, text: text))
                continue
            }
            if let quoted = quoteText(line) {
                var text = quoted
                i += 1
                while i < lines.count, let more = quoteText(lines[i]) {
                    text += " " + more
                    i += 1
                }
                add(.quote(text))
                continue
            }
            var text = line.trimmingWhitespace()
            i += 1
            while i < lines.count, !lines[i].allSatisfy(\.isWhitespace), !startsBlock(lines[i]) {
                text += " " + lines[i].trimmingWhitespace()
                i += 1
            }
            add(.paragraph(text))
        }
        return blocks
    }

    private static func startsBlock(_ line: String) -> Bool {
        LessonParser.heading(line) != nil || isRule(line) || listItem(line) != nil || quoteText(line) != nil
            || line.trimmingWhitespace().hasPrefix("|")
    }

    private static func isRule(_ line: String) -> Bool {
        let compact = line.filter { $0 != " " }
        guard compact.count >= 3, let first = compact.first, "-*_".contains(first) else { return false }
        return compact.allSatisfy { $0 == first } && line.prefix { $0 == " " }.count <= 3
    }

    private static func listItem(_ line: String) -> (level: Int, marker: String, text: String)? {
        let indent = line.prefix { $0 == " " }.count
        let rest = line.dropFirst(indent)
        var marker = ""
        if let first = rest.first, "-*+".contains(first) {
            marker = String(first)
        } else {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard (1...9).contains(digits.count), let after = rest.dropFirst(digits.count).first,
                  after == "." || after == ")" else { return nil }
            marker = String(digits) + String(after)
        }
        let body = rest.dropFirst(marker.count)
        guard let space = body.first, space == " " || space == "\t" else { return nil }
        return (indent / 2, marker, body.trimmingWhitespace())
    }

    private static func quoteText(_ line: String) -> String? {
        let trimmed = line.drop { $0 == " " }
        guard trimmed.first == ">" else { return nil }
        return trimmed.dropFirst().trimmingWhitespace()
    }

    /// A table at line `start`: a `|` row followed by a delimiter row such as `|---|:--:|`.
    private static func table(_ lines: [String], at start: Int) -> (rows: [[String]], alignments: [Alignment], end: Int)? {
        guard start + 1 < lines.count, lines[start].trimmingWhitespace().hasPrefix("|"),
              let alignments = delimiterRow(lines[start + 1]) else { return nil }
        var rows = [cells(of: lines[start])]
        var i = start + 2
        while i < lines.count, lines[i].trimmingWhitespace().hasPrefix("|") {
            rows.append(cells(of: lines[i]))
            i += 1
        }
        return (rows, alignments, i)
    }

    private static func delimiterRow(_ line: String) -> [Alignment]? {
        let parts = cells(of: line)
        guard !parts.isEmpty else { return nil }
        var alignments: [Alignment] = []
        for part in parts {
            let core = part.filter { $0 != ":" }
            guard !core.isEmpty, core.allSatisfy({ $0 == "-" }) else { return nil }
            let left = part.hasPrefix(":"), right = part.hasSuffix(":")
            alignments.append(left && right ? .center : right ? .right : .left)
        }
        return alignments
    }

    /// The cells of a `| a | b |` row; `\|` and `|` inside backticks do not split.
    static func cells(of line: String) -> [String] {
        var text = Substring(line.trimmingWhitespace())
        if text.hasPrefix("|") { text = text.dropFirst() }
        var cells: [String] = []
        var current = ""
        var inCode = false
        var escaped = false
        for ch in text {
            if escaped {
                current.append(ch == "|" ? "|" : ch)
                if ch != "|" { current.insert("\\", at: current.index(before: current.endIndex)) }
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == "`" {
                inCode.toggle()
                current.append(ch)
            } else if ch == "|" && !inCode {
                cells.append(current.trimmingWhitespace())
                current = ""
            } else {
                current.append(ch)
            }
        }
        if escaped { current.append("\\") }
        if !current.trimmingWhitespace().isEmpty { cells.append(current.trimmingWhitespace()) }
        return cells
    }
}
