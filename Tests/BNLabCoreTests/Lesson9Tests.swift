import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// Lesson 9's recorded numbers and claims, checked another way: the trained network's accuracies
/// re-scored by a plain-Swift forward pass (eval mode, one batch, one class per batch), 0.9^k and
/// the remainders of 1297 by hand, and the robust claims (small batches, forgotten eval(), the
/// early eval gap, the tutorial's loop) as inequalities over three seeds the lesson does not use.
@Suite("Lesson 9 numbers and claims, derived independently")
struct Lesson9Tests {
    static func recorded(_ cell: Int) throws -> [Double] { try LessonNumbersTests.recorded(9, cell: cell) }

    /// A session that has run the lesson's first `count` cells, as `bnlab lesson 9` would.
    static func session(runningCells count: Int) throws -> Session {
        let catalog = LessonCatalog(directory: LessonNumbersTests.root.path)
        guard let entry = catalog.entry(number: 9) else { throw LessonLoadError(path: "lesson 9", reason: "missing") }
        let lesson = try catalog.load(entry)
        let s = Session(output: { _ in })
        for cell in lesson.cells.prefix(count) { runOrRecord(s, cell.codeLines.joined(separator: "\n")) }
        return s
    }

    /// The 500 test images scaled to 0..1, and their labels, read from the CSV without bnlab's session.
    static func testSet() throws -> (x: [[Double]], y: [Int]) {
        let contents = try DigitsFile.load(path: DigitsTests.csvPath)
        let pixels = contents.xtest.elements, labels = contents.ytest.elements
        let x = (0..<500).map { i in (0..<64).map { pixels[i * 64 + $0] / 16 } }
        return (x, labels.map { Int($0) })
    }

    /// 64 → 32 → BN → ReLU → 10 with plain loops. `batchStatistics` normalises with the rows'
    /// own mean and biased variance (train mode); otherwise with the running statistics.
    struct Net {
        var w1: [Double], b1: [Double], gamma: [Double], beta: [Double], mean: [Double], variance: [Double]
        var w2: [Double], b2: [Double]

        func predictions(_ x: [[Double]], batchStatistics: Bool) -> [Int] {
            let h: [[Double]] = x.map { row in
                (0..<32).map { j in
                    var z = b1[j]
                    for i in 0..<64 { z += row[i] * w1[j * 64 + i] }
                    return z
                }
            }
            var mu = mean, v = variance
            if batchStatistics {
                let n = Double(h.count)
                for j in 0..<32 {
                    var m = 0.0, q = 0.0
                    for row in h { m += row[j] }
                    m /= n
                    for row in h { q += (row[j] - m) * (row[j] - m) }
                    mu[j] = m
                    v[j] = q / n
                }
            }
            var out: [Int] = []
            for row in h {
                var a = [Double](repeating: 0, count: 32)
                for j in 0..<32 {
                    let z: Double = gamma[j] * (row[j] - mu[j]) / (v[j] + 1e-5).squareRoot() + beta[j]
                    a[j] = max(0, z)
                }
                var best = 0, bestLogit = -Double.infinity
                for k in 0..<10 {
                    var logit = b2[k]
                    for j in 0..<32 { logit += a[j] * w2[k * 32 + j] }
                    if logit > bestLogit { (best, bestLogit) = (k, logit) }
                }
                out.append(best)
            }
            return out
        }
    }

    @Test("two samples per batch: BN leaves only ±1 (up to ε), by hand")
    func twoSamples() throws {
        let rows = [[0.2, 5, -1], [0.7, 3, 4]]
        var y: [Double] = []
        for r in rows {
            for j in 0..<3 {
                let mu = (rows[0][j] + rows[1][j]) / 2, half = abs(rows[0][j] - rows[1][j]) / 2
                y.append((r[j] - mu) / (half * half + 1e-5).squareRoot())
            }
        }
        LessonNumbersTests.expectClose(try LessonNumbersTests.recordedTokens(9, cell: 1), y)
        #expect(y.allSatisfy { abs(abs($0) - 1) < 2e-4 })
    }

    @Test("the batch-64 network re-scored by a plain forward pass: eval mode, one batch of 500, one class per batch")
    func forgettingEval() throws {
        let s = try Self.session(runningCells: 3)
        runOrRecord(s, """
            W1 = big[0].weight * 1
            B1 = big[0].bias * 1
            G = big[1].gamma * 1
            BE = big[1].beta * 1
            RM = big[1].running_mean * 1
            RV = big[1].running_var * 1
            W2 = big[3].weight * 1
            B2 = big[3].bias * 1
            """)
        func g(_ name: String) -> [Double] { globalElements(s, name) }
        let net = Net(w1: g("W1"), b1: g("B1"), gamma: g("G"), beta: g("BE"), mean: g("RM"), variance: g("RV"),
                      w2: g("W2"), b2: g("B2"))
        #expect(net.w1.count == 2048 && net.mean.count == 32 && net.w2.count == 320)
        let (x, y) = try Self.testSet()
        func accuracy(_ p: [Int], _ labels: [Int]) -> Double {
            Double(zip(p, labels).filter { $0 == $1 }.count) / Double(labels.count)
        }
        let evalMode = accuracy(net.predictions(x, batchStatistics: false), y)
        let oneBatch = accuracy(net.predictions(x, batchStatistics: true), y)
        var hits = 0
        for c in 0..<10 {
            let rows = y.indices.filter { y[$0] == c }
            hits += net.predictions(rows.map { x[$0] }, batchStatistics: true).filter { $0 == c }.count
        }
        let oneClass = Double(hits) / 500
        let table = try LessonNumbersTests.recordedTokens(9, cell: 3), scoring = try LessonNumbersTests.recordedTokens(9, cell: 4)
        #expect(table.count == 20 && scoring.count == 10)
        guard table.count == 20, scoring.count == 10 else { return }
        // Row 64 of the batch-size table, then the scoring lines: eval, one batch of 500, one class per batch.
        LessonNumbersTests.expectClose([table[17], scoring[0], scoring[2], scoring[9]], [evalMode, evalMode, oneBatch, oneClass])
        // The claim: harmless with a large shuffled batch, ruinous with one class per batch.
        #expect(abs(oneBatch - evalMode) < 0.03)
        #expect(oneClass < 0.25 && evalMode > 0.85)
    }

    @Test("the eval gap table: 0.9^k by hand; eval mode behind train mode while 0.9^k is large, level once it is small")
    func evalGapTable() throws {
        let tokens = try LessonNumbersTests.recordedTokens(9, cell: 6), rows = tokens.map { Double($0) ?? .nan }
        #expect(rows.count == 24)
        for r in stride(from: 0, to: rows.count - 3, by: 4) {
            let k = rows[r]
            LessonNumbersTests.expectClose([tokens[r + 1]], [pow(0.9, k)])
            let (evalMode, trainMode) = (rows[r + 2], rows[r + 3])
            if k <= 10 { #expect(evalMode + 0.05 < trainMode, "k = \(k)") }
            if k >= 20 { #expect(abs(evalMode - trainMode) <= 0.02, "k = \(k)") }
        }
    }

    @Test("over three other seeds: batch 2 trains worst, train-mode scoring of small or one-class batches fails, the eval gap closes")
    func robustAcrossSeeds() throws {
        let s = try Self.session(runningCells: 2)
        runOrRecord(s, """
            fn one_class(model, x, y) {
              hits = 0
              no_grad { for c in 0..10 { hits = hits + sum(argmax(model(x[y == c]), axis=1) == c) } }
              return hits / len(y)
            }
            fn bn_net() = Sequential(Linear(64, 32), BatchNorm(32), ReLU(), Linear(32, 10))
            """)
        for seed in [11, 12, 13] {
            runOrRecord(s, """
                manual_seed(\(seed))
                a = bn_net()
                train(a, 64, 400)
                manual_seed(\(seed))
                b = bn_net()
                train(b, 2, 400)
                manual_seed(\(seed))
                c = Sequential(Linear(64, 32), ReLU(), Linear(32, 10))
                train(c, 2, 400)
                manual_seed(\(seed))
                e = bn_net()
                train(e, 64, 5)
                r = [accuracy(a, xtest, d.ytest), one_class(a, xtest, d.ytest), train_mode_accuracy(a, xtest, d.ytest, 2), accuracy(b, xtest, d.ytest), accuracy(c, xtest, d.ytest), accuracy(e, xtest, d.ytest), train_mode_accuracy(e, xtest, d.ytest, 500)]
                train(e, 64, 45)
                r2 = [accuracy(e, xtest, d.ytest), train_mode_accuracy(e, xtest, d.ytest, 500)]
                """)
            let r = globalElements(s, "r"), r2 = globalElements(s, "r2")
            #expect(r.count == 7 && r2.count == 2)
            guard r.count == 7, r2.count == 2 else { continue }
            let (eval64, oneClass, trainMode2, eval2, plain2, early5, early5Train) = (r[0], r[1], r[2], r[3], r[4], r[5], r[6])
            #expect(eval64 > 0.85 && oneClass < 0.25, "seed \(seed): \(r)")
            #expect(trainMode2 < eval64 - 0.25, "seed \(seed): batches of 2 in train mode")
            #expect(eval2 < eval64 - 0.1 && eval2 < plain2, "seed \(seed): BN at batch 2 trains worst, the control does not")
            #expect(early5 + 0.1 < early5Train, "seed \(seed): after 5 steps eval mode is behind")
            #expect(abs(r2[0] - r2[1]) < 0.05, "seed \(seed): after 50 steps it has caught up")
        }
    }

    @Test("a batch of one: 1297 mod the batch sizes, and the error in train mode but not in eval mode")
    func batchOfOne() throws {
        let mods = [2, 4, 8, 16, 64].map { Double(1297 % $0) }
        #expect(Array(try Self.recorded(8).prefix(5)) == mods)
        let s = Session(output: { _ in })
        runOrRecord(s, "bn = BatchNorm(3)")
        let failure = s.run("bn([[1, 2, 3]])")
        #expect(failure?.message == "expected more than 1 value per channel when training, got input shape [1, 3]")
        runOrRecord(s, "bn.eval(); y = bn([[1, 2, 3]])")
        #expect(globalElements(s, "y").count == 3)
    }

    @Test("the tutorial's loop: ln 10 by hand; on noise the loss stays there, on the digits it falls (three seeds)")
    func tutorialLoop() throws {
        let noise = try Self.recorded(9)
        LessonNumbersTests.expectClose([try LessonNumbersTests.recordedTokens(9, cell: 9)[2]], [log(10.0)])
        #expect(abs(noise[1] - log(10.0)) < 0.1)
        let digits = try Self.recorded(10)
        #expect(digits[1] < 1.2 && digits[2] > 0.8)
        let s = try Self.session(runningCells: 2)
        for seed in [21, 22, 23] {
            runOrRecord(s, """
                manual_seed(\(seed))
                model = Sequential(Linear(20, 50), BatchNorm(50), ReLU(), Linear(50, 10))
                opt = Adam(model.parameters(), lr=0.001)
                losses = zeros(100)
                for step in 0..100 {
                  loss = cross_entropy(model(randn(32, 20)), randint(0, 10, 32))
                  opt.zero_grad()
                  loss.backward()
                  opt.step()
                  losses[step] = loss.item()
                }
                on_noise = mean(losses[90:100])
                manual_seed(\(seed))
                model = Sequential(Linear(64, 50), BatchNorm(50), ReLU(), Linear(50, 10))
                opt = Adam(model.parameters(), lr=0.001)
                for step in 0..100 {
                  idx = randint(0, 1297, 32)
                  loss = cross_entropy(model(xtrain[idx]), d.ytrain[idx])
                  opt.zero_grad()
                  loss.backward()
                  opt.step()
                  losses[step] = loss.item()
                }
                r = [on_noise, mean(losses[90:100]), accuracy(model, xtest, d.ytest)]
                """)
            let r = globalElements(s, "r")
            #expect(r.count == 3)
            guard r.count == 3 else { continue }
            #expect(abs(r[0] - log(10.0)) < 0.1, "seed \(seed): on noise the loss stays near ln 10")
            #expect(r[1] < 1.2 && r[2] > 0.8, "seed \(seed): on the digits it learns")
        }
    }
}
