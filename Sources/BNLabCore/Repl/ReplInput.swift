/// Decides when typed REPL input is a whole entry and cleans pasted lines.
public enum ReplInput {
    /// The primary prompt.
    public static let prompt = "bn> "
    /// The prompt shown while an entry continues.
    public static let continuationPrompt = "..> "

    /// Whether the code typed so far needs more lines: a bracket is still open, the last token
    /// is a binary operator (or `,` / `=`), or the text ends with a `\\` line continuation.
    ///
    /// Anything the lexer rejects otherwise counts as complete, so the error shows at once
    /// instead of leaving the learner at a continuation prompt.
    public static func needsContinuation(_ text: String) -> Bool {
        var state = Continuation()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) { state.add(line) }
        return state.needsMore
    }

    /// What the lines of an entry so far leave open, updated one line at a time so a long
    /// pasted block costs linear time.
    ///
    /// Lines lex independently: strings and comments end at the line's end, and a `\\` before
    /// a newline is only whitespace.
    public struct Continuation: Sendable {
        private var open: [Token.Kind] = []
        private var last: Token.Kind?
        private var endsWithBackslash = false
        private var failed = false

        public init() {}

        /// Whether another line is needed.
        public var needsMore: Bool {
            if failed { return false }
            return endsWithBackslash || !open.isEmpty || (last?.isBinaryOperator ?? false)
        }

        /// Takes in one more line (without its newline).
        public mutating func add(_ line: Substring) {
            guard !failed else { return }
            endsWithBackslash = false
            var lexer = Lexer(file: SourceFile(origin: .named("<repl>"), text: String(line)))
            while true {
                let token: Token
                do {
                    token = try lexer.next()
                } catch {
                    // A final `\\` is a line continuation the lexer sees only with the next line.
                    if line.utf8.last == UInt8(ascii: "\\"), error.range?.start == line.utf8.count - 1 {
                        endsWithBackslash = true
                    } else {
                        failed = true
                    }
                    return
                }
                switch token.kind {
                case .eof:
                    return
                case .newline:
                    continue
                case .leftParen, .leftBracket, .leftBrace:
                    open.append(token.kind)
                case .rightParen, .rightBracket, .rightBrace:
                    // A stray closer makes a complete (wrong) entry: the parser reports it.
                    let opener: Token.Kind = token.kind == .rightParen ? .leftParen
                        : token.kind == .rightBracket ? .leftBracket : .leftBrace
                    guard let index = open.lastIndex(of: opener) else {
                        failed = true
                        return
                    }
                    open.removeSubrange(index...)
                default:
                    break
                }
                last = token.kind
            }
        }
    }

    /// A line without a leading `bn> ` or `..> ` prompt, so a pasted transcript runs as typed.
    public static func strippingPrompt(_ line: Substring) -> Substring {
        for prompt in [prompt, continuationPrompt] {
            let bare = prompt.dropLast()
            if line.hasPrefix(prompt) { return line.dropFirst(prompt.count) }
            if line == bare { return "" }
            // A prompt followed by a tab, as some terminals copy it.
            if line.hasPrefix(bare + "\t") { return line.dropFirst(bare.count + 1) }
        }
        return line
    }
}
