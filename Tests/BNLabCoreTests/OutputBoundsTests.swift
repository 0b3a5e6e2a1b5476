import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// Formatted output is bounded whatever the shape (issue 8 item 2), integral only when every
/// element is (issue 9 item 15), and laid out for a given line width as numpy's `linewidth`.
@Suite struct OutputBoundsTests {
    /// A view of 2^28 zeros over one stored element: the shape of `zeros(2, 2, …)` with 28 axes.
    static let twentyEightAxes = Tensor(storage: [0], shape: Array(repeating: 2, count: 28),
                                        strides: Array(repeating: 0, count: 28), offset: 0)

    @Test func twentyEightAxesOfTwoPrintSmallAndFast() {
        let clock = ContinuousClock()
        let start = clock.now
        let text = TensorFormatter.display(Self.twentyEightAxes, precision: 4)
        let elapsed = clock.now - start
        // At most 1296 shown: the inner 10 axes whole (2^10 = 1024; 2^11 would pass 1296), the
        // outer 18 their first item then `...`.
        #expect(text.filter { $0 == "0" }.count == 1024)
        #expect(text.components(separatedBy: "...").count - 1 == 18)
        #expect(text.hasPrefix(String(repeating: "[", count: 28) + "0, 0],\n"))
        #expect(text.hasSuffix("...]\nshape [" + Array(repeating: "2", count: 28).joined(separator: ", ") + "]"))
        #expect(text.utf8.count < 200_000)
        #expect(elapsed < .milliseconds(500), "took \(elapsed)")
    }

    @Test func rankFiveGivesWayAtTheOuterAxis() throws {
        // numpy would show 6^5 = 7776 elements; over 1296, axis 0 shows its first block, then `...`.
        let x = try Tensor.arange(0, 16807, 1).reshaped([7, 7, 7, 7, 7])
        let first = try x.indexed([.at(0)])
        let inner = TensorFormatter.format(first, precision: 4)  // 2401 elements: numpy's own summary
        let indented = inner.split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { $0.offset == 0 ? String($0.element) : (($0.element.isEmpty ? "" : " ") + $0.element) }
            .joined(separator: "\n")
        #expect(TensorFormatter.format(x, precision: 4) == "[" + indented + ",\n\n\n\n ...]")
    }

    @Test func summaryIsIntegralOnlyWhenEveryElementIs() throws {
        // 2000 whole numbers but one hidden in the middle: the shown ones are all whole.
        var values = (0..<2000).map(Double.init)
        values[1000] = 0.5
        let x = try Tensor(shape: [2000], elements: values)
        #expect(TensorFormatter.format(x, precision: 4)
            == "[   0.0000,    1.0000,    2.0000, ..., 1997.0000, 1998.0000, 1999.0000]")
        values[1000] = 1000
        #expect(TensorFormatter.format(try Tensor(shape: [2000], elements: values), precision: 4)
            == "[   0,    1,    2, ..., 1997, 1998, 1999]")
        // A hidden 1e16 is not printable as an integer either.
        values[1000] = 1e16
        #expect(!TensorFormatter.format(try Tensor(shape: [2000], elements: values), precision: 4).hasPrefix("[   0,"))
    }

    @Test func wholeNumberTestAgreesWithRounding() {
        let big = 4_503_599_627_370_496.0
        let values: [Double] = [0, -0.0, 0.5, -0.5, 1, -3, 4.5, 1e-300, big - 0.5, big - 1, big, big + 1, 2 * big,
                                1e16 - 2, 1e16, -1e16, 1e300, .nan, .infinity, -.infinity, 123_456.000_001]
        for v in values {
            let expected = !v.isFinite || (v.rounded(.towardZero) == v && abs(v) < 1e16)
            #expect(TensorFormatter.isWholeOrNotFinite(v) == expected, "\(v)")
        }
    }

    @Test func narrowLineWidthWrapsAsNumpy() throws {
        // np.array2string(np.arange(0, 100, 1.5), separator=', ', max_line_width=60), precision 4 fixed.
        let golden = """
            [ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,
              9.0000, 10.5000, 12.0000, 13.5000, 15.0000, 16.5000,
             18.0000, 19.5000, 21.0000, 22.5000, 24.0000, 25.5000,
             27.0000, 28.5000, 30.0000, 31.5000, 33.0000, 34.5000,
             36.0000, 37.5000, 39.0000, 40.5000, 42.0000, 43.5000,
             45.0000, 46.5000, 48.0000, 49.5000, 51.0000, 52.5000,
             54.0000, 55.5000, 57.0000, 58.5000, 60.0000, 61.5000,
             63.0000, 64.5000, 66.0000, 67.5000, 69.0000, 70.5000,
             72.0000, 73.5000, 75.0000, 76.5000, 78.0000, 79.5000,
             81.0000, 82.5000, 84.0000, 85.5000, 87.0000, 88.5000,
             90.0000, 91.5000, 93.0000, 94.5000, 96.0000, 97.5000,
             99.0000]
            """
        #expect(TensorFormatter.format(try Tensor.arange(0, 100, 1.5), precision: 4, lineWidth: 60) == golden)
        // np.array2string(np.arange(24).reshape(2, 3, 4) + 0.5, separator=', ', max_line_width=30)
        let blocks = """
            [[[ 0.5000,  1.5000,
                2.5000,  3.5000],
              [ 4.5000,  5.5000,
                6.5000,  7.5000],
              [ 8.5000,  9.5000,
               10.5000, 11.5000]],

             [[12.5000, 13.5000,
               14.5000, 15.5000],
              [16.5000, 17.5000,
               18.5000, 19.5000],
              [20.5000, 21.5000,
               22.5000, 23.5000]]]
            """
        let x = try Tensor.binary(.add, Tensor.arange(0, 24, 1).reshaped([2, 3, 4]), Tensor(0.5))
        #expect(TensorFormatter.format(x, precision: 4, lineWidth: 30) == blocks)
    }

    @Test func previewFormatsOnlyWhatItShows() {
        // A prefix of 40 visible characters of the 2^28-element view: short, and cheap.
        let text = TensorFormatter.prefix(Self.twentyEightAxes, precision: 4, visibleCharacters: 40)
        // Brackets aside (at most two per axis on the way in and out), it stops at the 40 asked for.
        #expect(text.filter { !$0.isWhitespace && $0 != "[" && $0 != "]" }.count <= 42)
        #expect(text.utf8.count < 1000)
        #expect(text.hasPrefix(String(repeating: "[", count: 28) + "0, 0]"))
    }
}

/// `:vars` and `?x` format only what they show; sources over 16 MiB are refused before parsing.
@Suite struct PreviewAndSourceLimitTests {
    @Test func varsAndHelpOnAManyAxedTensorAreShortAndQuick() {
        let session = Session(output: { _ in })
        let axes = Array(repeating: "2", count: 20).joined(separator: ", ")
        #expect(session.run("x = zeros(\(axes))") == nil)
        let clock = ContinuousClock()
        let start = clock.now
        let listing = ReplVariableList.render(session: session, width: 60)
        let help = ReplHelp.topic("x", session: session, width: 60) ?? ""
        #expect(clock.now - start < .milliseconds(500))
        // `x  [2, 2, …]  ` then the preview, cut to the width.
        #expect(listing.hasPrefix("x  [" + axes + "]  [[[[["))
        #expect(listing.count <= 4 + axes.count + 60)
        #expect(listing.hasSuffix("…"))
        #expect(help.split(separator: "\n").last.map { $0.count <= 60 } == true)
    }

    @Test func aSourceOver16MiBIsRefusedBeforeParsing() {
        let session = Session(output: { _ in })
        let text = String(repeating: "x = 1\n", count: (16 << 20) / 6 + 1)  // 16 MiB + 2 bytes
        let diagnostic = session.run(text)
        #expect(diagnostic?.message == "this entry is 16777218 bytes, more than the limit of 16 MiB for a source")
        #expect(session.value(of: "x") == nil, "nothing ran")
        #expect(SourceLimits.sizeText(50_000_000) == "47.7 MiB")
        #expect(SourceLimits.sizeText(1536) == "1.5 KiB")
        #expect(SourceLimits.sizeText(1) == "1 byte")
        #expect(SourceLimits.sizeText((16 << 20) + 1) == "16777217 bytes")  // not "16.0 MiB" beside a 16 MiB limit
    }
}
