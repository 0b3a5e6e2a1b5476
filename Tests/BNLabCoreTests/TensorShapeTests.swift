import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite struct TensorShapeTests {
    @Test func reshapeIsAViewWhenContiguous() throws {
        let t = try Tensor.arange(0, 36, 1)
        let r = try t.reshaped([3, 3, 2, 2])
        #expect(r.shape == [3, 3, 2, 2] && r.strides == [12, 4, 2, 1])
        #expect(try t.reshaped([4, -1]).shape == [4, 9])
        #expect(thrownMessage { _ = try t.reshaped([5, -1]) } == "cannot reshape a tensor of size 36 into shape [5, -1]")
        #expect(thrownMessage { _ = try t.reshaped([5, 7]) } == "cannot reshape a tensor of size 36 into shape [5, 7]")
        #expect(thrownMessage { _ = try t.reshaped([-1, -1]) } != nil)
        #expect(thrownMessage { _ = try t.reshaped([-2, -18]) } != nil)
        #expect(thrownMessage { _ = try Tensor.zeros([0]).reshaped([0, -1]) } != nil)
        #expect(try Tensor(3).reshaped([1, 1]).shape == [1, 1])
        #expect(try Tensor.zeros([2, 0]).reshaped([0, 5]).shape == [0, 5])
    }

    @Test func reshapeOfViewsMatchesNaive() throws {
        var rng = TestRNG(11)
        for _ in 0..<60 {
            let shape = rng.shape(rank: rng.int(1...4), maxDim: 4)
            let x = rng.maybeView(shape)
            let n = x.count
            // Split the count into random factors.
            var dims: [Int] = []
            var rest = n
            while rest > 1 && dims.count < 4 {
                let d = (1...rest).filter { rest % $0 == 0 }
                let f = d[rng.int(0...(d.count - 1))]
                dims.append(f)
                rest /= f
            }
            dims.append(rest)
            let r = try x.reshaped(dims)
            #expect(r.shape == dims)
            #expect(r.elements == x.elements)
        }
        // A transposed matrix split along its leading axis stays a view (numpy's no-copy rule).
        let m = try Tensor.arange(0, 12, 1).reshaped([3, 4]).transposed(nil)
        let v = try m.reshaped([2, 2, 3])
        #expect(v.strides == [2, 1, 4])
        #expect(v.elements == m.elements)
    }

    @Test func transposeMatchesNaive() throws {
        var rng = TestRNG(12)
        for _ in 0..<40 {
            let shape = rng.shape(rank: rng.int(0...4), maxDim: 4)
            let x = rng.maybeView(shape)
            var axes = Array(0..<shape.count)
            axes.shuffle(using: &rng)
            let signed = axes.map { rng.bool() ? $0 - shape.count : $0 }
            let t = try x.transposed(signed)
            #expect(t.shape == axes.map { shape[$0] })
            let e = x.elements
            let te = t.elements
            for flat in 0..<t.count {
                let idx = unravel(flat, t.shape)
                var source = [Int](repeating: 0, count: shape.count)
                for (k, a) in axes.enumerated() { source[a] = idx[k] }
                #expect(te[flat] == e[ravel(source, shape)])
            }
        }
        let m = try Tensor.zeros([2, 3, 4])
        #expect(try m.transposed(nil).shape == [4, 3, 2])
        #expect(thrownMessage { _ = try m.transposed([0, 0, 1]) } == "axis 0 is repeated")
        #expect(thrownMessage { _ = try m.transposed([0, 1]) } != nil)
        #expect(thrownMessage { _ = try m.transposed([0, 1, 3]) } == "axis 3 is out of range for a tensor of rank 3")
    }

    @Test func flattenCopiesOnlyWhenNeeded() throws {
        let m = try Tensor.arange(0, 6, 1).reshaped([2, 3])
        #expect(try m.flattened().shape == [6])
        let t = try m.transposed(nil).flattened()
        #expect(t.elements == [0, 3, 1, 4, 2, 5] && t.isContiguous)
    }
}

extension TestRNG: RandomNumberGenerator {}
