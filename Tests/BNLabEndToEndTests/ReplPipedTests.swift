import Foundation
import Testing

/// `bnlab repl` with input from a pipe: values on stdout, errors on stderr, no prompts or escapes.
@Suite struct ReplPipedTests {
    let home = ReplTestEnvironment.temporaryDirectory()

    func run(_ input: String) throws -> ReplPipedRun {
        let result = try runPipedRepl(input, home: home)
        try #require(result != nil, "bnlab repl did not finish (or is not built)")
        return result ?? ReplPipedRun(stdout: "", stderr: "", status: -1)
    }

    @Test func printsOnlyTheValue() throws {
        let result = try run("mean([1, 2, 3])\n")
        #expect(result.stdout == "2\n")
        #expect(result.stderr == "")
        #expect(result.status == 0)
    }

    @Test func errorsGoToStderrAndEvaluationContinues() throws {
        let result = try run("x = 1\ny = nosuch\nx + 1\ncheck 1 == 2\n[1, 2] + [1, 2, 3]\n")
        #expect(result.stdout == "2\n")
        #expect(result.stderr.contains("error: unknown name 'nosuch'"))
        #expect(result.stderr.contains("check failed"))
        #expect(result.stderr.contains("cannot broadcast shapes [2] and [3]"))
        #expect(result.stderr.contains("1 | y = nosuch\n  |     ^^^^^^"))
        #expect(result.status == 1)
        #expect(!(result.stdout + result.stderr).contains("\u{1B}"), "no escape codes")
        #expect(!result.stdout.contains("bn>"), "no prompt")
    }

    @Test func multiLineEntriesAndPastedPrompts() throws {
        let result = try run("bn> fn f(a) {\n..>   b = a * 2\n..>   return b + 1\n..> }\nbn> f(4)\ny = [1,\n  2] +\n  1\ny\n")
        #expect(result.stdout == "9\n[2, 3]\n")
        #expect(result.status == 0)
    }

    @Test func unfinishedEntryAtEndIsAnError() throws {
        let result = try run("x = [1, 2\n")
        #expect(result.stdout == "")
        #expect(result.stderr.contains("unclosed '['"))
        #expect(result.status == 1)
    }

    @Test func commandsWork() throws {
        let result = try run(":set precision 2\n[0.12345]\n:vars\n:quit\n99\n")
        #expect(result.stdout == "precision 2\n[0.12]\nans  [1]  [0.12]\n")
        #expect(result.status == 0)
        let failing = try run(":nosuch\n1\n")
        #expect(failing.stdout == "1\n")
        #expect(failing.stderr.contains("unknown command ':nosuch'"))
        #expect(failing.status == 1)
    }

    @Test func emptyInputSucceedsAndLeavesNoHistory() throws {
        let result = try run("")
        #expect(result.stdout == "" && result.stderr == "" && result.status == 0)
        _ = try run("1 + 1\n")
        #expect(!FileManager.default.fileExists(atPath: home + "/state/bnlab/history"))
    }
}
