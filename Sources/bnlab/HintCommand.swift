import ArgumentParser
import BNLabCore

/// `bnlab hint 3.2`: prints an exercise's hint.
struct HintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hint",
        abstract: "Print an exercise's hint, e.g. bnlab hint 3.2."
    )

    @Argument(help: "The exercise, as LESSON.NUMBER (e.g. 3.2).") var exercise: String

    func validate() throws {
        let parts = exercise.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, Int(parts[0]) != nil, Int(parts[1]) != nil else {
            throw ValidationError("name an exercise as LESSON.NUMBER, e.g. 3.2, not '\(exercise)'")
        }
    }

    func run() throws {
        guard let catalog = try LessonLibrary.catalog(for: "hint") else { throw ExitCode(1) }
        guard let found = ExerciseCatalog.exercise(exercise, inLessons: catalog.directory) else {
            let known = catalog.allExercises().map(\.id).joined(separator: ", ")
            Terminal.writeError("bnlab hint: there is no exercise \(exercise)\n  the exercises are: \(known)\n")
            throw ExitCode(64)
        }
        var text = "Exercise \(found.id) — \(found.title)\n"
        text += "  \(LessonLibrary.displayPath(found.path))\n"
        if found.hints.isEmpty {
            text += "This exercise has no hint; lesson \(found.lesson) has what you need.\n"
        } else {
            for hint in found.hints { text += "hint: \(hint)\n" }
        }
        Terminal.write(text)
    }
}
