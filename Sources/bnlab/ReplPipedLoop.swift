import BNLabCore

/// The REPL with input that is not a terminal: no prompt, no escape codes, no readline.
/// Values go to stdout, diagnostics to stderr, and every statement runs even after a failure.
struct ReplPipedLoop {
    /// Runs every entry of standard input; 0 when all succeeded, 1 when any failed, 130 on Ctrl-C.
    func run() -> Int32 {
        let engine = ReplEngine(
            write: Terminal.write,
            report: { Terminal.writeError(DiagnosticRenderer.render($0, color: false, width: Terminal.diagnosticWidth)) },
            remark: Terminal.writeError
        )
        engine.session.interpreter.interruptFlag = Interrupts.flag
        Terminal.prepare(engine.session.interpreter)
        var buffer = ReplEntryBuffer()
        var failed = false
        /// Runs one entry; the exit status when the session ends with it.
        func handle(_ entry: String) -> Int32? {
            switch engine.handle(entry) {
            case .succeeded: return nil
            case .failed:
                failed = true
                return nil
            case .interrupted: return 130
            case .quit: return failed ? 1 : 0
            }
        }
        // Lines and entries are capped as source is, so piped input cannot grow without bound.
        var reader = CappedLineReader()
        var entryBytes = 0
        while let next = reader.next() {
            guard case .text(let line) = next, entryBytes + line.utf8.count <= SourceLimits.maxSourceBytes else {
                let bytes: Int
                if case .tooLong(let count) = next { bytes = count } else { bytes = entryBytes + next.byteCount }
                Terminal.writeError(DiagnosticRenderer.render(Diagnostic(
                    "this entry is \(SourceLimits.sizeText(bytes)), more than the limit of \(SourceLimits.sizeText(SourceLimits.maxSourceBytes)) for a source; it was skipped"
                ), color: false))
                failed = true
                buffer.discard()
                entryBytes = 0
                continue
            }
            entryBytes += line.utf8.count + 1
            for entry in buffer.add(line) {
                if let status = handle(entry) { return status }
            }
            if buffer.isEmpty { entryBytes = 0 }
        }
        // Ctrl-C while waiting for input ends the read as end of input does.
        if Interrupts.flag.isRaised { return 130 }
        // An entry left open at the end (an unclosed bracket) still runs, to report its error.
        if let pending = buffer.flush(), let status = handle(pending) { return status }
        return failed ? 1 : 0
    }
}

extension CappedLineReader.Line {
    var byteCount: Int {
        switch self {
        case .text(let text): return text.utf8.count
        case .tooLong(let bytes): return bytes
        }
    }
}
