/// How a reduction walks a row-major tensor in one pass over memory.
///
/// Neighbouring axes that are both reduced or both kept merge into one block, and size-1
/// axes vanish, so `[64, 64, 64, 64]` over axes `[0, 2, 3]` becomes R(64) K(64) R(4096).
/// The walk hands a kernel either runs (innermost block reduced: `count` neighbours
/// that all feed one output) or slabs (innermost block kept: `rows` rows of `cols`
/// neighbours, row `r` column `j` feeding output `out + j`). Long runs are cut into
/// pieces of `chunkElements` and wide slabs into column strips of about that many
/// elements; these chunks are also the unit of parallel work.
struct ReductionPlan {
    /// Elements per chunk: small enough for L2, large enough to amortize the bookkeeping.
    static let chunkElements = 8192

    /// Merged block sizes, outermost first; the last block or the one before it is reduced.
    private(set) var blocks: [Int] = []
    /// Whether each block is reduced.
    private(set) var reduced: [Bool] = []
    /// Elements per output.
    let reducedCount: Int
    /// Number of outputs.
    let outCount: Int
    /// Number of elements.
    let count: Int

    /// A plan for a tensor of `shape` reducing the axes whose flag is set.
    init(shape: [Int], reducedAxes flags: [Bool]) {
        var kept = 1
        var gathered = 1
        for axis in shape.indices {
            if flags[axis] { gathered *= shape[axis] } else { kept *= shape[axis] }
        }
        outCount = kept
        reducedCount = gathered
        count = kept * gathered
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

    /// Whether the kernel sees runs (true) or slabs (false).
    var innerReduced: Bool { reduced[reduced.count - 1] }

    /// The walk's shape: outer blocks, elements per unit (run or slab), pieces per unit and piece width.
    private var geometry: (outer: Int, unit: Int, rows: Int, cols: Int, pieces: Int, width: Int) {
        let nb = blocks.count
        let width: Int
        if innerReduced {
            let length = blocks[nb - 1]
            width = Swift.min(length, ReductionPlan.chunkElements)
            return (nb - 1, length, 1, length, Swift.max((length + width - 1) / Swift.max(width, 1), 1), width)
        }
        let rows = blocks[nb - 2]
        let cols = blocks[nb - 1]
        width = Swift.min(cols, Swift.max(8, ReductionPlan.chunkElements / rows / 8 * 8))
        return (nb - 2, rows * cols, rows, cols, (cols + width - 1) / width, width)
    }

    /// The number of chunks the walk consists of.
    var chunkCount: Int {
        let g = geometry
        return count == 0 ? 0 : (count / g.unit) * g.pieces
    }

    /// The parts a parallel walk uses: fixed by the sizes, so results never depend on the machine.
    var partCount: Int {
        // Per-part partial results must stay small next to the input.
        let parts = Swift.min(Parallel.parts(for: count), chunkCount, count / Swift.max(32 * outCount, 1))
        return Swift.max(parts, 1)
    }

    /// Parts for a walk whose kernels write disjoint outputs (no per-part partial results).
    var independentPartCount: Int {
        Swift.max(1, Swift.min(Parallel.parts(for: count), chunkCount))
    }

    /// The length of each run when the kernel sees runs, else 0.
    var runLength: Int { innerReduced ? blocks[blocks.count - 1] : 0 }

    /// The chunks of part `part` out of `parts`.
    func chunks(part: Int, of parts: Int) -> Range<Int> {
        let total = chunkCount
        return (total * part / parts)..<(total * (part + 1) / parts)
    }

    /// Walks the chunks in `range` of the (non-empty) elements at `base`, in memory order.
    /// Gives up early when `stop` is raised (polled every `KernelStop.pollElements` or so).
    func traverse<K: ReductionKernel>(
        _ base: UnsafePointer<Double>, _ kernel: inout K, chunks range: Range<Int>, stop: KernelStop? = nil
    ) {
        guard !range.isEmpty else { return }
        var sincePoll = 0
        let g = geometry
        let outer = g.outer
        var outStrides = [Int](repeating: 0, count: outer)
        var step = innerReduced ? 1 : g.cols
        for i in stride(from: outer - 1, through: 0, by: -1) where !reduced[i] {
            outStrides[i] = step
            step *= blocks[i]
        }
        // Start the odometer at the first chunk's unit.
        var unit = range.lowerBound / g.pieces
        var piece = range.lowerBound % g.pieces
        var index = [Int](repeating: 0, count: outer)
        var out = 0
        var rest = unit
        for d in stride(from: outer - 1, through: 0, by: -1) {
            index[d] = rest % blocks[d]
            rest /= blocks[d]
            out += index[d] * outStrides[d]
        }
        var remaining = range.count
        while true {
            let unitStart = unit * g.unit
            let start = piece * g.width
            let width = Swift.min(g.width, g.cols - start)
            if innerReduced {
                kernel.run(base + unitStart + start, count: width, out: out, position: unitStart + start)
            } else {
                kernel.slab(
                    base + unitStart + start, rows: g.rows, cols: width, stride: g.cols, out: out + start,
                    position: unitStart + start)
            }
            remaining -= 1
            if remaining == 0 { return }
            sincePoll += width * g.rows
            if sincePoll >= KernelStop.pollElements, let stop {
                sincePoll = 0
                if stop.isRaised { return }
            }
            piece += 1
            if piece < g.pieces { continue }
            piece = 0
            unit += 1
            var d = outer - 1
            while d >= 0 {
                index[d] += 1
                out += outStrides[d]
                if index[d] < blocks[d] { break }
                out -= outStrides[d] * blocks[d]
                index[d] = 0
                d -= 1
            }
        }
    }

    /// Walks every chunk, cut into `partCount` parts run concurrently; `kernels` holds one kernel per part.
    /// Callers run `KernelStop.checkCurrent(forWork: count)` afterwards: a stopped walk leaves its results unfinished.
    func traverseInParts<K: ReductionKernel>(_ base: UnsafePointer<Double>, _ kernels: inout [K]) {
        let parts = kernels.count
        let stop = KernelStop.current(forWork: count)
        let shared = UncheckedSendable(base)
        kernels.withUnsafeMutableBufferPointer { ks in
            guard let k = ks.baseAddress else { return }
            let slots = UncheckedSendable(k)
            Parallel.forEach(parts) { i in
                self.traverse(shared.value, &slots.value[i], chunks: self.chunks(part: i, of: parts), stop: stop)
                slots.value[i].finishPart()
            }
        }
    }
}
