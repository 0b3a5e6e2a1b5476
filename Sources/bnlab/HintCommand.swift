import ArgumentParser
import BNLabCore
import Foundation

/// `bnlab hint 3.2`: an exercise's hints, one more each time it is asked.
struct HintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hint",
        abstract: "Show an exercise's next hint, e.g. bnlab hint 3.2.",
        discussion: """
            Each exercise has a few hints, from a nudge to nearly the answer. The first time shows \
            the first; each time after shows one more, with those before it. --all shows them all. \
            What you have seen is kept in $XDG_STATE_HOME/bnlab/hints.
            """
    )

    @Argument(help: "The exercise, as LESSON.NUMBER (e.g. 3.2).") var exercise: String
    @Flag(help: "Show every hint at once.") var all = false

    func validate() throws {
        try Self.validateName(exercise)
    }

    /// An exercise is named LESSON.NUMBER; anything else is a usage error.
    static func validateName(_ name: String) throws {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, Int(parts[0]) != nil, Int(parts[1]) != nil else {
            throw ValidationError("name an exercise as LESSON.NUMBER, e.g. 3.2, not '\(name)'")
        }
    }

    /// The catalog's exercise named `name`, or exit 64 after listing the ones there are.
    static func find(_ name: String, command: String) throws -> (LessonCatalog, Exercise) {
        guard let catalog = try LessonLibrary.catalog(for: command) else { throw ExitCode(1) }
        guard let found = ExerciseCatalog.exercise(name, inLessons: catalog.directory) else {
            let known = catalog.allExercises().map(\.id).joined(separator: ", ")
            Terminal.writeError("bnlab \(command): there is no exercise \(name)\n  the exercises are: \(known)\n")
            throw ExitCode(64)
        }
        return (catalog, found)
    }

    func run() throws {
        let (_, found) = try Self.find(exercise, command: "hint")
        var text = "Exercise \(found.id) — \(found.title)\n"
        text += "  \(LessonLibrary.displayPath(found.path))\n"
        guard !found.hints.isEmpty else {
            Terminal.write(text + "This exercise has no hint; lesson \(found.lesson) has what you need.\n")
            return
        }
        let path = HintProgress.defaultPath(environment: ProcessInfo.processInfo.environment)
        var progress = path.map { HintProgress.load(from: $0) } ?? HintProgress()
        let seen = min(progress.shown[found.id] ?? 0, found.hints.count)
        let count = all ? found.hints.count : min(seen + 1, found.hints.count)
        for (k, hint) in found.hints.prefix(count).enumerated() {
            // Wrapped with a hanging indent, so a long hint never continues at column 0.
            let head = "hint \(k + 1) of \(found.hints.count): "
            let lines = TerminalText.wrap(hint, width: Terminal.proseWidth, first: head,
                                          rest: String(repeating: " ", count: head.count))
            text += lines.joined(separator: "\n") + "\n"
        }
        if count < found.hints.count {
            text += "(bnlab hint \(found.id) again shows the next one)\n"
        } else {
            text += "(that is every hint for \(found.id))\n"
        }
        Terminal.write(text)
        progress.shown[found.id] = count
        if let path {
            do {
                try progress.save(to: path)
            } catch {
                Terminal.writeError("bnlab hint: could not remember the hints shown (\(path)): \(error.localizedDescription)\n")
            }
        }
    }
}
