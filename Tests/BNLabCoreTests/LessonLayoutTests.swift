import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite("Lesson layout: the ending, the pause footer and wrapped text fit the width")
struct LessonLayoutTests {
    private func exercise(_ number: Int, _ file: String, _ title: String) -> Exercise {
        Exercise(lesson: 3, number: number, slug: file, path: "lessons/exercises/03-x/\(file)", title: title, hints: [])
    }

    private func lesson() -> Lesson {
        LessonParser.parse(text: "# Lesson 3 · One mean per channel\n", number: 3, slug: "x", path: "03-x.md")
    }

    @Test("wrap: hanging indent, words kept whole, a word wider than the line stays on its own")
    func wrap() {
        #expect(TextWidth.wrap("aa bb cc dd", width: 8, first: "- ", rest: "  ") == ["- aa bb", "  cc dd"])
        #expect(TextWidth.wrap("one", width: 2) == ["one"])
        #expect(TextWidth.wrap("批量 归一化 x", width: 7) == ["批量", "归一化", "x"])
        #expect(TextWidth.wrap("", width: 10, first: "> ") == ["> "])
    }

    @Test("the ending lists each exercise once, without backticks, within 60 columns")
    func endingAtSixty() {
        let renderer = NotebookRenderer(color: false, width: 60)
        let exercises = [exercise(1, "1-channel-mean.bn", "one mean per channel"),
                         exercise(2, "2-channel-variance.bn", "the channel variance, squared, with a long title that must wrap")]
        let text = renderer.renderExercises(lesson: lesson(), exercises: exercises,
                                            folder: "lessons/exercises/03-one-mean-per-channel/")
        #expect(!text.contains("`"))
        #expect(text.components(separatedBy: "1-channel-mean.bn").count == 2, "listed once")
        for line in text.split(separator: "\n") { #expect(TextWidth.of(line) <= 60, "\(line)") }
        let lines = text.split(separator: "\n").map(String.init)
        // The heading and the folder do not fit on one line at 60 columns: the folder goes below.
        #expect(lines[0] == "Exercises for lesson 3")
        #expect(lines[1] == "  in lessons/exercises/03-one-mean-per-channel/")
        // The long title wraps under its own column (2 + 3 + 2 + 21 + 2 = 30 columns in).
        let titleColumn = String(repeating: " ", count: 30)
        #expect(lines[3].hasPrefix("  3.2  2-channel-variance.bn  the channel variance"))
        #expect(lines[4].hasPrefix(titleColumn) && !lines[4].hasPrefix(titleColumn + " "))
        #expect(text.hasSuffix("Check your work:  bnlab check exercises 3\nStuck?            bnlab hint 3.1\n"))
    }

    @Test("with colour the commands are cyan, not quoted")
    func endingInColour() {
        let text = NotebookRenderer(color: true, width: 80).renderExercises(
            lesson: lesson(), exercises: [exercise(1, "1-a.bn", "a")], folder: nil)
        #expect(text.contains("\u{1B}[36mbnlab check exercises 3\u{1B}[0m"))
        #expect(!text.contains("`"))
    }

    @Test("the pause footer is the longest variant that leaves a column free")
    func footer() {
        let renderer = NotebookRenderer(color: false, width: 80)
        #expect(renderer.pauseFooter(columns: 100).text == "── Enter: next · r: REPL on this lesson's variables · q: quit ── ")
        #expect(renderer.pauseFooter(columns: 66).width == 65)
        #expect(renderer.pauseFooter(columns: 65).text == "── Enter: next · r: REPL · q: quit ── ")
        #expect(renderer.pauseFooter(columns: 60).width <= 59)
        #expect(renderer.pauseFooter(columns: 20).text == "Enter · r · q ")
        // Colour adds codes, not columns.
        let coloured = NotebookRenderer(color: true, width: 80).pauseFooter(columns: 60)
        #expect(coloured.width == renderer.pauseFooter(columns: 60).width)
        #expect(coloured.text.hasPrefix("\u{1B}[2m"))
    }
}
