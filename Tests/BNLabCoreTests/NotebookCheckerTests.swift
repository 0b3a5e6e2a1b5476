import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite("Notebook: checking lessons")
struct NotebookCheckerTests {
    @Test("the fixture lesson agrees with its recorded outputs")
    func goodLessonPasses() throws {
        let report = LessonChecker.check(try NotebookFixtures.lesson("good/01-basics.md"))
        #expect(report.findings.isEmpty, "\(report.findings.map { $0.rendered(path: "x") })")
        #expect(report.passed)
        #expect(report.runs.count == 5)
    }

    @Test("an altered digit, a missing output and an extra line: each with its cell and line")
    func driftIsLocated() throws {
        let report = LessonChecker.check(try NotebookFixtures.lesson("drift/01-basics.md"))
        let findings = report.findings
        #expect(findings.count == 3)
        guard findings.count == 3 else { return }

        #expect(findings[0].kind == .differs)
        #expect(findings[0].location == "lesson 1, cell 1, line 1")
        #expect(findings[0].fileLine == 24)
        #expect(findings[0].expected == ["2.4000"])
        #expect(findings[0].got == ["2.5000"])

        #expect(findings[1].kind == .noOutputBlock)
        #expect(findings[1].location == "lesson 1, cell 2")
        #expect(findings[1].fileLine == 32)
        #expect(findings[1].got == ["sum 10", "[2, 4, 6, 8]"])

        #expect(findings[2].kind == .notProduced)
        #expect(findings[2].location == "lesson 1, cell 5, line 2")
        #expect(findings[2].fileLine == 59)
        #expect(findings[2].expected == ["[9, 9]"])

        #expect(findings[0].rendered(path: "drift/01-basics.md") == """
            lesson 1, cell 1, line 1: the output differs
              --> drift/01-basics.md:24
              expected: 2.4000
              got:      2.5000

            """)
        #expect(!report.passed)
    }

    @Test("a line the cell shows but the recording lacks is located where it would go")
    func unrecordedLine() {
        let lesson = NotebookFixtures.lesson(text: "# T\n\n```bn\n1\n2\n3\n```\n\n```output\n1\n3\n```\n", number: 4)
        let findings = LessonChecker.check(lesson).findings
        #expect(findings.count == 1)
        #expect(findings.first?.kind == .notRecorded)
        #expect(findings.first?.location == "lesson 4, cell 1, line 2")
        #expect(findings.first?.fileLine == 11)
        #expect(findings.first?.got == ["2"])
    }

    @Test("a failing cell names its cell and line; an error cell that runs is reported")
    func errors() {
        let lesson = NotebookFixtures.lesson(text: """
            # T

            ```bn
            a = 1
            b = nope + 1
            ```

            ```bn error
            1 + 1
            ```

            ```output
            error: whatever
            ```
            """, number: 2)
        let findings = LessonChecker.check(lesson).findings
        #expect(findings.map(\.kind) == [.cellFailed, .expectedError])
        #expect(findings.first?.location == "lesson 2, cell 1, line 2")
        #expect(findings.first?.fileLine == 5)
        #expect(findings.first?.detail?.contains(" --> lesson 2, cell 1, line 2, column 5") == true)
        #expect(findings.last?.location == "lesson 2, cell 2")
        #expect(findings.last?.fileLine == 8)
    }

    @Test("a runaway cell times out instead of hanging the check")
    func timeLimit() {
        let lesson = NotebookFixtures.lesson(text: "# T\n```bn\nfor i in 0..1000000000 { i }\n```\n```bn\n1\n```\n```output\n1\n```\n")
        let report = LessonChecker.check(lesson, cellTimeLimit: .milliseconds(200))
        #expect(report.findings.map(\.kind) == [.cellFailed])
        #expect(report.findings.first?.detail?.contains("timed out") == true)
    }

    @Test("later cells see earlier cells' variables")
    func oneSession() {
        let lesson = NotebookFixtures.lesson(text: "# T\n```bn\nv = [1, 2]\n```\n```bn\nsum(v)\n```\n```output\n3\n```\n")
        #expect(LessonChecker.check(lesson).passed)
    }
}
