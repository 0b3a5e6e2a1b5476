import ArgumentParser
import BNLabCore
import Foundation

/// `bnlab grade-exercise FILE`: grades one exercise and prints the grade as JSON.
///
/// Hidden: `check exercises` runs it in a child process per exercise, so a kernel that never
/// polls, or anything worse, costs one child and not the whole report.
struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grade-exercise", shouldDisplay: false)

    @Argument var file: String
    @Option var timeLimit: Double = 10
    @Flag var full = false
    /// The grading parent's pid: a child that only read `getppid()` once started would miss a
    /// parent that died while it was still starting up.
    @Option(help: .hidden) var parent: Int32?

    func run() throws {
        Self.endWithParent(parent ?? getppid())
        let grade = ExerciseGrader.grade(path: file, timeLimit: .milliseconds(Int(timeLimit * 1000)), full: full)
        let json = try JSONEncoder().encode(grade)
        Terminal.write(String(decoding: json, as: UTF8.self) + "\n")
    }

    /// Ends this process soon after its parent does (Ctrl-C at `bnlab lesson`, a killed
    /// `check exercises`), so no grading child runs on alone until its time limit.
    static func endWithParent(_ parent: pid_t) {
        Thread.detachNewThread {
            while getppid() == parent { usleep(100_000) }
            _exit(1)
        }
    }
}
