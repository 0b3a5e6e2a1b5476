import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// Control characters never reach the terminal raw, and text wraps with a hanging indent.
@Suite struct TerminalTextTests {
    @Test func controlCharactersAreEscaped() {
        #expect(TerminalText.escaped("a\u{1B}[31mb\u{0}c\u{7F}\u{9B}d") == "a\\u{1B}[31mb\\u{0}c\\u{7F}\\u{9B}d")
        #expect(TerminalText.escaped("two\nlines\ttab") == "two\nlines\ttab")
        #expect(TerminalText.escaped("two\nlines", keepingNewlines: false) == "two\\u{A}lines")
        // A bidirectional override would reorder what the learner sees.
        #expect(TerminalText.escaped("x\u{202E}y") == "x\\u{202E}y")
        #expect(TerminalText.escaped("μ = 1") == "μ = 1")
    }

    @Test func messageAndNotesAreEscapedAndWrapped() {
        let d = Diagnostic("unknown name 'a\u{1B}b' and some more words to wrap here")
            .adding(.help, "a help note that is long enough to need wrapping at thirty")
        let text = DiagnosticRenderer.render(d, width: 30)
        #expect(text == """
            error: unknown name 'a\\u{1B}b'
                   and some more words to
                   wrap here
              = help: a help note that is
                      long enough to need
                      wrapping at thirty

            """)
        // Without a width (a pipe) nothing is wrapped.
        #expect(DiagnosticRenderer.render(d).split(separator: "\n").count == 2)
    }

    @Test func aMegabyteLineShowsAWindowQuickly() {
        let text = String(repeating: "1 + ", count: 500_000) + "q"
        let file = SourceFile(origin: .named("t"), text: text)
        let end = text.utf8.count
        let clock = ContinuousClock()
        let start = clock.now
        let rendered = DiagnosticRenderer.render(Diagnostic("unknown name 'q'", file: file, range: SourceRange(end - 1, end)), width: 60)
        #expect(clock.now - start < .seconds(2))
        let lines = rendered.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 60 }, "\(lines)")
        #expect(lines[3].hasPrefix("1 | ...") && lines[3].hasSuffix("+ q"))
        // The caret sits under the q.
        #expect(lines[4].count == lines[3].count)
        #expect(lines[4].hasSuffix("^"))
    }

    @Test func helpWrapsUnderItsDescriptionColumn() {
        let text = "  x.shape  x.T  x[0, :]  x[::2]  members, indexing and slices (numpy style)"
        #expect(TerminalText.wrapBlock(text, width: 56) == """
              x.shape  x.T  x[0, :]  x[::2]  members, indexing and
                                             slices (numpy style)
            """)
        // Too narrow to keep 20 columns for the description: four in from the line's indent.
        #expect(TerminalText.wrapBlock(text, width: 50) == """
              x.shape  x.T  x[0, :]  x[::2]  members, indexing
                  and slices (numpy style)
            """)
        #expect(TerminalText.wrapBlock(text, width: nil) == text)
    }
}
