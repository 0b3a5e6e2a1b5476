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

    /// The closing note: the lesson's exercises and how to check them, laid out for `width`
    /// (commands are coloured, never wrapped in backticks).
    public func renderExercises(lesson: Lesson, exercises: [Exercise], folder: String?) -> String {
        guard !exercises.isEmpty else {
            return "Lesson \(lesson.number) has no exercises yet.\n"
        }
        var out = ""
        let heading = "Exercises for lesson \(lesson.number)"
        if let folder, TextWidth.of(heading) + 5 + TextWidth.of(folder) <= width {
            out += paint(heading, "1") + ", in \(folder)\n"
        } else {
            out += paint(heading, "1") + "\n"
            if let folder { out += "  in \(folder)\n" }
        }
        let files = exercises.map { $0.path.split(separator: "/").last.map(String.init) ?? $0.path }
        let nameWidth = exercises.map { TextWidth.of($0.id) }.max() ?? 0
        let fileWidth = files.map { TextWidth.of($0) }.max() ?? 0
        for (exercise, file) in zip(exercises, files) {
            let name = "  " + exercise.id + String(repeating: " ", count: nameWidth - TextWidth.of(exercise.id)) + "  "
            let lead = name + file + String(repeating: " ", count: fileWidth - TextWidth.of(file)) + "  "
            if TextWidth.of(lead) + 16 <= width {
                let pad = String(repeating: " ", count: TextWidth.of(lead))
                out += TextWidth.wrap(exercise.title, width: width, first: lead, rest: pad).joined(separator: "\n") + "\n"
            } else {
                // Too narrow for three columns: the title goes under the file name.
                let pad = String(repeating: " ", count: TextWidth.of(name))
                out += name + file + "\n"
                out += TextWidth.wrap(exercise.title, width: width, first: pad, rest: pad).joined(separator: "\n") + "\n"
            }
        }
        let labels = ["Check your work:", "Stuck?"]
        let commands = ["bnlab check exercises \(lesson.number)", "bnlab hint \(exercises[0].id)"]
        let labelWidth = labels.map { TextWidth.of($0) }.max() ?? 0
        for (label, command) in zip(labels, commands) {
            let gap = String(repeating: " ", count: labelWidth - TextWidth.of(label) + 2)
            if TextWidth.of(label) + gap.count + TextWidth.of(command) <= width {
                out += label + gap + paint(command, "36") + "\n"
            } else {
                out += label + "\n  " + paint(command, "36") + "\n"
            }
        }
        return out
    }

    /// The line shown while a lesson waits between cells, the longest that fits in `columns`
    /// without wrapping (a wrapped footer cannot be erased, and would stay behind as stale lines);
    /// `width` is its width on screen.
    public func pauseFooter(columns: Int) -> (text: String, width: Int) {
        let choices = [
            "── Enter: next · r: REPL on this lesson's variables · q: quit ──",
            "── Enter: next · r: REPL · q: quit ──",
            "Enter: next · r: REPL · q: quit",
            "Enter · r · q",
        ]
        // One column stays free: writing into the last one makes some terminals wrap at once.
        let text = choices.first { TextWidth.of($0) + 2 <= columns } ?? choices[choices.count - 1]
        let shown = text + " "
        return (paint(text, "2") + " ", TextWidth.of(shown))
    }

    /// What the keys at a pause do, wrapped to `columns` (shown after a key that does nothing).
    public func pauseHelp(columns: Int) -> String {
        let text = "Enter runs the next cell, r opens a REPL on this lesson's variables (they are put back "
            + "when you leave it), q or Ctrl-D quits, Ctrl-C quits at once."
        return TextWidth.wrap(text, width: max(20, columns - 1)).joined(separator: "\n") + "\n"
    }

    /// A one-line remark for the reader, wrapped with a hanging indent if the terminal is narrow.
    /// `(ran 2.4 s)`, dimmed, under the output of a cell that took over a second; empty otherwise.
    public func renderElapsed(_ elapsed: Duration) -> String {
        guard elapsed > .seconds(1) else { return "" }
        return paint("(ran \(SecondsText.inSeconds(SecondsText.seconds(elapsed))))", "2") + "\n"
    }

    public func notice(_ text: String, columns: Int) -> String {
        let lines = TextWidth.wrap(text, width: max(20, columns - 1), first: "", rest: "  ")
        return lines.map { paint($0, "33") }.joined(separator: "\n") + "\n"
    }

    private func paint(_ text: String, _ codes: String) -> String {
        color ? "\u{1B}[\(codes)m\(text)\u{1B}[0m" : text
    }
}
