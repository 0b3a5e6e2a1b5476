import Foundation

/// Runs one exercise in a fresh session and says whether it is done.
public enum ExerciseGrader {
    /// The default time an exercise may run.
    public static let defaultTimeLimit: Duration = .seconds(10)
    /// How a summarised failure says that more can be seen.
    public static let fullValuesHint = "add --full to see every value"

    /// Grades an exercise file; the file is only read, never written.
    public static func grade(_ exercise: Exercise, timeLimit: Duration = defaultTimeLimit, full: Bool = false) -> ExerciseGrade {
        guard FileManager.default.fileExists(atPath: exercise.path) else { return missing(exercise) }
        return grade(path: exercise.path, timeLimit: timeLimit, full: full)
    }

    /// The grade of the exercise file at `path`, read as `bnlab run` reads a script: a file that is
    /// not UTF-8, too large or not a regular file is an error grade, never a hang.
    public static func grade(path: String, timeLimit: Duration = defaultTimeLimit, full: Bool = false) -> ExerciseGrade {
        switch SourceReader.read(path) {
        case .failure(let diagnostic):
            let rendered = DiagnosticRenderer.render(diagnostic).split(separator: "\n").map(String.init)
            return ExerciseGrade(status: .error, summary: diagnostic.message, details: Array(rendered.dropFirst()))
        case .success(let file):
            return grade(file: file, timeLimit: timeLimit, full: full)
        }
    }

    /// The grade of an exercise whose file is gone.
    public static func missing(_ exercise: Exercise) -> ExerciseGrade {
        ExerciseGrade(status: .missing, summary: "bnlab reset \(exercise.id) restores it")
    }

    /// Grades exercise text as if it were the file at `path`. Hints are not part of the grade:
    /// the report points to `bnlab hint`, which gives them one at a time.
    public static func grade(source: String, path: String, timeLimit: Duration = defaultTimeLimit,
                             full: Bool = false) -> ExerciseGrade {
        grade(file: SourceFile(origin: .file(path: path), text: source), timeLimit: timeLimit, full: full)
    }

    static func grade(file: SourceFile, timeLimit: Duration, full: Bool) -> ExerciseGrade {
        // A blank still in the code (not in a comment or a string) means the learner has not started.
        if let tokens = try? Lexer.tokenize(file), let blank = tokens.first(where: { $0.kind == .unfinished }) {
            let line = file.location(of: blank.range.start).line
            return ExerciseGrade(status: .notStarted, summary: "replace the ??? on line \(line)")
        }
        let session = Session(output: { _ in })
        session.interpreter.deadline = ContinuousClock.now + timeLimit
        session.interpreter.checkValueDetail = CheckValueDetail(full: full, moreHint: fullValuesHint)
        guard let diagnostic = session.run(file) else {
            return ExerciseGrade(status: .done, summary: "every check passes")
        }
        switch diagnostic.kind {
        case .checkFailed:
            // One line per detail, so the report can indent every line the same way.
            var details = diagnostic.notes.flatMap { $0.message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
            if let location = diagnostic.locationDescription { details.insert("at \(location)", at: 0) }
            return ExerciseGrade(status: .failing, summary: diagnostic.message, details: details)
        case .timedOut:
            return ExerciseGrade(status: .timedOut, summary: timedOutSummary(timeLimit))
        case .unfinished:
            return ExerciseGrade(status: .notStarted, summary: "replace the ??? (\(diagnostic.locationDescription ?? "the exercise"))")
        case .error, .interrupted:
            let rendered = DiagnosticRenderer.render(diagnostic).split(separator: "\n").map(String.init)
            return ExerciseGrade(status: .error, summary: diagnostic.message, details: Array(rendered.dropFirst()))
        }
    }

    /// `still running after 5 s (a loop that never ends?)`, shown after "timed out: ".
    public static func timedOutSummary(_ limit: Duration) -> String {
        // Rounded to three digits: 0.3 s, not 0.30000000000000004 s from the attoseconds.
        "still running after \(SecondsText.inSeconds(SecondsText.seconds(limit))) (a loop that never ends?)"
    }
}
