/// Turns source text into tokens, dropping newlines inside `( )` and `[ ]`.
public struct Lexer {
    private let file: SourceFile
    private let bytes: [UInt8]
    private var position = 0
    /// Open brackets, innermost last: newlines count only when the innermost is `{` or none.
    private var openers: [UInt8] = []

    public init(file: SourceFile) {
        self.file = file
        self.bytes = Array(file.text.utf8)
    }

    /// All tokens, ending with `eof`, or the first lexical error.
    public static func tokenize(_ file: SourceFile) throws(Diagnostic) -> [Token] {
        var lexer = Lexer(file: file)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .eof { return tokens }
        }
    }

    private func error(_ message: String, _ start: Int, _ end: Int, help: String? = nil) -> Diagnostic {
        var diagnostic = Diagnostic(message, file: file, range: SourceRange(start, end))
        if let help { diagnostic.notes.append(.init(.help, help)) }
        return diagnostic
    }

    private func peek(_ ahead: Int = 0) -> UInt8 {
        position + ahead < bytes.count ? bytes[position + ahead] : 0
    }

    /// The next token.
    public mutating func next() throws(Diagnostic) -> Token {
        while position < bytes.count {
            let c = bytes[position]
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                position += 1
            } else if c == UInt8(ascii: "#") {
                while position < bytes.count && bytes[position] != UInt8(ascii: "\n") { position += 1 }
            } else if c == UInt8(ascii: "\\") && peek(1) == UInt8(ascii: "\n") {
                position += 2
            } else if c == UInt8(ascii: "\n") {
                position += 1
                if let top = openers.last, top != UInt8(ascii: "{") { continue }
                return Token(.newline, SourceRange(position - 1, position))
            } else {
                break
            }
        }
        let start = position
        guard position < bytes.count else { return Token(.eof, SourceRange(start, start)) }
        let c = bytes[position]
        if isDigit(c) || (c == UInt8(ascii: ".") && isDigit(peek(1))) {
            return try lexNumber()
        }
        if c == UInt8(ascii: "\"") { return try lexString() }
        if isIdentifierStart(c) { return try lexIdentifier() }
        position += 1
        func token(_ kind: Token.Kind, length: Int = 1) -> Token {
            position = start + length
            return Token(kind, SourceRange(start, start + length))
        }
        switch c {
        case UInt8(ascii: "+"): return peek() == UInt8(ascii: "=") ? token(.plusAssign, length: 2) : token(.plus)
        case UInt8(ascii: "-"): return peek() == UInt8(ascii: "=") ? token(.minusAssign, length: 2) : token(.minus)
        case UInt8(ascii: "*"):
            if peek() == UInt8(ascii: "*") {
                throw error("'**' is not an operator in bnlab", start, start + 2, help: "powers are written with '^', as in x^2")
            }
            return peek() == UInt8(ascii: "=") ? token(.starAssign, length: 2) : token(.star)
        case UInt8(ascii: "/"):
            if peek() == UInt8(ascii: "/") { return token(.slashSlash, length: 2) }
            return peek() == UInt8(ascii: "=") ? token(.slashAssign, length: 2) : token(.slash)
        case UInt8(ascii: "%"): return token(.percent)
        case UInt8(ascii: "@"): return token(.at)
        case UInt8(ascii: "^"): return token(.caret)
        case UInt8(ascii: "="): return peek() == UInt8(ascii: "=") ? token(.equalEqual, length: 2) : token(.assign)
        case UInt8(ascii: "!"):
            if peek() == UInt8(ascii: "=") { return token(.notEqual, length: 2) }
            throw error("unexpected character '!'", start, start + 1, help: "negation is written 'not'")
        case UInt8(ascii: "<"): return peek() == UInt8(ascii: "=") ? token(.lessEqual, length: 2) : token(.less)
        case UInt8(ascii: ">"): return peek() == UInt8(ascii: "=") ? token(.greaterEqual, length: 2) : token(.greater)
        case UInt8(ascii: "."):
            if peek() == UInt8(ascii: ".") {
                if peek(1) == UInt8(ascii: ".") {
                    throw error("'...' is not supported", start, start + 3, help: "write each axis, or use ':' for a whole axis")
                }
                return token(.dotDot, length: 2)
            }
            return token(.dot)
        case UInt8(ascii: ","): return token(.comma)
        case UInt8(ascii: ":"): return token(.colon)
        case UInt8(ascii: ";"): return token(.semicolon)
        case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
            openers.append(c)
            return token(c == UInt8(ascii: "(") ? .leftParen : c == UInt8(ascii: "[") ? .leftBracket : .leftBrace)
        case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
            // A stray closer is the parser's to report; only pop a matching opener.
            let opener: UInt8 = c == UInt8(ascii: ")") ? UInt8(ascii: "(") : c == UInt8(ascii: "]") ? UInt8(ascii: "[") : UInt8(ascii: "{")
            if let index = openers.lastIndex(of: opener) { openers.removeSubrange(index...) }
            return token(c == UInt8(ascii: ")") ? .rightParen : c == UInt8(ascii: "]") ? .rightBracket : .rightBrace)
        case UInt8(ascii: "?"):
            if peek() == UInt8(ascii: "?") && peek(1) == UInt8(ascii: "?") { return token(.unfinished, length: 3) }
            throw error("unexpected character '?'", start, start + 1, help: "a blank to fill in is written '???'")
        case UInt8(ascii: "&"), UInt8(ascii: "|"):
            let word = c == UInt8(ascii: "&") ? "and" : "or"
            throw error("unexpected character '\(Character(Unicode.Scalar(c)))'", start, start + 1, help: "logical operators are written '\(word)'")
        case UInt8(ascii: "'"):
            throw error("unexpected character \"'\"", start, start + 1, help: "strings are written in double quotes, as in \"text\"")
        default:
            position = start
            let scalarEnd = endOfScalar(at: start)
            let text = String(decoding: bytes[start..<scalarEnd], as: UTF8.self)
            throw error("unexpected character '\(text)'", start, scalarEnd)
        }
    }

    private func endOfScalar(at start: Int) -> Int {
        var end = start + 1
        while end < bytes.count && (bytes[end] & 0xC0) == 0x80 { end += 1 }
        return end
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    private func isIdentifierStart(_ c: UInt8) -> Bool {
        if c == UInt8(ascii: "_") || (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") { return true }
        return c >= 0x80 && scalar(at: position).map { $0.properties.isAlphabetic } == true
    }

    private func scalar(at offset: Int) -> Unicode.Scalar? {
        let end = endOfScalar(at: offset)
        return String(decoding: bytes[offset..<end], as: UTF8.self).unicodeScalars.first
    }

    private mutating func lexIdentifier() throws(Diagnostic) -> Token {
        let start = position
        while position < bytes.count {
            let c = bytes[position]
            if c == UInt8(ascii: "_") || isDigit(c) || (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") {
                position += 1
            } else if c >= 0x80, let s = scalar(at: position), s.properties.isAlphabetic || s.properties.generalCategory == .nonspacingMark {
                position = endOfScalar(at: position)
            } else {
                break
            }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        try checkFormatString(text, start: start)
        let range = SourceRange(start, position)
        if let keyword = Token.keywords[text] { return Token(keyword, range, text: text) }
        return Token(.identifier, range, text: text)
    }

    /// Python's f-strings (`f"mean {m}"`): a name glued to a quote is never valid bnlab.
    private func checkFormatString(_ text: String, start: Int) throws(Diagnostic) {
        guard ["f", "F", "rf", "fr"].contains(text), position < bytes.count,
              bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else { return }
        let quote = bytes[position]
        var end = position + 1
        while end < bytes.count, bytes[end] != quote, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        if end < bytes.count, bytes[end] == quote { end += 1 }
        throw error("bnlab has no f-strings", start, end,
                    help: "print takes a label and values: print(\"mean\", m); round(m, digits=3) keeps 3 decimals")
    }

    private mutating func lexNumber() throws(Diagnostic) -> Token {
        let start = position
        while isDigit(peek()) { position += 1 }
        // `1..5` is a range, so a dot is part of the number only when a digit follows.
        if peek() == UInt8(ascii: ".") && isDigit(peek(1)) {
            position += 1
            while isDigit(peek()) { position += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            var look = 1
            if peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-") { look = 2 }
            if isDigit(peek(look)) {
                position += look
                while isDigit(peek()) { position += 1 }
            } else if peek(look) == 0 || !isIdentifierStart(peek(look)) || look == 2 {
                throw error("malformed number: an exponent needs digits", start, position + look)
            }
        }
        if position < bytes.count, isIdentifierStart(bytes[position]) {
            var end = position
            while end < bytes.count, isIdentifierStart(bytes[end]) || isDigit(bytes[end]) { end += 1 }
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            throw error("malformed number '\(text)'", start, end, help: "a name cannot start with a digit")
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = Double(text) else { throw error("malformed number '\(text)'", start, position) }
        return Token(.number, SourceRange(start, position), text: text, number: value)
    }

    private mutating func lexString() throws(Diagnostic) -> Token {
        let start = position
        position += 1
        var value: [UInt8] = []
        while true {
            guard position < bytes.count, bytes[position] != UInt8(ascii: "\n") else {
                throw error("unterminated string", start, position, help: "close it with '\"' on the same line")
            }
            let c = bytes[position]
            position += 1
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") {
                let escape = peek()
                if escape == 0 || escape == UInt8(ascii: "\n") {
                    throw error("unterminated string", start, position, help: "close it with '\"' on the same line")
                }
                switch escape {
                case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): value.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "\""): value.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): value.append(UInt8(ascii: "\\"))
                default:
                    throw error("unknown escape in string", position - 1, min(position + 1, bytes.count),
                                help: "the escapes are \\n \\t \\\" and \\\\")
                }
                position += 1
            } else {
                value.append(c)
            }
        }
        return Token(.string, SourceRange(start, position), text: String(decoding: value, as: UTF8.self))
    }
}
