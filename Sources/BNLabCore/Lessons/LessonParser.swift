/// Reads a lesson's Markdown by hand, keeping every line number (no Markdown dependency).
public enum LessonParser {
    /// The lesson number and slug of a file name like `03-one-mean-per-channel.md`, or nil.
    public static func nameParts(ofFileName name: String) -> (number: Int, slug: String)? {
        guard name.hasSuffix(".md") else { return nil }
        let stem = name.dropLast(3)
        let digits = stem.prefix { $0.isASCII && $0.isNumber }
        // Two to four digits: a longer run is not a lesson number and would not fit an Int anyway.
        guard (1...4).contains(digits.count), let number = Int(digits) else { return nil }
        let rest = stem.dropFirst(digits.count)
        guard rest.first == "-", rest.count > 1 else { return nil }
        return (number, String(rest.dropFirst()))
    }

    /// Splits text into lines without terminators; a final newline does not start an empty line.
    public static func splitLines(_ text: String) -> [String] {
        // Split on bytes: in Swift "\r\n" is one Character and would not match "\n".
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            let bytes = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            return String(decoding: bytes, as: UTF8.self)
        }
        if text.utf8.last == UInt8(ascii: "\n") { lines.removeLast() }
        return lines
    }

    /// Parses a lesson's text. Never fails: problems in the structure are collected in `problems`.
    public static func parse(text: String, number: Int, slug: String, path: String) -> Lesson {
        let lines = splitLines(text)
        var blocks: [LessonBlock] = []
        var prose: [NumberedLine] = []
        var problems: [LessonProblem] = []
        var title: String?
        var cellCount = 0
        // The block index of the last cell while only blank lines have followed it.
        var cellAwaitingOutput: Int?

        func flushProse() {
            if !prose.isEmpty { blocks.append(.prose(prose)) }
            prose = []
        }

        var i = 0
        while i < lines.count {
            let lineNumber = i + 1
            guard let fence = Fence(opening: lines[i]) else {
                let text = lines[i]
                if title == nil, let heading = Self.heading(text), heading.level == 1 { title = heading.text }
                if !text.allSatisfy(\.isWhitespace) { cellAwaitingOutput = nil }
                prose.append(NumberedLine(number: lineNumber, text: text))
                i += 1
                continue
            }
            // Collect the fenced lines up to the closing fence, or to the end of the file.
            var body: [String] = []
            var closing: Int?
            var j = i + 1
            while j < lines.count {
                if fence.isClosed(by: lines[j]) {
                    closing = j + 1
                    break
                }
                body.append(fence.removingIndent(lines[j]))
                j += 1
            }
            if closing == nil {
                problems.append(LessonProblem(line: lineNumber, message: "this code fence is never closed"))
            }
            let words = fence.info.split(whereSeparator: \.isWhitespace).map(String.init)
            let kind = words.first?.lowercased() ?? ""
            let attributes = words.dropFirst()
            flushProse()
            switch kind {
            case "bn":
                cellCount += 1
                var expectsError = false
                for attribute in attributes {
                    if attribute == "error" {
                        expectsError = true
                    } else {
                        problems.append(LessonProblem(
                            line: lineNumber,
                            message: "unknown cell attribute '\(attribute)' (a cell is ```bn or ```bn error)"))
                    }
                }
                let cell = LessonCell(index: cellCount, codeLines: body, openingFenceLine: lineNumber,
                                      closingFenceLine: closing, expectsError: expectsError)
                blocks.append(.cell(cell))
                cellAwaitingOutput = blocks.count - 1
            case "output":
                if !attributes.isEmpty {
                    problems.append(LessonProblem(line: lineNumber, message: "an output block takes no attributes"))
                }
                let output = RecordedOutput(lines: body, openingFenceLine: lineNumber, closingFenceLine: closing)
                if let index = cellAwaitingOutput, case .cell(var cell) = blocks[index], cell.output == nil {
                    cell.output = output
                    blocks[index] = .cell(cell)
                } else {
                    problems.append(LessonProblem(
                        line: lineNumber, message: "this output block does not follow a ```bn cell"))
                    blocks.append(.code(info: fence.info, lines: numbered(body, from: lineNumber + 1)))
                }
                cellAwaitingOutput = nil
            default:
                blocks.append(.code(info: fence.info, lines: numbered(body, from: lineNumber + 1)))
                cellAwaitingOutput = nil
            }
            i = (closing ?? lines.count)
        }
        flushProse()
        if title == nil {
            problems.append(LessonProblem(line: 1, message: "the lesson has no '# ' title"))
        }
        return Lesson(number: number, slug: slug, path: path, title: title ?? slug, lines: lines,
                      blocks: blocks, problems: problems)
    }

    /// An ATX heading's level and text (`## Goal` is level 2, `Goal`), or nil.
    public static func heading(_ line: String) -> (level: Int, text: String)? {
        let trimmed = line.drop { $0 == " " }
        guard line.count - trimmed.count <= 3 else { return nil }
        let hashes = trimmed.prefix { $0 == "#" }
        guard (1...6).contains(hashes.count) else { return nil }
        let rest = trimmed.dropFirst(hashes.count)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        var text = rest.trimmingWhitespace()
        // A closing run of #s is decoration (`## Goal ##`), unless it is the whole text.
        let withoutClosing = text.reversed().drop { $0 == "#" }
        if withoutClosing.count < text.count, withoutClosing.first == " " {
            text = String(withoutClosing.reversed()).trimmingWhitespace()
        }
        return (hashes.count, text)
    }

    private static func numbered(_ lines: [String], from first: Int) -> [NumberedLine] {
        lines.enumerated().map { NumberedLine(number: first + $0.offset, text: $0.element) }
    }
}

/// A Markdown code fence: ``` or ~~~, three or more, up to three spaces of indent.
struct Fence {
    let character: Character
    let length: Int
    let indent: Int
    let info: String

    /// The fence a line opens, or nil when the line is not an opening fence.
    init?(opening line: String) {
        let indent = line.prefix { $0 == " " }.count
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        guard let first = rest.first, first == "`" || first == "~" else { return nil }
        let run = rest.prefix { $0 == first }.count
        guard run >= 3 else { return nil }
        let info = rest.dropFirst(run).trimmingWhitespace()
        // CommonMark: a backtick fence's info string cannot contain a backtick (it is inline code).
        if first == "`" && info.contains("`") { return nil }
        self.character = first
        self.length = run
        self.indent = indent
        self.info = info
    }

    /// True when the line closes this fence: the same character, at least as many, nothing after.
    func isClosed(by line: String) -> Bool {
        let indent = line.prefix { $0 == " " }.count
        guard indent <= 3 else { return false }
        let rest = line.dropFirst(indent)
        let run = rest.prefix { $0 == character }.count
        return run >= length && rest.dropFirst(run).allSatisfy(\.isWhitespace)
    }

    /// A content line with up to the fence's own indent removed, as CommonMark does.
    func removingIndent(_ line: String) -> String {
        let spaces = min(indent, line.prefix { $0 == " " }.count)
        return String(line.dropFirst(spaces))
    }
}

