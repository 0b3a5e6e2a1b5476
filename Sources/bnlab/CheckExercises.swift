import ArgumentParser
import BNLabCore
import Foundation

/// `bnlab check exercises [N] [--watch]`: grades the learner's exercises, rustlings-style.
struct CheckExercises {
    let number: Int?
    let watch: Bool
    let timeLimit: Double

    /// Grades once (or until Ctrl-C with --watch) and returns the exit code: 0 only when all are done.
    func run() throws -> Int32 {
        guard let catalog = try LessonLibrary.catalog(for: "check exercises") else { return 1 }
        if let number, catalog.exercises(forLesson: number).isEmpty {
            Terminal.writeError("bnlab check exercises: lesson \(number) has no exercises\n\n" + LessonListing.render(catalog))
            throw ExitCode(64)
        }
        let runner = ExerciseRunner(timeLimit: timeLimit)
        guard watch else {
            let report = grade(catalog, runner)
            Terminal.write(report.text)
            return report.allDone ? 0 : 1
        }
        return watchLoop(catalog, runner)
    }

    private func exercises(_ catalog: LessonCatalog) -> [Exercise] {
        number.map { catalog.exercises(forLesson: $0) } ?? catalog.allExercises()
    }

    private func grade(_ catalog: LessonCatalog, _ runner: ExerciseRunner) -> ExerciseReport {
        let color = Terminal.colorEnabled(for: STDOUT_FILENO)
        let results = exercises(catalog).map { exercise in
            let shown = Exercise(lesson: exercise.lesson, number: exercise.number, slug: exercise.slug,
                             path: LessonLibrary.displayPath(exercise.path), title: exercise.title, hints: exercise.hints)
            return (exercise: shown, grade: runner.grade(exercise))
        }
        return ExerciseReport(results: results, color: color)
    }

    /// Re-grades whenever an exercise file changes (polling twice a second), clearing the screen
    /// between runs as rustlings does; Ctrl-C ends it.
    private func watchLoop(_ catalog: LessonCatalog, _ runner: ExerciseRunner) -> Int32 {
        Interrupts.install()
        var lastStamps: [String: Date]?
        while !Interrupts.flag.isRaised {
            let stamps = Dictionary(exercises(catalog).map { ($0.path, modificationDate($0.path)) },
                                    uniquingKeysWith: { a, _ in a })
            if stamps != lastStamps {
                lastStamps = stamps
                let report = grade(catalog, runner)
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
