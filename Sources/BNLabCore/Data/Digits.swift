import Foundation
import Synchronization

/// What `digits()` returns (training.md §6): the UCI handwritten digits as scikit-learn bundles
/// them, 1797 images of 8×8 pixels (0..16, as shipped) with labels 0..9, and a fixed split.
///
/// The values never change, so the object holds no state to save; its tensors are shared with
/// the per-process cache and copied on write, as every tensor is.
final class DigitsData: Object {
    // The constructor's name, so `help(d)` and `?digits` find it.
    static let typeName = "digits"
    static let typeDescription = "the digits data set"
    static let kind = "data set"
    static let exampleName = "d"
    static let fieldNames = ["x", "y", "xtrain", "ytrain", "xtest", "ytest"]

    let contents: DigitsFile.Contents

    init(_ contents: DigitsFile.Contents) {
        self.contents = contents
    }

    static let constructor = Builtin(
        "digits()", group: "data", makes: DigitsData.self,
        "the handwritten digits (UCI, as scikit-learn ships them): x [1797, 64] pixels 0..16, y [1797] labels 0..9; xtrain ytrain the first 1297, xtest ytest the last 500",
        example: "d = digits(); d.xtrain.shape"
    ) { (a: inout BoundArguments) throws(Diagnostic) in
        do throws(DigitsFile.Failure) {
            return .object(DigitsData(try DigitsFile.shared()))
        } catch {
            var diagnostic = a.error(error.message)
            for note in error.notes { diagnostic = diagnostic.adding(.note, note) }
            if let help = error.help { diagnostic = diagnostic.adding(.help, help) }
            throw diagnostic
        }
    }

    func field(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        switch name {
        case "x": return .tensor(contents.x)
        case "y": return .tensor(contents.y)
        case "xtrain": return .tensor(contents.xtrain)
        case "ytrain": return .tensor(contents.ytrain)
        case "xtest": return .tensor(contents.xtest)
        case "ytest": return .tensor(contents.ytest)
        default: throw noField(name, access)
        }
    }

    func setField(_ name: String, to value: Value, _ access: ObjectAccess) throws(Diagnostic) {
        _ = try field(name, access)
        throw access.error("'\(name)' of the digits data set cannot be assigned")
            .adding(.help, "copy it into a variable first: xs = d.\(name)")
    }

    func snapshot() -> ObjectState { ObjectState([]) }
    func restore(_ state: ObjectState) {}

    var description: String {
        "Digits(\(DigitsFile.imageCount) images of 8×8, labels 0..9; train \(DigitsFile.trainCount), test \(DigitsFile.imageCount - DigitsFile.trainCount))"
    }
}

/// The file `data/digits.csv`: found as the lessons are, checked line by line and by checksum,
/// read once per process.
enum DigitsFile {
    static let fileName = "digits.csv"
    /// Names the folder holding `digits.csv`, as `BNLAB_LESSONS` names the lessons'.
    static let environmentVariable = "BNLAB_DATA"
    static let imageCount = 1797
    static let trainCount = 1297
    static let pixelCount = 64
    /// SHA-256 of scikit-learn 1.9.1's `sklearn/datasets/data/digits.csv.gz` unpacked, byte for byte
    /// (data/DIGITS-LICENSE.md records how it was checked).
    static let sha256 = "6ebb3d2fee246a4e99363262ddf8a00a3c41bee6014c373ed9d9216ba7f651b8"
    /// Far above the real 264,712 bytes: a larger file is not this one, and is not read whole.
    static let maximumBytes = 1 << 20

    /// The data set's tensors; the splits are copies, so a slice never pins the whole.
    struct Contents: @unchecked Sendable {
        let path: String
        let x: Tensor, y: Tensor, xtrain: Tensor, ytrain: Tensor, xtest: Tensor, ytest: Tensor
    }

    /// Why the file could not be used, for a diagnostic at the call.
    struct Failure: Error {
        var message: String
        var notes: [String] = []
        var help: String? = nil
    }

    private static let cache = Mutex<[String: Contents]>([:])

    /// The data set from the located file, read on the first call for that path and cached.
    static func shared(environment: [String: String] = ProcessInfo.processInfo.environment) throws(Failure) -> Contents {
        let path = try locate(environment: environment)
        if let cached = cache.withLock({ $0[path] }) { return cached }
        let contents = try load(path: path)
        cache.withLock { $0[path] = contents }
        return contents
    }

    /// The path of `digits.csv`: in the folder `BNLAB_DATA` names, else in the first `data/` that
    /// holds it in LessonLocator's order (above the executable, the package root, the current folder).
    static func locate(environment: [String: String]) throws(Failure) -> String {
        switch LessonLocator.locate(name: "data", marker: fileName, overrideVariable: environmentVariable, environment: environment) {
        case .found(let directory):
            return LessonLocator.join(directory, fileName)
        case .overrideIsNotADirectory(let path):
            throw Failure(message: "\(environmentVariable)=\(path) is not a folder",
                          help: "set \(environmentVariable) to the folder that holds \(fileName) (bnlab's data/)")
        case .notFound(let searched):
            throw Failure(message: "no data folder with \(fileName) found",
                          notes: ["looked in: " + searched.joined(separator: ", ")],
                          help: "run bnlab from its checkout, or set \(environmentVariable) to the folder that holds \(fileName)")
        }
    }

    /// Reads and checks the file at `path`: 1797 lines of 64 pixels (integers 0..16) and a label
    /// (0..9), and the shipped file's SHA-256; each failure names the path (and the line).
    static func load(path: String) throws(Failure) -> Contents {
        let restore = "restore the shipped file (git checkout data/\(fileName)), or set \(environmentVariable) to a folder holding it"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw Failure(message: "\(path): no such file", help: restore)
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        guard size <= maximumBytes else {
            throw Failure(message: "\(path) is not the digits file: \(size) bytes, the shipped one has 264712", help: restore)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(message: "\(path) cannot be read", help: restore)
        }
        let bytes = [UInt8](data)
        var pixels: [Double] = []
        var labels: [Double] = []
        pixels.reserveCapacity(imageCount * pixelCount)
        labels.reserveCapacity(imageCount)
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard lines.count == imageCount else {
            throw Failure(message: "\(path) has \(lines.count) line\(lines.count == 1 ? "" : "s"); the digits file has \(imageCount), one image each (64 pixels, then the label)",
                          help: restore)
        }
        for (lineIndex, line) in lines.enumerated() {
            let fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard fields.count == pixelCount + 1 else {
                throw Failure(message: "\(path), line \(lineIndex + 1): \(fields.count) field\(fields.count == 1 ? "" : "s"); each line has \(pixelCount + 1) (64 pixels, then the label)",
                              help: restore)
            }
            for (fieldIndex, field) in fields.enumerated() {
                let isLabel = fieldIndex == pixelCount
                let maximum = isLabel ? 9 : 16
                guard let value = smallInteger(field), value <= maximum else {
                    let text = String(decoding: field.prefix(20), as: UTF8.self)
                    let what = isLabel ? "the label" : "pixel \(fieldIndex + 1)"
                    throw Failure(message: "\(path), line \(lineIndex + 1): \(what) is '\(text)', not an integer from 0 to \(maximum)",
                                  help: restore)
                }
                if isLabel { labels.append(Double(value)) } else { pixels.append(Double(value)) }
            }
        }
        let digest = SHA256.hex(bytes)
        guard digest == sha256 else {
            throw Failure(message: "\(path) is not the shipped digits file: its SHA-256 is \(digest.prefix(12))…, expected \(sha256.prefix(12))…",
                          notes: ["every line reads as an image and a label, so some values were changed"], help: restore)
        }
        let split = trainCount * pixelCount
        do {
            return Contents(
                path: path,
                x: try Tensor(shape: [imageCount, pixelCount], elements: pixels),
                y: try Tensor(shape: [imageCount], elements: labels),
                xtrain: try Tensor(shape: [trainCount, pixelCount], elements: Array(pixels[..<split])),
                ytrain: try Tensor(shape: [trainCount], elements: Array(labels[..<trainCount])),
                xtest: try Tensor(shape: [imageCount - trainCount, pixelCount], elements: Array(pixels[split...])),
                ytest: try Tensor(shape: [imageCount - trainCount], elements: Array(labels[trainCount...])))
        } catch {
            throw Failure(message: "the digits from \(path) do not fit: \(error.message)")
        }
    }

    /// An unsigned decimal of one or two digits (the file's pixels and labels), else nil.
    private static func smallInteger(_ field: ArraySlice<UInt8>) -> Int? {
        guard (1...2).contains(field.count) else { return nil }
        var value = 0
        for byte in field {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
