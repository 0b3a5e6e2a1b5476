import ArgumentParser
import BNLabCore
import Foundation

/// `bnlab lesson [N]`: lists the lessons, or presents lesson N as a live notebook.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "List the lessons, or step through lesson N.",
        discussion: """
            On a terminal, lesson N shows its prose and runs its cells one at a time: Enter for the \
            next cell, r for a REPL on the lesson's variables, q to quit. With --all, or when the \
            output is not a terminal, it runs straight through without colour.
            """
    )

    @Argument(help: "The lesson's number.") var number: Int?
    @Flag(help: "Run straight through without waiting and without colour.") var all = false

    func run() throws {
        guard let catalog = try LessonLibrary.catalog(for: "lesson") else {
            // Not finding the lessons is a failure whether or not a number was given.
            throw ExitCode(1)
        }
        guard let number else {
            let runner = ExerciseRunner(timeLimit: 5)
            Terminal.write(LessonListing.render(catalog, isExerciseDone: { runner.grade($0).status == .done }))
            return
        }
        guard let entry = catalog.entry(number: number) else {
            Terminal.writeError("bnlab lesson: there is no lesson \(number)\n\n" + LessonListing.render(catalog))
            throw ExitCode(64)
        }
        let lesson: Lesson
        do {
            lesson = try catalog.load(entry)
        } catch {
            Terminal.writeError("bnlab lesson: \(error.description)\n")
            throw ExitCode(1)
        }
        for problem in lesson.problems {
            Terminal.writeError("warning: \(LessonLibrary.displayPath(lesson.path)):\(problem.line): \(problem.message)\n")
        }
        let waits = !all && Terminal.stdoutIsTerminal
        let color = waits && Terminal.colorEnabled(for: 1)
        // Long lines are hard to read even on a wide terminal; without one, 80 keeps output stable.
        let width = waits ? min(Terminal.width, 100) : 80
        Interrupts.install()
        var presenter = LessonPresenter(lesson: lesson, catalog: catalog, waits: waits,
                                        renderer: NotebookRenderer(color: color, width: width))
        // Bare `bnlab` reports the last cell a reader saw; runs into a pipe are not reading.
        if Terminal.stdoutIsTerminal,
           let path = LearnerProgress.defaultPath(environment: ProcessInfo.processInfo.environment) {
            let cells = lesson.cells.count
            let number = lesson.number
            LearnerProgress(lesson: number, cell: 0, cells: cells).save(to: path)
            presenter.reached = { LearnerProgress(lesson: number, cell: $0, cells: cells).save(to: path) }
        }
        let status = presenter.present()
        if status != 0 { throw ExitCode(status) }
    }
}
