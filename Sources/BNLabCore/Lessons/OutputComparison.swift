/// Compares a cell's recorded output with what it shows now, line by line.
public enum OutputComparison {
    /// True when a produced line agrees with a recorded one: numbers by value to the recorded
    /// digits, everything else as text, trailing whitespace ignored.
    public static func line(_ got: String, matches recorded: String) -> Bool {
        let expected = OutputToken.tokens(of: recorded)
        let actual = OutputToken.tokens(of: got)
        guard expected.count == actual.count else { return false }
        for (e, a) in zip(expected, actual) {
            switch (e, a) {
            case (.text(let x), .text(let y)):
                if x != y { return false }
            case (.number(let x), .number(let y)):
                if !x.isMatched(by: y) { return false }
            default:
                return false
            }
        }
        return true
    }

    /// The differences between recorded and produced lines, aligned so that one inserted or
    /// deleted line is reported once rather than as a shift of everything after it.
    public static func differences(recorded: [String], got: [String]) -> [LineDifference] {
        let n = recorded.count, m = got.count
        // Aligning costs n·m; for huge outputs compare position by position instead.
        guard n * m <= 1_000_000 else { return positionalDifferences(recorded: recorded, got: got) }
        var matches = [[Bool]](repeating: [Bool](repeating: false, count: m), count: n)
        for i in 0..<n { for j in 0..<m { matches[i][j] = line(got[j], matches: recorded[i]) } }
        // lcs[i][j]: the longest common run of recorded[i...] and got[j...].
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = matches[i][j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var result: [LineDifference] = []
        var missing: [Int] = [], extra: [Int] = []
        // How many recorded lines lie before the current position.
        var recordedPosition = 0
        func flush() {
            // A run of removed lines next to a run of added ones reads best as changed lines.
            let paired = min(missing.count, extra.count)
            for k in 0..<paired {
                result.append(LineDifference(kind: .changed, recordedLine: missing[k] + 1, gotLine: extra[k] + 1,
                                             recorded: recorded[missing[k]], got: got[extra[k]]))
            }
            for i in missing.dropFirst(paired) {
                result.append(LineDifference(kind: .notProduced, recordedLine: i + 1, gotLine: nil,
                                             recorded: recorded[i], got: nil))
            }
            // Added lines sit after the recorded lines already passed, one after another.
            let base = missing.last.map { $0 + 1 } ?? recordedPosition
            for (k, j) in extra.dropFirst(paired).enumerated() {
                result.append(LineDifference(kind: .notRecorded, recordedLine: base + k + 1, gotLine: j + 1,
                                             recorded: nil, got: got[j]))
            }
            missing = []
            extra = []
        }
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, matches[i][j], lcs[i][j] == lcs[i + 1][j + 1] + 1 {
                flush()
                i += 1
                j += 1
                recordedPosition = i
            } else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] {
                missing.append(i)
                i += 1
            } else {
                extra.append(j)
                j += 1
            }
        }
        flush()
        return result
    }

    private static func positionalDifferences(recorded: [String], got: [String]) -> [LineDifference] {
        var result: [LineDifference] = []
        for k in 0..<max(recorded.count, got.count) {
            let r = k < recorded.count ? recorded[k] : nil
            let g = k < got.count ? got[k] : nil
            switch (r, g) {
            case (let r?, let g?):
                if !line(g, matches: r) {
                    result.append(LineDifference(kind: .changed, recordedLine: k + 1, gotLine: k + 1, recorded: r, got: g))
                }
            case (let r?, nil):
                result.append(LineDifference(kind: .notProduced, recordedLine: k + 1, gotLine: nil, recorded: r, got: nil))
            case (nil, let g?):
                result.append(LineDifference(kind: .notRecorded, recordedLine: k + 1, gotLine: k + 1, recorded: nil, got: g))
            case (nil, nil):
                break
            }
        }
        return result
    }
}

/// One line where a cell's output and its recording disagree.
public struct LineDifference: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The recorded line and the produced line differ.
        case changed
        /// A recorded line that the cell no longer produces.
        case notProduced
        /// A produced line that is not in the recording.
        case notRecorded
    }

    public let kind: Kind
    /// The line of the recorded output this is about (one-based); for a line that is not
    /// recorded, the line it would take.
    public let recordedLine: Int
    /// The line of the produced output (one-based), if there is one.
    public let gotLine: Int?
    public let recorded: String?
    public let got: String?
}
