// Times bnlab on the benchmark workloads, and the memory floor, and prints one line per
// workload: `name<TAB>seconds<TAB>seconds…`, one time per round. bench/run puts them beside
// numpy's and CPython's (bench/numpy_bench.py) and prints the tables.
//
// Usage: bnlab-bench [ROUNDS [NAME…]]   (default 4 rounds, every workload)
//
// Rounds interleave the workloads (round 1 runs each once, then round 2…), so a slow moment of
// the machine spreads over all of them instead of falling on one.
import BNLabCore
import CBenchFloor
import Dispatch
import Foundation

/// Something to time: `body` does `repetitions` units of work; a sample is the time per unit.
struct Workload {
    let name: String
    let repetitions: Int
    let body: () -> Void
}

/// Seconds since an arbitrary start.
func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}

/// Runs source in the session, stopping the benchmark loudly if it fails.
func run(_ session: Session, _ source: String) {
    if let diagnostic = session.run(source) {
        print(DiagnosticRenderer.render(diagnostic))
        exit(1)
    }
}

/// A workload that runs bnlab source; `repetitions` wraps it in a loop of that many iterations.
func bnlab(_ name: String, _ session: Session, _ source: String, repetitions: Int = 1) -> Workload {
    let program = repetitions == 1 ? source : "for rep in 0..\(repetitions) { \(source) }"
    return Workload(name: name, repetitions: repetitions) { run(session, program) }
}

let rounds = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 4 : 4
let session = Session(output: { _ in })
var workloads: [Workload] = []

// MARK: The memory floor

/// A buffer of doubles outside any tensor, touched once so that no timing pays its page faults,
/// and backed by huge pages as bnlab's pooled buffers are (4 KiB pages would slow the floor
/// with TLB misses that bnlab's kernels do not have).
func pages(_ count: Int, _ value: Double, hugePages: Bool = true) -> UnsafeMutablePointer<Double> {
    if !hugePages {
        let p = UnsafeMutablePointer<Double>.allocate(capacity: count)
        p.initialize(repeating: value, count: count)
        return p
    }
    let bytes = max(count, 1) * MemoryLayout<Double>.stride
    let hugePage = 1 << 21
    var raw: UnsafeMutableRawPointer?
    guard posix_memalign(&raw, hugePage, (bytes + hugePage - 1) / hugePage * hugePage) == 0, let raw else {
        fatalError("the benchmark could not allocate \(bytes) bytes")
    }
    _ = madvise(raw, (bytes + hugePage - 1) / hugePage * hugePage, MADV_HUGEPAGE)
    let p = raw.bindMemory(to: Double.self, capacity: count)
    p.initialize(repeating: value, count: count)
    return p
}

/// The elements of the session's tensor `name`: the floor reads the very memory batchnorm reads,
/// so that where the system placed a buffer weighs on both sides of the ratio alike. The variable
/// must stay bound (and unchanged) while the benchmark runs.
func tensorElements(_ session: Session, _ name: String) -> UnsafeMutablePointer<Double> {
    guard case .tensor(let t)? = session.value(of: name), t.isContiguous,
          let pointer = try? t.withContiguousElements({ $0.baseAddress }) else {
        fatalError("the benchmark needs a contiguous tensor named \(name)")
    }
    return UnsafeMutablePointer(mutating: pointer)
}

/// One read of x and one pass reading x and writing y, split into parts over the cores as
/// bnlab's kernels split theirs (a part per 2^20 elements, at most 8), each pass joined before
/// the next starts. A sample takes the faster of cached and streaming stores. `input`, when
/// given, is read instead of a buffer of the floor's own (it is never written).
func floorWorkload(_ name: String, count: Int, hugePages: Bool = true, input: UnsafeMutablePointer<Double>? = nil) -> Workload {
    let x = input ?? pages(count, 1.5, hugePages: hugePages), y = pages(count, 0, hugePages: hugePages)
    let parts = min(8, max(1, count / (1 << 20)))
    let repetitions = max(1, (1 << 20) / count)
    let sums = pages(parts, 0)
    let shared = (UncheckedPointer(x), UncheckedPointer(y), UncheckedPointer(sums))
    /// Like bnlab's `Parallel.forEach`: one part runs on the calling thread.
    func forEachPart(_ body: (Int) -> Void) {
        if parts == 1 { return body(0) }
        withoutActuallyEscaping(body) { work in
            let unchecked = UncheckedClosure(work)
            DispatchQueue.concurrentPerform(iterations: parts) { unchecked.body($0) }
        }
    }
    func pass(streaming: Int32) {
        forEachPart { part in
            let start = count * part / parts, end = count * (part + 1) / parts
            shared.2.pointer[part] = floor_read(shared.0.pointer + start, end - start)
        }
        forEachPart { part in
            let start = count * part / parts, end = count * (part + 1) / parts
            floor_read_write(shared.0.pointer + start, shared.1.pointer + start, end - start, 0.5, 0.25, streaming)
        }
    }
    return Workload(name: name, repetitions: repetitions) {
        // Both variants every time; the sampler keeps the faster (see `sample`).
        for _ in 0..<repetitions { pass(streaming: 0) }
        let middle = now()
        for _ in 0..<repetitions { pass(streaming: 1) }
        floorSplit = now() - middle
    }
}

/// A pointer that crosses into concurrent work; each part touches only its own range.
struct UncheckedPointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>
    init(_ pointer: UnsafeMutablePointer<Double>) { self.pointer = pointer }
}

/// A closure that crosses into concurrent work; each part touches only its own range.
struct UncheckedClosure: @unchecked Sendable {
    let body: (Int) -> Void
    init(_ body: @escaping (Int) -> Void) { self.body = body }
}

nonisolated(unsafe) var floorSplit = 0.0

// MARK: Batch normalisation, the issue's shape and a size sweep

let expression = "y = (x - mean(x, axis=[0, 2, 3], keepdims=true)) / sqrt(var(x, axis=[0, 2, 3], keepdims=true) + 1e-5)"
run(session, "x = randn(64, 64, 64, 64, seed=0)")
// The floor runs right next to batchnorm in every round (after it, or before it in every other
// round), so each round gives a ratio of two neighbouring measurements (this machine's memory
// bandwidth drifts from second to second).
workloads.append(bnlab("batchnorm [64,64,64,64]", session, "y = batchnorm(x)"))
workloads.append(floorWorkload("floor [64,64,64,64]", count: 1 << 24, input: tensorElements(session, "x")))
// The same floor on buffers from plain malloc (4 KiB pages), as numpy's arrays and most
// measurements of "memory bandwidth" have them: for reference.
workloads.append(floorWorkload("floor, 4 KiB pages [64,64,64,64]", count: 1 << 24, hugePages: false))
workloads.append(bnlab("expression [64,64,64,64]", session, expression))

/// The sweep's shape for 2^k elements: [8, 16, h, w], h·w = 2^(k−7), as square as it can be.
func sweepShape(_ k: Int) -> [Int] {
    [8, 16, 1 << ((k - 7) / 2), 1 << ((k - 6) / 2)]
}

for k in 9...25 {
    let shape = sweepShape(k).map(String.init).joined(separator: ", ")
    let n = 1 << k
    let repetitions = max(1, (1 << 20) / n)
    run(session, "sweep\(k) = randn(\(shape), seed=\(k))")
    let local = expression.replacingOccurrences(of: "(x", with: "(sweep\(k)").replacingOccurrences(of: "y = ", with: "out\(k) = ")
    workloads.append(bnlab("batchnorm 2^\(k)", session, "out\(k) = batchnorm(sweep\(k))", repetitions: repetitions))
    workloads.append(floorWorkload("floor 2^\(k)", count: n, input: tensorElements(session, "sweep\(k)")))
    workloads.append(bnlab("expression 2^\(k)", session, local, repetitions: repetitions))
}

// MARK: Calls and small tensors

run(session, """
    fn fib(n) { if n < 2 { return n }; fib(n - 1) + fib(n - 2) }
    fn f(a) { a * 2 + 1 }
    v16 = randn(16, seed=16)
    small = randn(32, 16, seed=1)
    """)
workloads.append(bnlab("fib(25)", session, "r = fib(25)"))
workloads.append(bnlab("f(a) = a * 2 + 1, 1e6 calls", session, "s = 0\nfor i in 0..1000000 { s = f(i) }"))
workloads.append(bnlab("y = x * 2 + 1 on [16], 1e5 times", session, "for i in 0..100000 { y = v16 * 2 + 1 }"))
workloads.append(bnlab("loop 1e6", session, "s = 0\nfor i in 0..1000000 { s = s + i }"))
workloads.append(bnlab("batchnorm [32,16] per call", session, "y = batchnorm(small)", repetitions: 1000))
workloads.append(bnlab(
    "expression [32,16] per call", session,
    "y = (small - mean(small, axis=0, keepdims=true)) / sqrt(var(small, axis=0, keepdims=true) + 1e-5)",
    repetitions: 1000))

// MARK: One training step of the reference MLP (64-100-100-100-10, BN, ReLU) at batch 60

let training = Session(output: { _ in })
run(training, """
    manual_seed(0)
    W1 = param((rand(100, 64) * 2 - 1) / 8); b1 = param(zeros(100)); g1 = param(ones(100)); be1 = param(zeros(100))
    W2 = param((rand(100, 100) * 2 - 1) / 10); b2 = param(zeros(100)); g2 = param(ones(100)); be2 = param(zeros(100))
    W3 = param((rand(100, 100) * 2 - 1) / 10); b3 = param(zeros(100)); g3 = param(ones(100)); be3 = param(zeros(100))
    W4 = param((rand(10, 100) * 2 - 1) / 10); b4 = param(zeros(10))
    opt = Adam(W1, b1, g1, be1, W2, b2, g2, be2, W3, b3, g3, be3, W4, b4, lr=0.001)
    X = randn(60, 64); Y = randint(0, 10, 60)
    fn forward(x) {
        h = relu(batchnorm(x @ W1.T + b1, g1, be1))
        h = relu(batchnorm(h @ W2.T + b2, g2, be2))
        h = relu(batchnorm(h @ W3.T + b3, g3, be3))
        h @ W4.T + b4
    }
    """)
workloads.append(bnlab(
    "training step MLP batch 60", training,
    "opt.zero_grad(); loss = cross_entropy(forward(X), Y); loss.backward(); opt.step()", repetitions: 20))

// MARK: Matrix products: the training step's shapes (forward, and aᵀ @ g with a transposed view), one large

let products = Session(output: { _ in })
run(products, """
    A = randn(60, 100, seed=2); B = randn(100, 100, seed=3); At = randn(60, 100, seed=4).T; G = randn(60, 100, seed=5)
    L = randn(512, 512, seed=6); R = randn(512, 512, seed=7)
    """)
workloads.append(bnlab("matmul [60,100]@[100,100]", products, "C = A @ B", repetitions: 200))
workloads.append(bnlab("matmul [100,60]ᵀview@[60,100]", products, "C = At @ G", repetitions: 200))
workloads.append(bnlab("matmul [512,512]@[512,512]", products, "C = L @ R"))

// MARK: Rounds

/// The time per unit of one run of `workload`; for the floor, the faster of its two store kinds.
func sample(_ workload: Workload) -> Double {
    let start = now()
    workload.body()
    let total = now() - start
    if workload.name.hasPrefix("floor") {
        return min(total - floorSplit, floorSplit) / Double(workload.repetitions)
    }
    return total / Double(workload.repetitions)
}

// Further arguments keep only the workloads whose names contain one of them (for a quick look at a
// few rows; bench/run passes none).
let filters = CommandLine.arguments.dropFirst(2)
if !filters.isEmpty { workloads = workloads.filter { w in filters.contains { w.name.contains($0) } } }
// Warm-up: pools, caches, compiled bodies. Twice: after one pass, the pool has not yet settled
// what it keeps for each size (the large sweep sizes push out blocks of the small ones), and the
// first timed round paid for fresh pages (a batchnorm of 2^18 elements took 1.3 ms, not 0.16),
// which in short turns is a quarter of all samples or more.
for _ in 0..<2 {
    for workload in workloads { _ = sample(workload) }
}
/// The order of a round: every other round runs each batchnorm after its floor instead of before
/// (an ABBA order), so that whatever the workload before a pair leaves behind (a busy or idle
/// CPU, memory not touched for seconds) falls on both sides of the ratio alike.
func order(_ workloads: [Workload], round: Int) -> [Int] {
    var indices = Array(workloads.indices)
    guard round % 2 == 1 else { return indices }
    var i = 0
    while i + 1 < indices.count {
        if workloads[indices[i]].name.hasPrefix("batchnorm"), workloads[indices[i + 1]].name.hasPrefix("floor") {
            indices.swapAt(i, i + 1)
            i += 2
        } else {
            i += 1
        }
    }
    return indices
}

var samples = [[Double]](repeating: [], count: workloads.count)
for round in 0..<rounds {
    for i in order(workloads, round: round) {
        samples[i].append(sample(workloads[i]))
    }
}
for (workload, times) in zip(workloads, samples) {
    print(([workload.name] + times.map { "\($0)" }).joined(separator: "\t"))
}
