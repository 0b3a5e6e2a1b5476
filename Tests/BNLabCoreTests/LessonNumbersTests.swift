import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// The lessons' key numbers, computed here with plain loops and hand derivations and compared with
/// what each lesson records. `bnlab check lessons` (also a test) proves bnlab prints what is
/// recorded; this proves what is recorded is right, without asking bnlab.
@Suite("Lesson numbers, derived independently")
struct LessonNumbersTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("lessons")

    /// The numbers in cell `cell` (1-based) of a lesson's recorded output, shape lines left out.
    static func recorded(_ lesson: Int, cell: Int) throws -> [Double] {
        try recordedTokens(lesson, cell: cell).map { Double($0) ?? .nan }
    }

    /// The numbers of a cell's recorded output as written, so their precision is known.
    static func recordedTokens(_ lesson: Int, cell: Int) throws -> [String] {
        let catalog = LessonCatalog(directory: root.path)
        guard let entry = catalog.entry(number: lesson) else { throw LessonLoadError(path: "\(lesson)", reason: "missing") }
        let parsed = try catalog.load(entry)
        let lines = parsed.cells[cell - 1].output?.lines ?? []
        var numbers: [String] = []
        let pattern = try NSRegularExpression(pattern: "nan|-?[0-9]+(\\.[0-9]+)?(e[-+][0-9]+)?")
        for line in lines where !line.hasPrefix("shape ") {
            let range = NSRange(line.startIndex..., in: line)
            for match in pattern.matches(in: line, range: range) {
                if let r = Range(match.range, in: line) { numbers.append(String(line[r])) }
            }
        }
        return numbers
    }

    /// Recorded values agree with derived ones to the 4 decimals shown (or 5 significant digits in scientific form).
    static func expectClose(_ recorded: [String], _ derived: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(recorded.count == derived.count, "recorded \(recorded), derived \(derived)", sourceLocation: sourceLocation)
        for (token, d) in zip(recorded, derived) {
            let r = Double(token) ?? .nan
            // Half a unit in the last recorded digit: 4 decimals fixed, or 4 of a scientific mantissa.
            let mantissa = token.split(separator: "e").first.map(String.init) ?? token
            let decimals = mantissa.split(separator: ".").dropFirst().first?.count ?? 0
            var tolerance = 0.5001 * pow(10, -Double(decimals))
            if token.contains("e") { tolerance *= abs(r) / max(abs(Double(mantissa) ?? 1), 1e-300) }
            #expect(abs(r - d) <= tolerance || (r.isNaN && d.isNaN), "recorded \(token), derived \(d)", sourceLocation: sourceLocation)
        }
    }

    // Plain-loop statistics over one column.
    static func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
    static func variance(_ v: [Double], ddof: Int = 0) -> Double {
        let m = mean(v)
        var s = 0.0
        for x in v { s += (x - m) * (x - m) }
        return s / Double(v.count - ddof)
    }
    static func column(_ rows: [[Double]], _ j: Int) -> [Double] { rows.map { $0[j] } }

    @Test("lesson 1: distances, min-max, z-score, the outlier bound and skewness")
    func lesson1() throws {
        let cars: [[Double]] = [[3, 40000], [30, 40500], [3, 42000], [8, 120000], [15, 200000], [20, 300000]]
        // √(27² + 500²) and √(0² + 2000²).
        Self.expectClose(try Self.recordedTokens(1, cell: 2), [(27.0 * 27 + 500 * 500).squareRoot(), 2000])
        var minmax: [Double] = [], z: [Double] = []
        for row in cars.indices {
            for j in 0..<2 {
                let c = Self.column(cars, j)
                minmax.append((cars[row][j] - c.min()!) / (c.max()! - c.min()!))
                z.append((cars[row][j] - Self.mean(c)) / Self.variance(c).squareRoot())
            }
        }
        Self.expectClose(try Self.recordedTokens(1, cell: 4), minmax)
        Self.expectClose(try Self.recordedTokens(1, cell: 6), z)
        func dist(_ a: ArraySlice<Double>, _ b: ArraySlice<Double>) -> Double {
            zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        }
        Self.expectClose(try Self.recordedTokens(1, cell: 8), [dist(minmax[0..<2], minmax[2..<4]), dist(minmax[0..<2], minmax[4..<6]),
                                                        dist(z[0..<2], z[2..<4]), dist(z[0..<2], z[4..<6])])
        let km: [Double] = [40000, 80000, 120000, 160000, 200000, 2400000]
        Self.expectClose(try Self.recordedTokens(1, cell: 9), km.map { ($0 - 40000) / (2400000 - 40000) })
        let kmZ = km.map { ($0 - Self.mean(km)) / Self.variance(km).squareRoot() }
        Self.expectClose(try Self.recordedTokens(1, cell: 10), kmZ)
        // Nine zeros and a one: mean 0.1, std 0.3, so z = −1/3 nine times and 3 = √(n − 1) once.
        let bound = Array(repeating: -1.0 / 3, count: 9) + [3.0]
        Self.expectClose(try Self.recordedTokens(1, cell: 11), bound + bound)
        let skew = Self.mean(kmZ.map { $0 * $0 * $0 })
        Self.expectClose(try Self.recordedTokens(1, cell: 12), [skew, skew, skew])
    }

    @Test("lesson 2: batch mean, biased and unbiased variance, x̂, γ and β, ε for tiny activations")
    func lesson2() throws {
        let x: [[Double]] = [[1, 2, 0], [3, 6, 1], [5, 10, 0], [7, 18, 1]]
        let columns = (0..<3).map { Self.column(x, $0) }
        Self.expectClose(try Self.recordedTokens(2, cell: 2), columns.map(Self.mean))
        let biased = columns.map { Self.variance($0) }
        Self.expectClose(try Self.recordedTokens(2, cell: 3), biased + biased)
        Self.expectClose(try Self.recordedTokens(2, cell: 4), columns.map { Self.variance($0, ddof: 1) })
        let gamma = [1.0, 2, 0.5], beta = [0.0, 1, -1]
        var xHat: [Double] = [], y: [Double] = []
        for row in x {
            for j in 0..<3 {
                let h = (row[j] - Self.mean(columns[j])) / (biased[j] + 1e-5).squareRoot()
                xHat.append(h)
                y.append(gamma[j] * h + beta[j])
            }
        }
        Self.expectClose(try Self.recordedTokens(2, cell: 5), xHat)
        Self.expectClose(try Self.recordedTokens(2, cell: 7), y)
        // 0.001·[1, 2, 3, 4] has variance 1.25e-6, so BN divides by √(1.25e-6 + 1e-5) = √1.125e-5.
        let a = [0.001, 0.002, 0.003, 0.004]
        let plain = a.map { ($0 - 0.0025) / Self.variance(a).squareRoot() }
        let withEps = a.map { ($0 - 0.0025) / (Self.variance(a) + 1e-5).squareRoot() }
        Self.expectClose(try Self.recordedTokens(2, cell: 9), plain + withEps + [(1.25 / 11.25).squareRoot()])
    }

    @Test("lesson 3: one mean and one variance per channel over N·H·W = 12 values")
    func lesson3() throws {
        // x[n, c, h, w] = 12n + 4c + 2h + w.
        func channel(_ c: Int) -> [Double] {
            var values: [Double] = []
            for n in 0..<3 { for k in 0..<4 { values.append(Double(12 * n + 4 * c + k)) } }
            return values
        }
        #expect(try Self.recorded(3, cell: 2) == [3, 3, 2, 2, 12])
        Self.expectClose(try Self.recordedTokens(3, cell: 4), [Self.mean(channel(2))])
        Self.expectClose(try Self.recordedTokens(3, cell: 5), (0..<3).map { Self.mean(channel($0)) })
        Self.expectClose(try Self.recordedTokens(3, cell: 6), [0, 97.25, 97.25, 97.25, 97.25])
        let v = Self.variance(channel(2))
        #expect(v == 97.25)
        Self.expectClose(try Self.recordedTokens(3, cell: 10), channel(2).map { ($0 - 21.5) / (v + 1e-5).squareRoot() })
        // Flattened to [3, 12]: feature j holds j, 12 + j, 24 + j: mean 12 + j, variance 96.
        Self.expectClose(try Self.recordedTokens(3, cell: 13), (0..<12).map { 12.0 + Double($0) } + Array(repeating: 96, count: 12))
        Self.expectClose(try Self.recordedTokens(3, cell: 14), [-12 / (96 + 1e-5).squareRoot(), 0, 12 / (96 + 1e-5).squareRoot(),
                                                         -13.5 / (97.25 + 1e-5).squareRoot(), 0])
    }

    @Test("lesson 4: v/‖v‖ against the printed table, and the rounding bound")
    func lesson4() throws {
        let v = [0.0066, 0.0004, 0.0085, 0.0093, 0.0068, 0.0076, 0.0074, 0.0039, 0.0066, 0.0017]
        let printed = [0.3190, 0.0174, 0.4131, 0.4544, 0.3302, 0.3687, 0.3616, 0.1908, 0.3189, 0.0833]
        let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
        Self.expectClose(try Self.recordedTokens(4, cell: 1), [norm])
        let unit = v.map { $0 / norm }
        Self.expectClose(try Self.recordedTokens(4, cell: 2), [1] + unit)
        let differences = zip(unit, printed).map { $0 - $1 }
        Self.expectClose(try Self.recordedTokens(4, cell: 3), differences + [differences.map(abs).max()!])
        // v was printed to 4 decimals, so each entry may be off by 0.00005: at most 0.00005/‖v‖ after dividing.
        Self.expectClose(try Self.recordedTokens(4, cell: 4), [0.00005 / norm])
        Self.expectClose(try Self.recordedTokens(4, cell: 6), [1, 1 / norm])
        Self.expectClose(try Self.recordedTokens(4, cell: 7), v.map { ($0 - Self.mean(v)) / Self.variance(v).squareRoot() })
    }

    @Test("lesson 5: PyTorch's running statistics, the start-up bias, Caffe's normalised average, eval mode")
    func lesson5() throws {
        let x1: [[Double]] = [[0, 10], [2, 20], [4, 10], [6, 20]]
        let means = (0..<2).map { Self.mean(Self.column(x1, $0)) }
        let unbiased = (0..<2).map { Self.variance(Self.column(x1, $0), ddof: 1) }
        Self.expectClose(try Self.recordedTokens(5, cell: 3), means.map { 0.1 * $0 } + unbiased.map { 0.9 + 0.1 * $0 } + [1])
        // Ten identical updates from (0, 1): the initial value keeps weight 0.9¹⁰.
        var rm = [0.0, 0.0], rv = [1.0, 1.0]
        for _ in 0..<10 {
            for j in 0..<2 {
                rm[j] = 0.9 * rm[j] + 0.1 * means[j]
                rv[j] = 0.9 * rv[j] + 0.1 * unbiased[j]
            }
        }
        Self.expectClose(try Self.recordedTokens(5, cell: 5), [10] + rm + rv)
        Self.expectClose(try Self.recordedTokens(5, cell: 6), [pow(0.9, 10)] + means.map { (1 - pow(0.9, 10)) * $0 })
        let batches: [[[Double]]] = [x1, [[1, 12], [3, 12], [5, 16], [7, 16]], [[2, 0], [2, 10], [4, 0], [4, 30]]]
        var s = [0.0, 0.0], n = 0.0, r = [0.0, 0.0], sumMeans = [0.0, 0.0], sumVars = [0.0, 0.0]
        for b in batches {
            n = 0.999 * n + 1
            for j in 0..<2 {
                let m = Self.mean(Self.column(b, j))
                s[j] = 0.999 * s[j] + m
                r[j] = 0.999 * r[j] + 0.001 * m
                sumMeans[j] += m
                sumVars[j] += Self.variance(Self.column(b, j), ddof: 1)
            }
        }
        Self.expectClose(try Self.recordedTokens(5, cell: 9), s.map { $0 / n } + r)
        Self.expectClose(try Self.recordedTokens(5, cell: 10), sumMeans.map { $0 / 3 } + sumMeans.map { $0 / 3 } + sumVars.map { $0 / 3 })
        Self.expectClose(try Self.recordedTokens(5, cell: 11), [(3 - rm[0]) / (rv[0] + 1e-5).squareRoot(),
                                                         (15 - rm[1]) / (rv[1] + 1e-5).squareRoot(), 10])
        // The 3×3 image 0…6 has mean 3 and unbiased variance 30/8 = 3.75: 0.9 + 0.375 = 1.275.
        let image: [Double] = [0, 1, 2, 2, 3, 4, 4, 5, 6]
        Self.expectClose(Array(try Self.recordedTokens(5, cell: 14).suffix(2)), [0.1 * Self.mean(image), 0.9 + 0.1 * Self.variance(image, ddof: 1)])
        #expect(Self.variance(image, ddof: 1) == 3.75)
    }
}
