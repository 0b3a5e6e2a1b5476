import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite("Notebook: rendering prose and cells")
struct NotebookRendererTests {
    @Test("without colour: markers go, code keeps its backticks, headings are underlined")
    func plainProse() {
        let out = ProseRenderer(color: false, width: 80).render([
            "# Title", "", "Some **bold**, *italic*, _also_ and `code_with_underscores`.", "",
            "## Part", "- one", "- two", "", "Math μ_B = (1/m) Σ xᵢ and a*b stay as written.",
        ])
        #expect(out == """
            Title
            =====

            Some bold, italic, also and `code_with_underscores`.

            Part
            ----

            • one
            • two

            Math μ_B = (1/m) Σ xᵢ and a*b stay as written.

            """)
    }

    @Test("wrapping respects the width, wide characters count twice, list items hang")
    func wrapping() {
        let renderer = ProseRenderer(color: false, width: 20)
        let out = renderer.render(["- alpha beta gamma delta epsilon", "", "批量归一化 批量 归一化 批量归一化"])
        // 批量归一化 is ten columns wide: with 批量 it fills 15, and 归一化 would make 22.
        #expect(out == """
            • alpha beta gamma
              delta epsilon

            批量归一化 批量
            归一化 批量归一化

            """)
        for line in out.split(separator: "\n") { #expect(TextWidth.of(line) <= 20) }
    }

    @Test("short inline code is never split across lines")
    func codeStaysWhole() {
        let out = ProseRenderer(color: false, width: 24).render(["the input has shape `[N, C, H, W]` here"])
        #expect(out == """
            the input has shape
            `[N, C, H, W]` here

            """)
    }

    @Test("tables are aligned, right-aligned columns too")
    func tables() {
        let out = ProseRenderer(color: false, width: 80).render(["| a | value |", "|---|--:|", "| long name | 1 |", "| `x` | 22 |"])
        #expect(out == """
             a         │ value
            ───────────┼───────
             long name │     1
             `x`       │    22

            """)
    }

    @Test("with colour: SGR codes for emphasis and code, reset at the end of the line")
    func colour() {
        let out = ProseRenderer(color: true, width: 80).render(["**bold** and `code`"])
        #expect(out == "\u{1B}[1mbold\u{1B}[0m and \u{1B}[36mcode\u{1B}[0m\n")
    }

    @Test("unmatched markers and links are plain text")
    func inlineEdgeCases() {
        let spans = InlineMarkdown.spans("a ** b `c and [x](y) \\*z*", color: false)
        #expect(spans.map(\.text).joined() == "a ** b `c and x (y) *z*")
    }

    @Test("cells show In [k]: and Out[k]: with rows kept aligned")
    func cells() throws {
        let lesson = try NotebookFixtures.lesson("good/01-basics.md")
        let runner = LessonRunner(lesson: lesson)
        let renderer = NotebookRenderer(color: false, width: 80)
        let runs = runner.runAll()
        #expect(renderer.renderCell(lesson.cells[4]) == "In [5]: y\n        y.reshape(2, 2)\n")
        #expect(renderer.renderOutput(runs[4]) == """
            Out[5]: [0.3333, 0.6667, 1.0000, 1.3333]
                    [[0.3333, 0.6667],
                     [1.0000, 1.3333]]
                    shape [2, 2]

            """)
        #expect(renderer.renderOutput(runs[3]) == "")
    }
}
