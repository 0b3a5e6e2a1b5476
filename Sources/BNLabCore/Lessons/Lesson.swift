/// A parsed lesson file: its prose, its code cells and their recorded outputs, with line numbers.
public struct Lesson: Sendable {
    /// The number from the file name (`03-one-mean-per-channel.md` is lesson 3).
    public let number: Int
    /// The file name without the number and extension (`one-mean-per-channel`).
    public let slug: String
    /// Where the lesson was read from.
    public let path: String
    /// The text of the first `# ` heading, or the slug when there is none.
    public let title: String
    /// The file's lines without their terminators; `lines[0]` is line 1.
    public let lines: [String]
    /// Prose, other code blocks and cells, in file order.
    public let blocks: [LessonBlock]
    /// Structural problems found while parsing (an unclosed fence, an output block with no cell).
    public let problems: [LessonProblem]

    public init(number: Int, slug: String, path: String, title: String, lines: [String],
                blocks: [LessonBlock], problems: [LessonProblem]) {
        self.number = number
        self.slug = slug
        self.path = path
        self.title = title
        self.lines = lines
        self.blocks = blocks
        self.problems = problems
    }

    /// The `bn` cells, in order; `cells[0]` is cell 1.
    public var cells: [LessonCell] {
        blocks.compactMap { block in
            if case .cell(let cell) = block { return cell }
            return nil
        }
    }

    /// The folder name shared by the lesson and its exercises, e.g. `03-one-mean-per-channel`.
    public var directoryName: String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 2 - digits.count)) + digits + "-" + slug
    }
}

/// One piece of a lesson in file order.
public enum LessonBlock: Sendable {
    /// Markdown prose, rendered for the reader.
    case prose([NumberedLine])
    /// A fenced block that is not a cell (an example in another language); shown, never run.
    case code(info: String, lines: [NumberedLine])
    /// A `bn` cell with its recorded output, if any.
    case cell(LessonCell)
}

/// A line of a lesson file together with its one-based line number.
public struct NumberedLine: Sendable, Equatable {
    public let number: Int
    public let text: String

    public init(number: Int, text: String) {
        self.number = number
        self.text = text
    }
}

/// A fenced `bn` block: code that runs in the lesson's session.
public struct LessonCell: Sendable {
    /// One-based position among the lesson's cells, as diagnostics name it.
    public let index: Int
    /// The cell's code lines.
    public let codeLines: [String]
    /// The file line of the opening fence (the code starts on the next line).
    public let openingFenceLine: Int
    /// The file line of the closing fence, nil when the fence was never closed.
    public let closingFenceLine: Int?
    /// True for a ` ```bn error ` cell, whose recorded output ends with a diagnostic.
    public let expectsError: Bool
    /// The ` ```output ` block that follows the cell.
    public var output: RecordedOutput?

    public init(index: Int, codeLines: [String], openingFenceLine: Int, closingFenceLine: Int?,
                expectsError: Bool, output: RecordedOutput? = nil) {
        self.index = index
        self.codeLines = codeLines
        self.openingFenceLine = openingFenceLine
        self.closingFenceLine = closingFenceLine
        self.expectsError = expectsError
        self.output = output
    }

    /// The code as one string, each line ending in a newline.
    public var code: String {
        codeLines.map { $0 + "\n" }.joined()
    }

    /// The file line of the first code line.
    public var firstCodeLine: Int { openingFenceLine + 1 }

    /// The last file line that belongs to the cell (its closing fence, or its last code line).
    public var lastLine: Int { closingFenceLine ?? (openingFenceLine + codeLines.count) }
}

/// The recorded output of a cell: the lines between ` ```output ` and its closing fence.
public struct RecordedOutput: Sendable {
    public let lines: [String]
    /// The file line of ` ```output `.
    public let openingFenceLine: Int
    /// The file line of the closing fence, nil when the fence was never closed.
    public let closingFenceLine: Int?

    public init(lines: [String], openingFenceLine: Int, closingFenceLine: Int?) {
        self.lines = lines
        self.openingFenceLine = openingFenceLine
        self.closingFenceLine = closingFenceLine
    }

    /// The file line of output line `k` (one-based).
    public func fileLine(ofOutputLine k: Int) -> Int { openingFenceLine + k }
}

/// Something wrong with a lesson file's structure, found without running it.
public struct LessonProblem: Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}
