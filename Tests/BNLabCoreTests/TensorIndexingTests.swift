import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite struct TensorIndexingTests {
    /// Python's slice rule, written out plainly: the positions a slice selects.
    func slicePositions(_ start: Int?, _ stop: Int?, _ step: Int?, size: Int) -> [Int] {
        let st = step ?? 1
        var positions: [Int] = []
        if st > 0 {
            var s = start ?? 0
            var e = stop ?? size
            if s < 0 { s = max(s + size, 0) }
            if e < 0 { e = max(e + size, 0) }
            s = min(s, size)
            e = min(e, size)
            var i = s
            while i < e { positions.append(i); i += st }
        } else {
            var s = start ?? size - 1
            var e = stop ?? -size - 1
            if s < 0 { s = max(s + size, -1) } else { s = min(s, size - 1) }
            if e < 0 { e = max(e + size, -1) } else { e = min(e, size - 1) }
            var i = s
            while i > e { positions.append(i); i += st }
        }
        return positions
    }

    @Test func basicIndexingMatchesNaive() throws {
        var rng = TestRNG(21)
        for _ in 0..<150 {
            let shape = rng.shape(rank: rng.int(1...4), maxDim: 5)
            let x = rng.maybeView(shape)
            var index: [TensorIndex] = []
            var selections: [[Int]] = []
            var keeps: [Bool] = []
            for axis in 0..<rng.int(0...shape.count) {
                let size = shape[axis]
                if rng.bool() {
                    let i = rng.int(-size...(size - 1))
                    index.append(.at(i))
                    selections.append([i < 0 ? i + size : i])
                    keeps.append(false)
                } else {
                    let start: Int? = rng.bool() ? rng.int(-7...7) : nil
                    let stop: Int? = rng.bool() ? rng.int(-7...7) : nil
                    let step: Int? = rng.bool() ? [1, 2, 3, -1, -2, -3][rng.int(0...5)] : nil
                    index.append(.range(start: start, stop: stop, step: step))
                    selections.append(slicePositions(start, stop, step, size: size))
                    keeps.append(true)
                }
            }
            for axis in index.count..<shape.count {
                selections.append(Array(0..<shape[axis]))
                keeps.append(true)
            }
            let y = try x.indexed(index)
            let expectedShape = zip(selections, keeps).filter { $0.1 }.map { $0.0.count }
            #expect(y.shape == expectedShape)
            // Enumerate the cartesian product of selections.
            var expected: [Double] = []
            let e = x.elements
            func walk(_ axis: Int, _ idx: [Int]) {
                if axis == shape.count { expected.append(e[ravel(idx, shape)]); return }
                for p in selections[axis] { walk(axis + 1, idx + [p]) }
            }
            walk(0, [])
            #expect(y.elements == expected)
        }
    }

    @Test func indexingErrors() throws {
        let x = try Tensor.zeros([3, 4])
        #expect(thrownMessage { _ = try x.indexed([.at(5)]) } == "index 5 is out of range for axis 0 with size 3")
        #expect(thrownMessage { _ = try x.indexed([.at(0), .at(-5)]) } == "index -5 is out of range for axis 1 with size 4")
        #expect(thrownMessage { _ = try x.indexed([.range(start: nil, stop: nil, step: 0)]) } == "slice step cannot be zero")
        #expect(thrownMessage { _ = try x.indexed([.at(0), .at(0), .at(0)]) } != nil)
        // Extreme slice bounds clamp instead of overflowing.
        let all = try x.indexed([.range(start: Int.min, stop: Int.max, step: Int.max)])
        #expect(all.shape == [1, 4])
        let back = try x.indexed([.range(start: Int.max, stop: Int.min, step: Int.min)])
        #expect(back.shape == [1, 4])
        #expect(try x.indexed([.at(1)]).shape == [4])
        #expect(try x.indexed([.at(1), .at(2)]).shape == [])
        #expect(try x.indexed([.range(start: 2, stop: 1, step: nil)]).shape == [0, 4])
    }

    @Test func indexingIsAView() throws {
        let x = try Tensor.arange(0, 12, 1).reshaped([3, 4])
        let col = try x.indexed([.range(start: nil, stop: nil, step: nil), .at(1)])
        #expect(col.elements == [1, 5, 9] && col.strides == [4] && !col.isContiguous)
        let rev = try x.indexed([.range(start: nil, stop: nil, step: -1)])
        #expect(rev.elements == [8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3])
        #expect(try x.indexed([.at(-1), .at(-1)]).scalarValue == 11)
    }

    @Test func assignBroadcastsAndKeepsValueSemantics() throws {
        var x = try Tensor.arange(0, 12, 1).reshaped([3, 4])
        let original = x
        let view = try x.indexed([.at(0)])
        try x.assign([.range(start: nil, stop: nil, step: nil), .at(1)], Tensor(-1))
        #expect(x.elements == [0, -1, 2, 3, 4, -1, 6, 7, 8, -1, 10, 11])
        #expect(original.elements == Array(0..<12).map(Double.init))
        #expect(view.elements == [0, 1, 2, 3])
        try x.assign([.at(2)], try Tensor(shape: [4], elements: [9, 8, 7, 6]))
        #expect(x.elements == [0, -1, 2, 3, 4, -1, 6, 7, 9, 8, 7, 6])
        try x.assign([], try Tensor(shape: [1, 4], elements: [1, 2, 3, 4]))
        #expect(x.elements == [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4])
        #expect(thrownMessage { try x.assign([.at(0)], try Tensor.zeros([3])) }
            == "cannot assign a tensor of shape [3] to a selection of shape [4]")
        #expect(thrownMessage { try x.assign([.at(0)], try Tensor.zeros([2, 4])) } != nil)
        #expect(thrownMessage { try x.assign([.at(7)], Tensor(1)) } != nil)
    }

    @Test func assignIntoViewsAndOverlaps() throws {
        // Assigning into a view copies it first; the base stays unchanged.
        let base = try Tensor.arange(0, 6, 1).reshaped([2, 3])
        var t = try base.transposed(nil)
        try t.assign([.at(0)], try Tensor(shape: [2], elements: [10, 20]))
        #expect(t.elements == [10, 20, 1, 4, 2, 5] && t.shape == [3, 2])
        #expect(base.elements == [0, 1, 2, 3, 4, 5])
        // x[1:] = x[:-1] reads the old values.
        var v = try Tensor.arange(0, 5, 1)
        let head = try v.indexed([.range(start: nil, stop: -1, step: nil)])
        try v.assign([.range(start: 1, stop: nil, step: nil)], head)
        #expect(v.elements == [0, 0, 1, 2, 3])
        // Random assignments against a naive reference.
        var rng = TestRNG(22)
        for _ in 0..<40 {
            let shape = rng.shape(rank: rng.int(1...3), maxDim: 4)
            var x = rng.maybeView(shape)
            var reference = x.elements
            let axis0 = rng.int(0...(shape[0] - 1))
            let value = rng.tensor(Array(shape.dropFirst()).map { rng.bool() ? 1 : $0 })
            try x.assign([.at(axis0)], value)
            let inner = shape.dropFirst().reduce(1, *)
            let filled = try Tensor.binary(.add, value, Tensor.zeros(Array(shape.dropFirst()))).elements
            for i in 0..<inner { reference[axis0 * inner + i] = filled[i] }
            #expect(x.elements == reference)
        }
    }
}
