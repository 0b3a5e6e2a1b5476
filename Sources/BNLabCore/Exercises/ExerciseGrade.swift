/// What grading an exercise found, in a form a child process can hand to its parent as JSON.
public struct ExerciseGrade: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case done
        case notStarted = "not started"
        case failing
        case error
        case timedOut = "timed out"
        /// The catalog lists it but its file is gone (`bnlab reset` restores it).
        case missing
    }

    public var status: Status
    /// One line: what happened, e.g. `check allclose(m, [13.5, 17.5, 21.5])`.
    public var summary: String
    /// Lines shown under it: got and expected, or the diagnostic.
    public var details: [String]

    public init(status: Status, summary: String, details: [String] = []) {
        self.status = status
        self.summary = summary
        self.details = details
    }
}
