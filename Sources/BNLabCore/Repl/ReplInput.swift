/// Decides when typed REPL input is a whole entry and cleans pasted lines.
public enum ReplInput {
    /// The primary prompt.
    public static let prompt = "bn> "
    /// The prompt shown while an entry continues.
    public static let continuationPrompt = "..> "

    /// Whether the code typed so far needs more lines: a bracket is still open, the last token
    /// is a binary operator (or `,` / `=`), or the text ends with a `\` line continuation.
    ///
    /// Anything the lexer rejects otherwise counts as complete, so the error shows at once
    /// instead of leaving the learner at a continuation prompt.
    public static func needsContinuation(_ text: String) -> Bool {
        let file = SourceFile(origin: .named("<repl>"), text: text)
        var lexer = Lexer(file: file)
        var open: [Token.Kind] = []
        var last: Token.Kind?
        while true {
            let token: Token
            do {
                token = try lexer.next()
            } catch {
                return endsWithLineContinuation(text, error: error)
            }
            switch token.kind {
            case .eof:
                if !open.isEmpty { return true }
                return last.map(\.isBinaryOperator) ?? false
            case .newline:
                continue
            case .leftParen, .leftBracket, .leftBrace:
                open.append(token.kind)
            case .rightParen, .rightBracket, .rightBrace:
                // A stray closer is a complete (wrong) entry: let the parser report it.
                let opener: Token.Kind = token.kind == .rightParen ? .leftParen
                    : token.kind == .rightBracket ? .leftBracket : .leftBrace
                guard let index = open.lastIndex(of: opener) else { return false }
                open.removeSubrange(index...)
            default:
                break
            }
            last = token.kind
        }
    }

    /// True when the lexer's complaint is a final `\` that a following line would complete.
    private static func endsWithLineContinuation(_ text: String, error: Diagnostic) -> Bool {
        // Only a `\` that is the very last byte: the lexer joins lines only at `\` + newline.
        guard text.utf8.last == UInt8(ascii: "\\"), let range = error.range else { return false }
        return range.start == text.utf8.count - 1
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
