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
// One training step of the reference MLP (64-100-100-100-10, BN, ReLU) at batch 60: forward,
// cross entropy, backward, Adam. The fused batchnorm when its backward exists, else written out.
let training = Session(output: { _ in })
func trainingSetup(_ norm: (String) -> String) -> String {
    """
    manual_seed(0)
    W1 = param((rand(100, 64) * 2 - 1) / 8); b1 = param(zeros(100)); g1 = param(ones(100)); be1 = param(zeros(100))
    W2 = param((rand(100, 100) * 2 - 1) / 10); b2 = param(zeros(100)); g2 = param(ones(100)); be2 = param(zeros(100))
    W3 = param((rand(100, 100) * 2 - 1) / 10); b3 = param(zeros(100)); g3 = param(ones(100)); be3 = param(zeros(100))
    W4 = param((rand(10, 100) * 2 - 1) / 10); b4 = param(zeros(10))
    opt = Adam(W1, b1, g1, be1, W2, b2, g2, be2, W3, b3, g3, be3, W4, b4, lr=0.001)
    X = randn(60, 64); Y = randint(0, 10, 60)
    fn forward(x) {
        h = relu(\(norm("x @ W1.T + b1, g1, be1")))
        h = relu(\(norm("h @ W2.T + b2, g2, be2")))
        h = relu(\(norm("h @ W3.T + b3, g3, be3")))
        h @ W4.T + b4
    }
    """
}
let trainingStep = "opt.zero_grad(); loss = cross_entropy(forward(X), Y); loss.backward(); opt.step()"
run(training, trainingSetup { "batchnorm(\($0))" })
var trainingName = "training step MLP batch 60"
if training.run(trainingStep) != nil {
    trainingName += " (BN written out)"
    run(training, "fn bn(z, g, b) { d = z - mean(z, axis=0, keepdims=true); d / sqrt(mean(d * d, axis=0, keepdims=true) + 1e-5) * g + b }")
    run(training, trainingSetup { "bn(\($0))" })
}
let trainingSeconds = median(runs: 9) { run(training, "for i in 0..20 { \(trainingStep) }") } / 20
print("\(trainingName)\t\(trainingSeconds)\t9")

// Matrix products alone, at the training step's shapes (forward, and aᵀ @ g in the backward with a
// transposed view) and one large square product.
let products = Session(output: { _ in })
run(products, "A = randn(60, 100, seed=2); B = randn(100, 100, seed=3); At = randn(60, 100, seed=4).T; G = randn(60, 100, seed=5)\nL = randn(512, 512, seed=6); R = randn(512, 512, seed=7)")
let matmulResults: [(String, Double, Int)] = [
    ("matmul [60,100]@[100,100]", median(runs: 9) { run(products, "for i in 0..200 { C = A @ B }") } / 200, 9),
    ("matmul [100,60]ᵀview@[60,100]", median(runs: 9) { run(products, "for i in 0..200 { C = At @ G }") } / 200, 9),
    ("matmul [512,512]@[512,512]", median(runs: 7) { run(products, "C = L @ R") }, 7),
]

for (name, seconds, runs) in results + matmulResults {
    print("\(name)\t\(seconds)\t\(runs)")
}
