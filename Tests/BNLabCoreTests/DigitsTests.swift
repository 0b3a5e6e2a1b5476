import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// The digits file and `digits()` (training.md §6), checked against facts recorded by hand from
/// scikit-learn's file, not against bnlab's own reading of it.
@Suite("Data: the digits")
struct DigitsTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let csvPath = packageRoot.appendingPathComponent("data/digits.csv").path
    /// `sha256sum` of scikit-learn 1.9.1's digits.csv.gz unpacked (also by Python's hashlib), recorded
    /// in data/DIGITS-LICENSE.md beside the .gz's hash, which matches the wheel's RECORD.
    static let pristineSHA256 = "6ebb3d2fee246a4e99363262ddf8a00a3c41bee6014c373ed9d9216ba7f651b8"
    /// The file's first line, copied from the CSV text: the 8×8 image of a 0, row by row, then its label.
    static let firstLine = "0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,0,5,8,0,0,9,8,0,0,4,11,0,1,12,7,0,0,2,14,5,10,12,0,0,0,0,6,13,10,0,0,0,0"

    @Test("SHA-256 gives FIPS 180-4's test vectors (empty, one block, two blocks)")
    func sha256Vectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // 55 and 56 bytes: the padding's length field just fits, or needs a second block.
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 55)) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 56)) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
    }

    @Test("the committed file is scikit-learn's, byte for byte")
    func checksum() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.csvPath)))
        #expect(bytes.count == 264_712)
        #expect(SHA256.hex(bytes) == Self.pristineSHA256)
        #expect(DigitsFile.sha256 == Self.pristineSHA256)
    }

    @Test("shape, split, label counts, pixel range and the first image")
    func contents() throws {
        let d = try DigitsFile.load(path: Self.csvPath)
        #expect(d.x.shape == [1797, 64])
        #expect(d.y.shape == [1797])
        #expect(d.xtrain.shape == [1297, 64] && d.ytrain.shape == [1297])
        #expect(d.xtest.shape == [500, 64] && d.ytest.shape == [500])
        var counts = [Int](repeating: 0, count: 10)
        for label in d.y.elements { counts[Int(label)] += 1 }
        #expect(counts == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
        let pixels = d.x.elements
        #expect(pixels.min() == 0 && pixels.max() == 16)
        #expect(pixels.allSatisfy { $0 == $0.rounded() })
        let first = Self.firstLine.split(separator: ",").map { Double($0)! }
        #expect(Array(pixels[0..<64]) == Array(first[0..<64]))
        #expect(d.y.elements[0] == first[64])
        // The last line of the CSV ends ",0,8": last pixel 0, label 8.
        #expect(pixels.last == 0 && d.y.elements.last == 8)
        // The split: the first 1297 rows, then the rest, in the file's order.
        #expect(d.xtrain.elements == Array(pixels[..<(1297 * 64)]))
        #expect(d.xtest.elements == Array(pixels[(1297 * 64)...]))
        #expect(d.ytrain.elements + d.ytest.elements == d.y.elements)
    }

    /// A copy of the file with `edit` applied, in a fresh folder; returns the file's path.
    func damaged(_ edit: (inout [String]) -> Void) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-digits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var lines = try String(contentsOfFile: Self.csvPath, encoding: .utf8).split(separator: "\n").map(String.init)
        edit(&lines)
        let path = folder.appendingPathComponent("digits.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func failure(at path: String) -> String? {
        do {
            _ = try DigitsFile.load(path: path)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("read once per process: two digits() calls share the same buffers")
    func cached() throws {
        let a = try DigitsFile.shared(environment: ["BNLAB_DATA": Self.packageRoot.appendingPathComponent("data").path])
        let b = try DigitsFile.shared(environment: ["BNLAB_DATA": Self.packageRoot.appendingPathComponent("data").path])
        #expect(a.x.storage === b.x.storage && a.ytest.storage === b.ytest.storage)
    }

    @Test("a missing or damaged file is an error naming its path (and line)")
    func damagedFiles() throws {
        #expect(failure(at: "/no/such/digits.csv") == "/no/such/digits.csv: no such file")

        let short = try damaged { $0.removeLast() }
        #expect(failure(at: short)?.hasPrefix("\(short) has 1796 lines; the digits file has 1797") == true)

        let word = try damaged { $0[2] = $0[2].replacingOccurrences(of: "0,", with: "x,", options: .anchored) }
        #expect(failure(at: word) == "\(word), line 3: pixel 1 is 'x', not an integer from 0 to 16")

        let bright = try damaged { $0[4] = "17" + $0[4].dropFirst(1) }
        #expect(failure(at: bright) == "\(bright), line 5: pixel 1 is '17', not an integer from 0 to 16")

        let label = try damaged { $0[0] = String($0[0].dropLast()) + "10" }
        #expect(failure(at: label) == "\(label), line 1: the label is '10', not an integer from 0 to 9")

        let fields = try damaged { $0[9] += ",0" }
        #expect(failure(at: fields)?.hasPrefix("\(fields), line 10: 66 fields") == true)

        // Every line still reads as an image, so only the checksum can tell.
        let quiet = try damaged { $0[100] = "1" + $0[100].dropFirst(1) }
        #expect(failure(at: quiet)?.hasPrefix("\(quiet) is not the shipped digits file: its SHA-256 is") == true)
    }

    @Test("the data folder is found as lessons are, and must hold digits.csv")
    func locate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-data-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("empty/data"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("full/data"), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: folder.appendingPathComponent("full/data/digits.csv").path, contents: Data())
        // A data/ without the file (a common folder name) is passed over.
        let found = LessonLocator.locate(name: "data", marker: "digits.csv", environment: [:],
                                         executablePath: folder.path + "/empty/bin/bnlab",
                                         sourceFilePath: "/nowhere/a/b/c/d.swift", currentDirectory: folder.path + "/full")
        #expect(found == .found(folder.path + "/full/data"))
        #expect(try DigitsFile.locate(environment: ["BNLAB_DATA": folder.path + "/empty/data"]) == folder.path + "/empty/data/digits.csv")
        #expect(throws: DigitsFile.Failure.self) { try DigitsFile.locate(environment: ["BNLAB_DATA": "/no/such/dir"]) }
    }

    @Test("digits() in a session: the printed form, the fields, and a batch gathered as a plain loop does")
    func session() throws {
        var printed = ""
        let s = Session(output: { printed += $0 })
        runOrRecord(s, "d = digits(); print(d); idx = batches(1297, 60)[4]; xb = d.xtrain[idx]; yb = d.ytrain[idx]")
        #expect(printed == "Digits(1797 images of 8×8, labels 0..9; train 1297, test 500)\n")
        let contents = try DigitsFile.load(path: Self.csvPath)
        let idx = globalElements(s, "idx").map { Int($0) }
        #expect(idx.count == 60 && Set(idx).count == 60 && idx.allSatisfy { (0..<1297).contains($0) })
        var expectedX: [Double] = [], expectedY: [Double] = []
        let pixels = contents.xtrain.elements, labels = contents.ytrain.elements
        for i in idx {
            expectedX += pixels[(i * 64)..<((i + 1) * 64)]
            expectedY.append(labels[i])
        }
        #expect(globalElements(s, "xb") == expectedX)
        #expect(globalElements(s, "yb") == expectedY)
        #expect(s.run("d.x = 0")?.message == "'x' of the digits data set cannot be assigned")
    }
}

/// `percentile` against a textbook reading of numpy's linear rule (Hyndman & Fan 7: sort, the
/// position (n − 1)·q/100, interpolate between its neighbours), on random data.
@Suite("Data: percentile against the textbook rule")
struct PercentileReferenceTests {
    static func textbook(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        let h = Double(sorted.count - 1) * q / 100
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    @Test("each row and each q, on random matrices, within 1e-12")
    func random() throws {
        var rng = TestRNG(12)
        for _ in 0..<30 {
            let rows = rng.int(1...4), columns = rng.int(1...9)
            let values = (0..<(rows * columns)).map { _ in (rng.value() * 4).rounded() / 4 }  // ties on purpose
            let x = try Tensor(shape: [rows, columns], elements: values)
            let qs = [0, 100, rng.uniform(0, 100), rng.uniform(0, 100)]
            let result = try x.percentile(Tensor(shape: [4], elements: qs), axes: [1], keepdims: false)
            #expect(result.shape == [4, rows])
            for (k, q) in qs.enumerated() {
                for r in 0..<rows {
                    let expected = Self.textbook(Array(values[(r * columns)..<((r + 1) * columns)]), q)
                    #expect(abs(result.elements[k * rows + r] - expected) <= 1e-12 * max(1, abs(expected)))
                }
            }
        }
    }
}

/// percentile's gradient against central finite differences (the result is piecewise linear in
/// x, so away from ties the difference quotient is exact up to rounding).
@Suite("Data: percentile's gradient")
struct PercentileGradientTests {
    @Test("d sum(w ⊙ percentile(x, q, axis)) / dx by finite differences, on distinct values")
    func finiteDifferences() throws {
        var rng = TestRNG(5)
        for trial in 0..<12 {
            let shape = [rng.int(1...3), rng.int(2...6)]
            let count = shape[0] * shape[1]
            // Distinct values, so no step of h crosses a tie.
            var values = (0..<count).map { Double($0) * 0.37 + 0.01 * Double(trial) }
            for i in stride(from: count - 1, to: 0, by: -1) { values.swapAt(i, rng.int(0...i)) }
            let axis = trial % 3 == 0 ? nil : [trial % 2]
            let qs = [0, 100, rng.uniform(0, 100), rng.uniform(0, 100)]
            let q = try Tensor(shape: [4], elements: qs)
            let x = try Tensor(shape: shape, elements: values)
            let selection = try x.percentileSelection(q, axes: axis, keepdims: false)
            let weights = (0..<selection.result.count).map { _ in rng.uniform(-1, 1) }
            let g = try Tensor(shape: selection.result.shape, elements: weights)
            let analytic = try selection.inputGradient(g).elements
            func loss(_ v: [Double]) throws -> Double {
                let r = try Tensor(shape: shape, elements: v).percentile(q, axes: axis, keepdims: false).elements
                return zip(r, weights).map(*).reduce(0, +)
            }
            let h = 1e-4
            for i in 0..<count {
                var plus = values, minus = values
                plus[i] += h
                minus[i] -= h
                let numeric = (try loss(plus) - loss(minus)) / (2 * h)
                #expect(abs(numeric - analytic[i]) < 1e-8, "trial \(trial), element \(i)")
            }
        }
    }
}
