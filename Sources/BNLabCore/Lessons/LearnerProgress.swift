import Foundation

/// Where the learner got to in the lessons, kept in `$XDG_STATE_HOME/bnlab/progress.json`
/// (default `~/.local/state/bnlab/progress.json`) so bare `bnlab` can say where to go on.
public struct LearnerProgress: Codable, Equatable, Sendable {
    /// The lesson last opened.
    public var lesson: Int
    /// The last cell of that lesson that ran (1-based).
    public var cell: Int
    /// How many cells that lesson has.
    public var cells: Int

    public init(lesson: Int, cell: Int, cells: Int) {
        self.lesson = lesson
        self.cell = cell
        self.cells = cells
    }

    /// The progress file's path; nil when neither XDG_STATE_HOME nor HOME is usable.
    public static func defaultPath(environment: [String: String]) -> String? {
        // The XDG spec says relative values are invalid and must be ignored.
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/bnlab/progress.json"
        }
        if let home = environment["HOME"], !home.isEmpty {
            return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.local/state/bnlab/progress.json"
        }
        return nil
    }

    /// The recorded progress; nil when there is none or the file is unreadable (it is only a convenience).
    public static func load(from path: String) -> LearnerProgress? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let progress = try? JSONDecoder().decode(LearnerProgress.self, from: data),
              progress.lesson >= 0, progress.cell >= 0, progress.cells >= 0 else { return nil }
        return progress
    }

    /// Writes the progress, creating the folder; failures are ignored (a read-only home must not stop a lesson).
    public func save(to path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return }
        try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
