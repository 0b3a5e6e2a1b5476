import ArgumentParser
import BNLabCore

/// `bnlab repl`: an interactive session; with piped input, a quiet script runner that keeps going after errors.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Start an interactive session.",
        discussion: """
            On a terminal: line editing, Tab completion, history (kept in \
            $XDG_STATE_HOME/bnlab/history), multi-line input and :commands; type :help for a tour. \
            With input from a pipe or file, each statement runs in turn with no prompt: values go to \
            stdout, errors to stderr, and the exit code is 1 if any statement failed.
            """
    )

    func run() throws {
        Interrupts.install()
        let status = Terminal.stdinIsTerminal ? ReplTerminalLoop().run() : ReplPipedLoop().run()
        if status != 0 { throw ExitCode(status) }
    }
}
