import Foundation
import Testing

/// `digits()` from the built binary: the shipped file from any folder, and a damaged or missing
/// one named in the error.
@Suite("digits() end to end")
struct DigitsBinaryTests {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-digits-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("run from another folder, the checkout's data/ is found")
    func fromElsewhere() throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "d = digits()\nd\nsum(d.ytest == 8)\n".write(to: directory.appendingPathComponent("d.bn"), atomically: true, encoding: .utf8)
        let result = try BinaryRunner.run(["run", "d.bn"], directory: directory)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        // The last 500 labels hold 46 eights (counted from scikit-learn's file with Python).
        #expect(result.stdout == "Digits(1797 images of 8×8, labels 0..9; train 1297, test 500)\n46\n")
    }

    @Test("a damaged or missing file is an error naming its path, exit 1")
    func damaged() throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "digits()\n".write(to: directory.appendingPathComponent("d.bn"), atomically: true, encoding: .utf8)
        let data = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let missing = try BinaryRunner.run(["run", "d.bn"], environment: ["BNLAB_DATA": data.path], directory: directory)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("error: \(data.path)/digits.csv: no such file"))

        let original = try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent("data/digits.csv"), encoding: .utf8)
        try original.replacingOccurrences(of: ",", with: ";").write(to: data.appendingPathComponent("digits.csv"), atomically: true, encoding: .utf8)
        let broken = try BinaryRunner.run(["run", "d.bn"], environment: ["BNLAB_DATA": data.path], directory: directory)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("error: \(data.path)/digits.csv, line 1: 1 field; each line has 65"))
    }
}
