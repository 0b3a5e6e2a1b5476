/// Rewrites a lesson's recorded outputs from a fresh run, and nothing else in the file.
public enum LessonBlesser {
    /// Why a lesson was not rewritten: blessing it would record a broken run.
    public struct Refusal: Error, Sendable {
        public let findings: [CheckFinding]
    }

    /// The lesson's text with every output block replaced by what its cell shows now.
    ///
    /// A cell with output but no block gets a new block after it. Everything outside the
    /// output blocks' contents is kept byte for byte, line endings included. Refuses when the
    /// file is malformed, a ```bn cell fails or a ```bn error cell does not.
    public static func blessedText(of lesson: Lesson, originalText: String, runs: [CellRun]) throws(Refusal) -> String {
        let blocking = LessonChecker.findings(for: lesson, runs: runs).filter {
            $0.kind == .structure || $0.kind == .cellFailed || $0.kind == .expectedError
        }
        guard blocking.isEmpty else { throw Refusal(findings: blocking) }
        // New lines take the file's first line ending.
        let crlf: [UInt8] = [13, 10]
        let newline = rawLines(originalText).first.map { Array($0.utf8.suffix(2)) == crlf } == true ? "\r\n" : "\n"
        // Replacements keyed by the file line (one-based) they start at: lines to drop, lines to write.
        var replacements: [Int: (dropping: Int, lines: [String])] = [:]
        for run in runs {
            let got = run.shownLines
            if let output = run.cell.output, let closing = output.closingFenceLine {
                let openingIndex = output.openingFenceLine - 1
                let openingText = lesson.lines.indices.contains(openingIndex) ? lesson.lines[openingIndex] : ""
                if let fence = Fence(opening: openingText),
                   !got.contains(where: fence.isClosed(by:)) {
                    replacements[output.openingFenceLine + 1] = (closing - output.openingFenceLine - 1, got)
                } else {
                    // A new line would close this block's fence early: write the block with longer fences.
                    let ticks = String(repeating: "`", count: fenceLength(for: got))
                    replacements[output.openingFenceLine] = (closing - output.openingFenceLine + 1,
                                                             [ticks + "output"] + got + [ticks])
                }
            } else if run.cell.output == nil, !got.isEmpty, let closing = run.cell.closingFenceLine {
                let ticks = String(repeating: "`", count: fenceLength(for: got))
                replacements[closing + 1] = (0, [""] + [ticks + "output"] + got + [ticks])
            }
        }
        // Unchanged lines are copied with their own terminators, so mixed line endings survive.
        let raw = rawLines(originalText)
        var text = ""
        func appendNew(_ line: String) {
            if !text.isEmpty && text.utf8.last != UInt8(ascii: "\n") { text += newline }
            text += line + newline
        }
        var line = 1
        while line <= raw.count + 1 {
            if let replacement = replacements[line] {
                replacement.lines.forEach(appendNew)
                if replacement.dropping > 0 {
                    line += replacement.dropping
                    continue
                }
            }
            if line <= raw.count { text += raw[line - 1] }
            line += 1
        }
        return text
    }

    /// The text's lines, each with its terminator (the last may have none).
    static func rawLines(_ text: String) -> [String] {
        var lines: [String] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            current.append(byte)
            if byte == UInt8(ascii: "\n") {
                lines.append(String(decoding: current, as: UTF8.self))
                current = []
            }
        }
        if !current.isEmpty { lines.append(String(decoding: current, as: UTF8.self)) }
        return lines
    }

    /// Three backticks, or one more than the longest backtick run that starts a line of `lines`.
    static func fenceLength(for lines: [String]) -> Int {
        var longest = 0
        for line in lines {
            let indent = line.prefix { $0 == " " }.count
            guard indent <= 3 else { continue }
            longest = max(longest, line.dropFirst(indent).prefix { $0 == "`" }.count)
        }
        return max(3, longest + 1)
    }
}
