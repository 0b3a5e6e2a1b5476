import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite("Notebook: parsing lesson files")
struct NotebookParserTests {
    @Test("file names give the lesson number and slug")
    func fileNames() {
        #expect(LessonParser.nameParts(ofFileName: "03-one-mean-per-channel.md")! == (3, "one-mean-per-channel"))
        #expect(LessonParser.nameParts(ofFileName: "12-x.md")! == (12, "x"))
        #expect(LessonParser.nameParts(ofFileName: "README.md") == nil)
        #expect(LessonParser.nameParts(ofFileName: "03-.md") == nil)
        #expect(LessonParser.nameParts(ofFileName: "03-a.txt") == nil)
        #expect(LessonParser.nameParts(ofFileName: "99999999999999999999-a.md") == nil)
    }

    @Test("cells, their outputs and line numbers")
    func cellsAndLines() throws {
        let lesson = try NotebookFixtures.lesson("good/01-basics.md")
        #expect(lesson.title == "Lesson 1 · Fixture basics")
        #expect(lesson.problems.isEmpty)
        let cells = lesson.cells
        #expect(cells.map(\.index) == [1, 2, 3, 4, 5])
        #expect(cells[0].openingFenceLine == 18)
        #expect(cells[0].firstCodeLine == 19)
        #expect(cells[0].codeLines == ["x = [1, 2, 3, 4]", "mean(x)"])
        #expect(cells[0].output?.openingFenceLine == 23)
        #expect(cells[0].output?.lines == ["2.5000"])
        #expect(cells[0].output?.fileLine(ofOutputLine: 1) == 24)
        #expect(cells[2].expectsError)
        #expect(cells[2].output?.lines.first == "error: cannot broadcast shapes [4] and [3]")
        #expect(cells[3].output == nil)
        #expect(cells[4].output?.lines.count == 4)
    }

    @Test("a fence inside a longer fence is not a cell; other languages are code blocks")
    func nestedFences() {
        let lesson = NotebookFixtures.lesson(text: """
            # T

            ````markdown
            ```bn
            1 + 1
            ```
            ````

            ```python
            x = 1
            ```
            """)
        #expect(lesson.cells.isEmpty)
        #expect(lesson.problems.isEmpty)
        let codeBlocks = lesson.blocks.filter { if case .code = $0 { true } else { false } }
        #expect(codeBlocks.count == 2)
    }

    @Test("structural problems are reported with their lines, never a crash")
    func problems() {
        let lesson = NotebookFixtures.lesson(text: """
            no title here

            ```output
            orphan
            ```

            ```bn hidden
            1
            ```

            ```bn
            2
            """)
        #expect(lesson.title == "inline")
        let lines = lesson.problems.map(\.line)
        #expect(lines == [3, 7, 11, 1])
        #expect(lesson.problems[0].message.contains("does not follow"))
        #expect(lesson.problems[1].message.contains("hidden"))
        #expect(lesson.problems[2].message.contains("never closed"))
        #expect(lesson.cells.count == 2)
    }

    @Test("an output block attaches across blank lines, but not across prose")
    func outputAttachment() {
        let lesson = NotebookFixtures.lesson(text: "# T\n```bn\n1\n```\n\n\n```output\n1\n```\n```bn\n2\n```\ntext\n```output\n2\n```\n")
        #expect(lesson.cells[0].output?.lines == ["1"])
        #expect(lesson.cells[1].output == nil)
        #expect(lesson.problems.map(\.line) == [14])
    }

    @Test("CRLF line endings are lines, and headings lose closing hashes")
    func crlfAndHeadings() {
        let lesson = NotebookFixtures.lesson(text: "# Title ##\r\n```bn\r\n1\r\n```\r\n")
        #expect(lesson.title == "Title")
        #expect(lesson.cells.first?.codeLines == ["1"])
        #expect(LessonParser.splitLines("a\r\nb\n") == ["a", "b"])
        #expect(LessonParser.splitLines("") == [""])
        #expect(LessonParser.heading("#hashtag") == nil)
        #expect(LessonParser.heading("### C #")?.text == "C")
    }

    @Test("any bytes parse without crashing")
    func arbitraryInput() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("`~# \n\r*_|-bnoutperr[]()\\é漢")
        for _ in 0..<300 {
            let text = String((0..<Int.random(in: 0..<200, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            })
            let lesson = NotebookFixtures.lesson(text: text)
            _ = ProseRenderer(color: true, width: 30).render(lesson.lines)
        }
    }
}
