/// A run of prose text with one style, produced by parsing inline Markdown.
struct StyledSpan: Equatable {
    var text: String
    var style: InlineStyle
}

/// The inline styles a span can carry.
struct InlineStyle: OptionSet, Hashable {
    let rawValue: Int
    static let bold = InlineStyle(rawValue: 1)
    static let italic = InlineStyle(rawValue: 2)
    static let code = InlineStyle(rawValue: 4)
    static let link = InlineStyle(rawValue: 8)

    /// The SGR parameters for this style.
    var sgrCodes: [String] {
        var codes: [String] = []
        if contains(.bold) { codes.append("1") }
        if contains(.italic) { codes.append("3") }
        if contains(.link) { codes.append("4") }
        if contains(.code) { codes.append("36") }
        return codes
    }
}

/// Parses inline Markdown: `code`, **strong**, *emphasis*, _emphasis_, [links](url), \escapes.
///
/// A pragmatic subset of CommonMark: enough for lesson prose, and total on any input (an
/// unmatched marker is plain text).
enum InlineMarkdown {
    /// The spans of `text`. With `color` off, code keeps its backticks so it stays recognisable.
    static func spans(_ text: String, color: Bool) -> [StyledSpan] {
        var out: [StyledSpan] = []
        parse(Array(text), style: [], color: color, depth: 0, into: &out)
        return merged(out)
    }

    private static func parse(_ c: [Character], style: InlineStyle, color: Bool, depth: Int, into out: inout [StyledSpan]) {
        var plain = ""
        func flush() {
            if !plain.isEmpty { out.append(StyledSpan(text: plain, style: style)) }
            plain = ""
        }
        var i = 0
        while i < c.count {
            let ch = c[i]
            if ch == "\\", i + 1 < c.count, c[i + 1].isASCII, c[i + 1].isPunctuation || c[i + 1].isSymbol {
                plain.append(c[i + 1])
                i += 2
                continue
            }
            if ch == "`" {
                let run = count(of: "`", in: c, from: i)
                if let close = findBacktickRun(run, in: c, from: i + run) {
                    flush()
                    var code = String(c[(i + run)..<close])
                    if code.count >= 2, code.first == " ", code.last == " ", code.contains(where: { $0 != " " }) {
                        code = String(code.dropFirst().dropLast())
                    }
                    out.append(StyledSpan(text: color ? code : "`" + code + "`", style: style.union(.code)))
                    i = close + run
                } else {
                    plain += String(repeating: "`", count: run)
                    i += run
                }
                continue
            }
            if (ch == "*" || ch == "_"), depth < 8 {
                let run = count(of: ch, in: c, from: i)
                let strength = min(run, 3)
                if canOpen(c, at: i, run: run, marker: ch),
                   let close = findCloser(ch, strength: strength, in: c, from: i + run) {
                    flush()
                    var inner = style
                    if strength >= 2 { inner.insert(.bold) }
                    if strength != 2 { inner.insert(.italic) }
                    // A longer run opens as much as it can; the rest of the run stays literal.
                    if run > strength { plain += String(repeating: String(ch), count: run - strength); flush() }
                    parse(Array(c[(i + run)..<close]), style: inner, color: color, depth: depth + 1, into: &out)
                    i = close + strength
                    continue
                }
                plain += String(repeating: String(ch), count: run)
                i += run
                continue
            }
            if ch == "[", depth < 8, let (labelEnd, urlEnd) = link(in: c, from: i) {
                flush()
                let url = String(c[(labelEnd + 2)..<urlEnd])
                let label = Array(c[(i + 1)..<labelEnd])
                parse(label, style: style.union(.link), color: color, depth: depth + 1, into: &out)
                if String(label) != url { out.append(StyledSpan(text: " (\(url))", style: style)) }
                i = urlEnd + 1
                continue
            }
            plain.append(ch)
            i += 1
        }
        flush()
    }

    private static func count(of ch: Character, in c: [Character], from i: Int) -> Int {
        var n = 0
        while i + n < c.count, c[i + n] == ch { n += 1 }
        return n
    }

    /// The index of the next backtick run of exactly `run` backticks.
    private static func findBacktickRun(_ run: Int, in c: [Character], from start: Int) -> Int? {
        var i = start
        while i < c.count {
            if c[i] == "`" {
                let n = count(of: "`", in: c, from: i)
                if n == run { return i }
                i += n
            } else {
                i += 1
            }
        }
        return nil
    }

    /// A run opens emphasis when a non-space follows it; `_` also needs no letter before it.
    private static func canOpen(_ c: [Character], at i: Int, run: Int, marker: Character) -> Bool {
        guard i + run < c.count, !c[i + run].isWhitespace else { return false }
        if marker == "_", i > 0, c[i - 1].isLetter || c[i - 1].isNumber { return false }
        return true
    }

    /// The start of a closing run of at least `strength` markers: a non-space before it, and for
    /// `_` no letter after it. Code spans in between are skipped, their markers are literal.
    private static func findCloser(_ marker: Character, strength: Int, in c: [Character], from start: Int) -> Int? {
        var i = start
        while i < c.count {
            if c[i] == "\\" { i += 2; continue }
            if c[i] == "`" {
                let run = count(of: "`", in: c, from: i)
                if let close = findBacktickRun(run, in: c, from: i + run) { i = close + run; continue }
                i += run
                continue
            }
            if c[i] == marker {
                let run = count(of: marker, in: c, from: i)
                let afterOK = marker != "_" || i + run >= c.count || !(c[i + run].isLetter || c[i + run].isNumber)
                if run >= strength, i > start, !c[i - 1].isWhitespace, afterOK {
                    return i + run - strength
                }
                i += run
                continue
            }
            i += 1
        }
        return nil
    }

    /// `[label](url)` at `start`: the index of `]` and of `)`.
    private static func link(in c: [Character], from start: Int) -> (Int, Int)? {
        guard let labelEnd = c[(start + 1)...].firstIndex(of: "]"), labelEnd + 1 < c.count, c[labelEnd + 1] == "(",
              let urlEnd = c[(labelEnd + 2)...].firstIndex(of: ")"),
              !c[(labelEnd + 2)..<urlEnd].contains(where: \.isWhitespace), urlEnd > labelEnd + 2
        else { return nil }
        return (labelEnd, urlEnd)
    }

    private static func merged(_ spans: [StyledSpan]) -> [StyledSpan] {
        var out: [StyledSpan] = []
        for span in spans where !span.text.isEmpty {
            if let last = out.last, last.style == span.style {
                out[out.count - 1].text += span.text
            } else {
                out.append(span)
            }
        }
        return out
    }
}
