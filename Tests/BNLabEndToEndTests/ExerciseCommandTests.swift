import Foundation
import Testing

/// `bnlab check exercises` and `bnlab hint`, run as a learner would, on a copy of the lessons.
@Suite("bnlab check exercises and bnlab hint, end to end")
struct ExerciseCommandTests {
    /// A scratch copy of `lessons/` that a test may edit as a learner would.
    struct Workspace {
        let lessons: URL

        init() throws {
            lessons = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-ex-\(UUID().uuidString)/lessons")
            try FileManager.default.createDirectory(at: lessons.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: BinaryRunner.packageRoot.appendingPathComponent("lessons"), to: lessons)
        }

        func remove() { try? FileManager.default.removeItem(at: lessons.deletingLastPathComponent()) }

        /// Every exercise file, relative to `exercises/`.
        var exerciseFiles: [String] {
            let root = lessons.appendingPathComponent("exercises")
            let folders = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
            return folders.sorted().flatMap { folder in
                ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? [])
                    .filter { $0.hasSuffix(".bn") }.sorted().map { "\(folder)/\($0)" }
            }
        }

        /// Puts a fixture (`solutions` or `wrong`) in place of the learner's file.
        func use(_ kind: String, for file: String) throws {
            let source = BinaryRunner.packageRoot.appendingPathComponent("Tests/Fixtures/\(kind)/\(file)")
            let target = lessons.appendingPathComponent("exercises/\(file)")
            try FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: source, to: target)
        }

        func write(_ text: String, to file: String) throws {
            try text.write(to: lessons.appendingPathComponent("exercises/\(file)"), atomically: true, encoding: .utf8)
        }

        func run(_ arguments: [String]) throws -> BinaryRunner.Result {
            try BinaryRunner.run(arguments, environment: ["BNLAB_LESSONS": lessons.path])
        }
    }

    @Test("untouched: every exercise not started, 0/M done, exit 1; one solved moves it to 1/M")
    func firstProgress() throws {
        let w = try Workspace()
        defer { w.remove() }
        let total = w.exerciseFiles.count
        #expect(total >= 15)
        let before = try w.run(["check", "exercises"])
        #expect(before.status == 1)
        let lines = before.stdout.split(separator: "\n")
        #expect(lines.filter { $0.contains("not started: replace the ???") }.count == total)
        #expect(before.stdout.contains("] 0/\(total) done\n"))
        #expect(before.stdout.contains("next: 1.1 "))

        try w.use("solutions", for: w.exerciseFiles[0])
        let after = try w.run(["check", "exercises"])
        #expect(after.status == 1)
        #expect(after.stdout.hasPrefix("✓ 1.1 "))
        #expect(after.stdout.contains("] 1/\(total) done\n"))
        #expect(after.stdout.contains("next: 1.2 "))
        let listing = try w.run(["lesson"])
        #expect(listing.stdout.contains("1/4 done"))
    }

    @Test("all reference solutions: every line done, exit 0")
    func allDone() throws {
        let w = try Workspace()
        defer { w.remove() }
        for file in w.exerciseFiles { try w.use("solutions", for: file) }
        let result = try w.run(["check", "exercises"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("] \(w.exerciseFiles.count)/\(w.exerciseFiles.count) done\nall done"))
        let lesson3 = try w.run(["check", "exercises", "3"])
        #expect(lesson3.status == 0)
        #expect(lesson3.stdout.contains("] 4/4 done"))
    }

    @Test("a wrong answer fails with its check, got against expected in aligned rows, and where to get a hint")
    func wrongAnswer() throws {
        let w = try Workspace()
        defer { w.remove() }
        let file = w.exerciseFiles.first { $0.hasPrefix("02-") && $0.contains("4-") } ?? ""
        try w.use("wrong", for: file)
        let result = try w.run(["check", "exercises", "2"])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = lines.firstIndex { $0.hasPrefix("✗ 2.4 ") }
        #expect(index != nil, "\(result.stdout)")
        guard let index else { return }
        #expect(lines[index].contains("failing: check failed: "))
        let details = Array(lines[(index + 1)...].prefix { $0.hasPrefix("      ") })
        // The wrong my_batchnorm divides by the unbiased variance: every one of the 6×4 values is
        // off by the factor sqrt(5/6), a relative difference of 1 - 0.912871 = 0.087129.
        #expect(details.contains("      Mismatched elements: 24 / 24 (100%)"))
        #expect(details.contains { $0.hasPrefix("      Max relative difference: 0.08713 at [") })
        let got = details.filter { $0.hasPrefix("      got      [") }
        let expected = details.filter { $0.hasPrefix("      expected [") }
        #expect(got.count == 3 && expected.count == 3, "\(details)")
        // Each row's values start in one column and its numbers line up with the row above.
        for (g, e) in zip(got, expected) {
            #expect(g.count == e.count)
            #expect(g.firstIndex(of: "[") == e.firstIndex(of: "["))
            #expect(g.indices.filter { g[$0] == "," } == e.indices.filter { e[$0] == "," })
        }
        #expect(details.contains("      3 of 6 rows shown (shape [6, 4]); add --full to see every value"))
        #expect(details.last == "      stuck? bnlab hint 2.4")
        #expect(details.count < 20)
        // --full (or --verbose) adds every value: all six rows of both.
        for flag in ["--full", "--verbose"] {
            let full = try w.run(["check", "exercises", "2", flag])
            #expect(full.stdout.contains("      got      [["), "\(flag)")
            #expect(full.stdout.contains("      expected [["), "\(flag)")
            #expect(!full.stdout.contains("add --full"), "\(flag)")
        }
        #expect(try w.run(["check", "lessons", "--full"]).status == 64)
    }

    @Test("an endless loop is reported as timed out, within the limit")
    func endlessLoop() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.write("s = 0\nfor i in 0..1000000000000 { s = s + 1 }\ncheck s == 1\n", to: w.exerciseFiles[0])
        let start = Date()
        let result = try w.run(["check", "exercises", "1", "--time-limit", "1"])
        #expect(Date().timeIntervalSince(start) < 8)
        #expect(result.status == 1)
        // The title is the catalog's, whatever the file now says.
        #expect(result.stdout.contains("⧗ 1.1 min-max scaling by hand             timed out: still running after 1 s"))
        #expect(result.stdout.contains("      stuck? bnlab hint 1.1\n"))
    }

    @Test("a syntax or name error is reported with file and line")
    func errorLine() throws {
        let w = try Workspace()
        defer { w.remove() }
        try w.write("# Exercise 1.1 — typo\nm = maen([1, 2])\ncheck m == 1.5\n", to: w.exerciseFiles[0])
        let result = try w.run(["check", "exercises", "1"])
        #expect(result.stdout.contains("! 1.1 min-max scaling by hand             error: unknown name 'maen'"))
        #expect(result.stdout.contains("error: unknown name 'maen'"))
        #expect(result.stdout.contains("--> lessons/exercises/") || result.stdout.contains("/exercises/01-"))
        #expect(result.stdout.contains(":2:5"))
        #expect(result.stdout.contains("      stuck? bnlab hint 1.1\n"))
    }

    @Test("grading never writes the learner's files")
    func readOnly() throws {
        let w = try Workspace()
        defer { w.remove() }
        func snapshot() throws -> [String: Data] {
            var files: [String: Data] = [:]
            for file in w.exerciseFiles {
                files[file] = try Data(contentsOf: w.lessons.appendingPathComponent("exercises/\(file)"))
            }
            return files
        }
        let before = try snapshot()
        _ = try w.run(["check", "exercises"])
        _ = try w.run(["lesson"])
        #expect(try snapshot() == before)
    }

    @Test("hint gives one more hint each time, --all gives them all; unknown or malformed names exit 64")
    func hint() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-hint-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        func hint(_ arguments: [String]) throws -> BinaryRunner.Result {
            try BinaryRunner.run(["hint"] + arguments, environment: ["XDG_STATE_HOME": state.path])
        }
        // The two hints of 3.1, as lessons/exercises/catalog.txt gives them.
        let first = "hint 1 of 2: reduce over the batch axis and both spatial axes at once.\n"
        let second = "hint 2 of 2: the channel axis is axis 1, so the mean runs over axes 0, 2 and 3: axis=[0, 2, 3].\n"
        let head = """
            Exercise 3.1 — one mean per channel
              lessons/exercises/03-one-mean-per-channel/1-channel-mean.bn

            """
        let once = try hint(["3.1"])
        #expect(once.status == 0)
        #expect(once.stdout == head + first + "(bnlab hint 3.1 again shows the next one)\n")
        let twice = try hint(["3.1"])
        #expect(twice.stdout == head + first + second + "(that is every hint for 3.1)\n")
        #expect(try hint(["3.1"]).stdout == twice.stdout)
        #expect(try String(contentsOf: state.appendingPathComponent("bnlab/hints"), encoding: .utf8) == "3.1 2\n")
        let all = try hint(["1.2", "--all"])
        #expect(all.stdout.hasSuffix("""
            hint 1 of 2: one mean and one standard deviation per column: reduce over the rows, axis 0.
            hint 2 of 2: x.mean(axis=0) and x.std(axis=0); std's default is ddof=0, which divides by n.
            (that is every hint for 1.2)

            """))
        let missing = try hint(["9.9"])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("there is no exercise 9.9"))
        #expect(try hint(["three"]).status == 64)
        #expect(try BinaryRunner.run(["check", "exercises", "99"]).status == 64)
        #expect(try BinaryRunner.run(["check", "lessons", "--watch"]).status == 64)
    }

    @Test("an exercise file that is not UTF-8 is an error grade pointing at the bad byte, as bnlab run reports it")
    func notUTF8() throws {
        let w = try Workspace()
        defer { w.remove() }
        let file = w.exerciseFiles[0]
        try Data("x = 1\ny = \"".utf8 + [0xFF] + Data("\"\n".utf8))
            .write(to: w.lessons.appendingPathComponent("exercises/\(file)"))
        let result = try w.run(["check", "exercises", "1"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("is not UTF-8 text: byte 0xFF"))
        #expect(result.stdout.contains("\(file):2:6"))  // line 2, the byte after `y = "`
    }

    @Test("the grading child works under the same memory budget as bnlab (BNLAB_MEMORY reaches it)")
    func childBudget() throws {
        let w = try Workspace()
        defer { w.remove() }
        // 2^24 doubles are 128 MiB: within the default budget, over a 64 MiB one.
        try w.write("x = zeros(2^24)\ncheck size(x) == 2^24\n", to: w.exerciseFiles[0])
        let roomy = try w.run(["check", "exercises", "1"])
        #expect(roomy.stdout.contains("✓ 1.1"))
        let tight = try BinaryRunner.run(["check", "exercises", "1"],
                                         environment: ["BNLAB_LESSONS": w.lessons.path, "BNLAB_MEMORY": "64M"])
        #expect(tight.stdout.contains("out of memory budget"))
        #expect(!tight.stdout.contains("✓ 1.1"))
    }
}
