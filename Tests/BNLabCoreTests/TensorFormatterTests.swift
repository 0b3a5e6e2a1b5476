import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// Goldens come from numpy 2.4: `np.set_printoptions(precision=4, floatmode='fixed')` and
/// `np.array2string(a, separator=', ')`, with integral tensors taken from an int array.
@Suite struct TensorFormatterTests {
    func show(_ t: Tensor) -> String { TensorFormatter.format(t, precision: 4) }

    @Test func integersAndScalars() throws {
        #expect(show(try Tensor(shape: [3], elements: [1, 2, 3])) == "[1, 2, 3]")
        #expect(show(Tensor(2)) == "2")
        #expect(show(Tensor(1.25)) == "1.2500")
        #expect(show(Tensor(-0.0)) == "0")
        #expect(show(Tensor(.nan)) == "nan")
        #expect(show(Tensor(-.infinity)) == "-inf")
        #expect(TensorFormatter.display(try Tensor.arange(0, 12, 1).reshaped([3, 4]), precision: 4)
            == "[[ 0,  1,  2,  3],\n [ 4,  5,  6,  7],\n [ 8,  9, 10, 11]]\nshape [3, 4]")
        #expect(TensorFormatter.display(try Tensor(shape: [2], elements: [1, -10]), precision: 4) == "[  1, -10]")
        #expect(show(try Tensor(shape: [4], elements: [1, .nan, -.infinity, -0.0])) == "[   1,  nan, -inf,    0]")
    }

    @Test func fixedDecimals() throws {
        #expect(show(try Tensor(shape: [2, 2], elements: [1, 2.5, 3, 4])) == "[[1.0000, 2.5000],\n [3.0000, 4.0000]]")
        #expect(show(try Tensor(shape: [2], elements: [0.31898, 0.01744])) == "[0.3190, 0.0174]")
        #expect(show(try Tensor(shape: [4], elements: [1.5, .nan, -.infinity, -0.0])) == "[1.5000,    nan,   -inf, 0.0000]")
        // Exact ties round to even, as C and numpy's Dragon4 do: 0.125 -> 0.12 at two decimals.
        #expect(TensorFormatter.format(try Tensor(shape: [2], elements: [0.125, 0.375]), precision: 2) == "[0.12, 0.38]")
        #expect(TensorFormatter.format(Tensor(2.5), precision: 0) == "2.")
        #expect(TensorFormatter.format(Tensor(1 / 3), precision: 8) == "0.33333333")
    }

    @Test func scientific() throws {
        #expect(show(try Tensor(shape: [2], elements: [123_456_789, 1.5])) == "[1.2346e+08, 1.5000e+00]")
        #expect(show(try Tensor(shape: [2], elements: [1e-5, 0.5])) == "[1.0000e-05, 5.0000e-01]")
        #expect(show(try Tensor(shape: [2], elements: [-1e-5, -0.5])) == "[-1.0000e-05, -5.0000e-01]")
        #expect(show(try Tensor(shape: [2], elements: [1.5e100, -1e-5])) == "[ 1.5000e+100, -1.0000e-005]")
        #expect(show(try Tensor(shape: [3], elements: [1e-5, -0.0, .nan])) == "[1.0000e-05, 0.0000e+00,        nan]")
        #expect(show(Tensor(1e-5)) == "1.0000e-05")
        // The threshold follows the precision: 10^-2 at two decimals.
        #expect(TensorFormatter.format(try Tensor(shape: [2], elements: [0.005, 1.5]), precision: 2) == "[5.00e-03, 1.50e+00]")
        // Integral values stay integers up to 1e16, then scientific.
        #expect(show(Tensor(123_456_789)) == "123456789")
        #expect(show(Tensor(1e20)) == "1.0000e+20")
    }

    @Test func wrapsLongRowsLikeNumpy() throws {
        let golden = """
            [ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,  9.0000, 10.5000,
             12.0000, 13.5000, 15.0000, 16.5000, 18.0000, 19.5000, 21.0000, 22.5000,
             24.0000, 25.5000, 27.0000, 28.5000, 30.0000, 31.5000, 33.0000, 34.5000,
             36.0000, 37.5000, 39.0000, 40.5000, 42.0000, 43.5000, 45.0000, 46.5000,
             48.0000, 49.5000, 51.0000, 52.5000, 54.0000, 55.5000, 57.0000, 58.5000,
             60.0000, 61.5000, 63.0000, 64.5000, 66.0000, 67.5000, 69.0000, 70.5000,
             72.0000, 73.5000, 75.0000, 76.5000, 78.0000, 79.5000, 81.0000, 82.5000,
             84.0000, 85.5000, 87.0000, 88.5000, 90.0000, 91.5000, 93.0000, 94.5000,
             96.0000, 97.5000, 99.0000]
            """
        #expect(show(try Tensor.arange(0, 100, 1.5)) == golden)
        #expect(show(try Tensor.arange(0, 1001, 1)) == "[   0,    1,    2, ...,  998,  999, 1000]")
    }

    @Test func rankThreeBlocks() throws {
        let x = try Tensor.binary(.divide, try Tensor.arange(0, 60, 1).reshaped([3, 4, 5]), Tensor(8))
        let golden = """
            [[[0.0000, 0.1250, 0.2500, 0.3750, 0.5000],
              [0.6250, 0.7500, 0.8750, 1.0000, 1.1250],
              [1.2500, 1.3750, 1.5000, 1.6250, 1.7500],
              [1.8750, 2.0000, 2.1250, 2.2500, 2.3750]],

             [[2.5000, 2.6250, 2.7500, 2.8750, 3.0000],
              [3.1250, 3.2500, 3.3750, 3.5000, 3.6250],
              [3.7500, 3.8750, 4.0000, 4.1250, 4.2500],
              [4.3750, 4.5000, 4.6250, 4.7500, 4.8750]],

             [[5.0000, 5.1250, 5.2500, 5.3750, 5.5000],
              [5.6250, 5.7500, 5.8750, 6.0000, 6.1250],
              [6.2500, 6.3750, 6.5000, 6.6250, 6.7500],
              [6.8750, 7.0000, 7.1250, 7.2500, 7.3750]]]
            shape [3, 4, 5]
            """
        #expect(TensorFormatter.display(x, precision: 4) == golden)
    }

    @Test func summarisedRankThree() throws {
        let x = try Tensor.binary(.divide, Tensor.binary(.add, Tensor.arange(0, 2000, 1), Tensor(1000)), Tensor(8)).reshaped([10, 10, 20])
        let golden = """
            [[[125.0000, 125.1250, 125.2500, ..., 127.1250, 127.2500, 127.3750],
              [127.5000, 127.6250, 127.7500, ..., 129.6250, 129.7500, 129.8750],
              [130.0000, 130.1250, 130.2500, ..., 132.1250, 132.2500, 132.3750],
              ...,
              [142.5000, 142.6250, 142.7500, ..., 144.6250, 144.7500, 144.8750],
              [145.0000, 145.1250, 145.2500, ..., 147.1250, 147.2500, 147.3750],
              [147.5000, 147.6250, 147.7500, ..., 149.6250, 149.7500, 149.8750]],

             [[150.0000, 150.1250, 150.2500, ..., 152.1250, 152.2500, 152.3750],
              [152.5000, 152.6250, 152.7500, ..., 154.6250, 154.7500, 154.8750],
              [155.0000, 155.1250, 155.2500, ..., 157.1250, 157.2500, 157.3750],
              ...,
              [167.5000, 167.6250, 167.7500, ..., 169.6250, 169.7500, 169.8750],
              [170.0000, 170.1250, 170.2500, ..., 172.1250, 172.2500, 172.3750],
              [172.5000, 172.6250, 172.7500, ..., 174.6250, 174.7500, 174.8750]],

             [[175.0000, 175.1250, 175.2500, ..., 177.1250, 177.2500, 177.3750],
              [177.5000, 177.6250, 177.7500, ..., 179.6250, 179.7500, 179.8750],
              [180.0000, 180.1250, 180.2500, ..., 182.1250, 182.2500, 182.3750],
              ...,
              [192.5000, 192.6250, 192.7500, ..., 194.6250, 194.7500, 194.8750],
              [195.0000, 195.1250, 195.2500, ..., 197.1250, 197.2500, 197.3750],
              [197.5000, 197.6250, 197.7500, ..., 199.6250, 199.7500, 199.8750]],

             ...,

             [[300.0000, 300.1250, 300.2500, ..., 302.1250, 302.2500, 302.3750],
              [302.5000, 302.6250, 302.7500, ..., 304.6250, 304.7500, 304.8750],
              [305.0000, 305.1250, 305.2500, ..., 307.1250, 307.2500, 307.3750],
              ...,
              [317.5000, 317.6250, 317.7500, ..., 319.6250, 319.7500, 319.8750],
              [320.0000, 320.1250, 320.2500, ..., 322.1250, 322.2500, 322.3750],
              [322.5000, 322.6250, 322.7500, ..., 324.6250, 324.7500, 324.8750]],

             [[325.0000, 325.1250, 325.2500, ..., 327.1250, 327.2500, 327.3750],
              [327.5000, 327.6250, 327.7500, ..., 329.6250, 329.7500, 329.8750],
              [330.0000, 330.1250, 330.2500, ..., 332.1250, 332.2500, 332.3750],
              ...,
              [342.5000, 342.6250, 342.7500, ..., 344.6250, 344.7500, 344.8750],
              [345.0000, 345.1250, 345.2500, ..., 347.1250, 347.2500, 347.3750],
              [347.5000, 347.6250, 347.7500, ..., 349.6250, 349.7500, 349.8750]],

             [[350.0000, 350.1250, 350.2500, ..., 352.1250, 352.2500, 352.3750],
              [352.5000, 352.6250, 352.7500, ..., 354.6250, 354.7500, 354.8750],
              [355.0000, 355.1250, 355.2500, ..., 357.1250, 357.2500, 357.3750],
              ...,
              [367.5000, 367.6250, 367.7500, ..., 369.6250, 369.7500, 369.8750],
              [370.0000, 370.1250, 370.2500, ..., 372.1250, 372.2500, 372.3750],
              [372.5000, 372.6250, 372.7500, ..., 374.6250, 374.7500, 374.8750]]]
            """
        #expect(show(x) == golden)
    }

    @Test func summarisedRankFourWithShapeLine() throws {
        // numpy: ((np.arange(64**4) + 2000000) / 1000).reshape(64, 64, 64, 64): 523 lines.
        let x = try Tensor.binary(.divide, Tensor.binary(.add, Tensor.arange(0, 16_777_216, 1), Tensor(2_000_000)), Tensor(1000))
            .reshaped([64, 64, 64, 64])
        let text = TensorFormatter.display(x, precision: 4)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 524)
        let head = """
            [[[[ 2000.0000,  2000.0010,  2000.0020, ...,  2000.0610,  2000.0620,
                 2000.0630],
               [ 2000.0640,  2000.0650,  2000.0660, ...,  2000.1250,  2000.1260,
                 2000.1270],
               [ 2000.1280,  2000.1290,  2000.1300, ...,  2000.1890,  2000.1900,
                 2000.1910],
               ...,
            """
        #expect(text.hasPrefix(head))
        let tail = """
               [18777.1520, 18777.1530, 18777.1540, ..., 18777.2130, 18777.2140,
                18777.2150]]]]
            shape [64, 64, 64, 64]
            """
        #expect(text.hasSuffix(tail))
        #expect(text.components(separatedBy: "\n\n\n").count == 7)
    }

    @Test func emptyAndViews() throws {
        #expect(show(try Tensor.zeros([0])) == "[]")
        #expect(TensorFormatter.display(try Tensor.zeros([2, 0]), precision: 4) == "[]\nshape [2, 0]")
        let m = try Tensor.arange(0, 6, 1).reshaped([2, 3]).transposed(nil)
        #expect(show(m) == "[[0, 3],\n [1, 4],\n [2, 5]]")
        #expect(show(try m.indexed([.range(start: nil, stop: nil, step: -1), .at(0)])) == "[2, 1, 0]")
    }
}
