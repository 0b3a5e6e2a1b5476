import Foundation

/// Finds the `lessons/` folder at run time, for `swift run`, a copied binary or an installed one.
///
/// Resource bundles are not used: they embed an absolute build path that is gone once the build
/// tree is (toolchain-facts.md). The order is: the `BNLAB_LESSONS` override, then the folders
/// above the running executable, then the package root this file was compiled from, then the
/// current directory.
public enum LessonLocator {
    /// The environment variable that names the lessons folder explicitly.
    public static let environmentVariable = "BNLAB_LESSONS"

    /// The outcome of a search.
    public enum Location: Sendable, Equatable {
        /// The folder that holds the lessons.
        case found(String)
        /// `BNLAB_LESSONS` is set but does not name a folder.
        case overrideIsNotADirectory(String)
        /// Nothing found; the places looked at, for the message.
        case notFound(searched: [String])
    }

    /// Searches in the documented order; every input can be replaced for tests.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executablePath: String? = runningExecutablePath(),
        sourceFilePath: String = #filePath,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> Location {
        if let override = environment[environmentVariable], !override.isEmpty {
            return isDirectory(override) ? .found(override) : .overrideIsNotADirectory(override)
        }
        var searched: [String] = []
        func candidate(_ path: String) -> String? {
            searched.append(path)
            return isDirectory(path) ? path : nil
        }
        if let executablePath {
            var directory = parent(of: executablePath)
            while true {
                if let found = candidate(join(directory, "lessons")) { return .found(found) }
                if let found = candidate(join(directory, "share/bnlab/lessons")) { return .found(found) }
                let up = parent(of: directory)
                if up == directory { break }
                directory = up
            }
        }
        // Sources/BNLabCore/Notebook/LessonLocator.swift: four levels up is the package root.
        var root = sourceFilePath
        for _ in 0..<4 { root = parent(of: root) }
        if let found = candidate(join(root, "lessons")) { return .found(found) }
        if let found = candidate(join(currentDirectory, "lessons")) { return .found(found) }
        return .notFound(searched: searched)
    }

    /// The resolved path of the running executable (`/proc/self/exe` on Linux).
    public static func runningExecutablePath() -> String? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return path
        }
        guard let first = CommandLine.arguments.first, first.contains("/") else { return nil }
        return URL(fileURLWithPath: first).resolvingSymlinksInPath().path
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
