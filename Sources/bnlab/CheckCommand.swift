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

            `check exercises` runs each exercise in a fresh session with a time limit and reports \
            done, not started, failing (the check, got against expected, the hint) or an error; \
            it exits 0 only when all are done. `--watch` re-checks whenever you save. A failing \
            check shows a summary (how many values differ, the largest differences, a few rows); \
            `--full` shows every value.
            """
    )

    @Argument(help: "What to check: lessons or exercises.") var what: String
    @Argument(help: "Only this lesson's number.") var number: Int?
    @Flag(help: "Rewrite the lessons' recorded outputs from a fresh run (for lesson authors).") var bless = false
    @Flag(help: "Exercises: re-check whenever an exercise file is saved.") var watch = false
    @Option(help: "Exercises: seconds each exercise may run.") var timeLimit: Double = 5
    @Flag(name: [.customLong("full"), .customLong("verbose")],
          help: "Exercises: show every value of a failing check, not a summary.") var full = false

    func validate() throws {
        guard what == "lessons" || what == "exercises" else {
            throw ValidationError("check what? 'lessons' or 'exercises', not '\(what)'")
        }
        if bless && what != "lessons" {
            throw ValidationError("--bless rewrites lessons only; the tool never writes your exercises")
        }
        if watch && what != "exercises" {
            throw ValidationError("--watch is for exercises")
        }
        if full && what != "exercises" {
            throw ValidationError("--full is for exercises")
        }
        guard timeLimit > 0, timeLimit <= 3600 else {
            throw ValidationError("--time-limit takes seconds, more than 0 and at most 3600")
        }
    }

    func run() throws {
        switch what {
        case "lessons":
            let status = try CheckLessons(number: number, bless: bless).run()
            if status != 0 { throw ExitCode(status) }
        default:
            let status = try CheckExercises(number: number, watch: watch, timeLimit: timeLimit, full: full).run()
            if status != 0 { throw ExitCode(status) }
        }
    }
}
