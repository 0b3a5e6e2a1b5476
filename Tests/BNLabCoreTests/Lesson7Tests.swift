import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// Lesson 7's claims checked across seeds 1, 2 and 3 (the lesson records seed 1 only), with the
/// lesson's own `net` and `train` from its first cell; the accuracy, the percentiles and the drift
/// measure are recomputed here in plain Swift from the network's outputs, not taken from the log.
@Suite("Lesson 7 claims across seeds: BN is faster, the plain network's sigmoid input drifts more")
struct Lesson7Tests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A session holding the lesson's first cell: the data, `dense`, `net`, `accuracy`, `sigmoid_input` and `train`.
    static func session() throws -> Session {
        let catalog = LessonCatalog(directory: packageRoot.appendingPathComponent("lessons").path)
        guard let entry = catalog.entry(number: 7) else { throw LessonLoadError(path: "7", reason: "missing") }
        let setup = try catalog.load(entry).cells[0].codeLines.joined(separator: "\n")
        let s = Session(output: { _ in })
        runOrRecord(s, setup)
        return s
    }

    /// numpy's default percentile (linear interpolation at (n − 1)·q/100) by a plain sort.
    static func percentile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        let position = Double(sorted.count - 1) * q / 100
        let below = Int(position.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        let fraction = position - Double(below)
        return sorted[below] + fraction * (sorted[above] - sorted[below])
    }

    /// Trains `net(bn)` from manual_seed(seed) for `epochs`, logging once per epoch; returns the log
    /// ([epochs + 1, 151]), the test logits and the last sigmoid's input ([500, 50]) after training.
    static func run(_ s: Session, seed: Int, bn: Bool, epochs: Int) -> (log: [Double], logits: [Double], z: [Double]) {
        runOrRecord(s, """
            manual_seed(\(seed))
            m = net(\(bn))
            log = train(m, \(epochs), 21)
            m.eval()
            no_grad { logits = m(xtest) }
            z = sigmoid_input(m)
            """)
        return (globalElements(s, "log"), globalElements(s, "logits"), globalElements(s, "z"))
    }

    static func testLabels() throws -> [Int] {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("data/digits.csv"), encoding: .utf8)
        let labels = text.split(separator: "\n").compactMap { line -> Int? in
            line.split(separator: ",").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
        return Array(labels[1297...])
    }

    /// The accuracy of [500, 10] logits against the labels, by a hand-written argmax.
    static func accuracy(_ logits: [Double], _ labels: [Int]) -> Double {
        var right = 0
        for (i, label) in labels.enumerated() {
            let row = logits[(i * 10)..<(i * 10 + 10)]
            if row.firstIndex(of: row.max()!)! - i * 10 == label { right += 1 }
        }
        return Double(right) / Double(labels.count)
    }

    @Test("after one epoch BN's test accuracy is far above the plain network's (seeds 1-3), both recomputed from the logits")
    func fasterAfterOneEpoch() throws {
        let s = try Self.session()
        let labels = try Self.testLabels()
        #expect(labels.count == 500)
        for seed in 1...3 {
            let plain = Self.run(s, seed: seed, bn: false, epochs: 1)
            let withBN = Self.run(s, seed: seed, bn: true, epochs: 1)
            let a0 = Self.accuracy(plain.logits, labels), a1 = Self.accuracy(withBN.logits, labels)
            #expect(plain.log.count == 2 * 151 && abs(plain.log[151] - a0) < 1e-12 && abs(withBN.log[151] - a1) < 1e-12)
            #expect(a1 > a0 + 0.25 && a1 > 0.5 && a0 < 0.3, "seed \(seed): \(a0) against \(a1)")
        }
    }

    @Test("the logged percentiles are a plain sort's, and the plain network's medians drift more than BN's (seeds 1-3)")
    func drift() throws {
        let s = try Self.session()
        for seed in 1...3 {
            var typical: [Double] = []
            for bn in [false, true] {
                let r = Self.run(s, seed: seed, bn: bn, epochs: 3)
                #expect(r.log.count == 4 * 151 && r.z.count == 500 * 50)
                // Row 3 (step 63) holds [p15, p50, p85] for each of the 50 units after the accuracy.
                for unit in 0..<50 {
                    let column = (0..<500).map { r.z[$0 * 50 + unit] }
                    for (k, q) in [15.0, 50, 85].enumerated() {
                        #expect(abs(r.log[3 * 151 + 1 + k * 50 + unit] - Self.percentile(column, q)) < 1e-12)
                    }
                }
                // The lesson's drift: |median(63) − median(21)| / (p85 − p15)(63), its median over units.
                let drift = (0..<50).map { unit -> Double in
                    let p = { (row: Int, k: Int) in r.log[row * 151 + 1 + k * 50 + unit] }
                    return abs(p(3, 1) - p(1, 1)) / (p(3, 2) - p(3, 0))
                }
                typical.append(Self.percentile(drift, 50))
            }
            #expect(typical[0] > 2 * typical[1] && typical[0] > 0.15, "seed \(seed): \(typical)")
        }
    }

    @Test("the recorded numbers agree with the prose: BN ahead at every checkpoint, the plain net at BN's 63-step level only after 18 epochs")
    func recorded() throws {
        // Cell 3: rows step, plain accuracy, BN accuracy at steps 9, 21, 42, 63.
        let table = try LessonNumbersTests.recorded(7, cell: 3)
        try #require(table.count == 12)
        #expect(Array(table[0..<4]) == [9, 21, 42, 63])
        for k in 0..<4 { #expect(table[8 + k] > table[4 + k]) }
        // Cell 4: the plain network's accuracy after 0…20 epochs.
        let longer = try LessonNumbersTests.recorded(7, cell: 4)
        try #require(longer.count == 21)
        #expect(longer.firstIndex { $0 >= table[11] } == 18)
        // Cell 7: the drift of unit 0 and the median over units, without and with BN.
        let drift = try LessonNumbersTests.recorded(7, cell: 7)
        try #require(drift.count == 4)
        #expect(drift[2] > 3 * drift[3] && drift[0] > 3 * drift[1])
    }
}
