import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite("Notebook: finding lessons and exercises")
struct NotebookLocatorTests {
    static let good = NotebookFixtures.root.appendingPathComponent("good").path

    @Test("the environment override wins, and must name a folder")
    func override() {
        #expect(LessonLocator.locate(environment: ["BNLAB_LESSONS": Self.good]) == .found(Self.good))
        #expect(LessonLocator.locate(environment: ["BNLAB_LESSONS": "/no/such/dir"]) == .overrideIsNotADirectory("/no/such/dir"))
    }

    @Test("walking up from the executable finds lessons/ or share/bnlab/lessons")
    func walkUp() throws {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-locator-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temp) }
        let prefix = temp.appendingPathComponent("prefix")
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("share/bnlab/lessons"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("bin"), withIntermediateDirectories: true)
        let found = LessonLocator.locate(environment: [:], executablePath: prefix.path + "/bin/bnlab",
                                         sourceFilePath: "/nowhere/a/b/c/d.swift", currentDirectory: "/nowhere")
        #expect(found == .found(prefix.path + "/share/bnlab/lessons"))

        let checkout = temp.appendingPathComponent("checkout")
        try FileManager.default.createDirectory(at: checkout.appendingPathComponent("lessons"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: checkout.appendingPathComponent(".build/debug"), withIntermediateDirectories: true)
        let fromBuild = LessonLocator.locate(environment: [:], executablePath: checkout.path + "/.build/debug/bnlab",
                                             sourceFilePath: "/nowhere/a/b/c/d.swift", currentDirectory: "/nowhere")
        #expect(fromBuild == .found(checkout.path + "/lessons"))
    }

    @Test("then the package root of the source, then the current directory; else where it looked")
    func fallbacks() {
        let root = NotebookFixtures.root.appendingPathComponent("good").path
        let fromCwd = LessonLocator.locate(environment: [:], executablePath: nil,
                                           sourceFilePath: "/nowhere/a/b/c/d.swift", currentDirectory: root + "/..")
        let parentOfGood = NotebookFixtures.root.standardizedFileURL.path
        #expect(fromCwd == .notFound(searched: ["/nowhere/lessons", parentOfGood + "/lessons"]))
        let cwdWithLessons = NotebookFixtures.root.deletingLastPathComponent().deletingLastPathComponent().path
        let found = LessonLocator.locate(environment: [:], executablePath: nil, sourceFilePath: "/nowhere/a/b/c/d.swift",
                                         currentDirectory: cwdWithLessons)
        if FileManager.default.fileExists(atPath: cwdWithLessons + "/lessons") {
            #expect(found == .found(cwdWithLessons + "/lessons"))
        }
    }

    @Test("the compiled-in package root is the real one (the folder holding Package.swift)")
    func packageRoot() {
        // A `#filePath` default argument would be the caller's file, one folder shallower.
        let root = LessonLocator.packageRoot
        #expect(FileManager.default.fileExists(atPath: root + "/Package.swift"))
        #expect(FileManager.default.fileExists(atPath: root + "/Sources/BNLabCore/Lessons/LessonLocator.swift"))
    }

    @Test("the folders looked in are absolute and listed once each; any name can be looked for")
    func searchedOnce() {
        let result = LessonLocator.locate(name: "data", overrideVariable: "BNLAB_DATA", environment: [:],
                                          executablePath: "/nowhere/x/bnlab",
                                          sourceFilePath: "/nowhere/Sources/T/F/f.swift",
                                          currentDirectory: "/nowhere/x/./y/..")
        #expect(result == .notFound(searched: [
            "/nowhere/x/data", "/nowhere/x/share/bnlab/data", "/nowhere/data", "/nowhere/share/bnlab/data",
            "/data", "/share/bnlab/data",
        ]))
        let relative = LessonLocator.locate(environment: [:], executablePath: "bin/bnlab",
                                            sourceFilePath: "/nowhere/Sources/T/F/f.swift", currentDirectory: "/nowhere")
        #expect(relative == .notFound(searched: [
            "/nowhere/bin/lessons", "/nowhere/bin/share/bnlab/lessons", "/nowhere/lessons",
            "/nowhere/share/bnlab/lessons", "/lessons", "/share/bnlab/lessons",
        ]))
        #expect(LessonLocator.locate(name: "data", overrideVariable: "BNLAB_DATA",
                                     environment: ["BNLAB_DATA": "/no/such/dir", "BNLAB_LESSONS": "/"])
                == .overrideIsNotADirectory("/no/such/dir"))
    }

    @Test("the catalog lists lessons by number and exercises by their number")
    func catalog() throws {
        let catalog = LessonCatalog(directory: Self.good)
        #expect(catalog.entries().map(\.number) == [1])
        #expect(catalog.entry(number: 2) == nil)
        let exercises = catalog.exercises(forLesson: 1)
        #expect(exercises.map(\.id) == ["1.1", "1.2"])
        #expect(exercises.map(\.slug) == ["the-mean", "the-sum"])
        #expect(catalog.exercises(forLesson: 2).isEmpty)
        let lesson = try catalog.load(catalog.entries()[0])
        #expect(lesson.directoryName == "01-basics")
    }
}
