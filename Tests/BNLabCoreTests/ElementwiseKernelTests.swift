import CKernels
import Foundation
import Testing
@testable import BNLabTensor

/// The specialised elementwise kernels (C vector paths at every instruction-set level, the
/// generic strided loop) against a naive loop written here: each output element computed from
/// the operands' shapes, strides and offsets with the scalar definitions below (numpy's rules),
/// compared bit for bit (any nan matching any nan).
@Suite struct ElementwiseKernelTests {
    /// Values where the rules differ: signed zeros, infinities, nan, ties, subnormals, and
    /// full-mantissa randoms that show any change of rounding.
    struct Values {
        var rng: TestRNG
        static let special: [Double] = [0, -0.0, 1, -1, 2, 0.5, -3, 7, .infinity, -.infinity, .nan,
                                         .leastNonzeroMagnitude, 1e308, -1e-308]
        mutating func next() -> Double {
            let r = rng.next()
            if r % 3 == 0 { return Values.special[Int((r >> 8) % UInt64(Values.special.count))] }
            return (Double(r >> 11) / Double(1 << 52) - 1) * 8
        }
    }

    /// A tensor of `shape` laid out in one of several ways: 0 row-major, 1 transposed storage
    /// (axes reversed), 2 every other element of a wider buffer from an offset, 3 the first axis
    /// reversed, 4 the first axis a zero-stride expansion.
    static func operand(_ shape: [Int], layout: Int, _ values: inout Values) -> Tensor {
        let n = shape.reduce(1, *)
        let rowMajor = Tensor.rowMajorStrides(shape)
        switch layout {
        case 1 where shape.count > 1:
            let reversed = Array(shape.reversed())
            let strides = Array(Tensor.rowMajorStrides(reversed).reversed())
            return Tensor(storage: (0..<n).map { _ in values.next() }, shape: shape, strides: strides, offset: 0)
        case 2:
            let data = (0..<(2 * n + 3)).map { _ in values.next() }
            return Tensor(storage: data, shape: shape, strides: rowMajor.map { $0 * 2 }, offset: 3)
        case 3 where !shape.isEmpty && shape[0] > 0:
            var strides = rowMajor
            strides[0] = -rowMajor[0]
            return Tensor(storage: (0..<n).map { _ in values.next() }, shape: shape, strides: strides,
                          offset: (shape[0] - 1) * rowMajor[0])
        case 4 where !shape.isEmpty && shape[0] > 0:
            var strides = rowMajor
            strides[0] = 0
            let m = n / shape[0]
            return Tensor(storage: (0..<m).map { _ in values.next() }, shape: shape, strides: strides, offset: 0)
        default:
            return Tensor(storage: (0..<n).map { _ in values.next() }, shape: shape, strides: rowMajor, offset: 0)
        }
    }

    /// numpy's `npy_divmod`, transcribed from numpy/_core/src/npymath/npy_math_internal.h.src.
    static func divmod(_ a: Double, _ b: Double) -> (Double, Double) {
        var mod = fmod(a, b)
        if b == 0 { return (a / b, mod) }
        var div = (a - mod) / b
        if mod != 0 {
            if (b < 0) != (mod < 0) { mod += b; div -= 1 }
        } else {
            mod = copysign(0, b)
        }
        var floordiv: Double
        if div != 0 {
            floordiv = floor(div)
            if div - floordiv > 0.5 { floordiv += 1 }
        } else {
            floordiv = copysign(0, a / b)
        }
        return (floordiv, mod)
    }

    /// Each binary operator's scalar definition.
    static func reference(_ op: BinaryOp) -> (Double, Double) -> Double {
        switch op {
        case .add: return { $0 + $1 }
        case .subtract: return { $0 - $1 }
        case .multiply: return { $0 * $1 }
        case .divide: return { $0 / $1 }
        case .power: return { pow($0, $1) }
        case .equal: return { $0 == $1 ? 1 : 0 }
        case .notEqual: return { $0 != $1 ? 1 : 0 }
        case .less: return { $0 < $1 ? 1 : 0 }
        case .lessEqual: return { $0 <= $1 ? 1 : 0 }
        case .greater: return { $0 > $1 ? 1 : 0 }
        case .greaterEqual: return { $0 >= $1 ? 1 : 0 }
        // numpy: nan in either operand propagates; on ties (0 vs −0 included) the first wins.
        case .maximum: return { x, y in x.isNaN ? x : (y.isNaN ? y : (x >= y ? x : y)) }
        case .minimum: return { x, y in x.isNaN ? x : (y.isNaN ? y : (x <= y ? x : y)) }
        case .floorDivide: return { divmod($0, $1).0 }
        case .remainder: return { divmod($0, $1).1 }
        }
    }

    static func reference(_ op: UnaryOp) -> (Double) -> Double {
        switch op {
        case .negate: return { -$0 }
        case .abs: return { Double(bitPattern: $0.bitPattern & ~(1 << 63)) }
        case .sqrt: return { Foundation.sqrt($0) }
        case .exp: return { Foundation.exp($0) }
        case .log: return { Foundation.log($0) }
        case .tanh: return { Foundation.tanh($0) }
        case .sigmoid: return { v in v >= 0 ? 1 / (1 + Foundation.exp(-v)) : Foundation.exp(v) / (1 + Foundation.exp(v)) }
        case .relu: return { v in v.isNaN ? v : (v > 0 ? v : 0) }
        case .sign: return { v in v.isNaN ? v : (v > 0 ? 1 : (v < 0 ? -1 : 0)) }
        case .logicalNot: return { $0 == 0 ? 1 : 0 }
        }
    }

    /// The element of `t` at a multi-index of the broadcast shape `shape`.
    static func element(_ t: Tensor, at index: [Int], in shape: [Int]) -> Double {
        let lead = shape.count - t.rank
        var position = t.offset
        for axis in 0..<t.rank where t.shape[axis] != 1 {
            position += index[lead + axis] * t.strides[axis]
        }
        return t.storage[position]
    }

    /// The naive broadcast loop over every multi-index, in row-major order.
    static func naive(_ a: Tensor, _ b: Tensor, _ f: (Double, Double) -> Double) -> [Double] {
        let rank = Swift.max(a.rank, b.rank)
        var shape = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.rank ? 1 : a.shape[i - (rank - a.rank)]
            let db = i < rank - b.rank ? 1 : b.shape[i - (rank - b.rank)]
            shape[i] = da == 1 ? db : da
        }
        let n = shape.reduce(1, *)
        var out: [Double] = []
        var index = [Int](repeating: 0, count: rank)
        for _ in 0..<n {
            out.append(f(element(a, at: index, in: shape), element(b, at: index, in: shape)))
            var d = rank - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < shape[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        return out
    }

    static func sameBits(_ r: [Double], _ e: [Double]) -> Bool {
        r.count == e.count && zip(r, e).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    static let binaryOps: [BinaryOp] = [.add, .subtract, .multiply, .divide, .power, .equal, .notEqual, .less, .lessEqual,
                                        .greater, .greaterEqual, .maximum, .minimum, .floorDivide, .remainder]
    static let unaryOps: [UnaryOp] = [.negate, .abs, .sqrt, .exp, .log, .tanh, .sigmoid, .relu, .sign, .logicalNot]

    /// Operand shape pairs: same shape (runs long enough for two AVX-512 vectors and a tail),
    /// the per-channel broadcast of batch normalization both ways round, tensor and scalar both
    /// ways, a rank-lifting broadcast, outer-product broadcasting, tiny runs, and empty tensors.
    static let shapePairs: [([Int], [Int])] = [
        ([2, 3, 4, 37], [2, 3, 4, 37]),
        ([2, 3, 4, 37], [1, 3, 1, 1]),
        ([1, 3, 1, 1], [2, 3, 5, 7]),
        ([2, 3, 5, 7], []),
        ([], [2, 3, 5, 7]),
        ([41], [1]),
        ([3, 41], [41]),
        ([5, 1], [1, 6]),
        ([2, 2], [2, 2]),
        ([0, 3, 4], [1, 3, 1]),
        ([0], []),
    ]

    /// Levels: portable C, AVX2 and AVX-512 when the CPU has them (lower levels are forced).
    static var levels: [Int32] { Array(0...ck_ew_best_level()) }

    @Test("every binary operator, layout and level equals the naive loop bit for bit", arguments: binaryOps)
    func binaryMatchesNaiveLoop(op: BinaryOp) throws {
        var values = Values(rng: TestRNG(UInt64(Self.binaryOps.firstIndex(of: op)! + 2000)))
        let f = Self.reference(op)
        for (sa, sb) in Self.shapePairs {
            for la in 0...4 {
                for lb in [0, 1, 2, 4] {
                    let a = Self.operand(sa, layout: la, &values)
                    let b = Self.operand(sb, layout: lb, &values)
                    // A scalar exponent 2 is x·x (as PyTorch computes it), not pow's result.
                    let square = op == .power && b.count == 1 && b.rank <= a.rank && b.elements == [2]
                    let expected = square ? Self.naive(a, b) { x, _ in x * x } : Self.naive(a, b, f)
                    for level in Self.levels {
                        let r = try Tensor.binary(op, a, b, level: level)
                        #expect(Self.sameBits(r.elements, expected), "\(op) \(sa) layout \(la) with \(sb) layout \(lb), level \(level)")
                        let comparison = [.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual].contains(op)
                        #expect(r.isMask == comparison)
                    }
                }
            }
        }
    }

    @Test("x ** 2 is one rounded product on every layout and level")
    func squareMatchesProduct() throws {
        var values = Values(rng: TestRNG(77))
        for shape in [[2, 3, 4, 37], [5], [0, 2], []] {
            for layout in 0...4 {
                let a = Self.operand(shape, layout: layout, &values)
                for level in Self.levels {
                    let r = try Tensor.binary(.power, a, Tensor(2), level: level)
                    #expect(Self.sameBits(r.elements, a.elements.map { $0 * $0 }), "\(shape) layout \(layout) level \(level)")
                }
            }
        }
    }

    @Test("every unary operator, layout and level equals the naive loop bit for bit", arguments: unaryOps)
    func unaryMatchesNaiveLoop(op: UnaryOp) throws {
        var values = Values(rng: TestRNG(UInt64(Self.unaryOps.firstIndex(of: op)! + 3000)))
        let f = Self.reference(op)
        for shape in [[2, 3, 4, 37], [41], [1], [], [0, 5]] {
            for layout in 0...4 {
                let x = Self.operand(shape, layout: layout, &values)
                let expected = Self.naive(x, Tensor(0)) { v, _ in f(v) }
                for level in Self.levels {
                    let r = try Tensor.unary(op, x, level: level)
                    #expect(Self.sameBits(r.elements, expected), "\(op) \(shape) layout \(layout) level \(level)")
                    #expect(r.shape == shape)
                }
            }
        }
    }

    @Test("runs of every length 0…40 and every start, with the output in place over an operand")
    func runLengthsAndAliasing() {
        var values = Values(rng: TestRNG(91))
        let pairs: [(ck_ew_binary_op, BinaryOp)] = [
            (CK_EW_ADD, .add), (CK_EW_DIV, .divide), (CK_EW_MAX, .maximum),
            (CK_EW_MIN, .minimum), (CK_EW_NE, .notEqual), (CK_EW_LE, .lessEqual),
        ]
        let ops = pairs.map { (Int32($0.0.rawValue), Self.reference($0.1)) }
        for (op, f) in ops {
            for n in 0...40 {
                for start in 0..<3 {
                    let a = (0..<(n + start)).map { _ in values.next() }
                    let b = (0..<(n + start)).map { _ in values.next() }
                    for (sa, sb) in [(1, 1), (1, 0), (0, 1), (0, 0)] {
                        let expected = (0..<n).map { i in f(a[start + i * sa], b[start + i * sb]) }
                        for level in Self.levels {
                            var out = [Double](repeating: 42, count: n + 1)
                            ck_ew_binary(op, n, Array(a[start...]), sa, Array(b[start...]), sb, &out, level)
                            #expect(Self.sameBits(Array(out[..<n]), expected) && out[n] == 42, "op \(op) n \(n) level \(level)")
                            // In place: the output is the first operand's own buffer.
                            var inPlace = Array(a[start...])
                            inPlace.withUnsafeMutableBufferPointer { p in
                                ck_ew_binary(op, n, p.baseAddress, sa, Array(b[start...]), sb, p.baseAddress, level)
                            }
                            if sa == 1 { #expect(Self.sameBits(Array(inPlace[..<n]), expected), "in place op \(op) n \(n) level \(level)") }
                        }
                    }
                }
            }
        }
    }
}
