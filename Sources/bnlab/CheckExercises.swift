import ArgumentParser
import BNLabCore
import Foundation

/// `bnlab check exercises [N] [--watch] [--full]`: grades the learner's exercises, rustlings-style.
struct CheckExercises {
    let number: Int?
    let watch: Bool
    let timeLimit: Double
    var full = false

    /// Grades once (or until Ctrl-C with --watch) and returns the exit code: 0 only when all are
    /// done, 130 when Ctrl-C stopped a single round.
    func run() throws -> Int32 {
        guard let catalog = try LessonLibrary.catalog(for: "check exercises") else { return 1 }
        if let number, catalog.exercises(forLesson: number).isEmpty {
            Terminal.writeError("bnlab check exercises: lesson \(number) has no exercises\n\n" + LessonListing.render(catalog))
            throw ExitCode(64)
        }
        // Ctrl-C raises the flag: the running child is ended and the round stops within a poll.
        Interrupts.install()
        let runner = ExerciseRunner(timeLimit: timeLimit, full: full, interrupt: Interrupts.flag)
        guard watch else {
            guard let report = grade(catalog, runner) else {
                Terminal.writeError("\ninterrupted\n")
                return 130
            }
            Terminal.write(report.text)
            return report.allDone ? 0 : 1
        }
        return watchLoop(catalog, runner)
    }

    private func exercises(_ catalog: LessonCatalog) -> [Exercise] {
        number.map { catalog.exercises(forLesson: $0) } ?? catalog.allExercises()
    }

    /// One round of grading, or nil when Ctrl-C stopped it.
    private func grade(_ catalog: LessonCatalog, _ runner: ExerciseRunner) -> ExerciseReport? {
        let color = Terminal.colorEnabled(for: STDOUT_FILENO)
        var results: [(exercise: Exercise, grade: ExerciseGrade)] = []
        for exercise in exercises(catalog) {
            if Interrupts.flag.isRaised { return nil }
            let shown = Exercise(lesson: exercise.lesson, number: exercise.number, slug: exercise.slug,
                                 path: LessonLibrary.displayPath(exercise.path), title: exercise.title, hints: exercise.hints)
            // The child runs in this directory, so the shown (relative) path names the same file
            // and its diagnostics show the path as the learner sees it.
            let grade = runner.grade(shown)
            if Interrupts.flag.isRaised { return nil }
            results.append((shown, grade))
        }
        return ExerciseReport(results: results, color: color)
    }

    /// Re-grades whenever an exercise file changes (polling twice a second), clearing the screen
    /// between runs as rustlings does; Ctrl-C ends it.
    private func watchLoop(_ catalog: LessonCatalog, _ runner: ExerciseRunner) -> Int32 {
        var lastStamps: [String: Date]?
        while !Interrupts.flag.isRaised {
            let stamps = Dictionary(exercises(catalog).map { ($0.path, modificationDate($0.path)) },
                                    uniquingKeysWith: { a, _ in a })
            if stamps != lastStamps {
                lastStamps = stamps
                guard let report = grade(catalog, runner) else { break }
                if Terminal.stdoutIsTerminal { Terminal.write("\u{1B}[2J\u{1B}[H") }
                Terminal.write(report.text)
                Terminal.write("\nwatching for changes… (Ctrl-C to stop)\n")
            }
            usleep(500_000)
        }
        Terminal.write("\n")
        return 0
    }

    private func modificationDate(_ path: String) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
    }
}
