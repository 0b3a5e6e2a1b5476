import BNLabCore

/// The REPL that `r` opens in the middle of a lesson, on the lesson's own session.
enum LessonREPL {
    /// Runs a REPL on `session` until the reader leaves it (`lesson` is the lesson's number):
    /// the readline REPL on a terminal, the plain line loop otherwise; the lesson's own output
    /// handling and settings come back afterwards.
    static func open(session: Session, lesson: Int) {
        guard Terminal.stdinIsTerminal else { return LessonLineLoop.run(session: session, lesson: lesson) }
        let mode = session.mode
        defer { session.mode = mode }
        var loop = ReplTerminalLoop()
        loop.session = session
        let banner = "REPL on lesson \(lesson)'s variables · what you change is undone when you leave · "
            + "Ctrl-D or :quit goes back to the lesson"
        loop.banner = TextWidth.wrap(banner, width: max(20, Terminal.width - 1)).joined(separator: "\n")
        _ = loop.run()
    }
}

/// A minimal REPL: reads lines, runs them in the session, `q` goes back to the lesson.
enum LessonLineLoop {
    static func run(session: Session, lesson: Int) {
        let interactive = Terminal.stdinIsTerminal
        if interactive {
            Terminal.write("REPL on lesson \(lesson)'s variables (what you change is undone when you leave). "
                + "Type q to go back to the lesson.\n")
        }
        // A failed line should not leave half its assignments behind, as in the real REPL.
        let mode = session.mode
        session.mode.rollsBackFailedStatements = true
        defer { session.mode = mode }
        var pending = ""
        var continuation = ReplInput.Continuation()
        var entry = 0
        while true {
            if interactive { Terminal.write(pending.isEmpty ? "lesson \(lesson)> " : "...> ") }
            guard let line = readLine() else {
                // End of input, or Ctrl-C at the prompt: back to the lesson either way.
                Interrupts.flag.clear()
                if interactive { Terminal.write("\n") }
                return
            }
            let command = String(line.trimmingTrailingSpaces().drop { $0 == " " })
            if pending.isEmpty, ["q", ":q", "quit", "exit"].contains(command) {
                return
            }
            pending += line + "\n"
            // The REPL's rule: keep reading while a bracket is open or the line ends in an operator.
            continuation.add(Substring(line))
            guard !continuation.needsMore else { continue }
            entry += 1
            let source = SourceFile(origin: .named("<lesson \(lesson) repl \(entry)>"), text: pending)
            pending = ""
            continuation = ReplInput.Continuation()
            if let diagnostic = session.run(source) { Terminal.report(diagnostic) }
        }
    }
}
