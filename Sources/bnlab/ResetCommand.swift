import ArgumentParser
import BNLabCore
import Foundation

/// `bnlab reset 3.2`: puts an exercise's file back as shipped. The only command that writes a
/// learner's file, so it asks first.
struct ResetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Restore an exercise to its shipped text, e.g. bnlab reset 3.2 (asks first).",
        discussion: """
            Replaces your version of the exercise with the text it was shipped with (kept in \
            lessons/exercises/.pristine/). On a terminal it asks before replacing your work; \
            elsewhere it needs --yes.
            """
    )

    @Argument(help: "The exercise, as LESSON.NUMBER (e.g. 3.2).") var exercise: String
    @Flag(help: "Replace without asking.") var yes = false

    func validate() throws {
        try HintCommand.validateName(exercise)
    }

    func run() throws {
        let (_, found) = try HintCommand.find(exercise, command: "reset")
        let shown = LessonLibrary.displayPath(found.path)
        let pristinePath = ExerciseCatalog.pristinePath(of: found)
        guard let shipped = FileManager.default.contents(atPath: pristinePath) else {
            Terminal.writeError("bnlab reset: the shipped text of \(found.id) is missing (looked for \(LessonLibrary.displayPath(pristinePath)))\n")
            throw ExitCode(1)
        }
        let current = FileManager.default.contents(atPath: found.path)
        if current == shipped {
            Terminal.write("\(found.id) is already as shipped: \(shown)\n")
            return
        }
        // A missing file holds no work to lose; anything else is replaced only when confirmed.
        if current != nil && !yes {
            guard Terminal.stdinIsTerminal else {
                Terminal.writeError("bnlab reset: this replaces your work in \(shown); confirm on a terminal, or add --yes\n")
                throw ExitCode(1)
            }
            Terminal.write("Reset \(found.id) \(found.title) (\(shown)) to its shipped text? Your changes to it will be lost. [y/N] ")
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
            guard answer == "y" || answer == "yes" else {
                Terminal.write("\(answer == nil ? "\n" : "")Nothing changed.\n")
                return
            }
        }
        do {
            let url = URL(fileURLWithPath: found.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // Written whole and renamed into place, so an interruption leaves the old file or the new one.
            try shipped.write(to: url, options: .atomic)
        } catch {
            Terminal.writeError("bnlab reset: cannot write \(shown): \(error.localizedDescription)\n")
            throw ExitCode(1)
        }
        Terminal.write("Restored \(found.id) to its shipped text: \(shown)\n")
    }
}
