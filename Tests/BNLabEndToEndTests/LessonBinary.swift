import Foundation

/// The lesson tests' view of the built `bnlab`: BinaryRunner with the lessons folder chosen.
enum LessonBinary {
    typealias Result = BinaryRunner.Result

    static let packageRoot = BinaryRunner.packageRoot
    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures/notebook")
    static var binary: URL { BinaryRunner.binary }

    /// Runs `executable` (bnlab by default) with `BNLAB_LESSONS` set to `lessons`, or unset for nil.
    static func run(_ arguments: [String], lessons: URL?, timeout: Double = 60, stdin: String = "",
                    executable: URL? = nil) throws -> Result {
        try BinaryRunner.run(arguments, stdin: stdin, environment: ["BNLAB_LESSONS": lessons?.path],
                             executable: executable, timeout: timeout)
    }

    /// A fresh temporary folder holding a copy of a fixture folder.
    static func copyOfFixture(_ name: String) throws -> URL {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-lessons-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        let copy = temp.appendingPathComponent(name)
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: copy)
        return copy
    }
}
