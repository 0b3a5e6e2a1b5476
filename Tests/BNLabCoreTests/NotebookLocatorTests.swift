import Foundation
import Testing
@testable import BNLabCore

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
        #expect(fromCwd == .notFound(searched: ["/nowhere/lessons", root + "/../lessons"]))
        let cwdWithLessons = NotebookFixtures.root.deletingLastPathComponent().deletingLastPathComponent().path
        let found = LessonLocator.locate(environment: [:], executablePath: nil, sourceFilePath: "/nowhere/a/b/c/d.swift",
                                         currentDirectory: cwdWithLessons)
        if FileManager.default.fileExists(atPath: cwdWithLessons + "/lessons") {
            #expect(found == .found(cwdWithLessons + "/lessons"))
        }
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
