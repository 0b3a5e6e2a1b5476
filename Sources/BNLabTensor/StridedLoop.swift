/// A walk over several operands that share one shape but have their own strides.
///
/// Size-1 axes are dropped and neighbouring axes merged whenever every operand can step
/// over them as one, so the innermost loop runs as long as possible.
struct StridedLoop {
    /// The merged sizes; never empty (a single element walks as `[1]`).
    private(set) var shape: [Int]
    /// Per operand, the strides of the merged axes.
    private(set) var strides: [[Int]]

    init(shape: [Int], strides: [[Int]]) {
        var dims: [Int] = []
        var merged: [[Int]] = Array(repeating: [], count: strides.count)
        for axis in shape.indices where shape[axis] != 1 {
            var canMerge = !dims.isEmpty
            if canMerge {
                for k in strides.indices where merged[k][merged[k].count - 1] != strides[k][axis] * shape[axis] {
                    canMerge = false
                    break
                }
            }
            if canMerge {
                dims[dims.count - 1] *= shape[axis]
                for k in strides.indices { merged[k][merged[k].count - 1] = strides[k][axis] }
            } else {
                dims.append(shape[axis])
                for k in strides.indices { merged[k].append(strides[k][axis]) }
            }
        }
        if dims.isEmpty {
            dims = [1]
            merged = strides.map { _ in [0] }
        }
        self.shape = dims
        self.strides = merged
    }

    /// The walk cut into up to `parts` pieces along its outermost axis, each with its start
    /// offsets per operand, so elementwise work can run on several cores.
    func split(into parts: Int) -> [(loop: StridedLoop, bases: [Int])] {
        guard parts > 1, shape.count >= 2, shape[0] >= 2 else {
            return [(self, Array(repeating: 0, count: strides.count))]
        }
        let pieces = Swift.min(parts, shape[0])
        return (0..<pieces).map { p in
            let start = shape[0] * p / pieces, end = shape[0] * (p + 1) / pieces
            var piece = self
            piece.shape[0] = end - start
            return (piece, strides.map { $0[0] * start })
        }
    }

    /// The length of each innermost run.
    var innerCount: Int { shape[shape.count - 1] }

    /// The innermost stride of an operand.
    func innerStride(_ operand: Int) -> Int { strides[operand][shape.count - 1] }

    /// Calls `body` with the start offset of every innermost run.
    func forEachRun1(_ base: Int, _ body: (Int) -> Void) {
        let outer = shape.count - 1
        if outer == 0 { body(base); return }
        var index = [Int](repeating: 0, count: outer)
        let s0 = strides[0]
        var o0 = base
        while true {
            body(o0)
            var d = outer - 1
            while d >= 0 {
                index[d] += 1
                o0 += s0[d]
                if index[d] < shape[d] { break }
                o0 -= s0[d] * shape[d]
                index[d] = 0
                d -= 1
            }
            if d < 0 { return }
        }
    }

    /// Calls `body` with the start offsets, in two operands, of every innermost run.
    func forEachRun2(_ base0: Int, _ base1: Int, _ body: (Int, Int) -> Void) {
        let outer = shape.count - 1
        if outer == 0 { body(base0, base1); return }
        var index = [Int](repeating: 0, count: outer)
        let s0 = strides[0], s1 = strides[1]
        var o0 = base0, o1 = base1
        while true {
            body(o0, o1)
            var d = outer - 1
            while d >= 0 {
                index[d] += 1
                o0 += s0[d]
                o1 += s1[d]
                if index[d] < shape[d] { break }
                o0 -= s0[d] * shape[d]
                o1 -= s1[d] * shape[d]
                index[d] = 0
                d -= 1
            }
            if d < 0 { return }
        }
    }

    /// Calls `body` with the start offsets, in three operands, of every innermost run.
    ///
    /// Inlined into the elementwise loops so the run body is not a closure call per run; the
    /// position counters live in a stack buffer, since an array's uniqueness check per step
    /// would cost more than a short run's arithmetic.
    @inline(__always)
    func forEachRun3(_ base0: Int, _ base1: Int, _ base2: Int, _ body: (Int, Int, Int) -> Void) {
        let outer = shape.count - 1
        if outer == 0 { body(base0, base1, base2); return }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: outer) { index in
            index.initialize(repeating: 0)
            shape.withUnsafeBufferPointer { size in
                strides[0].withUnsafeBufferPointer { s0 in
                    strides[1].withUnsafeBufferPointer { s1 in
                        strides[2].withUnsafeBufferPointer { s2 in
                            var o0 = base0, o1 = base1, o2 = base2
                            while true {
                                body(o0, o1, o2)
                                var d = outer - 1
                                while d >= 0 {
                                    index[d] += 1
                                    o0 += s0[d]
                                    o1 += s1[d]
                                    o2 += s2[d]
                                    if index[d] < size[d] { break }
                                    o0 -= s0[d] * size[d]
                                    o1 -= s1[d] * size[d]
                                    o2 -= s2[d] * size[d]
                                    index[d] = 0
                                    d -= 1
                                }
                                if d < 0 { return }
                            }
                        }
                    }
                }
            }
        }
    }
}
