import Foundation
import Testing

/// `check lessons` and `check exercises` are nested subcommands; the command lines, exit codes
/// and the messages for a misplaced option are those of the single command they replaced.
@Suite("bnlab check's subcommands")
struct CheckSubcommandTests {
    static let good = LessonBinary.fixtures.appendingPathComponent("good")

    @Test("a misplaced option keeps its own message and exit 64", arguments: [
        (["check", "exercises", "--bless"], "--bless rewrites lessons only; the tool never writes your exercises"),
        (["check", "lessons", "--watch"], "--watch is for exercises"),
        (["check", "lessons", "--full"], "--full is for exercises"),
        (["check", "lessons", "--verbose"], "--full is for exercises"),
        (["check", "exercises", "--time-limit", "0"], "--time-limit takes seconds, more than 0 and at most 3600"),
        (["check", "lessons", "--time-limit", "4000"], "--time-limit takes seconds, more than 0 and at most 3600"),
        (["check"], "check what? 'lessons' or 'exercises'"),
    ])
    func misplaced(_ arguments: [String], _ message: String) throws {
        let result = try LessonBinary.run(arguments, lessons: Self.good)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message))
    }

    @Test("the command lines that worked still do")
    func sameCommandLines() throws {
        #expect(try LessonBinary.run(["check", "lessons", "1"], lessons: Self.good).status == 0)
        #expect(try LessonBinary.run(["check", "lessons", "--time-limit", "3"], lessons: Self.good).status == 0)
        let exercises = try LessonBinary.run(["check", "exercises", "1", "--time-limit", "2", "--verbose"], lessons: Self.good)
        #expect(exercises.status == 1)
        #expect(exercises.stdout.contains("0/2 done"))
    }

    @Test("check --help lists both subcommands")
    func help() throws {
        let result = try LessonBinary.run(["check", "--help"], lessons: Self.good)
        #expect(result.status == 0)
        #expect(result.stdout.contains("lessons") && result.stdout.contains("exercises"))
    }
}
