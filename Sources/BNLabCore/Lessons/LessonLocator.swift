import Foundation

/// Finds a folder that ships beside bnlab (`lessons/`, later `data/`) at run time, for `swift run`,
/// a copied binary or an installed one.
///
/// Resource bundles are not used: they embed an absolute build path that is gone once the build
/// tree is (toolchain-facts.md). The order is: the override variable, then the folders above the
/// running executable, then the package root this file was compiled in, then the current directory.
public enum LessonLocator {
    /// The environment variable that names the lessons folder explicitly.
    public static let environmentVariable = "BNLAB_LESSONS"

    /// This file's path at compile time. A `#filePath` default argument would be evaluated at each
    /// call site instead (one folder shallower from `Sources/bnlab`), so it is captured here.
    public static let sourceFilePath: String = #filePath

    /// The package root this file was compiled in: `Sources/BNLabCore/Lessons/` is three folders down.
    public static var packageRoot: String { packageRoot(ofSourceFile: sourceFilePath) }

    /// The outcome of a search.
    public enum Location: Sendable, Equatable {
        /// The folder that holds the lessons.
        case found(String)
        /// The override variable is set but does not name a folder.
        case overrideIsNotADirectory(String)
        /// Nothing found; the absolute paths looked at, each once, for the message.
        case notFound(searched: [String])
    }

    /// Searches for the folder `name` in the documented order; every input can be replaced for tests.
    /// With `marker`, a folder counts only when it holds that file (`data/` is a common name).
    public static func locate(
        name: String = "lessons",
        marker: String? = nil,
        overrideVariable: String = environmentVariable,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executablePath: String? = runningExecutablePath(),
        sourceFilePath: String = LessonLocator.sourceFilePath,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> Location {
        if let override = environment[overrideVariable], !override.isEmpty {
            return isDirectory(override) ? .found(override) : .overrideIsNotADirectory(override)
        }
        var searched: [String] = []
        var seen: Set<String> = []
        func candidate(_ path: String) -> String? {
            let absolute = absolutePath(path, in: currentDirectory)
            guard seen.insert(absolute).inserted else { return nil }
            searched.append(absolute)
            guard isDirectory(absolute) else { return nil }
            if let marker, !FileManager.default.fileExists(atPath: join(absolute, marker)) { return nil }
            return absolute
        }
        if let executablePath {
            var directory = parent(of: absolutePath(executablePath, in: currentDirectory))
            while true {
                if let found = candidate(join(directory, name)) { return .found(found) }
                if let found = candidate(join(directory, "share/bnlab/" + name)) { return .found(found) }
                let up = parent(of: directory)
                if up == directory { break }
                directory = up
            }
        }
        if let found = candidate(join(packageRoot(ofSourceFile: sourceFilePath), name)) { return .found(found) }
        if let found = candidate(join(currentDirectory, name)) { return .found(found) }
        return .notFound(searched: searched)
    }

    /// The package root of a file compiled at `Sources/<target>/<folder>/<file>.swift`.
    public static func packageRoot(ofSourceFile path: String) -> String {
        var root = path
        for _ in 0..<4 { root = parent(of: root) }
        return root
    }

    /// The resolved path of the running executable (`/proc/self/exe` on Linux).
    public static func runningExecutablePath() -> String? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return path
        }
        guard let first = CommandLine.arguments.first, first.contains("/") else { return nil }
        return URL(fileURLWithPath: first).resolvingSymlinksInPath().path
    }

    /// `path` made absolute against `directory`, with `.` and `..` resolved, so a message names
    /// each folder once and unambiguously.
    static func absolutePath(_ path: String, in directory: String) -> String {
        let base = URL(fileURLWithPath: directory, isDirectory: true)
        return URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL.path
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
