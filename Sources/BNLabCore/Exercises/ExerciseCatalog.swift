import Foundation

/// The exercises under a lessons folder, in order.
///
/// `exercises/catalog.txt` lists the shipped exercises (number, file, title and hints), so an
/// exercise whose file was deleted is still known, and hints stay out of the learner's files.
/// A folder without a catalog (an author's draft, a test fixture) is scanned instead:
/// `exercises/NN-slug/K-slug.bn`, with title and `# hint:` lines read from each file's header.
public enum ExerciseCatalog {
    /// The catalog's file name, inside `exercises/`.
    public static let fileName = "catalog.txt"
    /// The folder inside `exercises/` holding the shipped text of each exercise, for `bnlab reset`.
    public static let pristineFolder = ".pristine"

    /// A catalog file read: its exercises, and what it could not understand (by line).
    public struct Parsed: Sendable {
        public var exercises: [Exercise]
        public var problems: [String]
    }

    /// Every exercise, ordered by lesson then number; `lesson` limits it to one lesson.
    public static func exercises(inLessons directory: String, lesson: Int? = nil) -> [Exercise] {
        let root = LessonLocator.join(directory, "exercises")
        let all: [Exercise]
        if let data = FileManager.default.contents(atPath: LessonLocator.join(root, fileName)) {
            all = parse(String(decoding: data, as: UTF8.self), root: root).exercises
        } else {
            all = scanned(root)
        }
        return all.filter { lesson == nil || $0.lesson == lesson }
            .sorted { ($0.lesson, $0.number, $0.slug) < ($1.lesson, $1.number, $1.slug) }
    }

    /// The exercise named `3.2`, if there is one.
    public static func exercise(_ id: String, inLessons directory: String) -> Exercise? {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let lesson = Int(parts[0]), let number = Int(parts[1]) else { return nil }
        return exercises(inLessons: directory, lesson: lesson).first { $0.number == number }
    }

    /// Where the shipped text of an exercise is kept: `exercises/.pristine/NN-slug/K-slug.bn`.
    public static func pristinePath(of exercise: Exercise) -> String {
        let url = URL(fileURLWithPath: exercise.path)
        let file = url.lastPathComponent
        let folder = url.deletingLastPathComponent().lastPathComponent
        let root = url.deletingLastPathComponent().deletingLastPathComponent().path
        return LessonLocator.join(LessonLocator.join(LessonLocator.join(root, pristineFolder), folder), file)
    }

    /// Reads a catalog's text. An entry is a line `3.2 03-slug/2-slug.bn` (its number and its file,
    /// relative to `root`), then indented `title: …` and `hint: …` lines, hints in the order they
    /// are given out; `#` starts a comment line.
    public static func parse(_ text: String, root: String) -> Parsed {
        var exercises: [Exercise] = []
        var problems: [String] = []
        var current: (lesson: Int, number: Int, file: String, title: String?, hints: [String])?
        func finish() {
            guard let entry = current else { return }
            let name = URL(fileURLWithPath: entry.file).deletingPathExtension().lastPathComponent
            let slug = String(name.drop { $0.isASCII && $0.isNumber }.drop { $0 == "-" })
            exercises.append(Exercise(lesson: entry.lesson, number: entry.number, slug: slug,
                                      path: LessonLocator.join(root, entry.file), title: entry.title ?? slug,
                                      hints: entry.hints))
            current = nil
        }
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let place = "\(fileName):\(index + 1)"
            if line.first == " " || line.first == "\t" {
                guard current != nil else {
                    problems.append("\(place): '\(trimmed)' belongs to no exercise")
                    continue
                }
                if trimmed.hasPrefix("title:") {
                    current?.title = String(trimmed.dropFirst(6)).trimmingCharacters(in: .whitespaces)
                } else if trimmed.hasPrefix("hint:") {
                    current?.hints.append(String(trimmed.dropFirst(5)).trimmingCharacters(in: .whitespaces))
                } else {
                    problems.append("\(place): expected 'title:' or 'hint:', found '\(trimmed)'")
                }
                continue
            }
            finish()
            let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            let id = fields.first.map { $0.split(separator: ".", omittingEmptySubsequences: false) } ?? []
            guard fields.count == 2, id.count == 2, let lesson = Int(id[0]), let number = Int(id[1]) else {
                problems.append("\(place): expected an exercise as 'LESSON.NUMBER FOLDER/FILE.bn', found '\(trimmed)'")
                continue
            }
            let file = String(fields[1])
            guard file.hasSuffix(".bn"), !file.hasPrefix("/"), !file.split(separator: "/").contains("..") else {
                problems.append("\(place): '\(file)' must be a .bn file inside the exercises folder")
                continue
            }
            if exercises.contains(where: { $0.lesson == lesson && $0.number == number }) {
                problems.append("\(place): exercise \(lesson).\(number) is listed twice")
                continue
            }
            current = (lesson, number, file, nil, [])
        }
        finish()
        return Parsed(exercises: exercises, problems: problems)
    }

    /// The exercise files found in the folders, for a lessons folder without a catalog.
    private static func scanned(_ root: String) -> [Exercise] {
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
        var result: [Exercise] = []
        for folder in folders {
            guard let lessonNumber = leadingNumber(folder) else { continue }
            let folderPath = LessonLocator.join(root, folder)
            guard LessonLocator.isDirectory(folderPath) else { continue }
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folderPath)) ?? []).filter { $0.hasSuffix(".bn") }
            for file in files {
                guard let number = leadingNumber(file) else { continue }
                let path = LessonLocator.join(folderPath, file)
                let text = (FileManager.default.contents(atPath: path)).flatMap { String(data: $0, encoding: .utf8) } ?? ""
                let header = Exercise.header(of: text)
                let stem = String(file.dropLast(3))
                let slug = stem.drop { $0.isASCII && $0.isNumber }.drop { $0 == "-" }
                result.append(Exercise(lesson: lessonNumber, number: number, slug: String(slug), path: path,
                                       title: header.title ?? String(slug), hints: header.hints))
            }
        }
        return result
    }

    private static func leadingNumber(_ name: String) -> Int? {
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 4 else { return nil }
        return Int(digits)
    }
}
