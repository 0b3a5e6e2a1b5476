import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// "Did you mean" stays linear in the name's length (issue 8 item 4).
@Suite struct SuggestionsTests {
    /// The textbook full-table optimal-string-alignment distance, as the reference.
    static func reference(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        if x.isEmpty || y.isEmpty { return d[x.count][y.count] }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[x.count][y.count]
    }

    @Test func bandedDistanceAgreesWithTheFullTable() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("abc".unicodeScalars)
        for _ in 0..<3000 {
            let a = String(String.UnicodeScalarView((0..<Int.random(in: 0...8, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
            let b = String(String.UnicodeScalarView((0..<Int.random(in: 0...8, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
            let limit = Int.random(in: 0...4, using: &rng)
            let full = Self.reference(a, b)
            let banded = Suggestions.distance(Array(a.unicodeScalars), Array(b.unicodeScalars), limit: limit)
            #expect(banded == (full <= limit ? full : nil), "\(a) \(b) limit \(limit)")
            #expect(Suggestions.distance(a, b) == full)
        }
    }

    @Test func longNamesAnswerInMilliseconds() {
        let clock = ContinuousClock()
        // 100,000 characters with one letter changed: over the compared length, so no suggestion, at once.
        let long = String(repeating: "a", count: 100_000)
        let typo = String(long.dropLast()) + "b"
        var start = clock.now
        #expect(Suggestions.closest(to: typo, in: [long, "mean", "x"]) == nil)
        #expect(clock.now - start < .milliseconds(200))
        // 1000 characters, the longest compared: found, in a band 7 wide instead of a million cells.
        let name = String(repeating: "ab", count: 500)
        var near = Array(name)
        near.swapAt(400, 401)
        start = clock.now
        #expect(Suggestions.closest(to: String(near), in: [name, String(repeating: "ba", count: 500), "mean"]) == name)
        #expect(clock.now - start < .milliseconds(200))
    }

    @Test func anUnknownLongNameInASessionIsQuick() {
        let session = Session(output: { _ in })
        let name = String(repeating: "q", count: 100_000)
        session.run(name + "1 = 1")
        let clock = ContinuousClock()
        let start = clock.now
        let diagnostic = session.run(name + "2")
        #expect(clock.now - start < .milliseconds(500))
        #expect(diagnostic?.message.hasPrefix("unknown name") == true || diagnostic?.message.contains("not defined") == true,
                "\(diagnostic?.message.prefix(80) ?? "")")
    }
}
