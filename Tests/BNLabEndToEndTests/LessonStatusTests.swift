import Foundation
import Testing

/// What `bnlab lesson` and bare `bnlab` say as the exercises get done.
@Suite("Where the learner is: the listing's last line and bare bnlab")
struct LessonStatusTests {
    /// A copy of the fixture lessons with the first `solved` exercises solved, and a fresh state folder.
    private func lessons(solved: Int) throws -> (lessons: URL, state: String) {
        let copy = try LessonBinary.copyOfFixture("good")
        let folder = copy.appendingPathComponent("exercises/01-basics")
        let solutions = ["1-the-mean.bn": "# Exercise 1.1 — the mean\nm = mean([1, 2, 3, 4])\ncheck m == 2.5\n",
                         "2-the-sum.bn": "# Exercise 1.2 — the sum\ns = sum([1, 2, 3, 4])\ncheck s == 10\n"]
        for name in solutions.keys.sorted().prefix(solved) {
            try solutions[name]!.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return (copy, copy.deletingLastPathComponent().appendingPathComponent("state").path)
    }

    private func run(_ arguments: [String], _ setup: (lessons: URL, state: String)) throws -> BinaryRunner.Result {
        try BinaryRunner.run(arguments, environment: ["BNLAB_LESSONS": setup.lessons.path, "XDG_STATE_HOME": setup.state])
    }

    @Test("the listing says where to go on, and something apt when every exercise is done")
    func listingClosingLine() throws {
        let none = try lessons(solved: 0)
        defer { try? FileManager.default.removeItem(at: none.lessons.deletingLastPathComponent()) }
        #expect(try run(["lesson"], none).stdout.hasSuffix("\nStart with `bnlab lesson 1`; `bnlab lesson 1 --all` runs it straight through.\n"))

        let one = try lessons(solved: 1)
        defer { try? FileManager.default.removeItem(at: one.lessons.deletingLastPathComponent()) }
        let partly = try run(["lesson"], one).stdout
        #expect(partly.contains("1  Fixture basics      5  1/2 done"))
        #expect(partly.hasSuffix("\n1/2 exercises done; next is 1.2 (lesson 1): `bnlab lesson 1`, then `bnlab check exercises 1`.\n"))

        let all = try lessons(solved: 2)
        defer { try? FileManager.default.removeItem(at: all.lessons.deletingLastPathComponent()) }
        let done = try run(["lesson"], all).stdout
        #expect(done.contains("2/2 done"))
        #expect(done.contains("All 2 exercises are done."))
        #expect(!done.contains("Start with"))
    }

    @Test("bare bnlab with no progress yet: the first lesson, 0/2 done, the next exercise and the commands")
    func freshStatus() throws {
        let setup = try lessons(solved: 0)
        defer { try? FileManager.default.removeItem(at: setup.lessons.deletingLastPathComponent()) }
        let result = try run([], setup)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains("You have not opened a lesson yet."))
        #expect(lines.contains("Exercises: 0/2 done."))
        #expect(lines.contains("Next exercise: 1.1, the mean"))
        #expect(lines.contains { $0.hasPrefix("  bnlab lesson 1 ") && $0.hasSuffix("the first lesson: Fixture basics") })
        #expect(lines.contains { $0.hasPrefix("  bnlab hint 1.1 ") })
        // Nothing was written: only a lesson on a terminal records progress.
        #expect(!FileManager.default.fileExists(atPath: setup.state + "/bnlab/progress.json"))
    }

    @Test("bare bnlab after the last cell and every exercise: finished, all done")
    func finishedStatus() throws {
        let setup = try lessons(solved: 2)
        defer { try? FileManager.default.removeItem(at: setup.lessons.deletingLastPathComponent()) }
        try FileManager.default.createDirectory(atPath: setup.state + "/bnlab", withIntermediateDirectories: true)
        try #"{"lesson": 1, "cell": 5, "cells": 5}"#.write(toFile: setup.state + "/bnlab/progress.json",
                                                          atomically: true, encoding: .utf8)
        let result = try run([], setup)
        #expect(result.status == 0)
        #expect(result.stdout.contains("You finished lesson 1 (Fixture basics)."))
        #expect(result.stdout.contains("Exercises: all 2 done."))
        #expect(!result.stdout.contains("Next exercise"))
        #expect(!result.stdout.contains("`"))
    }

    @Test("a damaged progress file is ignored, not an error")
    func damagedProgress() throws {
        let setup = try lessons(solved: 0)
        defer { try? FileManager.default.removeItem(at: setup.lessons.deletingLastPathComponent()) }
        try FileManager.default.createDirectory(atPath: setup.state + "/bnlab", withIntermediateDirectories: true)
        try "{not json".write(toFile: setup.state + "/bnlab/progress.json", atomically: true, encoding: .utf8)
        let result = try run([], setup)
        #expect(result.status == 0)
        #expect(result.stdout.contains("You have not opened a lesson yet."))
    }
}
