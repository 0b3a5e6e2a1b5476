import Testing
@testable import BNLabTensor

/// A number beside a tensor (`x * 2`) skips the rank-0 tensor the general path makes for it;
/// both must give the same bits, masks and layouts.
@Suite struct NumberOperandTests {
    static let ops: [BinaryOp] = [
        .add, .subtract, .multiply, .divide, .power, .equal, .notEqual, .less, .lessEqual, .greater,
        .greaterEqual, .maximum, .minimum, .floorDivide, .remainder,
    ]

    @Test("every operator, in both orders, equals the general path bit for bit", arguments: ops)
    func sameAsGeneralPath(op: BinaryOp) throws {
        let values: [Double] = [1.5, -2, 0, -0.0, .nan, .infinity, -.infinity, 3, 1e-310, 7]
        let x = try Tensor(shape: [2, 5], elements: values)
        for v in [2.0, -0.0, 0, .nan, -.infinity, 0.5] {
            for numberFirst in [false, true] {
                let fast = try Tensor.binary(op, x, number: v, numberFirst: numberFirst)
                let general = numberFirst ? try Tensor.binary(op, Tensor(v), x) : try Tensor.binary(op, x, Tensor(v))
                #expect(fast.shape == general.shape && fast.isMask == general.isMask)
                #expect(fast.elements.map(\.bitPattern) == general.elements.map(\.bitPattern), "\(op) \(v) first: \(numberFirst)")
            }
        }
        // A view and an empty tensor.
        let t = try x.transposed([1, 0])
        #expect(try Tensor.binary(op, t, number: 3, numberFirst: false).elements.map(\.bitPattern)
            == Tensor.binary(op, t, Tensor(3)).elements.map(\.bitPattern))
        #expect(try Tensor.binary(op, Tensor.zeros([0, 3]), number: 1, numberFirst: true).shape == [0, 3])
    }

    @Test("the four arithmetic operators are IEEE per element, as a plain loop computes them")
    func plainLoop() throws {
        let e = (0..<37).map { Double($0) * 0.7 - 11 }
        let x = try Tensor(shape: [37], elements: e)
        let v = 1.3
        #expect(try Tensor.binary(.add, x, number: v, numberFirst: false).elements == e.map { $0 + v })
        #expect(try Tensor.binary(.subtract, x, number: v, numberFirst: true).elements == e.map { v - $0 })
        #expect(try Tensor.binary(.multiply, x, number: v, numberFirst: false).elements == e.map { $0 * v })
        #expect(try Tensor.binary(.divide, x, number: v, numberFirst: true).elements == e.map { v / $0 })
    }
}
