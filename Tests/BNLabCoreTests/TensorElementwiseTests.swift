import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite struct TensorElementwiseTests {
    static var binaryCases: [(BinaryOp, (Double, Double) -> Double)] {
        [
        (.add, { $0 + $1 }), (.subtract, { $0 - $1 }), (.multiply, { $0 * $1 }), (.divide, { $0 / $1 }),
        (.power, { Foundation.pow($0, $1) }),
        (.equal, { $0 == $1 ? 1 : 0 }), (.notEqual, { $0 != $1 ? 1 : 0 }), (.less, { $0 < $1 ? 1 : 0 }),
        (.lessEqual, { $0 <= $1 ? 1 : 0 }), (.greater, { $0 > $1 ? 1 : 0 }), (.greaterEqual, { $0 >= $1 ? 1 : 0 }),
        (.maximum, { $0.isNaN || $1.isNaN ? .nan : Swift.max($0, $1) }),
        (.minimum, { $0.isNaN || $1.isNaN ? .nan : Swift.min($0, $1) }),
        ]
    }

    @Test func binaryBroadcastingMatchesNaive() throws {
        var rng = TestRNG(31)
        for trial in 0..<120 {
            let rank = rng.int(0...4)
            let full = rng.shape(rank: rank, maxDim: 4)
            // Drop leading axes and set some axes to 1 on each side.
            let sa = Array(full.dropFirst(rng.int(0...rank))).map { rng.int(0...2) == 0 ? 1 : $0 }
            let sb = Array(full.dropFirst(rng.int(0...rank))).map { rng.int(0...2) == 0 ? 1 : $0 }
            let a = rng.maybeView(sa)
            let b = rng.maybeView(sb)
            let (op, f) = Self.binaryCases[trial % Self.binaryCases.count]
            let result = try Tensor.binary(op, a, b)
            let expected = referenceBinary(a, b, f)
            #expect(result.shape == expected.shape)
            #expect(zip(result.elements, expected.values).allSatisfy { sameValue($0, $1) })
        }
    }

    @Test func everyOpOnFastPaths() throws {
        let a = try Tensor(shape: [2, 3], elements: [1, -2, 0, .nan, .infinity, 3])
        let b = try Tensor(shape: [2, 3], elements: [2, -2, 0, 1, .infinity, .nan])
        for (op, f) in Self.binaryCases {
            for (x, y) in [(a, b), (a, Tensor(2)), (Tensor(-1), b), (a, try b.indexed([.at(1)]))] {
                let r = try Tensor.binary(op, x, y)
                let e = referenceBinary(x, y, f)
                #expect(r.shape == e.shape)
                #expect(zip(r.elements, e.values).allSatisfy { sameValue($0, $1) }, "\(op)")
            }
        }
    }

    @Test func transposedInputsKeepTheirLayout() throws {
        let base = try Tensor.arange(0, 24, 1).reshaped([2, 3, 4])
        let t = try base.transposed([2, 0, 1])
        let expected = t.elements
        let neg = try Tensor.unary(.negate, t)
        #expect(neg.shape == [4, 2, 3] && neg.elements == expected.map { -$0 })
        let plus = try Tensor.binary(.add, t, Tensor(1))
        #expect(plus.elements == expected.map { $0 + 1 })
        let twice = try Tensor.binary(.multiply, Tensor(2), t)
        #expect(twice.elements == expected.map { $0 * 2 })
        let sum = try Tensor.binary(.add, t, t)
        #expect(sum.elements == expected.map { $0 + $0 })
        // Mixed layouts fall back to the general walk.
        let mixed = try Tensor.binary(.subtract, t, try Tensor(shape: [4, 2, 3], elements: expected))
        #expect(mixed.elements.allSatisfy { $0 == 0 })
        // Results in a kept layout behave like any tensor afterwards.
        #expect(try neg.reshaped([24]).elements == expected.map { -$0 })
        #expect(try neg.indexed([.at(1)]).elements == Array(expected[6..<12]).map { -$0 })
        #expect(try neg.reduce(.sum, axes: [0], keepdims: false).elements
            == (try Tensor.unary(.negate, Tensor(shape: [4, 2, 3], elements: expected)).reduce(.sum, axes: [0], keepdims: false).elements))
        #expect(TensorFormatter.format(plus, precision: 4) == TensorFormatter.format(try Tensor(shape: [4, 2, 3], elements: expected.map { $0 + 1 }), precision: 4))
    }

    @Test func ieeeAndNumpyEdgeRules() throws {
        let one = Tensor(1), zero = Tensor(0)
        #expect(try Tensor.binary(.divide, one, zero).scalarValue == .infinity)
        #expect(try Tensor.binary(.divide, zero, zero).scalarValue?.isNaN == true)
        #expect(try Tensor.binary(.maximum, Tensor(.nan), one).scalarValue?.isNaN == true)
        #expect(try Tensor.binary(.minimum, one, Tensor(.nan)).scalarValue?.isNaN == true)
        #expect(try Tensor.binary(.equal, Tensor(.nan), Tensor(.nan)).scalarValue == 0)
        #expect(try Tensor.binary(.notEqual, Tensor(.nan), Tensor(.nan)).scalarValue == 1)
        #expect(try Tensor.binary(.power, Tensor(-8), Tensor(1.0 / 3)).scalarValue?.isNaN == true)
        #expect(try Tensor.binary(.power, Tensor(3), Tensor(2)).scalarValue == 9)
        #expect(thrownMessage { _ = try Tensor.binary(.add, try Tensor.zeros([3, 2]), try Tensor.zeros([4])) }
            == "cannot broadcast shapes [3, 2] and [4]")
        #expect(try Tensor.broadcastShape([3, 1, 5], [4, 1]) == [3, 4, 5])
        #expect(try Tensor.broadcastShape([], [2]) == [2])
        #expect(try Tensor.broadcastShape([0], [1]) == [0])
        #expect(thrownMessage { _ = try Tensor.broadcastShape([0], [2]) } == "cannot broadcast shapes [0] and [2]")
    }

    @Test func unaryOpsMatchReference() throws {
        let values: [Double] = [-3, -1, -0.5, -0.0, 0, 0.5, 1, 3, 800, -800, .nan, .infinity, -.infinity]
        let x = try Tensor(shape: [values.count], elements: values)
        let cases: [(UnaryOp, (Double) -> Double)] = [
            (.negate, { -$0 }), (.abs, { Swift.abs($0) }), (.sqrt, { $0.squareRoot() }), (.exp, { Foundation.exp($0) }),
            (.log, { Foundation.log($0) }), (.tanh, { Foundation.tanh($0) }),
            (.relu, { $0.isNaN ? $0 : ($0 > 0 ? $0 : 0) }),
            (.sign, { $0.isNaN ? $0 : ($0 > 0 ? 1 : ($0 < 0 ? -1 : 0)) }),
            (.logicalNot, { $0 == 0 ? 1 : 0 }),
        ]
        for (op, f) in cases {
            let r = try Tensor.unary(op, x).elements
            #expect(zip(r, values.map(f)).allSatisfy { sameValue($0, $1) }, "\(op)")
        }
        let s = try Tensor.unary(.sigmoid, x).elements
        for (v, y) in zip(values, s) {
            let expected = 1 / (1 + Foundation.exp(-v))
            #expect(close(y, expected, ulps: 2, absolute: 1e-300), "sigmoid(\(v))")
        }
        // Views go through the same path.
        let m = try Tensor.arange(0, 6, 1).reshaped([2, 3]).transposed(nil)
        #expect(try Tensor.unary(.negate, m).elements == [-0, -3, -1, -4, -2, -5])
    }

    @Test func roundFollowsNumpy() throws {
        // np.round([2.5, 0.125, -1.5, 1234.5678, 0.285], 2) and np.round(..., -2), np.round(2.675, 2).
        let x = try Tensor(shape: [5], elements: [2.5, 0.125, -1.5, 1234.5678, 0.285])
        #expect(try Tensor.round(x, digits: 2).elements == [2.5, 0.12, -1.5, 1234.57, 0.28])
        #expect(try Tensor.round(Tensor(2.675), digits: 2).scalarValue == 2.68)
        #expect(try Tensor.round(Tensor(1.005), digits: 2).scalarValue == 1.0)
        let y = try Tensor(shape: [3], elements: [1234.5678, 1250, -1350])
        #expect(try Tensor.round(y, digits: -2).elements == [1200, 1200, -1400])
        #expect(try Tensor.round(try Tensor(shape: [4], elements: [0.5, 1.5, 2.5, -0.5]), digits: 0).elements == [0, 2, 2, -0.0])
        #expect(try Tensor.round(Tensor(1.5), digits: 400).scalarValue == 1.5)
        #expect(try Tensor.round(Tensor(1e300), digits: 10).scalarValue == 1e300)
        #expect(try Tensor.round(Tensor(123), digits: -400).scalarValue == 0)
        #expect(try Tensor.round(Tensor(.nan), digits: 3).scalarValue?.isNaN == true)
    }

    @Test func clipBroadcastsAndPropagatesNan() throws {
        let x = try Tensor(shape: [5], elements: [-2, 0.5, 3, .nan, 1])
        #expect(try Tensor.clip(x, Tensor(0), Tensor(1)).elements.enumerated().allSatisfy {
            sameValue($0.element, [0, 0.5, 1, .nan, 1][$0.offset])
        })
        let lo = try Tensor(shape: [2, 1], elements: [0, 2])
        let c = try Tensor.clip(try Tensor.arange(0, 4, 1), lo, Tensor(3))
        #expect(c.shape == [2, 4] && c.elements == [0, 1, 2, 3, 2, 2, 2, 3])
        #expect(thrownMessage { _ = try Tensor.clip(x, try Tensor.zeros([2]), Tensor(1)) } != nil)
    }
}
