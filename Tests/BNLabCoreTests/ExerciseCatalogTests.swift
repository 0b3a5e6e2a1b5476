import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// The catalog of shipped exercises, their shipped text, stepped hints and the report's layout
/// (issue 9, items 6, 7, 12 and 16).
@Suite("Exercise catalog, shipped text, hints and report layout")
struct ExerciseCatalogTests {
    static let root = ExerciseGraderTests.root
    static let lessons = ExerciseGraderTests.lessons
    static let exercisesFolder = root.appendingPathComponent("lessons/exercises")

    /// A scratch folder removed by the caller.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("the shipped catalog parses cleanly and lists every exercise file, each with a title and at least two hints")
    func shippedCatalog() throws {
        let text = try String(contentsOf: Self.exercisesFolder.appendingPathComponent("catalog.txt"), encoding: .utf8)
        let parsed = ExerciseCatalog.parse(text, root: Self.exercisesFolder.path)
        #expect(parsed.problems.isEmpty, "\(parsed.problems)")
        #expect(parsed.exercises.count == 35)
        // Every .bn file in a lesson's folder is in the catalog, and every entry names a file there.
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.exercisesFolder.path).filter { $0.first?.isNumber == true }
        var files: Set<String> = []
        for folder in folders {
            for file in try FileManager.default.contentsOfDirectory(atPath: Self.exercisesFolder.appendingPathComponent(folder).path)
            where file.hasSuffix(".bn") {
                files.insert(Self.exercisesFolder.appendingPathComponent("\(folder)/\(file)").path)
            }
        }
        #expect(Set(parsed.exercises.map(\.path)) == files)
        for exercise in parsed.exercises {
            #expect(exercise.hints.count >= 2, "\(exercise.id) gives its hints in steps")
            // The catalog's title is the one the file's first line announces.
            let first = try String(contentsOfFile: exercise.path, encoding: .utf8).split(separator: "\n")[0]
            #expect(first == "# Exercise \(exercise.id) — \(exercise.title)")
        }
    }

    @Test("hints left the exercise files: no '# hint:' line beside a blank")
    func noHintsInFiles() throws {
        for exercise in ExerciseCatalog.exercises(inLessons: Self.lessons) {
            let text = try String(contentsOfFile: exercise.path, encoding: .utf8)
            #expect(!text.lowercased().contains("# hint:"), "\(exercise.id)")
        }
    }

    @Test("the shipped text of every exercise is kept: it has a blank, grades not started, and equals the committed file")
    func pristineCopies() throws {
        for exercise in ExerciseCatalog.exercises(inLessons: Self.lessons) {
            let pristine = ExerciseCatalog.pristinePath(of: exercise)
            #expect(pristine.hasSuffix("/lessons/exercises/.pristine/" + exercise.path.split(separator: "/").suffix(2).joined(separator: "/")))
            let text = try String(contentsOfFile: pristine, encoding: .utf8)
            #expect(text.contains("???"))
            #expect(ExerciseGrader.grade(source: text, path: exercise.path).status == .notStarted)
            // The exercise as committed (the learner's copy may be edited) is the shipped text.
            let relative = String(exercise.path.dropFirst(Self.root.path.count + 1))
            if let committed = Self.git(["show", "HEAD:\(relative)"]) {
                #expect(committed == text, "\(relative) and its .pristine copy differ")
            }
        }
    }

    /// Output of git in the package root, or nil when git or the repository is not there.
    static func git(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", root.path] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }

    @Test("a catalog entry: number and file, then title and hints in order; mistakes are named by line")
    func parsing() {
        let text = """
            # comment
            2.1 02-b/1-first.bn
                title: the first
                hint: nudge
                hint: nearly the answer

            2.2 02-b/2-second.bn
                colour: blue
            hint: not indented
                hint: orphan
            3 03-c/1.bn
            3.1 ../outside.bn
            2.1 02-b/3-again.bn
            """
        let parsed = ExerciseCatalog.parse(text, root: "/r/exercises")
        #expect(parsed.exercises.map(\.id) == ["2.1", "2.2"])
        #expect(parsed.exercises[0].path == "/r/exercises/02-b/1-first.bn")
        #expect(parsed.exercises[0].title == "the first")
        #expect(parsed.exercises[0].hints == ["nudge", "nearly the answer"])
        #expect(parsed.exercises[1].slug == "second")
        #expect(parsed.exercises[1].title == "second")
        #expect(parsed.problems == [
            "catalog.txt:8: expected 'title:' or 'hint:', found 'colour: blue'",
            "catalog.txt:9: expected an exercise as 'LESSON.NUMBER FOLDER/FILE.bn', found 'hint: not indented'",
            // The line above ended entry 2.2, so this one belongs to nothing.
            "catalog.txt:10: 'hint: orphan' belongs to no exercise",
            "catalog.txt:11: expected an exercise as 'LESSON.NUMBER FOLDER/FILE.bn', found '3 03-c/1.bn'",
            "catalog.txt:12: '../outside.bn' must be a .bn file inside the exercises folder",
            "catalog.txt:13: exercise 2.1 is listed twice",
        ])
    }

    @Test("a listed exercise whose file is gone is still listed, graded missing, and not done")
    func missingFile() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let exercises = dir.appendingPathComponent("exercises")
        try FileManager.default.createDirectory(at: exercises.appendingPathComponent("01-a"), withIntermediateDirectories: true)
        try "1.1 01-a/1-kept.bn\n    title: kept\n1.2 01-a/2-gone.bn\n    title: gone\n"
            .write(to: exercises.appendingPathComponent("catalog.txt"), atomically: true, encoding: .utf8)
        try "x = 1\ncheck x == 1\n".write(to: exercises.appendingPathComponent("01-a/1-kept.bn"), atomically: true, encoding: .utf8)
        let found = ExerciseCatalog.exercises(inLessons: dir.path)
        #expect(found.map(\.id) == ["1.1", "1.2"])
        let grades = found.map { ExerciseGrader.grade($0) }
        #expect(grades.map(\.status) == [.done, .missing])
        #expect(grades[1].summary == "bnlab reset 1.2 restores it")
        let report = ExerciseReport(results: Array(zip(found, grades)).map { ($0, $1) }, color: false)
        #expect(!report.allDone)
        #expect(report.text.contains("? 1.2 gone                                missing: bnlab reset 1.2 restores it\n"))
        #expect(report.text.contains("] 1/2 done\nmissing: 1.2 (counted as not done; bnlab reset restores a file as shipped)\n"))
    }

    @Test("2.2 without eps fails: x_hat is ±1, not ±1/sqrt(1 + eps)")
    func exerciseNeedsEps() throws {
        let exercise = try #require(ExerciseCatalog.exercise("2.2", inLessons: Self.lessons))
        let solution = try ExerciseGraderTests.fixture("solutions", for: exercise)
        let withoutEps = solution.replacingOccurrences(of: "sqrt(var(x, axis=0) + eps)", with: "sqrt(var(x, axis=0))")
        #expect(withoutEps != solution)
        let grade = ExerciseGrader.grade(source: withoutEps, path: exercise.path)
        #expect(grade.status == .failing)
        #expect(grade.summary == "check failed: divide by sqrt(var + eps): with variance 1, x_hat is ±1/sqrt(1 + eps), not ±1")
        // Feature 1 is [1, 1, 3, 3]: mean 2, variance 1, so x_hat is exactly ±1 without eps and
        // ±1/sqrt(1.00001) = ±0.99999500… with it. The difference, 5.0e-6, asks for 7 decimals
        // (two digits of it); every element differs by the same amount, so the first is the largest.
        #expect(Array(grade.details.dropFirst()) == [
            "Mismatched elements: 4 / 4 (100%)",
            "Max absolute difference: 5e-06 at [0]",
            "Max relative difference: 5e-06 at [0]",
            "got      [-1.0000000, -1.0000000,  1.0000000,  1.0000000]",
            "expected [-0.9999950, -0.9999950,  0.9999950,  0.9999950]",
            "          ^^^^^^^^^^  ^^^^^^^^^^  ^^^^^^^^^^  ^^^^^^^^^^",
        ])
    }

    @Test("hint progress is kept per exercise in the XDG state folder")
    func hintProgress() throws {
        #expect(HintProgress.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/bnlab/hints")
        #expect(HintProgress.defaultPath(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h/"]) == "/h/.local/state/bnlab/hints")
        #expect(HintProgress.defaultPath(environment: [:]) == nil)
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("state/bnlab/hints").path
        #expect(HintProgress.load(from: path) == HintProgress())
        try HintProgress(shown: ["3.2": 1, "1.1": 3]).save(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "1.1 3\n3.2 1\n")
        #expect(HintProgress.load(from: path).shown == ["1.1": 3, "3.2": 1])
    }

    @Test("the status column stays in line however long the title; errors and time-outs point to the hint")
    func layout() {
        let long = Exercise(lesson: 2, number: 1, slug: "l", path: "p", title: "the batch mean and the biased variance, at length",
                            hints: [])
        let short = Exercise(lesson: 2, number: 2, slug: "s", path: "p", title: "short", hints: [])
        let report = ExerciseReport(results: [], color: false)
        // "2.1 the batch mean and the biased variance, at length" is 53 characters: cut to 38 and "…".
        #expect(report.lines(for: long, ExerciseGrade(status: .done, summary: "")) ==
                ["✓ 2.1 the batch mean and the biased vari… done"])
        #expect(report.lines(for: short, ExerciseGrade(status: .done, summary: "")) ==
                ["✓ 2.2 short                               done"])
        let error = ExerciseGrade(status: .error, summary: "unknown name 'maen'", details: [" --> p:3:5", "  |\n3 | m = maen(x)"])
        #expect(report.lines(for: short, error) == [
            "! 2.2 short                               error: unknown name 'maen'",
            "       --> p:3:5",
            "        |",
            "      3 | m = maen(x)",
            "      stuck? bnlab hint 2.2",
        ])
        let timedOut = ExerciseGrade(status: .timedOut, summary: ExerciseGrader.timedOutSummary(.seconds(5)))
        #expect(report.lines(for: short, timedOut) == [
            "⧗ 2.2 short                               timed out: still running after 5 s (a loop that never ends?)",
            "      stuck? bnlab hint 2.2",
        ])
    }
}
