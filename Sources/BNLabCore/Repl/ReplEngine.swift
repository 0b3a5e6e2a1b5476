import Foundation

/// Runs REPL entries (code or commands) in one session; the terminal side only reads lines and
/// says where text goes.
public final class ReplEngine {
    /// How an entry ended.
    public enum Outcome: Equatable, Sendable {
        case succeeded
        /// An error, a failed check or a command mistake (reported).
        case failed
        /// Ctrl-C stopped it; the session is as before the interrupted statement.
        case interrupted
        /// `:quit`.
        case quit
    }

    public let session: Session
    /// Shown values, help texts and listings (stdout).
    public var write: (String) -> Void
    /// Errors and failed checks (stderr).
    public var report: (Diagnostic) -> Void
    /// Short remarks such as `interrupted` (stderr).
    public var remark: (String) -> Void
    /// The terminal's width, for `:vars` previews.
    public var width: () -> Int = { 80 }
    /// The width help text wraps at: a terminal's, or nil into a pipe (not wrapped).
    public var textWidth: () -> Int? = { nil }

    public convenience init(write: @escaping (String) -> Void, report: @escaping (Diagnostic) -> Void,
                            remark: @escaping (String) -> Void) {
        self.init(session: Session(output: write), write: write, report: report, remark: remark)
    }

    /// A REPL on an existing session (a lesson's), whose values it then shows through `write`.
    public init(session: Session, write: @escaping (String) -> Void, report: @escaping (Diagnostic) -> Void,
                remark: @escaping (String) -> Void) {
        self.write = write
        self.report = report
        self.remark = remark
        self.session = session
        session.mode = Session.Mode(output: write, rollsBackFailedStatements: true, bindsAnswer: true)
    }

    /// Runs one complete entry.
    public func handle(_ entry: String) -> Outcome {
        // A Ctrl-C pressed while typing belongs to that line, not to this evaluation.
        session.interpreter.interruptFlag?.clear()
        // Read each time, so a resized terminal lays out the next value for its new width.
        session.interpreter.lineWidth = min(TensorFormatter.lineWidth, width())
        let trimmed = Substring(entry).trimming()
        if trimmed.isEmpty { return .succeeded }
        if let parsed = ReplDirective.parse(entry) {
            switch parsed {
            case .success(let directive): return perform(directive)
            case .failure(let error):
                report(error.diagnostic)
                return .failed
            }
        }
        if trimmed == "quit" || trimmed == "exit", session.value(of: String(trimmed)) == nil {
            remark("type :quit or press Ctrl-D to leave\n")
            return .succeeded
        }
        return run(SourceFile(origin: .named("<repl>"), text: entry))
    }

    private func run(_ file: SourceFile) -> Outcome {
        guard let diagnostic = session.run(file) else { return .succeeded }
        return conclude(diagnostic)
    }

    private func conclude(_ diagnostic: Diagnostic) -> Outcome {
        if diagnostic.kind == .interrupted {
            remark("interrupted\n")
            return .interrupted
        }
        report(diagnostic)
        return .failed
    }

    // MARK: - Commands

    private func perform(_ directive: ReplDirective) -> Outcome {
        switch directive {
        case .help(nil):
            write(TerminalText.wrapBlock(ReplHelp.overview, width: textWidth()) + "\n")
        case .help(let topic?):
            guard let text = ReplHelp.topic(topic, session: session, width: width()) else {
                var diagnostic = Diagnostic("no help for '\(topic)'")
                if let near = Suggestions.closest(to: topic, in: ReplHelp.topicNames(session: session)) {
                    diagnostic = diagnostic.adding(.help, DiagnosticMessages.didYouMean(near))
                } else {
                    diagnostic = diagnostic.adding(.help, ":help lists the builtins, keywords and commands")
                }
                report(diagnostic)
                return .failed
            }
            write(TerminalText.wrapBlock(text, width: textWidth()) + "\n")
        case .vars:
            write(ReplVariableList.render(session: session, width: width()) + "\n")
        case .reset:
            session.reset()
            write("every variable is forgotten\n")
        case .load(let path):
            return load(path)
        case .time(let code):
            return time(code)
        case .setPrecision(let value):
            if let value { session.interpreter.precision = value }
            write("precision \(session.interpreter.precision)\n")
        case .setMemory(let bytes):
            if let bytes { MemoryBudget.limit = bytes }
            write("memory \(MemoryBudget.describe(MemoryBudget.limit)) (\(MemoryBudget.describe(MemoryBudget.liveBytes)) in use)\n")
        case .quit:
            return .quit
        }
        return .succeeded
    }

    private func load(_ typedPath: String) -> Outcome {
        var path = typedPath
        if path == "~" || path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            path = home + path.dropFirst()
        }
        guard FileManager.default.fileExists(atPath: path) else {
            var diagnostic = Diagnostic("cannot open '\(typedPath)': no such file")
            if !path.hasSuffix(".bn"), FileManager.default.fileExists(atPath: path + ".bn") {
                diagnostic = diagnostic.adding(.help, DiagnosticMessages.didYouMean("\(typedPath).bn"))
            }
            report(diagnostic)
            return .failed
        }
        switch SourceReader.read(path, shownAs: typedPath) {
        case .success(let file): return run(file)
        case .failure(let diagnostic):
            report(diagnostic)
            return .failed
        }
    }

    /// `:time`: parses once, then runs the code silently as often as `ReplTiming` says.
    private func time(_ code: String) -> Outcome {
        let file = SourceFile(origin: .named("<repl>"), text: code)
        let interpreter = session.interpreter
        let savedMode = session.mode
        session.mode.output = { _ in }
        session.mode.bindsAnswer = false
        defer { session.mode = savedMode }
        let result: Result<[Duration], Diagnostic> = LargeStack.run {
            do throws(Diagnostic) {
                // Showing values is not what is being timed.
                let program = try Parser.parse(file).map { statement in
                    var statement = statement
                    if case .expression(let expr, _) = statement.kind { statement.kind = .expression(expr, silent: true) }
                    return statement
                }
                let clock = ContinuousClock()
                let begin = clock.now
                var samples: [Duration] = []
                repeat {
                    // The evaluator polls Ctrl-C only every so many steps; a run may be one step.
                    if let flag = interpreter.interruptFlag, flag.isRaised {
                        flag.clear()
                        return .failure(Diagnostic("interrupted", kind: .interrupted))
                    }
                    let start = clock.now
                    try interpreter.execute(program, in: file)
                    samples.append(clock.now - start)
                } while ReplTiming.shouldRunAgain(runs: samples.count, elapsed: clock.now - begin)
                return .success(samples)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let samples):
            write(ReplTiming.summary(samples) + "\n")
            return .succeeded
        case .failure(let diagnostic):
            return conclude(diagnostic)
        }
    }
}
