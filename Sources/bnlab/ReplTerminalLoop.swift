#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import BNLabCore
import Foundation

/// The REPL on a terminal: readline editing, completion, persistent history, colour and Ctrl-C.
struct ReplTerminalLoop {
    /// Colour for prompts and errors: only when stdout is a terminal and NO_COLOR is unset.
    let color = Terminal.colorEnabled(for: STDOUT_FILENO)
    /// The session to work in (a lesson's); nil starts a fresh one.
    var session: Session?
    var banner = "bnlab repl · :help for a tour, Tab completes, Ctrl-D quits"

    /// Reads and runs entries until `:quit` or Ctrl-D; the exit status.
    func run() -> Int32 {
        let errorColor = color && Terminal.stderrIsTerminal
        let engine = ReplEngine(
            session: session ?? Session(output: Terminal.write),
            write: Terminal.write,
            report: { Terminal.writeError(DiagnosticRenderer.render($0, color: errorColor, width: Terminal.diagnosticWidth)) },
            remark: { text in
                // The terminal echoed `^C` where the cursor was: start the remark on a line of its own.
                if text == "interrupted\n" && Self.terminalEchoesControlCharacters { Terminal.writeError("\n") }
                Terminal.writeError(errorColor ? "\u{1B}[33m\(text.dropLast())\u{1B}[0m\n" : text)
            }
        )
        engine.session.interpreter.interruptFlag = Interrupts.flag
        // A lesson's session keeps its settings: its plots are recorded without colour.
        if session == nil { Terminal.prepare(engine.session.interpreter) }
        engine.width = { Terminal.width }
        engine.textWidth = { Terminal.stdoutIsTerminal ? Terminal.width : nil }

        let path = ReplHistory.defaultPath(environment: ProcessInfo.processInfo.environment)
        var history = ReplHistory(path: path)
        history.onWriteFailure = { Terminal.writeError("note: \($0); entries are kept for this session only\n") }
        let reader = LineReader(history: history.entries, capacity: history.capacity,
                                completer: ReplCompleter(session: engine.session),
                                promptsToStandardError: !Terminal.stdoutIsTerminal)
        Terminal.write((color ? "\u{1B}[2m\(banner)\u{1B}[0m" : banner) + "\n", fd: promptDescriptor)

        var buffer = ReplEntryBuffer()
        while true {
            switch reader.read(prompt: styled(buffer.prompt)) {
            case .line(let text):
                entries: for entry in buffer.add(text) {
                    // Saved before it runs, so an entry that crashes or hangs is still in the history.
                    if history.record(entry) { reader.addHistory(entry) }
                    switch engine.handle(entry) {
                    case .quit:
                        return 0
                    case .interrupted:
                        // Ctrl-C stops the rest of a pasted block too.
                        buffer.discard()
                        break entries
                    case .succeeded, .failed:
                        continue
                    }
                }
            case .endOfInput:
                Terminal.write("\n", fd: promptDescriptor)
                guard let pending = buffer.flush() else { return 0 }
                // Ctrl-D on a continuation line ends the entry: run it as it is.
                if history.record(pending) { reader.addHistory(pending) }
                if engine.handle(pending) == .quit { return 0 }
            case .interrupted(let hadText):
                if hadText || !buffer.isEmpty {
                    buffer.discard()
                } else {
                    Terminal.writeError("(to leave, type :quit or press Ctrl-D)\n")
                }
            }
        }
    }

    /// Where prompts go: the terminal, which is stderr when stdout is redirected.
    private var promptDescriptor: Int32 { Terminal.stdoutIsTerminal ? STDOUT_FILENO : STDERR_FILENO }

    /// The prompt with colour codes wrapped in readline's invisible-text markers.
    private func styled(_ prompt: String) -> String {
        guard color else { return prompt }
        let style = prompt == ReplInput.prompt ? "\u{1B}[1;32m" : "\u{1B}[32m"
        return "\u{1}\(style)\u{2}\(prompt.dropLast())\u{1}\u{1B}[0m\u{2} "
    }

    /// Whether the terminal shows Ctrl-C as `^C` when it is typed during an evaluation.
    private static var terminalEchoesControlCharacters: Bool {
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return false }
        return settings.c_lflag & tcflag_t(ECHO) != 0 && settings.c_lflag & tcflag_t(ECHOCTL) != 0
    }
}
