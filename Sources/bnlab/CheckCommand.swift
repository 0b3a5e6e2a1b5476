import ArgumentParser
import BNLabCore

/// `bnlab check lessons|exercises [N]`: re-checks the lessons, or grades the exercises.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the lessons' recorded outputs, or grade your exercises.",
        discussion: """
            `check lessons` re-runs every cell and compares it with its recorded output (numbers \
            to the digits recorded, text exactly, trailing spaces ignored); it exits 1 on any \
            difference. `check lessons --bless` rewrites the recorded outputs from a fresh run.
            """
    )

    @Argument(help: "What to check: lessons or exercises.") var what: String
    @Argument(help: "Only this lesson's number.") var number: Int?
    @Flag(help: "Rewrite the lessons' recorded outputs from a fresh run (for lesson authors).") var bless = false

    func validate() throws {
        guard what == "lessons" || what == "exercises" else {
            throw ValidationError("check what? 'lessons' or 'exercises', not '\(what)'")
        }
        if bless && what != "lessons" {
            throw ValidationError("--bless rewrites lessons only; the tool never writes your exercises")
        }
    }

    func run() throws {
        switch what {
        case "lessons":
            let status = try CheckLessons(number: number, bless: bless).run()
            if status != 0 { throw ExitCode(status) }
        default:
            // Grading exercises is built by the exercises issue.
            throw notAvailableYet("check exercises")
        }
    }
}
