import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite struct TensorConstructionTests {
    @Test func scalarAndShapeBasics() throws {
        let s = Tensor(2.5)
        #expect(s.rank == 0 && s.count == 1 && s.shape == [] && s.scalarValue == 2.5)
        let t = try Tensor(shape: [2, 3], elements: [1, 2, 3, 4, 5, 6])
        #expect(t.strides == [3, 1] && t.isContiguous && t.count == 6 && t.scalarValue == nil)
        #expect(t.element(at: 4) == 5)
        #expect(try Tensor(shape: [1, 1, 1], elements: [7]).scalarValue == 7)
    }

    @Test func elementCountMustMatch() {
        #expect(thrownMessage { _ = try Tensor(shape: [2, 3], elements: [1, 2]) }
            == "shape [2, 3] needs 6 elements, but 2 were given")
        #expect(thrownMessage { _ = try Tensor(shape: [-1], elements: []) } == "negative dimension -1 in shape [-1]")
    }

    @Test func limitsAreChecked() {
        #expect(thrownMessage { _ = try Tensor.zeros([1_000_000, 1_000_000]) }
            == "tensor of shape [1000000, 1000000] has 1000000000000 elements, more than the limit of 268435456")
        // The product overflows Int; the message still gives it exactly.
        #expect(thrownMessage { _ = try Tensor.zeros([1 << 40, 1 << 40]) }
            == "tensor of shape [1099511627776, 1099511627776] has 1208925819614629174706176 elements, more than the limit of 268435456")
        #expect(thrownMessage { _ = try Tensor.full([Int.max, Int.max, 2], 1) } != nil)
        #expect(thrownMessage { _ = try Tensor.zeros([Int](repeating: 1, count: 33)) } != nil)
        // Empty tensors are bounded too (issue 8): each dimension, and the non-zero ones' product.
        #expect(thrownMessage { _ = try Tensor.zeros([0, 1 << 62]) }
            == "dimension 4611686018427387904 in shape [0, 4611686018427387904] is too large: the limit is 268435456")
        #expect((try? Tensor.zeros([0, 1 << 28]))?.count == 0)
        #expect((try? Tensor.zeros([1 << 14, 0, 1 << 14]))?.strides == [1 << 14, 1 << 14, 1])
        #expect(thrownMessage { _ = try Tensor.zeros([1 << 15, 0, 1 << 14]) }
            == "tensor of shape [32768, 0, 16384] has sizes whose product is 536870912, more than the limit of 268435456")
        #expect(thrownMessage { _ = try Tensor.eye(1 << 20) } != nil)
        #expect(thrownMessage { _ = try Tensor.randn([1 << 15, 1 << 14], seed: 0) } != nil)
        #expect(thrownMessage { _ = try Tensor.arange(0, 1e300, 1) } != nil)
        #expect(thrownMessage { _ = try Tensor.linspace(0, 1, Int.max) } != nil)
        let big = try? Tensor.zeros([1 << 14, 1, 1])
        #expect(thrownMessage { _ = try Tensor.binary(.add, big!, try Tensor.zeros([1 << 15])) } != nil)
    }

    @Test func arangeFollowsNumpy() throws {
        // Values checked against numpy 2.4: np.arange(0, 1, 0.1), np.arange(1, 0, -0.3), np.arange(0.1, 1, 0.3).
        #expect(try Tensor.arange(0, 1, 0.1).elements
            == [0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9])
        #expect(try Tensor.arange(1, 0, -0.3).elements == [1.0, 0.7, 0.3999999999999999, 0.09999999999999987])
        #expect(try Tensor.arange(0.1, 1, 0.3).elements == [0.1, 0.4, 0.7000000000000001])
        #expect(try Tensor.arange(5, 0, 1).shape == [0])
        #expect(try Tensor.arange(0, 5, 1).elements == [0, 1, 2, 3, 4])
        #expect(thrownMessage { _ = try Tensor.arange(0, 5, 0) } == "arange step cannot be zero")
        #expect(thrownMessage { _ = try Tensor.arange(0, .infinity, 1) } != nil)
        #expect(thrownMessage { _ = try Tensor.arange(.nan, 1, 1) } != nil)
    }

    @Test func linspaceHasExactEndpoints() throws {
        let t = try Tensor.linspace(0, 1, 5)
        #expect(t.elements == [0, 0.25, 0.5, 0.75, 1])
        // np.linspace(0.1, 0.7, 7) (last value is exactly the stop).
        #expect(try Tensor.linspace(0.1, 0.7, 7).elements
            == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7])
        #expect(try Tensor.linspace(3, 4, 1).elements == [3])
        #expect(try Tensor.linspace(3, 4, 0).shape == [0])
        #expect(try Tensor.linspace(2, 2, 3).elements == [2, 2, 2])
        #expect(thrownMessage { _ = try Tensor.linspace(0, 1, -1) } != nil)
    }

    @Test func eyeAndFull() throws {
        #expect(try Tensor.eye(3).elements == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(try Tensor.eye(0).shape == [0, 0])
        #expect(try Tensor.full([2, 2], 7).elements == [7, 7, 7, 7])
        #expect(try Tensor.zeros([]).shape == [] )
        #expect(thrownMessage { _ = try Tensor.eye(-2) } != nil)
    }

    @Test func randomNumbersMatchTheDocumentedAlgorithm() throws {
        // Expected values from an independent Python implementation of the algorithm
        // documented in RandomGenerator.swift.
        var g = RandomGenerator(seed: 0)
        #expect([g.next(), g.next(), g.next()] == [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0])
        #expect(try Tensor.rand([4], seed: 42).elements
            == [0.08386297105988216, 0.3789802506626686, 0.6800434110281394, 0.9246929453253876])
        let n = try Tensor.randn([5], seed: 7).elements
        let expected = [-0.2790239910251981, 1.5277231859624536, 1.8997685786889567, -0.2266957459968598, 2.136306014732201]
        for (a, b) in zip(n, expected) { #expect(close(a, b, ulps: 2)) }
        #expect(try Tensor.randn([3, 2], seed: 9).elements == Tensor.randn([6], seed: 9).elements)
        #expect(try Tensor.randn([6], seed: 1).elements != Tensor.randn([6], seed: 2).elements)
    }

    @Test func randomStatisticsArePlausible() throws {
        let u = try Tensor.rand([100_000], seed: 3)
        let mean = try u.reduce(.mean, axes: nil, keepdims: false).scalarValue ?? 0
        #expect(Swift.abs(mean - 0.5) < 0.01)
        #expect(try u.reduce(.min, axes: nil, keepdims: false).scalarValue ?? -1 >= 0)
        #expect(try u.reduce(.max, axes: nil, keepdims: false).scalarValue ?? 2 < 1)
        let z = try Tensor.randn([100_000], seed: 4)
        #expect(Swift.abs((try z.reduce(.mean, axes: nil, keepdims: false).scalarValue ?? 1)) < 0.02)
        #expect(Swift.abs((try z.variance(axes: nil, ddof: 0, keepdims: false).scalarValue ?? 0) - 1) < 0.02)
    }

    @Test func stackAndConcat() throws {
        let a = try Tensor(shape: [2, 2], elements: [1, 2, 3, 4])
        let b = try Tensor(shape: [2, 2], elements: [5, 6, 7, 8])
        let s0 = try Tensor.stack([a, b], axis: 0)
        #expect(s0.shape == [2, 2, 2] && s0.elements == [1, 2, 3, 4, 5, 6, 7, 8])
        let s2 = try Tensor.stack([a, b], axis: -1)
        #expect(s2.shape == [2, 2, 2] && s2.elements == [1, 5, 2, 6, 3, 7, 4, 8])
        let s1 = try Tensor.stack([a, try b.transposed(nil)], axis: 1)
        #expect(s1.shape == [2, 2, 2] && s1.elements == [1, 2, 5, 7, 3, 4, 6, 8])
        #expect(try Tensor.stack([Tensor(1), Tensor(2)], axis: 0).elements == [1, 2])
        let c1 = try Tensor.concat([a, b], axis: 1)
        #expect(c1.shape == [2, 4] && c1.elements == [1, 2, 5, 6, 3, 4, 7, 8])
        let c0 = try Tensor.concat([a, try Tensor.zeros([1, 2])], axis: -2)
        #expect(c0.shape == [3, 2] && c0.elements == [1, 2, 3, 4, 0, 0])
        #expect(thrownMessage { _ = try Tensor.stack([a, try Tensor.zeros([3])], axis: 0) }
            == "cannot stack shapes [2, 2] and [3]")
        #expect(thrownMessage { _ = try Tensor.concat([a, try Tensor.zeros([3, 3])], axis: 0) }
            == "cannot concatenate shapes [2, 2] and [3, 3] along axis 0")
        #expect(thrownMessage { _ = try Tensor.stack([a, b], axis: 3) } == "axis 3 is out of range for a tensor of rank 3")
        #expect(thrownMessage { _ = try Tensor.concat([], axis: 0) } != nil)
        #expect(thrownMessage { _ = try Tensor.concat([Tensor(1)], axis: 0) } != nil)
    }

    @Test func isIntegralIgnoresNonFinite() throws {
        #expect(try Tensor(shape: [3], elements: [1, .nan, -.infinity]).isIntegral)
        #expect(!(try Tensor(shape: [2], elements: [1, 0.5]).isIntegral))
        #expect(try Tensor(shape: [2], elements: [-0.0, 1e300]).isIntegral)
    }
}
