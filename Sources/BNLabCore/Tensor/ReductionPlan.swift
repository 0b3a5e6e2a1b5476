/// How a reduction walks a row-major tensor in one pass over memory.
///
/// Neighbouring axes that are both reduced or both kept merge into one block, and size-1
/// axes vanish, so `[64, 64, 64, 64]` over axes `[0, 2, 3]` becomes R(64) K(64) R(4096).
/// The walk hands a kernel either runs (innermost block reduced: `count` neighbours
/// that all feed one output) or slabs (innermost block kept: `rows` rows of `cols`
/// neighbours, row `r` column `j` feeding output `out + j`).
struct ReductionPlan {
    /// Merged block sizes, outermost first; the last block or the one before it is reduced.
    private(set) var blocks: [Int] = []
    /// Whether each block is reduced.
    private(set) var reduced: [Bool] = []
    /// Elements per output.
    let reducedCount: Int
    /// Number of outputs.
    let outCount: Int

    /// A plan for a tensor of `shape` reducing the axes whose flag is set.
    init(shape: [Int], reducedAxes flags: [Bool]) {
        var kept = 1
        var gathered = 1
        for axis in shape.indices {
            if flags[axis] { gathered *= shape[axis] } else { kept *= shape[axis] }
        }
        outCount = kept
        reducedCount = gathered
        for axis in shape.indices where shape[axis] != 1 {
            if let last = reduced.last, last == flags[axis] {
                blocks[blocks.count - 1] *= shape[axis]
            } else {
                blocks.append(shape[axis])
                reduced.append(flags[axis])
            }
        }
        // Nothing to reduce still walks as runs of one element.
        if !reduced.contains(true) {
            blocks.append(1)
            reduced.append(true)
        }
    }

    /// Walks the `outCount * reducedCount` (non-zero) elements at `base` in memory order.
    func traverse<K: ReductionKernel>(_ base: UnsafePointer<Double>, _ kernel: inout K) {
        let nb = blocks.count
        let innerReduced = reduced[nb - 1]
        let outer = innerReduced ? nb - 1 : nb - 2
        var outStrides = [Int](repeating: 0, count: Swift.max(outer, 0))
        var step = innerReduced ? 1 : blocks[nb - 1]
        for i in stride(from: outer - 1, through: 0, by: -1) where !reduced[i] {
            outStrides[i] = step
            step *= blocks[i]
        }
        let rows = innerReduced ? 1 : blocks[nb - 2]
        let cols = blocks[nb - 1]
        let chunk = rows * cols
        var index = [Int](repeating: 0, count: Swift.max(outer, 0))
        var out = 0
        var position = 0
        while true {
            if innerReduced {
                kernel.run(base + position, count: cols, out: out, position: position)
            } else {
                kernel.slab(base + position, rows: rows, cols: cols, out: out, position: position)
            }
            position += chunk
            var d = outer - 1
            while d >= 0 {
                index[d] += 1
                out += outStrides[d]
                if index[d] < blocks[d] { break }
                out -= outStrides[d] * blocks[d]
                index[d] = 0
                d -= 1
            }
            if d < 0 { return }
        }
    }
}
