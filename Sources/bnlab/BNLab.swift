import ArgumentParser

/// The `bnlab` command: a lab for learning batch normalization by doing.
@main
struct BNLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bnlab",
        abstract: "Learn batch normalization by doing: a tensor REPL, checked lessons and graded exercises.",
        discussion: """
            Start with `bnlab lesson 1`. Try things in `bnlab repl`. Check your exercises with
            `bnlab check exercises`.
            """,
        subcommands: [ReplCommand.self, RunCommand.self, LessonCommand.self, CheckCommand.self, HintCommand.self,
                      ResetCommand.self, GradeCommand.self]
    )

    /// Bare `bnlab`: where the learner is and how to go on (subcommands run instead when given).
    func run() throws {
        let status = try LearnerStatus.run()
        if status != 0 { throw ExitCode(status) }
    }
}
