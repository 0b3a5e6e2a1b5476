/// "Did you mean" suggestions by edit distance, in time linear in the name's length.
///
/// Only distances up to a small limit matter, so a candidate whose length differs by more is
/// skipped unseen, each row of the table is computed only within the limit of its diagonal
/// (a band), and a row whose every cell passes the limit ends the comparison. Names longer
/// than `maxComparedLength` get no suggestion: no one mistypes one letter of such a name.
public enum Suggestions {
    /// Longest name (in Unicode scalars) that is compared at all.
    static let maxComparedLength = 1000

    /// The candidate closest to `name`, if it is close enough to be a likely typo.
    public static func closest<S: Sequence>(to name: String, in candidates: S) -> String? where S.Element == String {
        let x = scalars(name)
        guard x.count <= maxComparedLength else { return nil }
        let limit = x.count <= 3 ? 1 : (x.count <= 6 ? 2 : 3)
        var best: (distance: Int, name: String)?
        for candidate in candidates where candidate != name {
            // Cheap length test first: UTF-8 length bounds the scalar count from above.
            let bytes = candidate.utf8.count
            guard bytes + limit >= x.count, bytes <= 4 * (x.count + limit) else { continue }
            let y = scalars(candidate)
            let bound = best.map { min(limit, $0.distance) } ?? limit
            guard let d = distance(x, y, limit: bound) else { continue }
            if let current = best, d > current.distance || (d == current.distance && candidate >= current.name) {
                continue
            }
            best = (d, candidate)
        }
        return best?.name
    }

    /// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), ignoring case.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = scalars(a), y = scalars(b)
        return distance(x, y, limit: max(x.count, y.count)) ?? max(x.count, y.count)
    }

    private static func scalars(_ s: String) -> [Unicode.Scalar] {
        Array(s.lowercased().unicodeScalars)
    }

    /// The distance when it is at most `limit`, else nil; O(length × limit) time.
    static func distance(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar], limit: Int) -> Int? {
        let n = x.count, m = y.count
        guard abs(n - m) <= limit else { return nil }
        if n == 0 { return m }
        if m == 0 { return n }
        let outside = limit + 1  // any value past the limit: cells outside the band
        var previous2 = [Int](repeating: outside, count: m + 1)
        var previous = [Int](repeating: outside, count: m + 1)
        var current = [Int](repeating: outside, count: m + 1)
        for j in 0...min(m, limit) { previous[j] = j }
        for i in 1...n {
            let low = max(1, i - limit), high = min(m, i + limit)
            // Cells left of the band stay "outside"; column 0 is i while i is within the limit.
            if low > 1 { current[low - 1] = outside }
            current[0] = i <= limit ? i : outside
            var rowMinimum = current[low - 1]
            for j in low...high {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                value = min(value, outside)
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if high < m { current[high + 1] = outside }
            // Every path goes through this row: once it is all past the limit, so is the answer.
            if rowMinimum > limit { return nil }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[m] <= limit ? previous[m] : nil
    }
}
