import BNLabCore
import Foundation

/// Grades exercises each in a child `bnlab grade-exercise`, ended if it outlives its time limit
/// or the learner presses Ctrl-C.
struct ExerciseRunner {
    /// Seconds an exercise may run.
    let timeLimit: Double
    /// Show every value of a failed check, not a summary (`--full`).
    var full = false
    /// Raised by Ctrl-C: the running child is ended at once.
    var interrupt: InterruptFlag? = nil

    /// The grade of one exercise; never throws, never hangs past the limit plus a margin. After
    /// Ctrl-C it returns an error grade at once; the caller sees the raised flag.
    func grade(_ exercise: Exercise) -> ExerciseGrade {
        guard FileManager.default.fileExists(atPath: exercise.path) else { return ExerciseGrader.missing(exercise) }
        let limit = Duration.milliseconds(Int(timeLimit * 1000))
        var arguments = ["grade-exercise", exercise.path, "--time-limit", String(timeLimit), "--parent", String(getpid())]
        if full { arguments.append("--full") }
        guard let executable = LessonLocator.runningExecutablePath(),
              let child = ChildProcess.spawn([executable] + arguments) else {
            return ExerciseGrader.grade(exercise, timeLimit: limit, full: full)
        }
        // The child stops itself at the limit; the parent's margin covers work that cannot poll.
        switch child.run(seconds: timeLimit + 2, interrupted: { interrupt?.isRaised == true }) {
        case .interrupted:
            return ExerciseGrade(status: .error, summary: "interrupted")
        case .timedOut:
            return ExerciseGrade(status: .timedOut, summary: ExerciseGrader.timedOutSummary(limit))
        case .outputTooLarge:
            return ExerciseGrade(status: .error, summary: "the grader wrote far more than a grade on this exercise",
                                 details: ["please report it, with the file"])
        case .finished(let data, let ending):
            guard ending == .exited(0), let grade = try? JSONDecoder().decode(ExerciseGrade.self, from: Data(data)) else {
                return ExerciseGrade(status: .error, summary: "the grader stopped unexpectedly on this exercise",
                                     details: ["please report it, with the file"])
            }
            return grade
        }
    }
}
