/// Which ends of a text `trimming` cuts.
public enum TrimmedEnds: Sendable {
    case leading, trailing, both
}

extension StringProtocol {
    /// The text without the characters `isCut` matches (whitespace by default: spaces, tabs,
    /// line breaks) at the given ends: the one trimming helper, which the named ones below call.
    public func trimming(_ ends: TrimmedEnds = .both, while isCut: (Character) -> Bool = { $0.isWhitespace }) -> SubSequence {
        var s = self[...]
        if ends != .trailing { s = s.drop(while: isCut) }
        if ends != .leading {
            while let last = s.last, isCut(last) { s = s.dropLast() }
        }
        return s
    }

    /// The text without leading and trailing whitespace.
    public func trimmingWhitespace() -> String { String(trimming()) }

    /// The text without trailing whitespace.
    public func trimmingTrailingWhitespace() -> String { String(trimming(.trailing)) }

    /// The text without trailing spaces; tabs and line breaks stay.
    public func trimmingTrailingSpaces() -> String { String(trimming(.trailing, while: { $0 == " " })) }
}
