/// The text of `bnlab check exercises`: one line per exercise, details under the unfinished
/// ones, a progress bar, `N/M done`, and the next exercise to work on.
public struct ExerciseReport {
    public let results: [(exercise: Exercise, grade: ExerciseGrade)]
    public let color: Bool

    public init(results: [(exercise: Exercise, grade: ExerciseGrade)], color: Bool) {
        self.results = results
        self.color = color
    }

    public var doneCount: Int { results.filter { $0.grade.status == .done }.count }
    /// The exercises whose files are gone.
    public var missing: [Exercise] { results.filter { $0.grade.status == .missing }.map(\.exercise) }
    public var allDone: Bool { !results.isEmpty && doneCount == results.count }

    /// The first exercise that is not done, in lesson order.
    public var next: (exercise: Exercise, grade: ExerciseGrade)? {
        results.first { $0.grade.status != .done }
    }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// The width of the name column (`3.2 the channel variance`); longer names end in `…`.
    public static let nameWidth = 40
    /// Where details start under an exercise's line.
    static let detailIndent = "      "

    /// The name column: the exercise's number and title, cut with `…` or padded to `nameWidth`,
    /// always followed by at least one space so the status column starts in one place.
    static func nameColumn(_ exercise: Exercise) -> String {
        let name = "\(exercise.id) \(exercise.title)"
        if name.count >= nameWidth { return String(name.prefix(nameWidth - 2)) + "… " }
        return name + String(repeating: " ", count: nameWidth - name.count)
    }

    /// The line for one exercise, and its details for failures, errors and time-outs, with where
    /// to get a hint.
    public func lines(for exercise: Exercise, _ grade: ExerciseGrade) -> [String] {
        let mark: String
        switch grade.status {
        case .done: mark = paint("✓", "32")
        case .notStarted: mark = paint("·", "2")
        case .failing: mark = paint("✗", "31")
        case .error: mark = paint("!", "31")
        case .timedOut: mark = paint("⧗", "33")
        case .missing: mark = paint("?", "31")
        }
        var status = grade.status.rawValue
        if grade.status != .done { status += ": " + grade.summary }
        var lines = ["\(mark) \(Self.nameColumn(exercise))\(status)"]
        if grade.status == .failing || grade.status == .error || grade.status == .timedOut {
            // Details may hold several lines each; every line gets the same indent.
            let detailLines = grade.details.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false) }
            lines += detailLines.map { Self.detailIndent + $0 }
            lines.append(Self.detailIndent + "stuck? bnlab hint \(exercise.id)")
        }
        return lines
    }

    /// `[██████░░░░░░░░░░░░░░] 5/21 done`.
    public var progressLine: String {
        let total = max(results.count, 1), width = 30
        let filled = doneCount * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        return "[\(paint(bar, "32"))] \(doneCount)/\(results.count) done"
    }

    /// The whole report, ending with a newline.
    public var text: String {
        var lines: [String] = []
        for (exercise, grade) in results { lines += self.lines(for: exercise, grade) }
        if results.isEmpty { lines.append("no exercises found") }
        lines.append("")
        lines.append(progressLine)
        if !missing.isEmpty {
            let ids = missing.map(\.id).joined(separator: ", ")
            lines.append("missing: \(ids) (counted as not done; bnlab reset restores a file as shipped)")
        }
        if let (exercise, _) = next {
            lines.append("next: \(exercise.id) \(exercise.title) — \(exercise.path)")
            lines.append("      stuck? bnlab hint \(exercise.id)")
        } else if !results.isEmpty {
            lines.append("all done: every check passes")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
