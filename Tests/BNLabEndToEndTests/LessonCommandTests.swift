import Foundation
import Testing

@Suite("bnlab lesson and bnlab check lessons, run as a learner would")
struct LessonCommandTests {
    static let good = LessonBinary.fixtures.appendingPathComponent("good")
    static let drift = LessonBinary.fixtures.appendingPathComponent("drift")

    @Test("bnlab lesson lists number, title, cells and exercises")
    func listing() throws {
        let result = try LessonBinary.run(["lesson"], lessons: Self.good)
        #expect(result.status == 0)
        #expect(result.stdout == """
            #  lesson          cells  exercises
            1  Fixture basics      5  0/2 done

            Start with `bnlab lesson 1`; `bnlab lesson 1 --all` runs it straight through.

            """)
    }

    @Test("an unknown lesson lists the lessons and exits 64")
    func unknownLesson() throws {
        let result = try LessonBinary.run(["lesson", "7"], lessons: Self.good)
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("bnlab lesson: there is no lesson 7\n"))
        #expect(result.stderr.contains("1  Fixture basics"))
        #expect(try LessonBinary.run(["check", "lessons", "7"], lessons: Self.good).status == 64)
        #expect(try LessonBinary.run(["lesson", "seven"], lessons: Self.good).status == 64)
    }

    @Test("bnlab lesson 1 --all: the golden rendering, colour off; a pipe runs straight through too")
    func golden() throws {
        let golden = try String(contentsOf: LessonBinary.fixtures.appendingPathComponent("golden/lesson-1-all.txt"),
                                encoding: .utf8)
        let all = try LessonBinary.run(["lesson", "1", "--all"], lessons: Self.good)
        #expect(all.status == 0)
        #expect(all.stderr == "")
        #expect(all.stdout == golden)
        #expect(!all.stdout.contains("\u{1B}"))
        // stdout is a pipe: no waiting even without --all, and the input is never read.
        let piped = try LessonBinary.run(["lesson", "1"], lessons: Self.good, stdin: "q\n")
        #expect(piped.stdout == golden)
    }

    @Test("bnlab lesson 3 --all: the real lesson's golden rendering, colour off")
    func lessonThreeGolden() throws {
        let golden = try String(contentsOf: LessonBinary.fixtures.appendingPathComponent("golden/lesson-3-all.txt"),
                                encoding: .utf8)
        let result = try LessonBinary.run(["lesson", "3", "--all"], lessons: LessonBinary.packageRoot.appendingPathComponent("lessons"))
        #expect(result.status == 0)
        #expect(result.stdout == golden)
        #expect(result.stdout.contains("Out[5]: [13.5000, 17.5000, 21.5000]"))
        #expect(result.stdout.contains("3.1  1-channel-mean.bn"))
    }

    @Test("check lessons passes on agreeing lessons")
    func checkPasses() throws {
        let result = try LessonBinary.run(["check", "lessons"], lessons: Self.good)
        #expect(result.status == 0)
        #expect(result.stdout == "checked 1 lesson (5 cells): all outputs agree\n")
    }

    @Test("check lessons names the lesson, cell and line of each difference and exits 1")
    func checkReportsDrift() throws {
        let result = try LessonBinary.run(["check", "lessons", "1"], lessons: Self.drift)
        #expect(result.status == 1)
        #expect(result.stdout == """
            lesson 1, cell 1, line 1: the output differs
              --> Tests/Fixtures/notebook/drift/01-basics.md:24
              expected: 2.4000
              got:      2.5000

            lesson 1, cell 2: the cell shows output but has no ```output block
              --> Tests/Fixtures/notebook/drift/01-basics.md:32
              expected: (no output block)
              got:      sum 10
                        [2, 4, 6, 8]

            lesson 1, cell 5, line 2: this recorded line is no longer produced
              --> Tests/Fixtures/notebook/drift/01-basics.md:59
              expected: [9, 9]
              got:      (no line)

            checked 1 lesson (5 cells): 3 problems in lesson 1

            """)
    }

    @Test("check lessons --bless rewrites only the outputs, after which the check passes")
    func bless() throws {
        let folder = try LessonBinary.copyOfFixture("drift")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let blessed = try LessonBinary.run(["check", "lessons", "--bless"], lessons: folder)
        #expect(blessed.status == 0)
        #expect(blessed.stdout.contains("lesson 1: rewrote its outputs"))
        let text = try Data(contentsOf: folder.appendingPathComponent("01-basics.md"))
        let good = try Data(contentsOf: Self.good.appendingPathComponent("01-basics.md"))
        #expect(text == good)
        #expect(try LessonBinary.run(["check", "lessons"], lessons: folder).status == 0)
        let again = try LessonBinary.run(["check", "lessons", "--bless"], lessons: folder)
        #expect(again.stdout.contains("lesson 1: up to date"))
    }

    @Test("check lessons passes on the repository's own lessons (or when there are none)")
    func repositoryLessons() throws {
        let lessons = LessonBinary.packageRoot.appendingPathComponent("lessons")
        let result = try LessonBinary.run(["check", "lessons"], lessons: lessons)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasSuffix("checked 10 lessons (111 cells): all outputs agree\n"))
    }

    @Test("check's arguments: lessons or exercises, anything else is a usage error")
    func checkArguments() throws {
        let exercises = try LessonBinary.run(["check", "exercises"], lessons: Self.good)
        #expect(exercises.status == 1)
        #expect(exercises.stdout.contains("] 0/2 done"))
        #expect(try LessonBinary.run(["check", "lesson"], lessons: Self.good).status == 64)
        #expect(try LessonBinary.run(["check", "exercises", "--bless"], lessons: Self.good).status == 64)
        #expect(try LessonBinary.run(["check"], lessons: Self.good).status == 64)
    }

    @Test("a BNLAB_LESSONS that names no folder is a usage error")
    func badOverride() throws {
        let result = try LessonBinary.run(["lesson"], lessons: URL(fileURLWithPath: "/no/such/folder"))
        #expect(result.status == 64)
        #expect(result.stderr.contains("BNLAB_LESSONS=/no/such/folder is not a folder"))
    }

    @Test("a copied binary finds lessons/ next to it, without the build tree or the override")
    func copiedBinary() throws {
        let folder = try LessonBinary.copyOfFixture("good")
        let root = folder.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.moveItem(at: folder, to: root.appendingPathComponent("lessons"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("bin"), withIntermediateDirectories: true)
        let copy = root.appendingPathComponent("bin/bnlab")
        // Copy in a child process: a copy written by this process could have its write descriptor
        // inherited by a child that a parallel test forks meanwhile, making the exec fail with ETXTBSY.
        let cp = Process()
        cp.executableURL = URL(fileURLWithPath: "/bin/cp")
        cp.arguments = [LessonBinary.binary.path, copy.path]
        try cp.run()
        cp.waitUntilExit()
        #expect(cp.terminationStatus == 0)
        let result = try LessonBinary.run(["lesson"], lessons: nil, executable: copy)
        #expect(result.status == 0)
        #expect(result.stdout.contains("1  Fixture basics"))
    }

    @Test("a binary copied outside the checkout, run from outside it, finds the checkout's lessons")
    func copiedBinaryOutsideCheckout() throws {
        // The README's promise: copy .build/debug/bnlab anywhere and it still finds lessons/, through
        // the package root compiled into it (nothing above the copy leads back to the checkout).
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(!root.standardizedFileURL.path.hasPrefix(LessonBinary.packageRoot.standardizedFileURL.path + "/"))
        let copy = root.appendingPathComponent("bnlab")
        let cp = Process()
        cp.executableURL = URL(fileURLWithPath: "/bin/cp")
        cp.arguments = [LessonBinary.binary.path, copy.path]
        try cp.run()
        cp.waitUntilExit()
        #expect(cp.terminationStatus == 0)
        let result = try BinaryRunner.run(["lesson"], environment: ["BNLAB_LESSONS": nil], directory: root,
                                          executable: copy)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("1  Min-max versus z-score"))
        #expect(result.stdout.contains("5  Running statistics"))
        #expect(result.stdout.contains("6  Gradients by hand and by tape"))
        #expect(result.stdout.contains("7  Does BN speed up training?"))
        #expect(result.stdout.contains("8  Learning rates and initialisation"))
        let lesson = try BinaryRunner.run(["lesson", "1", "--all"], environment: ["BNLAB_LESSONS": nil],
                                          directory: root, executable: copy)
        #expect(lesson.status == 0)
        #expect(lesson.stdout.contains("Lesson 1 · Min-max versus z-score"))
    }

    @Test("on a terminal: pauses between cells, r opens a REPL on the lesson's variables, q quits",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func interactive() throws {
        // `script` gives bnlab a pseudo-terminal for stdin and stdout.
        let command = "'\(LessonBinary.binary.path)' lesson 1"
        let result = try LessonBinary.run(["-qec", command, "/dev/null"], lessons: Self.good, timeout: 30,
                                          stdin: "\nr\nsum(x) + 1\n:quit\nq\n",
                                          executable: URL(fileURLWithPath: "/usr/bin/script"))
        #expect(result.status == 0)
        let out = result.stdout
        #expect(out.contains("Out[1]: 2.5000"))
        #expect(out.contains("Enter: next"))
        #expect(out.contains("Out[2]: sum 10"))
        #expect(out.contains("REPL on lesson 1's variables"))
        #expect(out.contains("bn> sum(x) + 1"))
        // readline may wrap the answer in bracketed-paste switches; the line still ends in 11.
        #expect(out.split(whereSeparator: \.isNewline).contains { $0.hasSuffix("11") && !$0.contains("+") })
        #expect(!out.contains("In [3]"), "q quits before the third cell")
        #expect(!out.contains("Exercises for lesson 1"))
    }
}
