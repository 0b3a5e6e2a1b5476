import ArgumentParser

/// Says a command is planned but not built yet, with the usage exit code.
func notAvailableYet(_ command: String) -> ExitCode {
    Terminal.writeError("bnlab \(command): not available yet\n")
    return ExitCode(64)
}

/// `bnlab lesson [N]`: lists the lessons, or presents one as a live notebook.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lesson", abstract: "List the lessons, or step through lesson N.")
    @Argument(help: "The lesson's number.") var number: Int?
    @Flag(help: "Run straight through without waiting.") var all = false
    func run() throws { throw notAvailableYet("lesson") }
}

/// `bnlab check lessons|exercises`: re-checks lessons or grades exercises.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Check the lessons' recorded outputs, or grade your exercises.")
    @Argument(help: "What to check: lessons or exercises.") var what: String
    @Argument(help: "Only this lesson's number.") var number: Int?
    func run() throws { throw notAvailableYet("check") }
}

/// `bnlab hint 3.2`: prints an exercise's hint.
struct HintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hint", abstract: "Print an exercise's hint, e.g. bnlab hint 3.2.")
    @Argument(help: "The exercise, as LESSON.NUMBER.") var exercise: String
    func run() throws { throw notAvailableYet("hint") }
}
