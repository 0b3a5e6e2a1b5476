#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ArgumentParser
import BNLabCore

/// Presents a lesson as a live notebook: prose, each cell and its output, pausing between cells.
struct LessonPresenter {
    let lesson: Lesson
    let catalog: LessonCatalog
    /// Wait for the reader between cells (a terminal without `--all`).
    var waits: Bool
    let renderer: NotebookRenderer
    /// Called after each cell runs, with its number (the learner's progress is recorded there).
    var reached: (Int) -> Void = { _ in }

    /// What the reader chose at a pause.
    private enum Choice { case next, quit, interrupted }

    /// Runs the lesson; returns the exit code (0, or 130 after Ctrl-C at a pause).
    mutating func present() -> Int32 {
        let runner = LessonRunner(lesson: lesson, interruptFlag: Interrupts.flag, passthrough: Terminal.write)
        // Rows fit the terminal beside the `Out[N]: ` label (9 columns); 75 into a pipe, as numpy.
        if Terminal.stdoutIsTerminal { runner.session.interpreter.lineWidth = min(75, Terminal.width - 9) }
        // A progress bar on stderr is never captured; plots stay colourless as they are recorded.
        Terminal.prepare(runner.session.interpreter, plotColor: false)
        var wroteSomething = false
        func emit(_ text: String) {
            guard !text.isEmpty else { return }
            if wroteSomething { Terminal.write("\n") }
            Terminal.write(text)
            wroteSomething = true
        }
        let cellCount = lesson.cells.count
        for block in lesson.blocks {
            switch block {
            case .prose(let lines):
                emit(renderer.renderProse(lines))
            case .code(_, let lines):
                emit(renderer.renderCode(lines))
            case .cell(let cell):
                emit(renderer.renderCell(cell))
                let run = runner.run(cell)
                let output = renderer.renderOutput(run)
                if !output.isEmpty { Terminal.write(output) }
                // Only a reader at a terminal is told how long a cell took: timings are never recorded.
                if Terminal.stdoutIsTerminal { Terminal.write(renderer.renderElapsed(run.elapsed)) }
                reached(cell.index)
                guard waits, cell.index < cellCount else { continue }
                switch pause(runner: runner) {
                case .next: break
                case .quit: return 0
                case .interrupted: return 130
                }
            }
        }
        emit(exercisesNote())
        return 0
    }

    /// The closing note naming the lesson's exercises.
    func exercisesNote() -> String {
        let folder = catalog.exerciseDirectory(forLesson: lesson.number).map { LessonLibrary.displayPath($0) + "/" }
        return renderer.renderExercises(lesson: lesson, exercises: catalog.exercises(forLesson: lesson.number),
                                        folder: folder)
    }

    /// Waits for one key: Enter (next), `r` (a REPL on a checkpoint of the lesson's variables),
    /// `q` or Ctrl-D (quit), Ctrl-C (quit at once, exit 130).
    private mutating func pause(runner: LessonRunner) -> Choice {
        // Without escape codes the footer is blanked with spaces instead of erased.
        let erases = renderer.color || getenv("TERM").map { String(cString: $0) != "dumb" } ?? false
        var shownHelp = false
        while true {
            let columns = Terminal.width
            let footer = renderer.pauseFooter(columns: columns)
            func clearFooter() {
                Terminal.write(erases ? "\r\u{1B}[2K" : "\r" + String(repeating: " ", count: footer.width) + "\r")
            }
            guard let key = KeyReader.read(prompt: { Terminal.write(footer.text) }) else {
                Terminal.write(footer.text)
                return pauseWithoutTerminal(runner: runner)
            }
            switch key {
            case .enter:
                clearFooter()
                return .next
            case .character("q"), .character("Q"), .endOfInput:
                clearFooter()
                return .quit
            case .interrupt:
                clearFooter()
                Terminal.write("^C\n")
                return .interrupted
            case .character("r"), .character("R"):
                clearFooter()
                openREPL(runner.session)
            case .character:
                clearFooter()
                if !shownHelp {
                    shownHelp = true
                    Terminal.write(renderer.pauseHelp(columns: columns))
                }
            }
        }
    }

    /// The pause when stdout is a terminal but stdin is not: whole lines; end of input runs the rest.
    private mutating func pauseWithoutTerminal(runner: LessonRunner) -> Choice {
        while true {
            guard let line = readLine() else {
                if Interrupts.flag.isRaised {
                    Interrupts.flag.clear()
                    Terminal.write("\n")
                    return .interrupted
                }
                // Nobody is there to press Enter, so run the rest straight through.
                Terminal.write("\n")
                waits = false
                return .next
            }
            switch line.trimmingTrailingSpaces().drop(while: { $0 == " " }).lowercased() {
            case "": return .next
            case "q", "quit": return .quit
            case "r": openREPL(runner.session)
            default: Terminal.write(renderer.pauseFooter(columns: Terminal.width).text)
            }
        }
    }

    /// The REPL on the lesson's session; whatever it changes is undone when it closes.
    private func openREPL(_ session: Session) {
        let checkpoint = SessionCheckpoint(of: session)
        LessonREPL.open(session: session, lesson: lesson.number)
        if checkpoint.restore() {
            Terminal.write(renderer.notice("The REPL's changes were undone for the rest of the lesson.",
                                           columns: Terminal.width))
        }
        Terminal.write("\n")
    }
}
