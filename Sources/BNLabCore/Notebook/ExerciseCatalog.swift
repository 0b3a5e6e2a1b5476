import Foundation

/// Finds the exercises under a lessons folder: `exercises/NN-slug/K-slug.bn`, in order.
public enum ExerciseCatalog {
    /// Every exercise, ordered by lesson then number; `lesson` limits it to one lesson.
    public static func exercises(inLessons directory: String, lesson: Int? = nil) -> [Exercise] {
        let root = LessonLocator.join(directory, "exercises")
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
        var result: [Exercise] = []
        for folder in folders {
            guard let lessonNumber = leadingNumber(folder), lesson == nil || lesson == lessonNumber else { continue }
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
        return result.sorted { ($0.lesson, $0.number, $0.slug) < ($1.lesson, $1.number, $1.slug) }
    }

    /// The exercise named `3.2`, if there is one.
    public static func exercise(_ id: String, inLessons directory: String) -> Exercise? {
        let parts = id.split(separator: ".")
        guard parts.count == 2, let lesson = Int(parts[0]), let number = Int(parts[1]) else { return nil }
        return exercises(inLessons: directory, lesson: lesson).first { $0.number == number }
    }

    private static func leadingNumber(_ name: String) -> Int? {
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 4 else { return nil }
        return Int(digits)
    }
}
