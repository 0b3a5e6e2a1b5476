import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite("Exercise grading")
struct ExerciseGraderTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let lessons = root.appendingPathComponent("lessons").path
    static let exercises = ExerciseCatalog.exercises(inLessons: lessons)

    /// The fixture beside an exercise: `Tests/Fixtures/<kind>/NN-slug/K-slug.bn`.
    static func fixture(_ kind: String, for exercise: Exercise) throws -> String {
        let folder = URL(fileURLWithPath: exercise.path).deletingLastPathComponent().lastPathComponent
        let file = URL(fileURLWithPath: exercise.path).lastPathComponent
        let url = root.appendingPathComponent("Tests/Fixtures/\(kind)/\(folder)/\(file)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test("at least three exercises per lesson, each with a title and a hint")
    func catalog() {
        #expect(Self.exercises.count >= 15)
        for lesson in 1...5 {
            #expect(Self.exercises.filter { $0.lesson == lesson }.count >= 3, "lesson \(lesson)")
        }
        for exercise in Self.exercises {
            #expect(!exercise.hints.isEmpty, "\(exercise.id) has no hint")
            #expect(exercise.title != exercise.slug || !exercise.title.isEmpty)
        }
        #expect(ExerciseCatalog.exercise("3.1", inLessons: Self.lessons)?.title == "one mean per channel")
        #expect(ExerciseCatalog.exercise("9.9", inLessons: Self.lessons) == nil)
    }

    @Test("every untouched exercise is not started", arguments: exercises)
    func untouched(_ exercise: Exercise) {
        #expect(ExerciseGrader.grade(exercise).status == .notStarted)
    }

    @Test("every reference solution is done", arguments: exercises)
    func solution(_ exercise: Exercise) throws {
        let grade = ExerciseGrader.grade(source: try Self.fixture("solutions", for: exercise), path: exercise.path)
        #expect(grade.status == .done, "\(grade.summary) \(grade.details)")
    }

    @Test("a plausible wrong answer fails a check, and the report names it with where to get a hint", arguments: exercises)
    func wrong(_ exercise: Exercise) throws {
        let grade = ExerciseGrader.grade(source: try Self.fixture("wrong", for: exercise), path: exercise.path)
        #expect(grade.status == .failing, "\(grade.summary) \(grade.details)")
        #expect(grade.summary.hasPrefix("check failed: "))
        let lines = ExerciseReport(results: [(exercise, grade)], color: false).lines(for: exercise, grade)
        #expect(lines.last == "      stuck? bnlab hint \(exercise.id)")
    }

    @Test("a blank only in a comment or a string does not count as unfinished")
    func blanksInComments() {
        let grade = ExerciseGrader.grade(source: "# the ??? was here\nx = \"???\"\ncheck x == \"???\"\n", path: "t.bn")
        #expect(grade.status == .done)
    }

    @Test("a guess that is close but wrong fails with got and expected")
    func gotExpected() {
        let grade = ExerciseGrader.grade(source: "m = 13\ncheck allclose(m, 13.5)\n", path: "t.bn")
        #expect(grade.status == .failing)
        #expect(grade.details == ["at t.bn:2:7", "got      13", "expected 13.5000"])
    }

    @Test("an infinite loop is reported as timed out within the limit")
    func timeout() {
        let start = ContinuousClock.now
        let grade = ExerciseGrader.grade(source: "s = 0\nfor i in 0..1000000000000 { s = s + i }\n", path: "t.bn",
                                         timeLimit: .milliseconds(300))
        #expect(grade.status == .timedOut)
        #expect(grade.summary == "still running after 0.3 s (a loop that never ends?)")
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test("an error reports the diagnostic with file and line")
    func error() {
        let grade = ExerciseGrader.grade(source: "x = [1, 2]\ny = maen(x)\n", path: "ex.bn")
        #expect(grade.status == .error)
        #expect(grade.summary == "unknown name 'maen'")
        #expect(grade.details.first == " --> ex.bn:2:5")
    }

    @Test("the report: one line each, a progress bar, N/M done and the next exercise")
    func report() {
        let a = Exercise(lesson: 1, number: 1, slug: "a", path: "lessons/exercises/01-x/1-a.bn", title: "first", hints: ["h"])
        let b = Exercise(lesson: 1, number: 2, slug: "b", path: "lessons/exercises/01-x/2-b.bn", title: "second", hints: ["h"])
        let report = ExerciseReport(results: [
            (a, ExerciseGrade(status: .done, summary: "every check passes")),
            (b, ExerciseGrade(status: .notStarted, summary: "replace the ??? on line 4")),
        ], color: false)
        #expect(report.text == """
            ✓ 1.1 first                               done
            · 1.2 second                              not started: replace the ??? on line 4

            [███████████████░░░░░░░░░░░░░░░] 1/2 done
            next: 1.2 second — lessons/exercises/01-x/2-b.bn
                  stuck? bnlab hint 1.2

            """)
        #expect(!report.allDone)
    }
}
