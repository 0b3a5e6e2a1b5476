import Foundation

/// Runs one exercise in a fresh session and says whether it is done.
public enum ExerciseGrader {
    /// The default time an exercise may run.
    public static let defaultTimeLimit: Duration = .seconds(5)

    /// Grades an exercise file; the file is only read, never written.
    public static func grade(_ exercise: Exercise, timeLimit: Duration = defaultTimeLimit) -> ExerciseGrade {
        guard let data = FileManager.default.contents(atPath: exercise.path),
              let text = String(data: data, encoding: .utf8) else {
            return ExerciseGrade(status: .error, summary: "cannot read \(exercise.path)")
        }
        return grade(source: text, path: exercise.path, hints: exercise.hints, timeLimit: timeLimit)
    }

    /// Grades exercise text as if it were the file at `path`.
    public static func grade(source: String, path: String, hints: [String], timeLimit: Duration = defaultTimeLimit) -> ExerciseGrade {
        let file = SourceFile(origin: .file(path: path), text: source)
        let hintLines = hints.map { "hint: " + $0 }
        // A blank still in the code (not in a comment or a string) means the learner has not started.
        if let tokens = try? Lexer.tokenize(file), let blank = tokens.first(where: { $0.kind == .unfinished }) {
            let line = file.location(of: blank.range.start).line
            return ExerciseGrade(status: .notStarted, summary: "replace the ??? on line \(line)", details: hintLines)
        }
        let session = Session(output: { _ in })
        session.interpreter.deadline = ContinuousClock.now + timeLimit
        guard let diagnostic = session.run(file) else {
            return ExerciseGrade(status: .done, summary: "every check passes")
        }
        switch diagnostic.kind {
        case .checkFailed:
            var details = diagnostic.notes.map { note in
                // "got      [1, 2]" and "expected [1, 3]" keep their alignment.
                note.message.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  ")
            }
            if let location = diagnostic.locationDescription { details.insert("at \(location)", at: 0) }
            return ExerciseGrade(status: .failing, summary: diagnostic.message, details: details + hintLines)
        case .timedOut:
            let seconds = Double(timeLimit.components.seconds) + Double(timeLimit.components.attoseconds) * 1e-18
            return ExerciseGrade(status: .timedOut, summary: "timed out after \(formatSeconds(seconds)) (a loop that never ends?)",
                                 details: hintLines)
        case .unfinished:
            return ExerciseGrade(status: .notStarted, summary: "replace the ??? (\(diagnostic.locationDescription ?? path))",
                                 details: hintLines)
        case .error, .interrupted:
            let rendered = DiagnosticRenderer.render(diagnostic).split(separator: "\n").map(String.init)
            return ExerciseGrade(status: .error, summary: diagnostic.message, details: Array(rendered.dropFirst()))
        }
    }

    static func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}
