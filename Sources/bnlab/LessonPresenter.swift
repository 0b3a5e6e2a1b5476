import ArgumentParser
import BNLabCore

/// Presents a lesson as a live notebook: prose, each cell and its output, pausing between cells.
struct LessonPresenter {
    let lesson: Lesson
    let catalog: LessonCatalog
    /// Wait for the reader between cells (a terminal without `--all`).
    var waits: Bool
    let renderer: NotebookRenderer

    /// What the reader chose at a pause.
    private enum Choice { case next, quit, interrupted }

    /// Runs the lesson; returns the exit code (0, or 130 after Ctrl-C at a pause).
    mutating func present() -> Int32 {
        let runner = LessonRunner(lesson: lesson, interruptFlag: Interrupts.flag, passthrough: Terminal.write)
        // Rows fit the terminal beside the `Out[N]: ` label (9 columns); 75 into a pipe, as numpy.
        if Terminal.stdoutIsTerminal { runner.session.interpreter.lineWidth = min(75, Terminal.width - 9) }
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

    /// Waits for Enter (next), `r` (a REPL on the lesson's variables) or `q` (quit).
    private mutating func pause(runner: LessonRunner) -> Choice {
        let prompt = "\u{1B}[2m── Enter: next · r: REPL on this lesson's variables · q: quit ──\u{1B}[0m "
        while true {
            Terminal.write(renderer.color ? prompt : "── Enter: next · r: REPL · q: quit ── ")
            guard let line = readLine() else {
                if Interrupts.flag.isRaised {
                    Interrupts.flag.clear()
                    Terminal.write("\n")
                    return .interrupted
                }
                // Input ended: nobody is there to press Enter, so run the rest straight through.
                Terminal.write("\n")
                waits = false
                return .next
            }
            switch line.trimmingTrailingSpaces().drop(while: { $0 == " " }).lowercased() {
            case "":
                if renderer.color { Terminal.write("\u{1B}[1A\r\u{1B}[2K") }
                return .next
            case "q", "quit":
                return .quit
            case "r":
                LessonREPL.open(runner.session, lesson.number)
                Terminal.write("\n")
            default:
                Terminal.write("Press Enter for the next cell, r for a REPL, q to quit.\n")
            }
        }
    }
}
