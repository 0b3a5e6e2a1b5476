import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// Where history lives, what is kept, and that file trouble never stops the REPL.
@Suite struct ReplHistoryTests {
    func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "bnlab-history-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func defaultPathFollowsXDG() {
        #expect(ReplHistory.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/bnlab/history")
        #expect(ReplHistory.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/state/bnlab/history")
        #expect(ReplHistory.defaultPath(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h/"]) == "/h/.local/state/bnlab/history")
        #expect(ReplHistory.defaultPath(environment: [:]) == nil)
    }

    @Test func entriesRoundTripThroughTheFile() {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/state/bnlab/history"
        var history = ReplHistory(path: path)
        let stored1 = history.record("x = 1")
        #expect(stored1)
        let stored2 = history.record("x = 1")
        #expect(!stored2, "a repeat of the previous entry is not stored")
        let stored3 = history.record("   ")
        #expect(!stored3)
        let stored4 = history.record("fn f(a) {\n  a + 1\n}")
        #expect(stored4)
        let stored5 = history.record("print(\"a\\nb\")")
        #expect(stored5)
        let stored6 = history.record("x = 1")
        #expect(stored6)
        let reloaded = ReplHistory(path: path)
        #expect(reloaded.entries == ["x = 1", "fn f(a) {\n  a + 1\n}", "print(\"a\\nb\")", "x = 1"])
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        #expect(text.split(separator: "\n").count == 4, "one line per entry")
    }

    @Test func capIsKept() {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/history"
        var history = ReplHistory(path: path, capacity: 10)
        for i in 0..<25 { history.record("x = \(i)") }
        #expect(history.entries.count <= 11)
        let reloaded = ReplHistory(path: path, capacity: 10)
        #expect(reloaded.entries.count == 10)
        #expect(reloaded.entries.last == "x = 24")
        #expect(reloaded.entries.first == "x = 15")
    }

    @Test func unwritablePlacesAreIgnored() {
        var history = ReplHistory(path: "/proc/definitely/not/writable/history")
        let stored7 = history.record("x = 1")
        #expect(stored7)
        #expect(history.entries == ["x = 1"])
        var none = ReplHistory(path: nil)
        let stored8 = none.record("y = 2")
        #expect(stored8)
    }

    @Test func encoding() {
        for entry in ["a\\nb", "a\nb", "\\", "x \\\n+ 1", "γ = 1"] {
            #expect(ReplHistory.decode(Substring(ReplHistory.encode(entry))) == entry)
            #expect(!ReplHistory.encode(entry).contains("\n"))
        }
    }

    @Test func twoSessionsAcrossTheTrimKeepEachOthersNewestEntries() {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/history"
        var a = ReplHistory(path: path, capacity: 20)
        var b = ReplHistory(path: path, capacity: 20)
        var typed: [String] = []
        // Each session trims when its own 23rd entry arrives (capacity + 10%), three times over.
        for i in 0..<60 {
            a.record("a\(i)"); typed.append("a\(i)")
            b.record("b\(i)"); typed.append("b\(i)")
        }
        let stored = ReplHistory.readEntries(path)
        #expect(stored.count >= 20)
        // Whatever was trimmed, the file holds the newest entries of both, in the order typed.
        #expect(stored == Array(typed.suffix(stored.count)))
        #expect(stored.suffix(2) == ["a59", "b59"])
        // A session started now loads the newest 20 of them.
        #expect(ReplHistory(path: path, capacity: 20).entries == Array(typed.suffix(20)))
    }

    @Test func carriageReturnsAndBackslashesRoundTrip() {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/history"
        let typed = ["a\rb", "x = 1\r\ny = 2", "\rz", "c\\rd", "e\\", "tab\there", "\\n"]
        var history = ReplHistory(path: path)
        for entry in typed { history.record(entry) }
        #expect(ReplHistory(path: path).entries == typed)
        for entry in typed {
            #expect(!ReplHistory.encode(entry).unicodeScalars.contains { $0 == "\n" || $0 == "\r" })
        }
    }

    @Test func aFileThatCannotBeWrittenIsReportedOnce() {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The history path is a folder: opening it for writing fails even for root.
        let path = directory + "/history"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var reports: [String] = []
        var history = ReplHistory(path: path)
        history.onWriteFailure = { reports.append($0) }
        for i in 0..<5 { history.record("x = \(i)") }
        #expect(reports.count == 1)
        #expect(reports.first?.hasPrefix("history cannot be saved to \(path): ") == true)
        #expect(history.entries.count == 5, "the session keeps its history in memory")
    }
}
