import ArgumentParser
import BNLabCore
import Foundation

/// Finds the lessons for the `lesson` and `check` commands and names paths the way a reader wants.
enum LessonLibrary {
    /// What was found: the lessons' folder, or nothing (a message for stderr says where we looked).
    enum Lookup {
        case found(LessonCatalog)
        case missing(String)
    }

    /// Locates the lessons; a `BNLAB_LESSONS` that names no folder is a usage error (exit 64).
    static func lookup() throws -> Lookup {
        switch LessonLocator.locate() {
        case .found(let directory):
            return .found(LessonCatalog(directory: directory))
        case .overrideIsNotADirectory(let path):
            Terminal.writeError("bnlab: \(LessonLocator.environmentVariable)=\(path) is not a folder\n")
            throw ExitCode(64)
        case .notFound(let searched):
            var message = "no lessons folder found; set \(LessonLocator.environmentVariable) to one, "
                + "or run bnlab from its checkout\n  looked in:\n"
            // Absolute paths, each once: a relative one would mean nothing from another folder.
            for path in searched { message += "    \(path)\n" }
            return .missing(message)
        }
    }

    /// The lessons' catalog, or nil after telling stderr where `command` looked in vain.
    static func catalog(for command: String) throws -> LessonCatalog? {
        switch try lookup() {
        case .found(let catalog):
            return catalog
        case .missing(let message):
            Terminal.writeError((command.isEmpty ? "bnlab: " : "bnlab \(command): ") + message)
            return nil
        }
    }

    /// The path relative to the current directory when it lies inside it, else as given.
    static func displayPath(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// A lesson's title without a leading "Lesson 3 ·", which the number column already says.
    static func shortTitle(_ lesson: Lesson) -> String {
        let prefix = "Lesson \(lesson.number)"
        guard lesson.title.hasPrefix(prefix) else { return lesson.title }
        let rest = lesson.title.dropFirst(prefix.count).drop { " ·:—–-.".contains($0) }
        return rest.isEmpty ? lesson.title : String(rest)
    }
}
