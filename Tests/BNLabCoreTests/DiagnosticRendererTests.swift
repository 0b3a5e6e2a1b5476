import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite("Diagnostic rendering")
struct DiagnosticRendererTests {
    @Test("the layout of language.md §8, for a lesson cell")
    func cellLayout() {
        let file = SourceFile(origin: .cell(lesson: 3, cell: 2), text: "y = x + [1, 2, 3, 4]")
        let d = Diagnostic("cannot broadcast shapes [3, 2] and [4]", file: file, range: SourceRange(4, 20))
        #expect(DiagnosticRenderer.render(d) == """
            error: cannot broadcast shapes [3, 2] and [4]
             --> lesson 3, cell 2, line 1, column 5
              |
            1 | y = x + [1, 2, 3, 4]
              |     ^^^^^^^^^^^^^^^^

            """)
    }

    @Test("file locations, two-digit gutters, notes and wide characters")
    func fileLayout() {
        let text = String(repeating: "\n", count: 11) + "μ = maen(x)"
        let file = SourceFile(origin: .file(path: "a.bn"), text: text)
        let start = text.utf8.count - "maen(x)".utf8.count
        let d = Diagnostic("unknown name 'maen'", file: file, range: SourceRange(start, start + 4))
            .adding(.help, "did you mean 'mean'?")
        #expect(DiagnosticRenderer.render(d) == """
            error: unknown name 'maen'
              --> a.bn:12:5
               |
            12 | μ = maen(x)
               |     ^^^^
               = help: did you mean 'mean'?

            """)
    }

    @Test("an error in a function defined in one cell and called from another points into each")
    func crossCellTraceback() {
        let session = Session(output: { _ in })
        #expect(session.run(SourceFile(origin: .cell(lesson: 1, cell: 1), text: "fn f(x) {\n  y = x\n  y + [1, 2]\n}")) == nil)
        let d = session.run(SourceFile(origin: .cell(lesson: 1, cell: 2), text: "z = 1\nf(ones(3))"))
        #expect(d.map { DiagnosticRenderer.render($0) } == """
            error: cannot broadcast shapes [3] and [2]
             --> lesson 1, cell 1, line 3, column 3
              |
            3 |   y + [1, 2]
              |   ^   ^^^^^^
              = note: in 'f', called at lesson 1, cell 2, line 2, column 1: f(ones(3))

            """)
        // After the call the caller's file is current again: its own errors point there.
        #expect(session.run(SourceFile(origin: .cell(lesson: 1, cell: 3), text: "f(1) + undefined_name"))?
            .locationDescription == "lesson 1, cell 3, line 1, column 8")
    }

    @Test("a very long line is shown as a window around the caret")
    func longLine() {
        let text = String(repeating: "[", count: 5000)
        let file = SourceFile(origin: .named("t"), text: text)
        let d = Diagnostic("deep", file: file, range: SourceRange(3000, 3001))
        let lines = DiagnosticRenderer.render(d).split(separator: "\n")
        #expect(lines[3].count < 140)
        let caretColumn = lines[4].firstIndex(of: "^").map { lines[4].distance(from: lines[4].startIndex, to: $0) }
        let shownColumn = lines[3].index(lines[3].startIndex, offsetBy: caretColumn ?? 0)
        #expect(lines[3][shownColumn] == "[")
        #expect(lines[3].hasPrefix("1 | ...") && lines[3].hasSuffix("..."))
    }

    @Test("highlights on the error's line share its caret line; one on another line gets its own excerpt")
    func highlights() {
        let file = SourceFile(origin: .file(path: "a.bn"), text: "y = x + [1, 2, 3, 4]")
        // x is bytes 4..<5 and the list 8..<20: carets at columns 5 and 9.
        let d = Diagnostic("cannot broadcast shapes [3, 2] and [4]", file: file, range: SourceRange(4, 5),
                           highlights: [SourceRange(8, 20)])
        #expect(DiagnosticRenderer.render(d) == """
            error: cannot broadcast shapes [3, 2] and [4]
             --> a.bn:1:5
              |
            1 | y = x + [1, 2, 3, 4]
              |     ^   ^^^^^^^^^^^^

            """)
        let text = String(repeating: "\n", count: 8) + "z = (a @\n  b)"
        let two = SourceFile(origin: .file(path: "b.bn"), text: text)
        let a = text.utf8.count - "a @\n  b)".utf8.count, b = text.utf8.count - "b)".utf8.count
        let split = Diagnostic("matmul shapes do not align", file: two, range: SourceRange(a, a + 1),
                               highlights: [SourceRange(b, b + 1)])
        // The gutter is as wide as the larger line number, 10.
        #expect(DiagnosticRenderer.render(split) == """
            error: matmul shapes do not align
              --> b.bn:9:6
               |
             9 | z = (a @
               |      ^
            10 |   b)
               |   ^

            """)
    }

    @Test("a highlight outside the window of a long line is left out, the error's caret stays")
    func highlightOutsideWindow() {
        let text = "a" + String(repeating: " ", count: 300) + "+ b"
        let file = SourceFile(origin: .named("t"), text: text)
        let d = Diagnostic("shapes", file: file, range: SourceRange(300, 301), highlights: [SourceRange(0, 1)])
        let lines = DiagnosticRenderer.render(d).split(separator: "\n")
        #expect(lines[4].filter { $0 == "^" }.count == 1)
        #expect(lines[3].hasPrefix("1 | ..."))
    }

    @Test("suggestions find likely typos only")
    func suggestions() {
        #expect(Suggestions.closest(to: "maen", in: ["mean", "max", "min"]) == "mean")
        #expect(Suggestions.closest(to: "running_mena", in: ["running_mean", "running_var"]) == "running_mean")
        #expect(Suggestions.closest(to: "zzz", in: ["mean", "max"]) == nil)
        #expect(Suggestions.distance("kitten", "sitting") == 3)
        #expect(Suggestions.distance("ab", "ba") == 1)
    }
}
