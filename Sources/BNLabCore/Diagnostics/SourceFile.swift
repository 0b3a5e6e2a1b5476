/// A named piece of source text (a script, a REPL entry, a lesson cell) with line lookup.
public struct SourceFile: Sendable {
    /// How locations in this file are introduced: a path, or a cell of a lesson.
    public enum Origin: Sendable, Equatable {
        /// A file on disk, shown as `path:line:column`.
        case file(path: String)
        /// A cell of a lesson, shown as `lesson 3, cell 2, line 1, column 5`.
        case cell(lesson: Int, cell: Int)
        /// Anything else (REPL input, tests), shown as `name:line:column`.
        case named(String)
    }

    public let origin: Origin
    public let text: String
    /// UTF-8 offsets of the first byte of every line.
    public let lineStarts: [Int]
    /// The line number that the first line of `text` has in the enclosing document.
    public let firstLine: Int

    public init(origin: Origin, text: String, firstLine: Int = 1) {
        self.origin = origin
        self.text = text
        self.firstLine = firstLine
        var starts = [0]
        var offset = 0
        for byte in text.utf8 {
            offset += 1
            if byte == UInt8(ascii: "\n") { starts.append(offset) }
        }
        self.lineStarts = starts
    }

    /// The zero-based line index that holds the UTF-8 offset.
    public func lineIndex(of offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The text of a zero-based line, without its newline.
    public func lineText(_ index: Int) -> Substring {
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: lineStarts[index])
        var end = index + 1 < lineStarts.count
            ? utf8.index(utf8.startIndex, offsetBy: lineStarts[index + 1] - 1)
            : utf8.endIndex
        if end > start, utf8[utf8.index(before: end)] == UInt8(ascii: "\r") { end = utf8.index(before: end) }
        return text[start..<end]
    }

    /// The one-based line and column (in characters) of a UTF-8 offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let index = lineIndex(of: offset)
        let line = lineText(index)
        let utf8 = line.utf8
        let clamped = min(max(0, offset - lineStarts[index]), utf8.count)
        let prefix = line[line.startIndex..<utf8.index(line.startIndex, offsetBy: clamped)]
        return (index + firstLine, prefix.count + 1)
    }

    /// The source text of a range.
    public func slice(_ range: SourceRange) -> Substring {
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: min(range.start, utf8.count))
        let end = utf8.index(utf8.startIndex, offsetBy: min(max(range.end, range.start), utf8.count))
        return text[start..<end]
    }
}

/// A half-open range of UTF-8 offsets into a `SourceFile`.
public struct SourceRange: Sendable, Equatable, Hashable {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = end
    }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }
}
