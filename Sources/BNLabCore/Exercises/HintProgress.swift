import Foundation

/// How many of each exercise's hints the learner has been shown, so `bnlab hint 3.2` gives the
/// next one each time. Kept in `$XDG_STATE_HOME/bnlab/hints`, one line per exercise: `3.2 1`.
public struct HintProgress: Equatable, Sendable {
    /// Hints shown so far, by exercise number (`3.2`).
    public var shown: [String: Int]

    public init(shown: [String: Int] = [:]) {
        self.shown = shown
    }

    /// `$XDG_STATE_HOME/bnlab/hints`, else `~/.local/state/bnlab/hints`; nil without either.
    public static func defaultPath(environment: [String: String]) -> String? {
        // The XDG spec says relative values are invalid and must be ignored.
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return (state.hasSuffix("/") ? String(state.dropLast()) : state) + "/bnlab/hints"
        }
        if let home = environment["HOME"], !home.isEmpty {
            return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.local/state/bnlab/hints"
        }
        return nil
    }

    /// The progress stored at `path`; nothing shown yet when the file is missing or unreadable.
    public static func load(from path: String) -> HintProgress {
        guard let data = FileManager.default.contents(atPath: path) else { return HintProgress() }
        var shown: [String: Int] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2, let count = Int(fields[1]), count >= 0 else { continue }
            shown[String(fields[0])] = count
        }
        return HintProgress(shown: shown)
    }

    /// Writes the progress to `path` (replacing the file whole), creating its folder.
    public func save(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let text = shown.keys.sorted().map { "\($0) \(shown[$0] ?? 0)\n" }.joined()
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}
