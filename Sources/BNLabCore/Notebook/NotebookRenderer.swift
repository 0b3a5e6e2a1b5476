/// Lays out a lesson for reading: prose, cells as `In [k]:` and their output as `Out[k]:`.
public struct NotebookRenderer: Sendable {
    public let color: Bool
    public let width: Int
    private let prose: ProseRenderer

    public init(color: Bool, width: Int) {
        self.color = color
        self.width = width
        prose = ProseRenderer(color: color, width: width)
    }

    /// Prose lines, rendered; empty when they hold only blank lines.
    public func renderProse(_ lines: [NumberedLine]) -> String {
        prose.render(lines.map(\.text))
    }

    /// A fenced block that is not a cell: indented, never run.
    public func renderCode(_ lines: [NumberedLine]) -> String {
        lines.map { "    " + paint($0.text, "2") + "\n" }.joined()
    }

    /// The cell's code under an `In [k]:` label, continuation lines aligned with the first.
    public func renderCell(_ cell: LessonCell) -> String {
        let label = "In [\(cell.index)]: "
        let pad = String(repeating: " ", count: label.count)
        let code = cell.codeLines.isEmpty ? [""] : cell.codeLines
        return code.enumerated().map { k, line in
            (k == 0 ? paint(label, "1;32") : pad) + line.trimmingTrailingWhitespace() + "\n"
        }.joined()
    }

    /// What the cell showed under an `Out[k]:` label; empty when it showed nothing.
    ///
    /// Every line is shifted by the label's width, so tensor rows stay aligned.
    public func renderOutput(_ run: CellRun) -> String {
        var text = run.printed
        if let diagnostic = run.diagnostic {
            if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
            text += DiagnosticRenderer.render(diagnostic, color: color)
        }
        let lines = OutputCapture.lines(of: text)
        guard !lines.isEmpty else { return "" }
        let label = "Out[\(run.cell.index)]: "
        let pad = String(repeating: " ", count: label.count)
        return lines.enumerated().map { k, line in
            ((k == 0 ? paint(label, "1;31") : pad) + line).trimmingTrailingWhitespace() + "\n"
        }.joined()
    }

    /// The closing note: the lesson's exercises and how to check them.
    public func renderExercises(lesson: Lesson, exercises: [Exercise], folder: String?) -> String {
        guard !exercises.isEmpty else {
            return "Lesson \(lesson.number) has no exercises yet.\n"
        }
        var out = paint("Exercises for lesson \(lesson.number)", "1")
        if let folder { out += " (in \(folder))" }
        out += ":\n"
        let nameWidth = exercises.map(\.id.count).max() ?? 0
        let fileWidth = exercises.map { ($0.path.split(separator: "/").last ?? "").count }.max() ?? 0
        for exercise in exercises {
            let file = exercise.path.split(separator: "/").last.map(String.init) ?? exercise.path
            out += "  " + exercise.id + String(repeating: " ", count: nameWidth - exercise.id.count) + "  " + file
                + String(repeating: " ", count: fileWidth - file.count) + "  " + exercise.title + "\n"
        }
        let first = exercises[0].id
        out += "Edit them, then check your work with `bnlab check exercises \(lesson.number)`;"
            + " stuck? `bnlab hint \(first)`.\n"
        return out
    }

    private func paint(_ text: String, _ codes: String) -> String {
        color ? "\u{1B}[\(codes)m\(text)\u{1B}[0m" : text
    }
}
