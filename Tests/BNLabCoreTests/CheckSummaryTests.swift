import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// A failed check's got and expected, summarised as numpy's `assert_allclose` does (issue 9, item 5).
/// Every expected line below is worked out by hand from the inputs, as the comments show.
@Suite("Failed check summaries")
struct CheckSummaryTests {
    /// The details of a failing grade, without the `at file:line:column` line.
    static func details(_ source: String, full: Bool = false) -> [String] {
        let grade = ExerciseGrader.grade(source: source, path: "t.bn", full: full)
        #expect(grade.status == .failing, "\(grade.summary) \(grade.details)")
        return Array(grade.details.dropFirst())
    }

    @Test("two 32×3 matrices: counts, largest differences and where, three aligned rows, not 70 lines")
    func matrixSummary() {
        // Three of the 96 elements differ: [5, 2] by 0.0001, [9, 0] and [20, 1] by 0.25.
        // 3/96 = 3.125% → 3.1%. The largest absolute difference is 0.25, first at [9, 0]; relative
        // to the expected 0.5 that is 0.5 (0.0001/0.00215 = 0.0465 is smaller). Decimals: the
        // smallest difference, 0.0001, needs 5 to show two digits (0.00205 against 0.00215), so
        // every value has 5 decimals and width 7. Carets sit under the differing column:
        // 9 (label) + 5 ("[20] ") + 1 ("[") = 15 columns, then 9 per element.
        let source = """
            a = zeros(32, 3) + 0.5
            b = zeros(32, 3) + 0.5
            a[5, 2] = 0.00205
            b[5, 2] = 0.00215
            a[9, 0] = 0.75
            a[20, 1] = 0.25
            check allclose(a, b)
            """
        #expect(Self.details(source) == [
            "Mismatched elements: 3 / 96 (3.1%)",
            "Max absolute difference: 0.25 at [9, 0]",
            "Max relative difference: 0.5 at [9, 0]",
            "got      [5]  [0.50000, 0.50000, 0.00205]",
            "expected [5]  [0.50000, 0.50000, 0.00215]",
            "                                 ^^^^^^^",
            "got      [9]  [0.75000, 0.50000, 0.50000]",
            "expected [9]  [0.50000, 0.50000, 0.50000]",
            "               ^^^^^^^",
            "got      [20] [0.50000, 0.25000, 0.50000]",
            "expected [20] [0.50000, 0.50000, 0.50000]",
            "                        ^^^^^^^",
            "3 of 32 rows shown (shape [32, 3]); add --full to see every value",
        ])
    }

    @Test("--full adds every value, with the digits that show the differences")
    func full() {
        let source = "a = zeros(32, 3) + 0.5\nb = a\na[5, 2] = 0.00205\nb[5, 2] = 0.00215\ncheck allclose(a, b)\n"
        let lines = Self.details(source, full: true)
        // The summary (3 lines), the one differing row (got, expected, carets), then 32 rows of
        // got and 32 of expected, each followed by its shape line.
        #expect(lines.contains("got      [[0.50000, 0.50000, 0.50000],"))
        #expect(lines.contains("          [0.50000, 0.50000, 0.00205],"))
        #expect(lines.contains("expected [[0.50000, 0.50000, 0.50000],"))
        #expect(lines.contains("          [0.50000, 0.50000, 0.00215],"))
        #expect(lines.filter { $0 == "         shape [32, 3]" }.count == 2)
        #expect(lines.count == 6 + 2 * 33)
        #expect(!lines.contains { $0.contains("add --full") })
    }

    @Test("two numbers 0.0001 apart show the digits that differ, not 0.0021 against 0.0022")
    func scalarDigits() {
        #expect(Self.details("gap = 0.00205\ncheck allclose(gap, 0.00215)\n") == ["got      0.00205", "expected 0.00215"])
        // Far apart, they show as the session shows them.
        #expect(Self.details("check allclose(13, 13.5)\n") == ["got      13", "expected 13.5000"])
    }

    @Test("a long vector shows a window around its first difference")
    func window() {
        // x = 0, 1.5, …, 28.5; y differs only at 13 (19.5 against 7). The window of 8 starts two
        // before it, at 11: 16.5 … 27. Difference 12.5 needs no more than the session's 4 decimals.
        // Relative: 12.5 / 7 = 1.7857… → 1.786. The caret: 9 + 8 ("[11:19] ") + 1 + 3 ("…, ")
        // + 2 elements of 7 and their ", " = 39 columns.
        let source = "x = arange(20) * 1.5\ny = x\ny[13] = 7\ncheck allclose(x, y)\n"
        #expect(Self.details(source) == [
            "Mismatched elements: 1 / 20 (5.0%)",
            "Max absolute difference: 12.5 at [13]",
            "Max relative difference: 1.786 at [13]",
            "got      [11:19] […, 16.5000, 18.0000, 19.5000, 21.0000, 22.5000, 24.0000, 25.5000, 27.0000, …]",
            "expected [11:19] […, 16.5000, 18.0000,  7.0000, 21.0000, 22.5000, 24.0000, 25.5000, 27.0000, …]",
            "                                       ^^^^^^^",
            "some columns left out; add --full to see every value",
        ])
    }

    @Test("broadcast operands say so; integers print as integers")
    func broadcast() {
        // [[1, 1, 1], [1, 1, 1]] against [1, 1, 2]: column 2 differs in both rows, by 1, relative 0.5.
        #expect(Self.details("check allclose(ones(2, 3), [1, 1, 2])\n") == [
            "shapes: got [2, 3], expected [3], compared as [2, 3]",
            "Mismatched elements: 2 / 6 (33.3%)",
            "Max absolute difference: 1 at [0, 2]",
            "Max relative difference: 0.5 at [0, 2]",
            "got      [0] [1, 1, 1]",
            "expected [0] [1, 1, 2]",
            "                    ^",
            "got      [1] [1, 1, 1]",
            "expected [1] [1, 1, 2]",
            "                    ^",
        ])
    }

    @Test("a transposed view is compared element by element in its own order")
    func transposed() {
        // transpose of [[0, 1, 2], [3, 4, 5]] is [[0, 3], [1, 4], [2, 5]]: only [2, 1] differs (5
        // against 6), by 1, relative 1/6 = 0.1667. Carets: 9 + 4 ("[2] ") + 1 + 3 = 17 columns.
        #expect(Self.details("check allclose(transpose(arange(6).reshape(2, 3)), [[0, 3], [1, 4], [2, 6]])\n") == [
            "Mismatched elements: 1 / 6 (16.7%)",
            "Max absolute difference: 1 at [2, 1]",
            "Max relative difference: 0.1667 at [2, 1]",
            "got      [2] [2, 5]",
            "expected [2] [2, 6]",
            "                 ^",
            "1 of 3 rows shown (shape [3, 2]); add --full to see every value",
        ])
    }

    @Test("a comparison counts the elements that break it; equal with different shapes says so")
    func comparisonAndShapes() {
        // 5 < 3 and 4 < 3 are false: 2 of 4; the larger gap is |5 - 3| = 2, relative 2/3 → 0.6667.
        #expect(Self.details("x = [1, 5, 2, 4]\ncheck x < 3\n") == [
            "Mismatched elements: 2 / 4 (50.0%)",
            "Max absolute difference: 2 at [1]",
            "Max relative difference: 0.6667 at [1]",
            "got      [1, 5, 2, 4]",
            "expected [3, 3, 3, 3]",
            "             ^     ^",
        ])
        #expect(Self.details("check equal(zeros(2, 3), zeros(3))\n") == [
            "shapes differ: got [2, 3], expected [3]",
            "got      [[0, 0, 0],",
            "          [0, 0, 0]]",
            "         shape [2, 3]",
            "expected [0, 0, 0]",
        ])
        // A shape against the shape expected: two vectors of different lengths.
        #expect(Self.details("x = zeros(3, 2, 2)\ncheck equal(x.shape, [3])\n") == [
            "lengths differ: got 3 values, expected 1 value",
            "got      [3, 2, 2]",
            "expected [3]",
        ])
    }

    @Test("percentages never round a part to nothing or to the whole")
    func percent() {
        #expect(CheckComparison.percent(3, of: 96) == "3.1%")
        #expect(CheckComparison.percent(1, of: 3) == "33.3%")
        #expect(CheckComparison.percent(1, of: 100_000) == "<0.1%")
        #expect(CheckComparison.percent(99_999, of: 100_000) == ">99.9%")
        #expect(CheckComparison.percent(4, of: 4) == "100%")
    }
}
