import Synchronization
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// In-place reuse of temporaries: an operand handed over by value that nothing else holds
/// lends its buffer to the result; every other operand (held elsewhere, a view, broadcast to a
/// larger shape, requiring a gradient) is left alone and the result gets a buffer of its own.
@Suite struct ElementwiseInPlaceTests {
    static func fresh(_ shape: [Int], start: Double = 1) -> Tensor {
        let n = shape.reduce(1, *)
        return try! Tensor(shape: shape, elements: (0..<n).map { start + Double($0) })
    }

    static func id(_ t: Tensor) -> ObjectIdentifier { ObjectIdentifier(t.storage) }

    @Test("a unique temporary is written in place, on either side and by unary operators")
    func uniqueTemporariesAreReused() throws {
        var t = Self.fresh([3, 4])
        var before = Self.id(t)
        let r = try Tensor.binary(.subtract, consume t, Tensor(1))
        #expect(Self.id(r) == before && r.elements == (0..<12).map(Double.init))

        t = Self.fresh([3, 4])
        before = Self.id(t)
        let per = try Tensor(shape: [1, 4], elements: [1, 2, 4, 8])
        let q = try Tensor.binary(.divide, per, consume t)
        #expect(Self.id(q) == before && q.elements[5] == 2.0 / 6.0)
        #expect(per.elements == [1, 2, 4, 8])

        t = Self.fresh([5])
        before = Self.id(t)
        let s = try Tensor.unary(.sqrt, consume t)
        #expect(Self.id(s) == before && s.elements[3] == 2)

        // A comparison written over numbers is a mask; arithmetic over a mask is numbers.
        t = Self.fresh([4])
        let m = try Tensor.binary(.greater, consume t, Tensor(2))
        #expect(m.isMask && m.elements == [0, 0, 1, 1])
        let n = try Tensor.binary(.multiply, consume m, Tensor(1))
        #expect(!n.isMask)
    }

    @Test("operands held elsewhere, views, broadcast operands and recorded ones get a new buffer")
    func sharedOperandsAreNeverWritten() throws {
        let kept = Self.fresh([3, 4])
        let r = try Tensor.binary(.add, kept, Tensor(1))
        #expect(Self.id(r) != Self.id(kept) && kept.elements == (1...12).map(Double.init))

        // A row of a matrix (offset 3, a view) and a transposed view.
        let base = Self.fresh([4, 3])
        let row = Tensor(storage: base.storage, shape: [3], strides: [1], offset: 3)
        let transposed = try base.transposed(nil)
        let r2 = try Tensor.binary(.multiply, row, Tensor(2))
        let r3 = try Tensor.binary(.multiply, transposed, Tensor(2))
        #expect(Self.id(r2) != Self.id(base) && Self.id(r3) != Self.id(base))
        #expect(base.elements == (1...12).map(Double.init))

        // The small operand of a broadcast cannot hold the larger result.
        var small = Self.fresh([1, 4])
        let smallID = Self.id(small)
        let r4 = try Tensor.binary(.add, consume small, Self.fresh([3, 4]))
        #expect(Self.id(r4) != smallID)
        small = Self.fresh([1])

        // A tensor with a recorded step keeps its value for the gradient rule.
        let tracked: Tensor = {
            var t = Self.fresh([3])
            t.node = GradNode(leafOf: [3])
            return t
        }()
        let trackedID = Self.id(tracked)
        let r5 = try Tensor.binary(.add, consume tracked, Tensor(1))
        #expect(Self.id(r5) != trackedID)
        _ = small
    }

    /// Runs source in a fresh session and returns what it printed.
    static func run(_ source: String) -> String {
        let printed = Mutex<[String]>([])
        let session = Session(output: { line in printed.withLock { $0.append(line) } })
        if let diagnostic = session.run(source) { return "error: \(diagnostic.message)" }
        return printed.withLock { $0.joined() }
    }

    @Test("the language hands temporaries over: (x - m) / s makes one buffer, and variables keep their values")
    func languageReusesTemporaries() throws {
        // 3 × 1234567 doubles: a size class no other test uses, counted in the pool.
        let bytes = 3 * 1_234_567 * 8
        let before = TensorPool.takes(ofBytes: bytes)
        let text = Self.run("""
            x = ones(3, 1234567)
            m = mean(x, axis=0, keepdims=true)
            y = (x - m) / 2
            z = x * 2 + 1
            print(sum(x), sum(y), sum(z))
            """)
        #expect(text.hasPrefix("3703701 0 11111103"), "\(text)")
        // x, then one buffer for each expression: the division and the addition reuse it.
        #expect(TensorPool.takes(ofBytes: bytes) - before == 3)
    }
}
