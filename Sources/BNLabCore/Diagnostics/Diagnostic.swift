/// A problem found in a program: what went wrong, where, and what might help.
public struct Diagnostic: Error, Sendable {
    /// What kind of stop this is, so graders can tell a failed check from a mistake.
    public enum Kind: Sendable, Equatable {
        case error
        case checkFailed
        case unfinished
        case interrupted
        case timedOut
    }

    /// A remark under the source excerpt: `= note: …` or `= help: …`.
    public struct Note: Sendable, Equatable {
        public enum Kind: String, Sendable { case note, help }
        public var kind: Kind
        public var message: String
        /// A place in the diagnostic's file the note is about (`'(' opened here`), shown with its own caret.
        public var range: SourceRange?

        public init(_ kind: Kind, _ message: String, range: SourceRange? = nil) {
            self.kind = kind
            self.message = message
            self.range = range
        }
    }

    public var kind: Kind
    public var message: String
    public var file: SourceFile?
    public var range: SourceRange?
    public var notes: [Note]
    /// Further places in `file` the error is about, underlined with `range` (a broadcast error
    /// marks both operands); `range` alone gives the location line.
    public var highlights: [SourceRange]

    public init(_ message: String, kind: Kind = .error, file: SourceFile? = nil, range: SourceRange? = nil,
                notes: [Note] = [], highlights: [SourceRange] = []) {
        self.kind = kind
        self.message = message
        self.file = file
        self.range = range
        self.notes = notes
        self.highlights = highlights
    }

    /// The diagnostic with a note added.
    public func adding(_ kind: Note.Kind, _ message: String) -> Diagnostic {
        var copy = self
        copy.notes.append(Note(kind, message))
        return copy
    }

    /// The location line's text, e.g. `examples/a.bn:3:5` or `lesson 3, cell 2, line 1, column 5`.
    public var locationDescription: String? {
        guard let file, let range else { return nil }
        let (line, column) = file.location(of: range.start)
        switch file.origin {
        case .file(let path): return "\(path):\(line):\(column)"
        case .named(let name): return "\(name):\(line):\(column)"
        case .cell(let lesson, let cell): return "lesson \(lesson), cell \(cell), line \(line), column \(column)"
        }
    }
}
