import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// Lesson 8's claims checked across seeds 1, 2 and 3 (the lesson records seed 1 only), with the
/// lesson's own `net` and `train` from its first cell, and its exact relations derived by hand:
/// the logits scale as s³ (ReLU and zero biases are positively homogeneous), BN's gradient as 1/a
/// (scale invariance), and a stuck network's accuracy is one class's share of the test labels.
@Suite("Lesson 8 claims across seeds, and its exact relations derived by hand")
struct Lesson8Tests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A session holding the lesson's first cell: the data, `dense`, `net` and `train`.
    static func session() throws -> Session {
        let catalog = LessonCatalog(directory: packageRoot.appendingPathComponent("lessons").path)
        guard let entry = catalog.entry(number: 8) else { throw LessonLoadError(path: "8", reason: "missing") }
        let setup = try catalog.load(entry).cells[0].codeLines.joined(separator: "\n")
        let s = Session(output: { _ in })
        runOrRecord(s, setup)
        return s
    }

    /// `train(net(bn, scale), lr, epochs)` from manual_seed(seed): [train loss, test accuracy, relative change of W₁].
    static func run(_ s: Session, seed: Int, bn: Bool, lr: Double, scale: Double? = nil, epochs: Int = 4) -> [Double] {
        let scaleText = scale.map { ", \($0)" } ?? ""
        runOrRecord(s, "manual_seed(\(seed)); r = train(net(\(bn)\(scaleText)), \(lr), \(epochs))")
        return globalElements(s, "r")
    }

    @Test("BN trains at lr 3, where the plain network is stuck at chance, but not at 10; the plain one trains at 0.3 (seeds 1-3)")
    func learningRates() throws {
        let s = try Self.session()
        for seed in 1...3 {
            let plainHigh = Self.run(s, seed: seed, bn: false, lr: 3)
            let bnHigh = Self.run(s, seed: seed, bn: true, lr: 3)
            let plainMid = Self.run(s, seed: seed, bn: false, lr: 0.3)
            let bnTooHigh = Self.run(s, seed: seed, bn: true, lr: 10)
            #expect(plainHigh[1] < 0.2 && abs(plainHigh[0] - log(10)) < 0.1, "seed \(seed): \(plainHigh)")
            #expect(bnHigh[1] > 0.85, "seed \(seed): \(bnHigh)")
            #expect(plainMid[1] > 0.7, "seed \(seed): \(plainMid)")
            #expect(bnTooHigh[1] < 0.6, "seed \(seed): \(bnTooHigh)")
        }
    }

    @Test("init scale 0.01 and 10: BN learns, the plain network does not; with BN, W₁ moves less the larger s (seeds 1-3)")
    func initScale() throws {
        let s = try Self.session()
        for seed in 1...3 {
            for scale in [0.01, 10] {
                let plain = Self.run(s, seed: seed, bn: false, lr: 0.1, scale: scale)
                let bn = Self.run(s, seed: seed, bn: true, lr: 0.1, scale: scale)
                #expect(plain[1] < 0.3, "seed \(seed), s \(scale): \(plain)")
                #expect(bn[1] > (scale < 1 ? 0.85 : 0.25), "seed \(seed), s \(scale): \(bn)")
            }
            // The effective step: 2 epochs are enough to see the relative change fall with s.
            let moved = [0.1, 1, 10].map { Self.run(s, seed: seed, bn: true, lr: 0.1, scale: $0, epochs: 2)[2] }
            #expect(moved[0] > 3 * moved[1] && moved[1] > 10 * moved[2], "seed \(seed): \(moved)")
        }
    }

    @Test("the plain network's logits scale as s³ exactly: zero biases and ReLU commute with a positive factor")
    func cubicLogits() throws {
        let s = try Self.session()
        for seed in 1...3 {
            runOrRecord(s, "manual_seed(\(seed)); a = net(false, 1)(xtrain); manual_seed(\(seed)); b = net(false, 10)(xtrain)")
            let a = globalElements(s, "a"), b = globalElements(s, "b")
            #expect(a.count == 1297 * 10)
            #expect(normwiseDistance(b, a.map { 1000 * $0 }) < 1e-12)
        }
    }

    @Test("the recorded logit spreads grow by 1000 per decade of s, and the recorded gradient ratio is 1/10")
    func recordedRatios() throws {
        let spread = try LessonNumbersTests.recorded(8, cell: 3)
        #expect(spread.count == 4)
        // 0.0002 is shown with one digit; the three larger ones carry enough to test 1000 to 1e-6.
        #expect(abs(spread[2] / spread[1] - 1000) < 1e-3 * 1000 && abs(spread[3] / spread[2] - 1000) < 1e-6 * 1000)
        let gradients = try LessonNumbersTests.recorded(8, cell: 5)
        #expect(gradients.count == 3 && abs(gradients[1] / gradients[0] - 0.1) < 1e-3 && gradients[2] == 0.1)
    }

    @Test("with BN after it, W₁ scaled by 10 gets a gradient one tenth as large, element by element (seeds 1-3)")
    func inverseGradient() throws {
        let s = try Self.session()
        for seed in 1...3 {
            runOrRecord(s, """
                manual_seed(\(seed))
                m = net(true)
                fn g(model) {
                  model.zero_grad()
                  cross_entropy(model(xtrain[0:60]), d.ytrain[0:60]).backward()
                  return model[0].weight.grad * 1
                }
                g1 = g(m)
                m[0].weight = 10 * m[0].weight
                g10 = g(m)
                """)
            let g1 = globalElements(s, "g1"), g10 = globalElements(s, "g10")
            #expect(g1.count == 64 * 64)
            // ε = 1e-5 against variances of order 1 (and 100 after scaling) breaks the invariance at about 1e-5.
            #expect(normwiseDistance(g10, g1.map { $0 / 10 }) < 1e-4)
        }
    }

    @Test("a network stuck at chance scores one class's share of the test labels (the recorded 0.1020)")
    func chanceShare() throws {
        let text = try String(contentsOf: Self.packageRoot.appendingPathComponent("data/digits.csv"), encoding: .utf8)
        let labels = text.split(separator: "\n").compactMap { line -> Int? in
            line.split(separator: ",").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
        #expect(labels.count == 1797)
        let test = labels[1297...]
        let shares = (0...9).map { c in Double(test.filter { $0 == c }.count) / Double(test.count) }
        // Lesson cell 2: columns lr, plain loss, plain accuracy, BN loss, BN accuracy; rows 3 and 4 are lr 3 and 10.
        let table = try LessonNumbersTests.recorded(8, cell: 2)
        #expect(table.count == 20)
        #expect(table[10] == 3 && table[15] == 10)
        for stuck in [table[12], table[17]] {
            #expect(shares.contains { abs($0 - stuck) < 5e-5 }, "\(stuck) against \(shares)")
        }
        // The stuck losses sit near ln 10, the loss of a uniform guess.
        #expect(abs(table[11] - log(10)) < 0.05 && abs(table[16] - log(10)) < 0.1)
    }
}
