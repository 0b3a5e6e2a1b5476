import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// Lesson 10's claims checked across seeds 1, 2 and 3 (the lesson records seed 1 only), with the
/// lesson's own `net`, `shake`, `train`, `losses_along` and `spreads` from its cells. The loss
/// along the gradient is re-derived by another route (an SGD step and saved copies instead of
/// the lesson's move-and-move-back), and the noise's size from its definition.
@Suite("Lesson 10 claims across seeds, the loss along the gradient by another route")
struct Lesson10Tests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A session holding the lesson's setup cell (cell 0) and the cell defining `losses_along` and `spreads` (cell 4),
    /// without running the latter's training.
    static func session() throws -> Session {
        let catalog = LessonCatalog(directory: packageRoot.appendingPathComponent("lessons").path)
        guard let entry = catalog.entry(number: 10) else { throw LessonLoadError(path: "10", reason: "missing") }
        let cells = try catalog.load(entry).cells
        let setup = cells[0].codeLines.joined(separator: "\n")
        let along = cells[4].codeLines.prefix { !$0.hasPrefix("manual_seed") }.joined(separator: "\n")
        #expect(along.contains("fn losses_along") && along.contains("fn spreads"))
        let s = Session(output: { _ in })
        runOrRecord(s, setup)
        runOrRecord(s, along)
        return s
    }

    @Test("shake(z, s) moves each unit's mean by at most s and scales its noise by at most s, differently per unit")
    func noiseSize() throws {
        let s = try Self.session()
        // On zeros, shake leaves shift + scale·N(0, 1) per unit: over 4000 rows a unit's mean is its shift
        // (within 5/√4000 · s) and its std its scale (within a few per cent).
        runOrRecord(s, "manual_seed(1); w = shake(zeros(4000, 32), 0.5); mu = mean(w, axis=0); sd = std(w, axis=0)")
        let mu = globalElements(s, "mu"), sd = globalElements(s, "sd")
        #expect(mu.count == 32 && sd.count == 32)
        #expect(mu.allSatisfy { abs($0) <= 0.5 + 5 * 0.5 / sqrt(4000) })
        #expect(sd.allSatisfy { $0 >= 0 && $0 <= 0.5 * 1.05 })
        // Uniform draws: some units move far, and both ways.
        #expect(mu.max()! > 0.25 && mu.min()! < -0.25 && sd.max()! > 0.35)
    }

    @Test("BN followed by shifting noise ends far closer to BN than to the plain network (sigmoid, lr 1, 4 epochs, seeds 1-3)")
    func noiseKeepsSpeedUp() throws {
        let s = try Self.session()
        for seed in 1...3 {
            var last: [Double] = []
            for (norm, noise) in [("no_norm", 0.0), ("batch_norm", 0.0), ("batch_norm", 1.0)] {
                runOrRecord(s, "manual_seed(\(seed)); a = train(net(\(norm), Sigmoid()), 1, 4, \(noise))")
                let curve = globalElements(s, "a")
                #expect(curve.count == 4)
                last.append(curve.last ?? .nan)
            }
            let (plain, bn, noisy) = (last[0], last[1], last[2])
            #expect(plain < 0.5 && bn > 0.85, "seed \(seed): \(last)")
            #expect(abs(noisy - bn) < abs(noisy - plain) / 5, "seed \(seed): \(last)")
        }
    }

    @Test("losses_along equals the loss after an SGD step of size η taken from saved copies, and leaves the weights where they were")
    func lossAlongByAnotherRoute() throws {
        let s = try Self.session()
        for (seed, norm) in [(1, "no_norm"), (2, "batch_norm"), (3, "batch_norm")] {
            runOrRecord(s, """
                manual_seed(\(seed))
                m = net(\(norm), ReLU())
                acc = train(m, 0.3, 1)
                ps = m.parameters()
                n_params = len(ps)
                """)
            let count = Int(globalElements(s, "n_params").first ?? 0)
            #expect(count == (norm == "no_norm" ? 6 : 10))
            let save = (0..<count).map { "c\($0) = detach(ps[\($0)]) * 1" }.joined(separator: "\n")
            let restore = (0..<count).map { "ps[\($0)].data = c\($0)" }.joined(separator: "\n")
            let flat = "concat(" + (0..<count).map { "ps[\($0)].reshape(-1)" }.joined(separator: ", ") + ")"
            runOrRecord(s, """
                x = xtrain[60:120]
                y = d.ytrain[60:120]
                \(save)
                before = detach(\(flat)) * 1
                lesson = losses_along(m, x, y, [0.1, 0.6])
                after = detach(\(flat)) * 1
                other = zeros(2)
                etas = [0.1, 0.6]
                for k in 0..2 {
                  m.zero_grad()
                  cross_entropy(m(x), y).backward()
                  SGD(m.parameters(), lr=etas[k]).step()
                  no_grad { other[k] = cross_entropy(m(x), y).item() }
                  \(restore)
                }
                """)
            let lesson = globalElements(s, "lesson"), other = globalElements(s, "other")
            #expect(lesson.count == 2 && normwiseDistance(lesson, other) < 1e-12, "seed \(seed): \(lesson) vs \(other)")
            #expect(normwiseDistance(globalElements(s, "after"), globalElements(s, "before")) < 1e-14)
        }
    }

    @Test("after the first epoch the loss along the gradient varies at least 5 times less with BN (median of epochs 2-6, seeds 1-3)")
    func smootherWithBN() throws {
        let s = try Self.session()
        func median(_ v: ArraySlice<Double>) -> Double { let v = v.sorted(); return v[v.count / 2] }
        for seed in 1...3 {
            runOrRecord(s, "manual_seed(\(seed)); a = spreads(net(no_norm, ReLU()), 0.3, 6)")
            let plain = globalElements(s, "a")
            runOrRecord(s, "manual_seed(\(seed)); a = spreads(net(batch_norm, ReLU()), 0.3, 6)")
            let bn = globalElements(s, "a")
            #expect(plain.count == 6 && bn.count == 6)
            #expect(median(bn[1...]) * 5 < median(plain[1...]), "seed \(seed): \(plain) vs \(bn)")
        }
    }

    @Test("at batch 2, LayerNorm and GroupNorm beat both BN and no normalization by 10 points (seeds 1-3)")
    func smallBatches() throws {
        let s = try Self.session()
        runOrRecord(s, """
            fn tiny(norm, seed) {
              manual_seed(seed)
              model = net(norm, ReLU())
              opt = SGD(model.parameters(), lr=0.05)
              for idx in batches(600, 2) {
                loss = cross_entropy(model(xtrain[idx]), d.ytrain[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
              }
              return accuracy(model)
            }
            """)
        for seed in 1...3 {
            runOrRecord(s, "r = [tiny(no_norm, \(seed)), tiny(batch_norm, \(seed)), tiny(layer_norm, \(seed)), tiny(group_norm, \(seed))]")
            let r = globalElements(s, "r")
            guard r.count == 4 else { Issue.record("r: \(r)"); continue }
            let worse = max(r[0], r[1])
            #expect(r[2] > worse + 0.1 && r[3] > worse + 0.1, "seed \(seed): \(r)")
        }
    }
}
