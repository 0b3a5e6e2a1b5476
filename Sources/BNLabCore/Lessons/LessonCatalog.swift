import Foundation

/// The lessons in one folder and the exercises that belong to each.
public struct LessonCatalog: Sendable {
    /// A lesson file found in the folder, before it is read.
    public struct Entry: Sendable, Equatable {
        public let number: Int
        public let slug: String
        public let path: String
    }

    /// The folder holding `NN-slug.md` files and `exercises/`.
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The lesson files, by number (then name, so the order is stable).
    public func entries() -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name -> Entry? in
            guard let parts = LessonParser.nameParts(ofFileName: name) else { return nil }
            let path = LessonLocator.join(directory, name)
            guard !LessonLocator.isDirectory(path) else { return nil }
            return Entry(number: parts.number, slug: parts.slug, path: path)
        }
        .sorted { ($0.number, $0.slug) < ($1.number, $1.slug) }
    }

    /// The entry for lesson `number`, if there is one.
    public func entry(number: Int) -> Entry? {
        entries().first { $0.number == number }
    }

    /// Reads and parses a lesson file.
    public func load(_ entry: Entry) throws(LessonLoadError) -> Lesson {
        LessonParser.parse(text: try text(of: entry), number: entry.number, slug: entry.slug, path: entry.path)
    }

    /// A lesson file's text, exactly as stored.
    public func text(of entry: Entry) throws(LessonLoadError) -> String {
        guard let data = FileManager.default.contents(atPath: entry.path) else {
            throw LessonLoadError(path: entry.path, reason: "it cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LessonLoadError(path: entry.path, reason: "it is not UTF-8 text")
        }
        return text
    }

    /// The folder of exercise folders, `lessons/exercises`.
    public var exercisesDirectory: String { LessonLocator.join(directory, "exercises") }

    /// The exercise folder of lesson `number` (`exercises/03-…`), matched by its number.
    public func exerciseDirectory(forLesson number: Int) -> String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: exercisesDirectory)) ?? []
        let matches = names.sorted().filter { name in
            let digits = name.prefix { $0.isASCII && $0.isNumber }
            return !digits.isEmpty && digits.count <= 4 && Int(digits) == number
                && name.dropFirst(digits.count).first == "-"
                && LessonLocator.isDirectory(LessonLocator.join(exercisesDirectory, name))
        }
        return matches.first.map { LessonLocator.join(exercisesDirectory, $0) }
    }

    /// Lesson `number`'s exercises (`K-slug.bn`), by their number K.
    public func exercises(forLesson number: Int) -> [Exercise] {
        ExerciseCatalog.exercises(inLessons: directory, lesson: number)
    }

    /// Every lesson's exercises, in order.
    public func allExercises() -> [Exercise] {
        ExerciseCatalog.exercises(inLessons: directory)
    }
}

/// Why a lesson file could not be read.
public struct LessonLoadError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "cannot read lesson '\(path)': \(reason)" }
}
