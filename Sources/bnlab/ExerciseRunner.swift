import BNLabCore
import Foundation

/// Grades exercises each in a child `bnlab grade-exercise`, killed if it outlives its time limit.
struct ExerciseRunner {
    /// Seconds an exercise may run.
    let timeLimit: Double

    /// The grade of one exercise; never throws, never hangs past the limit plus a margin.
    func grade(_ exercise: Exercise) -> ExerciseGrade {
        guard let executable = LessonLocator.runningExecutablePath() else {
            return ExerciseGrader.grade(exercise, timeLimit: .milliseconds(Int(timeLimit * 1000)))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["grade-exercise", exercise.path, "--time-limit", String(timeLimit)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return ExerciseGrader.grade(exercise, timeLimit: .milliseconds(Int(timeLimit * 1000)))
        }
        // The child stops itself at the limit; the parent's margin covers work that cannot poll.
        let deadline = Date().addingTimeInterval(timeLimit + 2)
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        // The grade is a short JSON line, far below a pipe's buffer, so waiting before reading is safe.
        if finished.wait(timeout: .now() + max(0, deadline.timeIntervalSinceNow)) == .timedOut {
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            return ExerciseGrade(status: .timedOut, summary: "timed out after \(ExerciseRunner.seconds(timeLimit))",
                                 details: exercise.hints.map { "hint: " + $0 })
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        guard process.terminationReason == .exit,
              let grade = try? JSONDecoder().decode(ExerciseGrade.self, from: data) else {
            return ExerciseGrade(status: .error, summary: "the grader stopped unexpectedly on this exercise",
                                 details: ["please report it, with the file"])
        }
        return grade
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
