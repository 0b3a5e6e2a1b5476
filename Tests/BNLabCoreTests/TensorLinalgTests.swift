import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite struct TensorLinalgTests {
    @Test func matmulFollowsNumpyRules() throws {
        let a = try Tensor(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
        let b = try Tensor(shape: [3, 2], elements: [7, 8, 9, 10, 11, 12])
        let c = try Tensor.matmul(a, b)
        #expect(c.shape == [2, 2] && c.elements == [58, 64, 139, 154])
        let v = try Tensor(shape: [3], elements: [1, 0, -1])
        #expect(try Tensor.matmul(a, v).elements == [-2, -2])
        #expect(try Tensor.matmul(v, b).elements == [-4, -4])
        #expect(try Tensor.matmul(v, v).shape == [] && Tensor.matmul(v, v).scalarValue == 2)
        #expect(try Tensor.matmul(a.transposed(nil), a).shape == [3, 3])
        #expect(thrownMessage { _ = try Tensor.matmul(a, try Tensor.zeros([4, 2])) }
            == "matmul shapes [2, 3] and [4, 2] do not align: 3 is not 4")
        #expect(thrownMessage { _ = try Tensor.matmul(Tensor(1), v) } != nil)
        #expect(thrownMessage { _ = try Tensor.matmul(try Tensor.zeros([2, 2, 2]), v) } != nil)
        #expect(try Tensor.matmul(try Tensor.zeros([2, 0]), try Tensor.zeros([0, 3])).elements == [0, 0, 0, 0, 0, 0])
        var rng = TestRNG(61)
        for _ in 0..<20 {
            let (m, k, p) = (rng.int(1...6), rng.int(1...6), rng.int(1...6))
            let x = rng.maybeView([m, k]), y = rng.maybeView([k, p])
            let r = try Tensor.matmul(x, y).elements
            let ex = x.elements, ey = y.elements
            for i in 0..<m {
                for j in 0..<p {
                    let expected = referenceSum((0..<k).map { ex[i * k + $0] * ey[$0 * p + j] })
                    #expect(close(r[i * p + j], expected, ulps: 2, absolute: 1e-12))
                }
            }
        }
    }

    @Test func allcloseAndArrayEqual() throws {
        let a = try Tensor(shape: [3], elements: [1, 2, .infinity])
        let b = try Tensor(shape: [3], elements: [1 + 1e-9, 2, .infinity])
        #expect(try Tensor.allclose(a, b, rtol: 1e-5, atol: 1e-8))
        #expect(!(try Tensor.allclose(a, try Tensor(shape: [3], elements: [1.1, 2, .infinity]), rtol: 1e-5, atol: 1e-8)))
        #expect(!(try Tensor.allclose(Tensor(.nan), Tensor(.nan), rtol: 1e-5, atol: 1e-8)))
        #expect(!(try Tensor.allclose(Tensor(.infinity), Tensor(-.infinity), rtol: 1e-5, atol: 1e-8)))
        #expect(try Tensor.allclose(try Tensor.full([2, 3], 1), Tensor(1), rtol: 0, atol: 0))
        // The rule is asymmetric: |a - b| <= atol + rtol * |b|.
        #expect(try Tensor.allclose(Tensor(0), Tensor(1), rtol: 1, atol: 0))
        #expect(!(try Tensor.allclose(Tensor(1), Tensor(0), rtol: 1, atol: 0)))
        #expect(thrownMessage { _ = try Tensor.allclose(a, try Tensor.zeros([2]), rtol: 0, atol: 0) } == "cannot broadcast shapes [3] and [2]")
        #expect(Tensor.arrayEqual(a, a))
        #expect(!Tensor.arrayEqual(a, b))
        #expect(!Tensor.arrayEqual(Tensor(.nan), Tensor(.nan)))
        #expect(!Tensor.arrayEqual(try Tensor.zeros([2, 1]), try Tensor.zeros([2])))
        let m = try Tensor.arange(0, 6, 1).reshaped([2, 3])
        #expect(Tensor.arrayEqual(try m.transposed(nil), try Tensor(shape: [3, 2], elements: [0, 3, 1, 4, 2, 5])))
    }
}
