import ArgumentParser
import BNLabCore

/// `bnlab check lessons|exercises [N]`: re-checks the lessons, or grades the exercises.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the lessons' recorded outputs, or grade your exercises.",
        subcommands: [CheckLessonsCommand.self, CheckExercisesCommand.self]
    )

    /// Bare `bnlab check`: a usage error (exit 64), as before the subcommands. (A parent argument
    /// to name `check lesson` in the message would swallow the subcommand's name.)
    func run() throws {
        throw ValidationError("check what? 'lessons' or 'exercises'")
    }
}

/// `bnlab check lessons [N] [--bless]`.
struct CheckLessonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract: "Re-run the lessons and compare each cell with its recorded output.",
        discussion: """
            Re-runs every cell and compares it with its recorded output (numbers to the digits \
            recorded, text exactly, trailing spaces ignored); exits 1 on any difference. \
            `--bless` rewrites the recorded outputs from a fresh run.
            """
    )

    @Argument(help: "Only this lesson's number.") var number: Int?
    @Flag(help: "Rewrite the lessons' recorded outputs from a fresh run (for lesson authors).") var bless = false
    // The exercise options are still read here, so a misplaced one gets the message it always had.
    @Flag(help: .hidden) var watch = false
    @Flag(name: [.customLong("full"), .customLong("verbose")], help: .hidden) var full = false
    // Accepted (and range-checked) as before, though lessons have no time limit.
    @Option(help: .hidden) var timeLimit: Double = 5

    func validate() throws {
        if watch { throw ValidationError("--watch is for exercises") }
        if full { throw ValidationError("--full is for exercises") }
        try CheckExercisesCommand.validate(timeLimit: timeLimit)
    }

    func run() throws {
        let status = try CheckLessons(number: number, bless: bless).run()
        if status != 0 { throw ExitCode(status) }
    }
}

/// `bnlab check exercises [N] [--watch] [--time-limit S] [--full]`.
struct CheckExercisesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercises",
        abstract: "Grade your exercises.",
        discussion: """
            Runs each exercise in a fresh session with a time limit and reports done, not started, \
            failing (the check, got against expected, the hint) or an error; exits 0 only when all \
            are done. `--watch` re-checks whenever you save. A failing check shows a summary (how \
            many values differ, the largest differences, a few rows); `--full` shows every value.
            """
    )

    @Argument(help: "Only this lesson's exercises.") var number: Int?
    @Flag(help: "Re-check whenever an exercise file is saved.") var watch = false
    @Option(help: "Seconds each exercise may run.") var timeLimit: Double = 10
    @Flag(name: [.customLong("full"), .customLong("verbose")],
          help: "Show every value of a failing check, not a summary.") var full = false
    // Read so that a misplaced --bless gets its own message rather than "unknown option".
    @Flag(help: .hidden) var bless = false

    static func validate(timeLimit: Double) throws {
        guard timeLimit > 0, timeLimit <= 3600 else {
            throw ValidationError("--time-limit takes seconds, more than 0 and at most 3600")
        }
    }

    func validate() throws {
        if bless { throw ValidationError("--bless rewrites lessons only; the tool never writes your exercises") }
        try Self.validate(timeLimit: timeLimit)
    }

    func run() throws {
        let status = try CheckExercises(number: number, watch: watch, timeLimit: timeLimit, full: full).run()
        if status != 0 { throw ExitCode(status) }
    }
}
