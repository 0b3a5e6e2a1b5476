/// Runs a lesson's cells top to bottom in one session, capturing what each cell shows.
public final class LessonRunner {
    public let lesson: Lesson
    /// The lesson's session: later cells (and a REPL opened mid-lesson) see earlier variables.
    public let session: Session
    private let capture: OutputCapture
    /// How long one cell may run before it stops with "timed out"; nil for no limit.
    public var cellTimeLimit: Duration?

    /// `passthrough` receives output produced outside `run(_:)`, e.g. by a REPL on the session.
    public init(lesson: Lesson, interruptFlag: InterruptFlag? = nil,
                passthrough: @escaping (String) -> Void = { _ in }) {
        self.lesson = lesson
        let capture = OutputCapture(passthrough: passthrough)
        self.capture = capture
        session = Session(output: { capture.receive($0) })
        session.interpreter.interruptFlag = interruptFlag
    }

    /// Runs one cell and returns what it showed.
    public func run(_ cell: LessonCell) -> CellRun {
        capture.start()
        let file = SourceFile(origin: .cell(lesson: lesson.number, cell: cell.index), text: cell.code, firstLine: 1)
        session.interpreter.deadline = cellTimeLimit.map { ContinuousClock.now + $0 }
        let start = ContinuousClock.now
        let diagnostic = session.run(file)
        let elapsed = ContinuousClock.now - start
        session.interpreter.deadline = nil
        return CellRun(cell: cell, printed: capture.stop(), diagnostic: diagnostic, elapsed: elapsed)
    }

    /// Runs every cell in order.
    public func runAll() -> [CellRun] {
        lesson.cells.map(run)
    }
}

/// What running one cell produced.
public struct CellRun: Sendable {
    public let cell: LessonCell
    /// Everything the session wrote while the cell ran: displayed values and `print` output.
    public let printed: String
    /// The error that stopped the cell, if any.
    public let diagnostic: Diagnostic?
    /// How long the cell ran (shown on a terminal when over a second; never recorded).
    public var elapsed: Duration = .zero

    /// What the cell shows: its printed text, then its diagnostic (colour off) if it stopped.
    public var shown: String {
        guard let diagnostic else { return printed }
        var text = printed
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        return text + DiagnosticRenderer.render(diagnostic, color: false)
    }

    /// `shown` as lines, trailing whitespace removed, as an output block records them.
    public var shownLines: [String] {
        OutputCapture.lines(of: shown)
    }

    /// The cell and line within it (one-based) that the diagnostic points at, when that is a cell.
    ///
    /// Usually this cell; an error inside a function reports where the function was defined.
    public var diagnosticCellLocation: (cell: Int, line: Int)? {
        guard let diagnostic, let file = diagnostic.file, let range = diagnostic.range,
              case .cell(_, let cell) = file.origin else { return nil }
        return (cell, file.location(of: range.start).line - file.firstLine + 1)
    }
}

/// Collects a session's output while a cell runs and forwards it otherwise.
final class OutputCapture {
    private let passthrough: (String) -> Void
    private var buffer: String?

    init(passthrough: @escaping (String) -> Void) {
        self.passthrough = passthrough
    }

    func start() { buffer = "" }

    func stop() -> String {
        defer { buffer = nil }
        return buffer ?? ""
    }

    func receive(_ text: String) {
        if buffer != nil { buffer? += text } else { passthrough(text) }
    }

    /// Text as lines without trailing whitespace; a final newline does not start an empty line.
    static func lines(of text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        return LessonParser.splitLines(text).map { $0.trimmingTrailingWhitespace() }
    }
}
