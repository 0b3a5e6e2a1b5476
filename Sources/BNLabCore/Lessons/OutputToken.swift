import Foundation

/// A piece of an output line: a number compared by value, or text compared as text.
enum OutputToken: Equatable {
    case text(String)
    case number(RecordedNumber)

    /// Splits a line into numbers and the text between them.
    ///
    /// Spaces just before a number are alignment padding (`[ 0,  1]` against `[0, 1]`) and are
    /// dropped, so that a value printed one digit wider or narrower does not read as a change.
    static func tokens(of line: String) -> [OutputToken] {
        let characters = Array(line.trimmingTrailingWhitespace())
        var tokens: [OutputToken] = []
        var text = ""
        var i = 0
        while i < characters.count {
            if let (number, end) = RecordedNumber.scan(characters, at: i) {
                text = String(text.trimming(.trailing, while: { $0 == " " || $0 == "\t" }))
                if !text.isEmpty { tokens.append(.text(text)) }
                text = ""
                tokens.append(.number(number))
                i = end
            } else {
                text.append(characters[i])
                i += 1
            }
        }
        if !text.isEmpty { tokens.append(.text(text)) }
        return tokens
    }
}

/// A number as written in an output, with the precision its digits claim.
struct RecordedNumber: Equatable {
    let text: String
    let value: Double
    /// Half a unit in the last written digit (`0.3190` → 0.00005), or 0 for an integer (exact).
    let halfUnit: Double

    /// True when `other` agrees with this recorded number to the digits written here.
    ///
    /// A recorded integer must match exactly (`2` is not 2.4, which bnlab would show as `2.4000`);
    /// a recorded decimal matches any value that rounds to it (`0.3190` matches 0.31904, not 0.3192).
    func isMatched(by other: RecordedNumber) -> Bool {
        if value.isNaN || other.value.isNaN || value.isInfinite || other.value.isInfinite {
            return text == other.text
        }
        if halfUnit == 0 { return value == other.value }
        // The slack absorbs the binary representation of decimal fractions at the boundary.
        let slack = halfUnit * 1e-9 + Swift.max(abs(value), abs(other.value)) * 1e-15
        return abs(value - other.value) <= halfUnit + slack
    }

    /// The number starting at `start`, and the index after it; nil when none starts there.
    ///
    /// A number is `-?digits(.digits)?([eE][+-]?digits)?` that is not part of a word: no letter,
    /// digit, `_` or `.` just before it, no letter, digit or `_` just after it (`σ2`, `3rd`, `x1`
    /// stay text). A `-` is a sign only after the start, a space or an opening bracket or comma.
    static func scan(_ characters: [Character], at start: Int) -> (RecordedNumber, Int)? {
        func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        func isDigit(_ index: Int) -> Bool {
            index < characters.count && characters[index].isASCII && characters[index].isNumber
        }
        var i = start
        if characters[i] == "-" {
            if start > 0 && !" \t[(,=:{<".contains(characters[start - 1]) { return nil }
            i += 1
        } else if start > 0 {
            let before = characters[start - 1]
            if isWordCharacter(before) || before == "." { return nil }
        }
        guard isDigit(i) else { return nil }
        while isDigit(i) { i += 1 }
        var decimals = 0
        var isInteger = true
        if i + 1 < characters.count, characters[i] == ".", isDigit(i + 1) {
            isInteger = false
            i += 1
            while isDigit(i) { i += 1; decimals += 1 }
        }
        var exponent = 0
        if i < characters.count, characters[i] == "e" || characters[i] == "E" {
            var j = i + 1
            var negative = false
            if j < characters.count, characters[j] == "+" || characters[j] == "-" {
                negative = characters[j] == "-"
                j += 1
            }
            if isDigit(j) {
                let digitsStart = j
                while isDigit(j) { j += 1 }
                // Clamp: an absurd exponent is still just a number, never a crash.
                let magnitude = Int(String(characters[digitsStart..<min(j, digitsStart + 5)])) ?? 0
                exponent = negative ? -magnitude : magnitude
                isInteger = false
                i = j
            }
        }
        if i < characters.count, isWordCharacter(characters[i]) { return nil }
        let text = String(characters[start..<i])
        guard let value = Double(text) else { return nil }
        let halfUnit = isInteger ? 0 : 0.5 * pow10(exponent - decimals)
        return (RecordedNumber(text: text, value: value, halfUnit: halfUnit), i)
    }

    private static func pow10(_ n: Int) -> Double {
        Foundation.pow(10.0, Double(Swift.max(-400, Swift.min(400, n))))
    }
}
