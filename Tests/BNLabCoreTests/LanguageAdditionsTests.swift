import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite("Additions for numpy and PyTorch users, and located notes")
struct LanguageAdditionsTests {
    /// (a, b, a // b, a % b) computed by CPython 3, whose float floor division and remainder
    /// use the same algorithm as numpy's npy_divmod.
    static let pythonDivmod: [(Double, Double, Double, Double)] = [
        (7.0, 3.0, 2.0, 1.0), (-7.0, 3.0, -3.0, 2.0), (7.0, -3.0, -3.0, -2.0), (-7.0, -3.0, 2.0, -1.0),
        (5.5, 2.0, 2.0, 1.5), (-5.5, 2.0, -3.0, 0.5), (0.3, 0.1, 2.0, 0.09999999999999998),
        (-0.3, 0.1, -3.0, 2.7755575615628914e-17), (1e+300, 1e-300, .infinity, 4.891554850853602e-301),
        (2.5, -0.5, -5.0, -0.0), (-0.0, 3.0, -0.0, 0.0), (0.0, -3.0, -0.0, -0.0), (1e+16, 3.0, 3333333333333333.0, 1.0),
        (-1.0, 1e-300, -9.999999999999999e+299, 1.0368134719602886e-301), (-73.127, 6.949, -11.0, 3.312000000000003),
        (52.755, -4.899, -11.0, -1.1339999999999977), (-0.913, -1.01, 0.0, -0.913), (30.319, 5.774, 5.0, 1.448999999999999),
        (-81.228, -9.433, 8.0, -5.763999999999996), (67.153, -1.345, -50.0, -0.09699999999999287),
    ]

    @Test("// and % match Python's floor division and remainder bit for bit, signs of zero included")
    func floorDivisionMatchesPython() throws {
        for (a, b, q, r) in Self.pythonDivmod {
            let got = Tensor.floorDivmod(a, b)
            #expect(got.quotient.bitPattern == q.bitPattern, "\(a) // \(b)")
            #expect(got.remainder.bitPattern == r.bitPattern, "\(a) % \(b)")
        }
        // The tensor path gives the same numbers as the scalar one.
        let a = try Tensor(shape: [Self.pythonDivmod.count], elements: Self.pythonDivmod.map(\.0))
        let b = try Tensor(shape: [Self.pythonDivmod.count], elements: Self.pythonDivmod.map(\.1))
        #expect(try Tensor.binary(.remainder, a, b).elements.map(\.bitPattern) == Self.pythonDivmod.map(\.3.bitPattern))
        #expect(try Tensor.binary(.floorDivide, a, b).elements.map(\.bitPattern) == Self.pythonDivmod.map(\.2.bitPattern))
    }

    @Test("a missing ')' shows where it was opened, with its own caret")
    func openingBracketNote() {
        let session = Session(output: { _ in })
        let d = session.run("x = [1, 2]\ny = mean(x\nz = 3\n", name: "a.bn")
        let text = d.map { DiagnosticRenderer.render($0) } ?? ""
        #expect(text == """
            error: expected ',' or ')' in the argument list, found name 'z'
             --> a.bn:3:1
              |
            3 | z = 3
              | ^
              = help: is a ')' missing at the end of line 2?
            note: '(' opened here
             --> a.bn:2:9
              |
            2 | y = mean(x
              |         ^

            """)
    }

    @Test("the case-file runner fails a case whose expected note is absent or points elsewhere")
    func caseFileNotesAreChecked() {
        let source = "y = mean([1]\nz = 3\n"
        let good = LanguageCase(path: "t.bn", firstLine: 1, source: source, expectedOutput: [],
                                expectedError: ("expected ',' or ')' in the argument list, found name 'z'", 2),
                                expectedNotes: [("note", "'(' opened here", 1), ("help", "is a ')' missing at the end of line 1?", 2)])
        #expect(CaseFiles.run(good) == nil)
        var wrongLine = good
        wrongLine.expectedNotes = [("note", "'(' opened here", 2)]
        #expect(CaseFiles.run(wrongLine) != nil)
        var absent = good
        absent.expectedNotes = [("help", "no such help", 2)]
        #expect(CaseFiles.run(absent) != nil)
    }

    @Test("masks read and write in row-major order; where keeps -0, inf and nan")
    func masksAndWhere() throws {
        var x = try Tensor(shape: [2, 3], elements: [1, -2, 3, -4, 5, -6])
        let mask = try Tensor.binary(.greater, x, Tensor(0))
        #expect(try x.masked(mask).elements == [1, 3, 5])
        try x.assignMasked(mask, Tensor(shape: [3], elements: [10, 30, 50]))
        #expect(x.elements == [10, -2, 30, -4, 50, -6])
        let picked = try Tensor.select(Tensor(shape: [3], elements: [1, 0, 1]), Tensor(shape: [3], elements: [-0.0, 1, .nan]), Tensor(.infinity))
        #expect(picked.elements[0].bitPattern == (-0.0).bitPattern && picked.elements[1] == .infinity && picked.elements[2].isNaN)
    }
}
