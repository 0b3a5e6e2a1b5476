import Foundation

/// One exercise file: `lessons/exercises/NN-slug/K-slug.bn`, with the parts of its header.
public struct Exercise: Sendable, Equatable {
    /// The lesson it belongs to (the `NN` of its folder).
    public let lesson: Int
    /// Its number within the lesson (the `K` of its file name).
    public let number: Int
    public let slug: String
    public let path: String
    /// From the header's first line, `# Exercise 3.1 — one mean per channel`.
    public let title: String
    /// The `# hint:` lines, without the marker.
    public let hints: [String]

    /// `3.1`, as learners type it after `bnlab hint`.
    public var id: String { "\(lesson).\(number)" }

    public init(lesson: Int, number: Int, slug: String, path: String, title: String, hints: [String]) {
        self.lesson = lesson
        self.number = number
        self.slug = slug
        self.path = path
        self.title = title
        self.hints = hints
    }

    /// The `# hint:` lines of an exercise's text.
    public static func hints(in text: String) -> [String] {
        header(of: text).hints
    }

    /// Reads the header of an exercise's text: its title line and its hint lines.
    static func header(of text: String) -> (title: String?, hints: [String]) {
        var title: String?
        var hints: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("#") else {
                if trimmed.isEmpty { continue }
                break
            }
            let body = trimmed.dropFirst().drop { $0 == " " }
            if title == nil, body.hasPrefix("Exercise ") {
                // "Exercise 3.1 — one mean per channel": the words after the dash.
                if let dash = body.firstIndex(where: { $0 == "—" || $0 == "-" }) {
                    title = String(body[body.index(after: dash)...]).trimmingCharacters(in: .whitespaces)
                } else {
                    title = String(body)
                }
            } else if body.lowercased().hasPrefix("hint:") {
                hints.append(String(body.dropFirst(5)).trimmingCharacters(in: .whitespaces))
            }
        }
        return (title, hints)
    }
}
