/// Re-runs a lesson and compares every cell with its recorded output.
public enum LessonChecker {
    /// Runs the lesson in a fresh session and reports every disagreement.
    ///
    /// A cell that runs longer than `cellTimeLimit` stops with "timed out", so a runaway loop
    /// in a lesson fails the check instead of hanging it.
    public static func check(_ lesson: Lesson, interruptFlag: InterruptFlag? = nil,
                             cellTimeLimit: Duration? = .seconds(60)) -> LessonCheckReport {
        let runner = LessonRunner(lesson: lesson, interruptFlag: interruptFlag)
        runner.cellTimeLimit = cellTimeLimit
        var runs: [CellRun] = []
        for cell in lesson.cells {
            let run = runner.run(cell)
            runs.append(run)
            // Ctrl-C stops the whole check; later cells would only report its consequences.
            if run.diagnostic?.kind == .interrupted {
                return LessonCheckReport(lesson: lesson, runs: runs, findings: findings(for: lesson, runs: runs),
                                         interrupted: true)
            }
        }
        return LessonCheckReport(lesson: lesson, runs: runs, findings: findings(for: lesson, runs: runs),
                                 interrupted: false)
    }

    /// The disagreements between the lesson's recordings and the given runs of its cells.
    public static func findings(for lesson: Lesson, runs: [CellRun]) -> [CheckFinding] {
        var findings = lesson.problems.map { problem in
            CheckFinding(kind: .structure, lesson: lesson.number, cell: nil, line: nil, fileLine: problem.line,
                         message: problem.message)
        }
        for run in runs {
            findings += self.findings(for: run, in: lesson)
        }
        return findings
    }

    private static func findings(for run: CellRun, in lesson: Lesson) -> [CheckFinding] {
        let cell = run.cell
        if let diagnostic = run.diagnostic, !cell.expectsError || diagnostic.kind == .interrupted {
            // Where the error points, in the cell and in the file, when it points into this lesson.
            var line: Int?, fileLine = cell.firstCodeLine
            if let location = run.diagnosticCellLocation, location.cell == cell.index {
                line = location.line
                fileLine = cell.firstCodeLine + location.line - 1
            } else if let location = run.diagnosticCellLocation, lesson.cells.indices.contains(location.cell - 1) {
                fileLine = lesson.cells[location.cell - 1].firstCodeLine + location.line - 1
            }
            return [CheckFinding(kind: .cellFailed, lesson: lesson.number, cell: cell.index, line: line,
                                 fileLine: fileLine, message: "the cell stopped with an error",
                                 detail: DiagnosticRenderer.render(diagnostic, color: false))]
        }
        if cell.expectsError && run.diagnostic == nil {
            return [CheckFinding(kind: .expectedError, lesson: lesson.number, cell: cell.index, line: nil,
                                 fileLine: cell.openingFenceLine,
                                 message: "a ```bn error cell ran without an error", got: run.shownLines)]
        }
        let got = run.shownLines
        guard let output = cell.output else {
            guard !got.isEmpty else { return [] }
            return [CheckFinding(kind: .noOutputBlock, lesson: lesson.number, cell: cell.index, line: nil,
                                 fileLine: cell.lastLine,
                                 message: "the cell shows output but has no ```output block", got: got)]
        }
        return OutputComparison.differences(recorded: output.lines, got: got).map { difference in
            let message: String
            switch difference.kind {
            case .changed: message = "the output differs"
            case .notProduced: message = "this recorded line is no longer produced"
            case .notRecorded: message = "the cell shows a line that is not recorded"
            }
            return CheckFinding(kind: .init(difference.kind), lesson: lesson.number, cell: cell.index,
                                line: difference.recordedLine,
                                fileLine: output.fileLine(ofOutputLine: difference.recordedLine), message: message,
                                expected: difference.recorded.map { [$0] } ?? [], got: difference.got.map { [$0] } ?? [])
        }
    }
}

/// The outcome of checking one lesson.
public struct LessonCheckReport: Sendable {
    public let lesson: Lesson
    public let runs: [CellRun]
    public let findings: [CheckFinding]
    /// True when Ctrl-C stopped the run before the last cell.
    public let interrupted: Bool

    public var passed: Bool { findings.isEmpty && !interrupted }
}

/// One disagreement found by `bnlab check lessons`, located by lesson, cell and line.
public struct CheckFinding: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A recorded line differs from the produced one.
        case differs
        /// A recorded line is not produced any more.
        case notProduced
        /// A produced line is not recorded.
        case notRecorded
        /// The cell shows output but the lesson records none.
        case noOutputBlock
        /// A ```bn cell stopped with an error.
        case cellFailed
        /// A ```bn error cell ran to the end.
        case expectedError
        /// The file's structure is wrong (a fence never closed, an output block with no cell).
        case structure

        init(_ kind: LineDifference.Kind) {
            switch kind {
            case .changed: self = .differs
            case .notProduced: self = .notProduced
            case .notRecorded: self = .notRecorded
            }
        }
    }

    public let kind: Kind
    public let lesson: Int
    /// The cell (one-based), nil for a problem outside any cell.
    public let cell: Int?
    /// The line within the cell's output (or, for an error, within the cell's code).
    public let line: Int?
    /// The line in the lesson file.
    public let fileLine: Int
    public let message: String
    public let expected: [String]
    public let got: [String]
    /// A rendered diagnostic, for a cell that failed.
    public let detail: String?

    public init(kind: Kind, lesson: Int, cell: Int?, line: Int?, fileLine: Int, message: String,
                expected: [String] = [], got: [String] = [], detail: String? = nil) {
        self.kind = kind
        self.lesson = lesson
        self.cell = cell
        self.line = line
        self.fileLine = fileLine
        self.message = message
        self.expected = expected
        self.got = got
        self.detail = detail
    }

    /// `lesson 3, cell 4, line 1`, as much of it as applies.
    public var location: String {
        var parts = ["lesson \(lesson)"]
        if let cell { parts.append("cell \(cell)") }
        if let line { parts.append("line \(line)") } else if cell == nil { parts.append("line \(fileLine)") }
        return parts.joined(separator: ", ")
    }

    /// The finding as the checker prints it, ending with a newline.
    ///
    /// ```
    /// lesson 3, cell 4, line 1: the output differs
    ///   --> lessons/03-one-mean-per-channel.md:91
    ///   expected: 21.5000
    ///   got:      21.6000
    /// ```
    public func rendered(path: String, maxLines: Int = 20) -> String {
        var out = "\(location): \(message)\n  --> \(path):\(fileLine)\n"
        func block(_ label: String, _ lines: [String], empty: String) {
            let head = "  \(label)"
            let pad = String(repeating: " ", count: head.count)
            if lines.isEmpty {
                out += head + empty + "\n"
                return
            }
            for (k, line) in lines.prefix(maxLines).enumerated() { out += (k == 0 ? head : pad) + line + "\n" }
            if lines.count > maxLines { out += pad + "… (\(lines.count - maxLines) more lines)\n" }
        }
        switch kind {
        case .differs, .notProduced, .notRecorded:
            block("expected: ", expected, empty: "(no line)")
            block("got:      ", got, empty: "(no line)")
        case .noOutputBlock:
            block("expected: ", [], empty: "(no output block)")
            block("got:      ", got, empty: "(nothing)")
        case .expectedError:
            block("expected: ", [], empty: "an error")
            block("got:      ", got, empty: "(no output)")
        case .cellFailed, .structure:
            break
        }
        if let detail {
            for line in OutputCapture.lines(of: detail) { out += "    " + line + "\n" }
        }
        return out
    }
}
