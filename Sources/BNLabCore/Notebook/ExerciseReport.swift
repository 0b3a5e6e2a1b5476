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
    public var allDone: Bool { !results.isEmpty && doneCount == results.count }

    /// The first exercise that is not done, in lesson order.
    public var next: (exercise: Exercise, grade: ExerciseGrade)? {
        results.first { $0.grade.status != .done }
    }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// The line for one exercise, and its details for failures and errors.
    public func lines(for exercise: Exercise, _ grade: ExerciseGrade) -> [String] {
        let name = "\(exercise.id) \(exercise.title)"
        let padded = name.count < 40 ? name + String(repeating: " ", count: 40 - name.count) : name + " "
        let mark: String
        switch grade.status {
        case .done: mark = paint("✓", "32")
        case .notStarted: mark = paint("·", "2")
        case .failing: mark = paint("✗", "31")
        case .error: mark = paint("!", "31")
        case .timedOut: mark = paint("⧗", "33")
        }
        var status = grade.status.rawValue
        if grade.status != .done { status += ": " + grade.summary }
        var lines = ["\(mark) \(padded)\(status)"]
        if grade.status == .failing || grade.status == .error || grade.status == .timedOut {
            lines += grade.details.map { "      " + $0 }
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
        if let (exercise, _) = next {
            lines.append("next: \(exercise.id) \(exercise.title) — \(exercise.path)")
            lines.append("      stuck? bnlab hint \(exercise.id)")
        } else if !results.isEmpty {
            lines.append("all done: every check passes")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
