import ArgumentParser
import BNLabCore
import Foundation

/// Bare `bnlab`: where the learner is, rustlings-style — the lesson and cell last reached, the
/// exercises done, the next one, and the commands to go on.
enum LearnerStatus {
    /// Prints the status; the exit code (1 when the lessons cannot be found).
    static func run() throws -> Int32 {
        guard let catalog = try LessonLibrary.catalog(for: "") else { return 1 }
        let progress = LearnerProgress.defaultPath(environment: ProcessInfo.processInfo.environment)
            .flatMap(LearnerProgress.load(from:))
        let runner = ExerciseRunner(timeLimit: 5)
        let exercises = catalog.allExercises()
        let done = exercises.map { runner.grade($0).status == .done }
        Terminal.write(render(catalog: catalog, progress: progress, exercises: exercises, done: done,
                              width: Terminal.stdoutIsTerminal ? min(Terminal.width, 100) : 80))
        return 0
    }

    static func render(catalog: LessonCatalog, progress: LearnerProgress?, exercises: [Exercise], done: [Bool],
                       width: Int) -> String {
        var out = "bnlab · learn batch normalization by doing\n\n"
        let entries = catalog.entries()
        func title(_ number: Int) -> String? {
            guard let entry = catalog.entry(number: number), let lesson = try? catalog.load(entry) else { return nil }
            return LessonLibrary.shortTitle(lesson)
        }
        var sentences: [String] = []
        var commands: [(String, String)] = []
        var pathLine: String?
        if let progress, catalog.entry(number: progress.lesson) != nil {
            let name = title(progress.lesson).map { " (\($0))" } ?? ""
            if progress.cells > 0 && progress.cell >= progress.cells {
                sentences.append("You finished lesson \(progress.lesson)\(name).")
                if let next = entries.first(where: { $0.number > progress.lesson }) {
                    commands.append(("bnlab lesson \(next.number)", "the next lesson" + (title(next.number).map { ": \($0)" } ?? "")))
                }
            } else {
                sentences.append("You were in lesson \(progress.lesson)\(name), at cell \(progress.cell) of \(progress.cells).")
                commands.append(("bnlab lesson \(progress.lesson)", "that lesson again, from the start"))
            }
        } else if let first = entries.first {
            sentences.append("You have not opened a lesson yet.")
            commands.append(("bnlab lesson \(first.number)", "the first lesson" + (title(first.number).map { ": \($0)" } ?? "")))
        }
        let count = done.filter { $0 }.count
        if exercises.isEmpty {
            sentences.append("There are no exercises yet.")
        } else if let index = done.firstIndex(of: false) {
            let next = exercises[index]
            sentences.append("Exercises: \(count)/\(exercises.count) done.")
            sentences.append("Next exercise: \(next.id), \(next.title)")
            pathLine = "  " + LessonLibrary.displayPath(next.path)
            commands.append(("bnlab check exercises \(next.lesson)", "check lesson \(next.lesson)'s exercises"))
            commands.append(("bnlab hint \(next.id)", "a hint for \(next.id)"))
        } else {
            sentences.append("Exercises: all \(exercises.count) done. Well done! The REPL (bnlab repl) is "
                + "yours for experiments of your own.")
        }
        commands.append(("bnlab lesson", "every lesson, with its exercises done"))
        commands.append(("bnlab --help", "every command"))
        for sentence in sentences {
            out += wrap(sentence, width: width, indent: "") + "\n"
        }
        if let pathLine { out += pathLine + "\n" }
        out += "\nTo go on:\n"
        let commandWidth = commands.map(\.0.count).max() ?? 0
        for (command, what) in commands {
            let lead = "  " + command + String(repeating: " ", count: commandWidth - command.count) + "   "
            if lead.count + 12 <= width {
                out += wrap(what, width: width, indent: lead, rest: String(repeating: " ", count: lead.count)) + "\n"
            } else {
                out += "  " + command + "\n" + wrap(what, width: width, indent: "    ") + "\n"
            }
        }
        return out
    }

    /// Words wrapped to `width`, the first line after `indent`, later ones after `rest` (default: `indent`).
    private static func wrap(_ text: String, width: Int, indent: String, rest: String? = nil) -> String {
        TextWidth.wrap(text, width: width, first: indent, rest: rest ?? indent).joined(separator: "\n")
    }
}
