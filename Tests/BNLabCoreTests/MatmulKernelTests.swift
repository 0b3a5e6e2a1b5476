import Testing
@testable import BNLabTensor

/// The blocked matrix product (CKernels) against a plain loop written here, on both kernels.
///
/// The kernel promises the naive loop's rounding: each C[i][j] = ((0 + a0·b0) + a1·b1) + … in
/// order of t, every product rounded before its addition. So the expected values are exact, and
/// a fused multiply-add, a reordered sum or a lost element would all show as a bit difference.
@Suite struct MatmulKernelTests {
    /// Full-mantissa values in [-1, 1), so that any change of rounding shows in the last bits.
    struct Values {
        var rng: TestRNG
        mutating func next() -> Double { Double(rng.next() >> 11) / Double(1 << 52) - 1 }
    }

    /// A tensor of `shape` laid out one of several ways: row-major, transposed storage, a strided
    /// slice with an offset, reversed rows (negative stride), or a broadcast (zero-stride) axis.
    static func operand(_ shape: [Int], layout: Int, _ values: inout Values) -> Tensor {
        let (r, c) = (shape[0], shape[1])
        switch layout {
        case 1:  // column-major: what `.T` of a row-major matrix gives
            let data = (0..<(r * c)).map { _ in values.next() }
            return Tensor(storage: data, shape: shape, strides: [1, r], offset: 0)
        case 2:  // rows of a wider matrix, every other column, from an offset
            let data = (0..<(3 + r * (2 * c + 1))).map { _ in values.next() }
            return Tensor(storage: data, shape: shape, strides: [2 * c + 1, 2], offset: 3)
        case 3:  // rows in reverse order
            let data = (0..<(r * c)).map { _ in values.next() }
            return Tensor(storage: data, shape: shape, strides: [-c, 1], offset: (r - 1) * c)
        case 4:  // one row repeated (an expanded view)
            let data = (0..<c).map { _ in values.next() }
            return Tensor(storage: data, shape: shape, strides: [0, 1], offset: 0)
        default:
            let data = (0..<(r * c)).map { _ in values.next() }
            return Tensor(storage: data, shape: shape, strides: [c, 1], offset: 0)
        }
    }

    /// The naive loop, element by element, in the kernel's promised order.
    static func naive(_ a: Tensor, _ b: Tensor) -> [Double] {
        let (m, k, p) = (a.shape[0], a.shape[1], b.shape[1])
        let x = a.elements, y = b.elements
        var out = [Double](repeating: 0, count: m * p)
        for i in 0..<m {
            for j in 0..<p {
                var s = 0.0
                for t in 0..<k {
                    let product = x[i * k + t] * y[t * p + j]
                    s = s + product
                }
                out[i * p + j] = s
            }
        }
        return out
    }

    /// Σ|a||b| for each element: the scale of its rounding error.
    static func magnitude(_ a: Tensor, _ b: Tensor) -> [Double] {
        let (m, k, p) = (a.shape[0], a.shape[1], b.shape[1])
        let x = a.elements, y = b.elements
        var out = [Double](repeating: 0, count: m * p)
        for i in 0..<m { for j in 0..<p { for t in 0..<k { out[i * p + j] += Swift.abs(x[i * k + t] * y[t * p + j]) } } }
        return out
    }

    static func sameBits(_ r: [Double], _ e: [Double]) -> Bool {
        r.count == e.count && zip(r, e).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    @Test(arguments: [false, true])
    func randomShapesAndLayoutsMatchTheNaiveLoop(portable: Bool) throws {
        var values = Values(rng: TestRNG(portable ? 1107 : 1106))
        // Sizes around the 6 × 8 tile and the 72-row and 256-deep blocks, including 1 and k = 0.
        let sizes = [1, 2, 5, 6, 7, 8, 9, 13, 17, 64, 73, 100]
        let depths = [0, 1, 3, 8, 100, 255, 257, 600]
        var checked = 0
        for trial in 0..<60 {
            let m = sizes[Int(values.rng.next() % UInt64(sizes.count))]
            let p = sizes[Int(values.rng.next() % UInt64(sizes.count))] + (trial % 3 == 0 ? 1 : 0)
            let k = depths[Int(values.rng.next() % UInt64(depths.count))]
            let layoutA = Int(values.rng.next() % 5), layoutB = Int(values.rng.next() % 5)
            let a = Self.operand([m, k], layout: k == 0 ? 0 : layoutA, &values)
            let b = Self.operand([k, p], layout: k == 0 ? 0 : layoutB, &values)
            let c = try Tensor.matmul(a, b, portableKernel: portable)
            #expect(c.shape == [m, p])
            let expected = Self.naive(a, b)
            let got = c.elements
            // p = 1 is the compensated dot product, checked by the tolerance below.
            if p > 1 {
                #expect(Self.sameBits(got, expected), "[\(m), \(k)] (layout \(layoutA)) @ [\(k), \(p)] (layout \(layoutB))")
            }
            // The brief's tolerance against an exact-ish (compensated) reference, as a second view.
            let scale = Self.magnitude(a, b), x = a.elements, y = b.elements
            for i in 0..<m {
                for j in 0..<p {
                    let exact = referenceSum((0..<k).map { x[i * k + $0] * y[$0 * p + j] })
                    #expect(Swift.abs(got[i * p + j] - exact) <= 1e-13 * scale[i * p + j])
                }
            }
            checked += 1
        }
        #expect(checked == 60)
    }

    /// Products big enough to be cut into column blocks on several threads give the same bits.
    @Test(arguments: [false, true])
    func splitProductsMatchTheNaiveLoop(portable: Bool) throws {
        var values = Values(rng: TestRNG(1108))
        let a = Self.operand([150, 301], layout: 2, &values)
        let b = Self.operand([301, 203], layout: 1, &values)
        #expect(Tensor.matmulParts(p: 203, work: 150 * 301 * 203) > 1)
        #expect(Self.sameBits(try Tensor.matmul(a, b, portableKernel: portable).elements, Self.naive(a, b)))
    }

    /// Rank-1 operands and thin shapes: a row times a matrix goes through the kernel, anything
    /// times a vector or a [k, 1] column stays a compensated dot product.
    @Test func vectorsAndThinShapes() throws {
        var values = Values(rng: TestRNG(1109))
        let row = Self.operand([1, 37], layout: 2, &values)
        let m = Self.operand([37, 11], layout: 1, &values)
        let v = try row.reshaped([37])  // a strided rank-1 view
        let r = try Tensor.matmul(v, m)
        #expect(r.shape == [11] && Self.sameBits(r.elements, Self.naive(row, m)))
        // [1, k] @ [k, 1]: the dot product's compensated sum is exact here, where the plain
        // sum of these products is not.
        let big = try Tensor(shape: [1, 3], elements: [1e16, 1, -1e16])
        let ones = try Tensor(shape: [3, 1], elements: [1, 1, 1])
        #expect(try Tensor.matmul(big, ones).elements == [1])
        let col = Self.operand([37, 1], layout: 0, &values)
        let dot = try Tensor.matmul(row, col).elements[0]
        let x = row.elements, y = col.elements
        #expect(dot == referenceSum((0..<37).map { x[$0] * y[$0] }))
    }

    /// Empty and zero-size shapes: k = 0 gives zeros, m = 0 or p = 0 an empty result.
    @Test(arguments: [false, true])
    func emptyShapes(portable: Bool) throws {
        #expect(try Tensor.matmul(Tensor.zeros([3, 0]), Tensor.zeros([0, 9]), portableKernel: portable).elements
            == [Double](repeating: 0, count: 27))
        #expect(try Tensor.matmul(Tensor.zeros([0, 4]), Tensor.full([4, 9], 1), portableKernel: portable).shape == [0, 9])
        #expect(try Tensor.matmul(Tensor.full([5, 4], 1), Tensor.full([4, 0], 1), portableKernel: portable).shape == [5, 0])
        #expect(try Tensor.matmul(Tensor.zeros([0]), Tensor.zeros([0, 2]), portableKernel: portable).elements == [0, 0])
    }

    /// nan and ±inf propagate as in the naive loop: 0·inf is nan (no zero-skipping), inf - inf is
    /// nan, and a sum of -0 products is +0 (the loop starts from +0).
    @Test(arguments: [false, true])
    func specialValues(portable: Bool) throws {
        var values = Values(rng: TestRNG(1110))
        var a = Self.operand([13, 9], layout: 0, &values).elements
        var b = Self.operand([9, 19], layout: 0, &values).elements
        a[0 * 9 + 2] = 0; b[2 * 19 + 0] = .infinity       // 0·inf in C[0][0]
        a[7 * 9 + 4] = .infinity; a[7 * 9 + 5] = -.infinity  // inf - inf across row 7,
        for j in 0..<19 { b[5 * 19 + j] = b[4 * 19 + j] }   // as rows 4 and 5 of b are equal
        b[3 * 19 + 17] = .nan                                // nan down column 17
        for t in 0..<9 { a[12 * 9 + t] = -0.0 }              // row 12: -0 · x
        let ta = try Tensor(shape: [13, 9], elements: a), tb = try Tensor(shape: [9, 19], elements: b)
        let c = try Tensor.matmul(ta, tb, portableKernel: portable).elements
        #expect(Self.sameBits(c, Self.naive(ta, tb)))
        #expect(c[0].isNaN)
        #expect((0..<19).allSatisfy { c[7 * 19 + $0].isNaN })
        #expect((0..<13).allSatisfy { c[$0 * 19 + 17].isNaN })
        #expect(c[12 * 19 + 1] == 0 && c[12 * 19 + 1].sign == .plus)
    }

    /// Where the CPU has AVX2 the default path uses it (else this only records the fallback).
    @Test func kernelChoiceFollowsTheCPU() throws {
        #if arch(x86_64) && os(Linux)
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if let line = flags.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) {
            #expect(Tensor.matmulUsesAVX2 == line.split(separator: " ").contains("avx2"))
        }
        #endif
    }
}
