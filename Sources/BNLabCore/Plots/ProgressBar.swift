import Foundation

/// Where `progress(…)` draws its bar: a terminal's stderr, set by the `bnlab` executable when
/// stderr is one. Without it (pipes, files, lesson checks, tests) progress draws nothing.
public struct ProgressDisplay {
    /// Writes raw text (carriage returns and erase codes included) to the terminal.
    public var write: (String) -> Void
    /// The terminal's width in columns, read at each redraw so a resized window fits.
    public var width: () -> Int

    public init(write: @escaping (String) -> Void, width: @escaping () -> Int) {
        self.write = write
        self.width = width
    }

    /// Erase the current line: carriage return, then erase to its end.
    public static let eraseLine = "\r\u{1B}[K"
}

/// The text of a progress bar (training.md §8), a pure function of the counts and times.
public enum ProgressBar {
    /// Redraws at most this often (about ten times a second).
    public static let interval: Double = 0.1

    /// `  37/100 [███████▌            ]  37%  12.3 it/s  5 s left`, fitted to `width` columns;
    /// when done, the total time instead of the time left.
    public static func line(done: Int, total: Int, elapsed: Double, width: Int, finished: Bool = false) -> String {
        let countText = "\(String(repeating: " ", count: max(0, String(total).count - String(done).count)))\(done)/\(total)"
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let percent = String(format: "%3d%%", Int((fraction * 100).rounded(.down)))
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var tail = "  \(percent)"
        if done > 0 && elapsed > 0 { tail += "  \(rateText(rate))" }
        if finished {
            tail += "  \(timeText(elapsed))"
        } else if done > 0 && rate > 0 {
            tail += "  \(timeText(Double(total - done) / rate)) left"
        }
        let barWidth = min(40, width - countText.count - tail.count - 4)
        guard barWidth >= 5 else { return String((countText + tail).prefix(max(0, width - 1))) }
        return countText + " " + bar(fraction, width: barWidth) + tail
    }

    /// `[█████▌    ]`: whole blocks and one partial block in eighths.
    static func bar(_ fraction: Double, width: Int) -> String {
        let eighths = Int((fraction * Double(width) * 8).rounded(.down))
        let whole = min(width, eighths / 8)
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][whole < width ? eighths % 8 : 0]
        let used = whole + (partial.isEmpty ? 0 : 1)
        return "[" + String(repeating: "█", count: whole) + partial + String(repeating: " ", count: width - used) + "]"
    }

    static func rateText(_ rate: Double) -> String {
        rate >= 1 ? "\(SecondsText.significant(rate)) it/s" : "\(SecondsText.significant(1 / rate)) s/it"
    }

    /// `4.2 s`, `1:05`, `2:03:10`.
    static func timeText(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        if seconds < 60 { return "\(SecondsText.significant(seconds < 10 ? seconds : seconds.rounded())) s" }
        let s = Int(seconds.rounded())
        let h = s / 3600, m = s / 60 % 60, r = s % 60
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, r) : String(format: "%d:%02d", m, r)
    }
}
