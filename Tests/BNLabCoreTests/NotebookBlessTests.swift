import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite("Notebook: blessing recorded outputs")
struct NotebookBlessTests {
    /// The text with the contents of every output block removed: what bless must not change.
    static func withoutOutputs(_ text: String) -> String {
        var kept: [String] = []
        var inOutput = false
        for line in LessonBlesser.rawLines(text) {
            let bare = line.trimmingWhitespace()
            if inOutput {
                if bare == "```" { inOutput = false; kept.append(line) }
            } else {
                kept.append(line)
                if bare == "```output" { inOutput = true }
            }
        }
        // An inserted output block is an output block too: drop empty fence pairs and the blank before them.
        return kept.joined().replacingOccurrences(of: "\n\n```output\n```\n", with: "\n")
    }

    @Test("bless rewrites only output blocks and then the lesson checks clean")
    func blessDrift() throws {
        let original = try NotebookFixtures.text("drift/01-basics.md")
        let lesson = try NotebookFixtures.lesson("drift/01-basics.md")
        let runs = LessonRunner(lesson: lesson).runAll()
        let blessed = try LessonBlesser.blessedText(of: lesson, originalText: original, runs: runs)
        #expect(blessed != original)
        #expect(Array(Self.withoutOutputs(blessed).utf8) == Array(Self.withoutOutputs(original).utf8))
        // The drifted file blessed is the good file: the same prose, the outputs of a fresh run.
        #expect(blessed == (try NotebookFixtures.text("good/01-basics.md")))
        let again = NotebookFixtures.lesson(text: blessed)
        #expect(LessonChecker.check(again).passed)
    }

    @Test("blessing an agreeing lesson changes nothing, byte for byte")
    func blessIsIdempotent() throws {
        let original = try NotebookFixtures.text("good/01-basics.md")
        let lesson = try NotebookFixtures.lesson("good/01-basics.md")
        let blessed = try LessonBlesser.blessedText(of: lesson, originalText: original, runs: LessonRunner(lesson: lesson).runAll())
        #expect(Array(blessed.utf8) == Array(original.utf8))
    }

    @Test("CRLF files stay CRLF, and a file without a final newline keeps none")
    func lineEndings() throws {
        let original = "# T\r\n\r\n```bn\r\n1 + 1\r\n```\r\n\r\n```output\r\n3\r\n```"
        let lesson = NotebookFixtures.lesson(text: original)
        let blessed = try LessonBlesser.blessedText(of: lesson, originalText: original, runs: LessonRunner(lesson: lesson).runAll())
        #expect(blessed == "# T\r\n\r\n```bn\r\n1 + 1\r\n```\r\n\r\n```output\r\n2\r\n```")
    }

    @Test("a cell that fails, or an unclosed fence, blocks blessing")
    func refusals() {
        for text in ["# T\n```bn\nnope\n```\n", "# T\n```bn error\n1\n```\n", "# T\n```bn\n1\n"] {
            let lesson = NotebookFixtures.lesson(text: text)
            #expect(throws: LessonBlesser.Refusal.self) {
                try LessonBlesser.blessedText(of: lesson, originalText: text, runs: LessonRunner(lesson: lesson).runAll())
            }
        }
    }

    @Test("output that contains a fence gets longer fences")
    func fenceInOutput() throws {
        let text = "# T\n```bn\nprint(\"```\")\n```\n```output\n```\n"
        let lesson = NotebookFixtures.lesson(text: text)
        let blessed = try LessonBlesser.blessedText(of: lesson, originalText: text, runs: LessonRunner(lesson: lesson).runAll())
        #expect(blessed == "# T\n```bn\nprint(\"```\")\n```\n````output\n```\n````\n")
        #expect(LessonChecker.check(NotebookFixtures.lesson(text: blessed)).passed)
    }
}
