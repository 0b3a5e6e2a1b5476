extension Session {
    /// How a session runs what it is given, as one value: a caller that changes it for a while
    /// (the REPL opened in a lesson, `:time`) saves the whole mode and puts it back, rather than
    /// copying each setting by hand and forgetting the next one added.
    public struct Mode {
        /// Where `print` and shown values go.
        public var output: (String) -> Void
        /// Whether a failing top-level statement leaves the session as it was before it (the REPL).
        public var rollsBackFailedStatements: Bool
        /// Whether each shown value is also bound to `ans` (the REPL).
        public var bindsAnswer: Bool

        public init(output: @escaping (String) -> Void, rollsBackFailedStatements: Bool, bindsAnswer: Bool) {
            self.output = output
            self.rollsBackFailedStatements = rollsBackFailedStatements
            self.bindsAnswer = bindsAnswer
        }
    }

    /// The session's current mode; setting it sets every part.
    public var mode: Mode {
        get {
            Mode(output: interpreter.output, rollsBackFailedStatements: rollsBackFailedStatements,
                 bindsAnswer: interpreter.bindsAnswer)
        }
        set {
            interpreter.output = newValue.output
            rollsBackFailedStatements = newValue.rollsBackFailedStatements
            interpreter.bindsAnswer = newValue.bindsAnswer
        }
    }
}
