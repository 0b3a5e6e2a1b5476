import ArgumentParser

/// Says a command is planned but not built yet, with the usage exit code.
func notAvailableYet(_ command: String) -> ExitCode {
    Terminal.writeError("bnlab \(command): not available yet\n")
    return ExitCode(64)
}

/// `bnlab repl`: an interactive session.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "repl", abstract: "Start an interactive session.")
    func run() throws { throw notAvailableYet("repl") }
}
