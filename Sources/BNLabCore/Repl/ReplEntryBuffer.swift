/// Collects typed or pasted lines until they form a whole REPL entry.
public struct ReplEntryBuffer: Sendable {
    /// Lines of the entry typed so far, prompts removed.
    public private(set) var lines: [String] = []
    /// What the lines so far leave open.
    private var continuation = ReplInput.Continuation()

    public init() {}

    /// True at the start of an entry, when the primary prompt is due.
    public var isEmpty: Bool { lines.isEmpty }

    /// The prompt for the next line.
    public var prompt: String { lines.isEmpty ? ReplInput.prompt : ReplInput.continuationPrompt }

    /// Adds text (one line, or a pasted block with newlines) and returns the entries it completes.
    public mutating func add(_ text: String) -> [String] {
        var entries: [String] = []
        var pieces = text.split(separator: "\n", omittingEmptySubsequences: false)
        // A pasted block ending in a newline does not mean one more empty line.
        if pieces.count > 1, pieces.last?.isEmpty == true { pieces.removeLast() }
        for piece in pieces {
            if let entry = addLine(piece) { entries.append(entry) }
        }
        return entries
    }

    /// Adds one line; the entry when this line completes it.
    private mutating func addLine(_ raw: Substring) -> String? {
        var line = ReplInput.strippingPrompt(raw)
        if line.last == "\r" { line = line.dropLast() }
        if lines.isEmpty && ReplDirective.isDirective(line) {
            // Commands are one line each, whatever they contain.
            return String(line)
        }
        lines.append(String(line))
        continuation.add(line)
        if continuation.needsMore { return nil }
        defer { discard() }
        return lines.joined(separator: "\n")
    }

    /// The unfinished entry at end of input, if any, and an empty buffer.
    public mutating func flush() -> String? {
        defer { discard() }
        let text = lines.joined(separator: "\n")
        return lines.isEmpty ? nil : text
    }

    /// Forgets the unfinished entry (Ctrl-C).
    public mutating func discard() {
        lines = []
        continuation = ReplInput.Continuation()
    }
}
