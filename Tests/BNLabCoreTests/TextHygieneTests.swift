import Testing
@testable import BNLabCore

/// One width table and one trimming helper, shared by prose, diagnostics and the REPL.
@Suite("Text width and trimming")
struct TextHygieneTests {
    @Test("prose and diagnostics measure with the same table")
    func oneWidthTable() {
        // Widths from Unicode's East Asian Width property: W takes two columns, N one.
        let samples: [(String, Int)] = [
            ("a", 1), ("中", 2), ("한", 2), ("😀", 2), ("\u{0301}", 0),
            ("\u{303E}", 2), ("\u{303F}", 1), ("\u{4DC0}", 1), ("μ", 1), ("\u{FF21}", 2),
        ]
        for (text, width) in samples {
            #expect(TerminalText.width(text) == width, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect(TextWidth.of(text) == width)
        }
        // Every scalar of the planes in use gets one answer from both names.
        for value in stride(from: 0, through: 0x3FFFF, by: 7) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(TextWidth.of(scalar) == TerminalText.width(of: scalar))
        }
    }

    @Test("one trimming helper: ends and the characters cut are chosen by the caller")
    func trimming() {
        #expect(" \t a b \n".trimming() == "a b")
        #expect(" \t a b \n".trimming(.leading) == "a b \n")
        #expect(" \t a b \n".trimming(.trailing) == " \t a b")
        #expect("  x \t ".trimmingTrailingSpaces() == "  x \t")
        #expect(" x ".trimming(while: { $0 == " " }) == "x")
        #expect("   ".trimming().isEmpty)
        #expect("".trimmingWhitespace() == "")
        #expect(" y\n".trimmingTrailingWhitespace() == " y")
    }
}
