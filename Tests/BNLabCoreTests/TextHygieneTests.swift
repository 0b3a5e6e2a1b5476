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

    @Test("one seconds formatter: :time picks the unit, a time limit stays in seconds")
    func seconds() {
        #expect(SecondsText.fitting(0.0123) == ReplTiming.format(seconds: 0.0123))
        #expect(SecondsText.inSeconds(5) == "5 s")
        #expect(SecondsText.inSeconds(0.3) == "0.3 s")
        #expect(SecondsText.inSeconds(2.5) == "2.5 s")
        #expect(SecondsText.inSeconds(3600) == "3600 s")
        #expect(SecondsText.inSeconds(0.0001) == "100 µs")
        // 0.3 s as a Duration carries 300000000000000000 attoseconds: no float noise in the text.
        #expect(SecondsText.inSeconds(SecondsText.seconds(.milliseconds(300))) == "0.3 s")
        #expect(ExerciseGrader.timedOutSummary(.seconds(1)) == "still running after 1 s (a loop that never ends?)")
    }
}
