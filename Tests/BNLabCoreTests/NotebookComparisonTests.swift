import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite("Notebook: comparing outputs")
struct NotebookComparisonTests {
    @Test("a recorded decimal matches a value that agrees to its digits", arguments: [
        ("0.3190", "0.31904", true),
        ("0.3190", "0.3190", true),
        ("0.3190", "0.319", true),
        ("0.3190", "0.3192", false),
        ("0.3190", "0.3185", false),
        ("0.319", "0.3190", true),
        ("0.32", "0.3190", true),
        ("0.3", "0.3190", true),
        ("0.3", "0.36", false),
        ("-1.3690", "-1.36904", true),
        ("-0.0000", "0.0000", true),
        ("97.2500", "97.25", true),
        ("1.2346e-05", "1.23456e-05", true),
        ("1.2346e-05", "1.2356e-05", false),
        ("1.0000e+08", "100000000", true),
    ])
    func decimals(recorded: String, got: String, matches: Bool) {
        #expect(OutputComparison.line(got, matches: recorded) == matches)
    }

    @Test("a recorded integer matches exactly", arguments: [
        ("2", "2", true),
        ("2", "2.4", false),
        ("2", "2.0000", true),
        ("2", "3", false),
        ("[3, 3, 2, 2]", "[3, 3, 2, 2]", true),
        ("[3, 3, 2, 2]", "[3, 3, 2, 1]", false),
        ("shape [3, 2]", "shape [3, 2, 1]", false),
    ])
    func integers(recorded: String, got: String, matches: Bool) {
        #expect(OutputComparison.line(got, matches: recorded) == matches)
    }

    @Test("text is compared as text; only trailing whitespace and padding before numbers are ignored", arguments: [
        ("sum 10", "sum 10   ", true),
        ("sum 10", "Sum 10", false),
        ("[ 0,  1]", "[0, 1]", true),
        ("[-1.2247,  0.0000]", "[-1.2247, 0.0000]", true),
        ("a  b", "a b", false),
        ("σ2 = 1", "σ3 = 1", false),
        ("x1", "x2", false),
        ("nan", "nan", true),
        ("nan", "inf", false),
        ("[0.5, 1.5]", "[0.5, 1.5, 2.5]", false),
        ("", "", true),
        ("", "0", false),
        ("error: cannot broadcast shapes [4] and [3]", "error: cannot broadcast shapes [4] and [3]", true),
        (" --> lesson 3, cell 7, line 1, column 1", " --> lesson 3, cell 6, line 1, column 1", false),
    ])
    func text(recorded: String, got: String, matches: Bool) {
        #expect(OutputComparison.line(got, matches: recorded) == matches)
    }

    @Test("one inserted line is reported once, not as a shift of every later line")
    func insertion() {
        let recorded = ["a", "b", "c", "d"]
        let got = ["a", "b", "new", "c", "d"]
        let differences = OutputComparison.differences(recorded: recorded, got: got)
        #expect(differences == [LineDifference(kind: .notRecorded, recordedLine: 3, gotLine: 3, recorded: nil, got: "new")])
    }

    @Test("a dropped line, a changed line and lines added at the end")
    func mixed() {
        let differences = OutputComparison.differences(recorded: ["1", "2", "3.5000", "4"],
                                                       got: ["1", "3.50004", "4", "5", "6"])
        #expect(differences.map(\.kind) == [.notProduced, .notRecorded, .notRecorded])
        #expect(differences.map(\.recordedLine) == [2, 5, 6])
        let changed = OutputComparison.differences(recorded: ["1", "2.5000", "3"], got: ["1", "2.4000", "3"])
        #expect(changed == [LineDifference(kind: .changed, recordedLine: 2, gotLine: 2, recorded: "2.5000", got: "2.4000")])
    }
}
