import Foundation
@testable import BNLabCore
@testable import BNLabTensor

/// The notebook fixtures under `Tests/Fixtures/notebook`, found from this file's path.
enum NotebookFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/notebook")

    /// The text of a fixture file, e.g. `good/01-basics.md`.
    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// A fixture lesson, parsed.
    static func lesson(_ relativePath: String) throws -> Lesson {
        let name = (relativePath as NSString).lastPathComponent
        let parts = LessonParser.nameParts(ofFileName: name) ?? (1, "fixture")
        return LessonParser.parse(text: try text(relativePath), number: parts.number, slug: parts.slug,
                                  path: root.appendingPathComponent(relativePath).path)
    }

    /// A lesson parsed from a string, as lesson `number`.
    static func lesson(text: String, number: Int = 1) -> Lesson {
        LessonParser.parse(text: text, number: number, slug: "inline", path: "inline.md")
    }
}
