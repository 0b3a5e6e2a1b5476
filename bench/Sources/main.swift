// Times bnlab on the benchmark workloads and prints one line per workload:
// `name<TAB>median seconds<TAB>runs`. bench/run puts them beside numpy's and CPython's.
import BNLabCore
import Foundation

/// Median wall time of `body` over `runs` runs, after one warm-up.
func median(runs: Int, _ body: () -> Void) -> Double {
    body()
    var times: [Double] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        body()
        let elapsed = ContinuousClock.now - start
        times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
    times.sort()
    return times[times.count / 2]
}

/// Runs source in the session, stopping the benchmark loudly if it fails.
func run(_ session: Session, _ source: String) {
    if let diagnostic = session.run(source) {
        print(DiagnosticRenderer.render(diagnostic))
        exit(1)
    }
}

let session = Session(output: { _ in })
run(session, "x = randn(64, 64, 64, 64, seed=0)\nsmall = randn(32, 16, seed=1)")

let expression = "y = (x - mean(x, axis=[0, 2, 3], keepdims=true)) / sqrt(var(x, axis=[0, 2, 3], keepdims=true) + 1e-5)"
let results: [(String, Double, Int)] = [
    ("batchnorm [64,64,64,64]", median(runs: 7) { run(session, "y = batchnorm(x)") }, 7),
    ("expression [64,64,64,64]", median(runs: 7) { run(session, expression) }, 7),
    ("loop 1e6", median(runs: 5) { run(session, "s = 0\nfor i in 0..1000000 { s = s + i }") }, 5),
    ("batchnorm [32,16] per call", median(runs: 7) {
        run(session, "for i in 0..1000 { y = batchnorm(small) }")
    } / 1000, 7),
    ("expression [32,16] per call", median(runs: 7) {
        run(session, "for i in 0..1000 { y = (small - mean(small, axis=0, keepdims=true)) / sqrt(var(small, axis=0, keepdims=true) + 1e-5) }")
    } / 1000, 7),
    // Calls bind their arguments through the call site's cached plan: a user function and a builtin.
    ("user call 1e5", median(runs: 5) {
        run(session, "fn f(a, b, c=1) { a + b + c }\ns = 0\nfor i in 0..100000 { s = f(s, i) }")
    }, 5),
    ("user call named 1e5", median(runs: 5) {
        run(session, "fn g(a, b, c=1) { a + b + c }\ns = 0\nfor i in 0..100000 { s = g(b=i, a=s) }")
    }, 5),
    ("builtin call 1e5", median(runs: 5) { run(session, "s = 0\nfor i in 0..100000 { s = s + clip(i, 0, 5) }") }, 5),
]
for (name, seconds, runs) in results {
    print("\(name)\t\(seconds)\t\(runs)")
}
