import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// One independent case of a `.bn` case file: source, expected output lines and expected error.
struct LanguageCase: CustomTestStringConvertible, Sendable {
    let path: String
    let firstLine: Int
    let source: String
    let expectedOutput: [String]
    /// The expected diagnostic's message and the line (within the file) it must point at.
    var expectedError: (message: String, line: Int)?
    /// When given (`# expect error@7:`), the column its caret must start at; further columns
    /// (`@5,11`) are the starts of the extra ranges it highlights on that line, in order.
    var expectedColumns: [Int] = []
    /// Notes the diagnostic must carry: kind ("note" or "help"), message, and for a note the line
    /// its caret must point at (`# expect note:` on that line, or alone under it).
    var expectedNotes: [(kind: String, message: String, line: Int)] = []

    var testDescription: String {
        let url = URL(fileURLWithPath: path)
        return "\(url.deletingLastPathComponent().lastPathComponent)/\(url.lastPathComponent):\(firstLine)"
    }
}

/// Reads the case files of `Tests/Cases`, layer by layer, so the first failure names the lowest broken part.
///
/// Format: chunks separated by a line `# ---` run each in a fresh session. `# expect: TEXT` (trailing
/// a line or alone on one) is the next line of output; `# expect error: MESSAGE` is the diagnostic
/// that ends the chunk, which must point at that line (or, alone on a line, the code line above).
/// `# expect error@COL: MESSAGE` also fixes the caret's column (1-based, in characters), and
/// `# expect error@COL,COL2: MESSAGE` the columns of further ranges the diagnostic highlights on
/// that line (a broadcast error marks both operands).
/// `# expect help: TEXT` is a help line that diagnostic carries; `# expect note: TEXT` a located
/// note (such as "'(' opened here") whose caret is on that line, in the same way.
/// Layers are the folders of `Tests/Cases`, found on disk (see README.md there).
enum CaseFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Cases")

    /// Every folder under `root`, ordered by the number its name starts with (`2-…` before `10-…`);
    /// a folder without a number sorts last, where the discovery test names it.
    static func layers(under root: URL = root) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        let folders = names.filter { name in
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
        return folders.sorted { a, b in
            switch (layerNumber(a), layerNumber(b)) {
            case let (x?, y?) where x != y: return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a < b
            }
        }
    }

    /// The number a layer's name starts with: 12 for `12-objects`.
    static func layerNumber(_ name: String) -> Int? {
        Int(name.prefix { $0.isASCII && $0.isNumber })
    }

    /// Every case of every layer, lowest layer first.
    static func allCases() -> [LanguageCase] {
        layers().flatMap { cases(in: $0) }
    }

    static func cases(in layer: String) -> [LanguageCase] {
        let directory = root.appendingPathComponent(layer)
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".bn") }.sorted()
        return files.flatMap { parse(directory.appendingPathComponent($0).path) }
    }

    static func parse(_ path: String) -> [LanguageCase] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var result: [LanguageCase] = []
        var lines: [String] = [], output: [String] = [], error: (String, Int)?, columns: [Int] = []
        var notes: [(kind: String, message: String, line: Int)] = []
        var start = 1, lastCodeLine = 1
        func flush() {
            if lines.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                result.append(LanguageCase(path: path, firstLine: start, source: lines.joined(separator: "\n"),
                                           expectedOutput: output, expectedError: error, expectedColumns: columns,
                                           expectedNotes: notes))
            }
            lines = []; output = []; error = nil; columns = []; notes = []
        }
        for (offset, line) in text.components(separatedBy: "\n").enumerated() {
            let number = offset + 1
            if line.trimmingCharacters(in: .whitespaces) == "# ---" {
                flush()
                start = number + 1
                lines = []
                continue
            }
            let code = line.range(of: "# expect").map { String(line[..<$0.lowerBound]) } ?? line
            let isCode = !code.trimmingCharacters(in: .whitespaces).isEmpty
            if isCode { lastCodeLine = number }
            if let r = line.range(of: "# expect note: ") {
                notes.append(("note", String(line[r.upperBound...]), isCode ? number : lastCodeLine))
            } else if let r = line.range(of: "# expect help: ") {
                notes.append(("help", String(line[r.upperBound...]), isCode ? number : lastCodeLine))
            } else if let r = line.range(of: "# expect error: ") {
                error = (String(line[r.upperBound...]), isCode ? number : lastCodeLine)
            } else if let r = line.range(of: "# expect error@"), let colon = line[r.upperBound...].range(of: ": ") {
                // Columns that do not parse make the case fail rather than be dropped.
                let written = line[r.upperBound..<colon.lowerBound].split(separator: ",")
                columns = written.map { Int($0.trimmingCharacters(in: .whitespaces)) ?? 0 }
                error = (String(line[colon.upperBound...]), isCode ? number : lastCodeLine)
            } else if let r = line.range(of: "# expect: ") {
                output.append(String(line[r.upperBound...]))
            } else if line.hasSuffix("# expect:") {
                output.append("")
            }
            // Keep line numbers aligned with the file: blank out lines of earlier chunks.
            lines.append(line)
        }
        flush()
        return result.map { c in
            // Pad so that diagnostics report the file's own line numbers.
            let padded = String(repeating: "\n", count: c.firstLine - 1) + c.source
            return LanguageCase(path: c.path, firstLine: c.firstLine, source: padded, expectedOutput: c.expectedOutput,
                                expectedError: c.expectedError, expectedColumns: c.expectedColumns,
                                expectedNotes: c.expectedNotes)
        }
    }

    /// Runs a case; nil when it behaves as written, else what differed.
    static func run(_ c: LanguageCase) -> String? {
        var output = ""
        let session = Session(output: { output += $0 })
        let file = SourceFile(origin: .file(path: c.path), text: c.source)
        let diagnostic = session.run(file)
        var problems: [String] = []
        var got = output.components(separatedBy: "\n")
        if got.last == "" { got.removeLast() }
        got = got.map { line in
            var l = line
            while l.hasSuffix(" ") { l.removeLast() }
            return l
        }
        if got != c.expectedOutput {
            problems.append("output differs\n--- expected\n\(c.expectedOutput.joined(separator: "\n"))\n--- got\n\(got.joined(separator: "\n"))")
        }
        switch (c.expectedError, diagnostic) {
        case (nil, nil):
            break
        case (nil, let d?):
            problems.append("unexpected error:\n" + DiagnosticRenderer.render(d))
        case (let e?, nil):
            problems.append("expected error '\(e.message)' on line \(e.line), but the case ran to the end")
        case (let e?, let d?):
            let line = d.range.map { file.location(of: $0.start).line }
            let columns = ([d.range] + d.highlights.map { Optional($0) }).compactMap { $0 }.map { file.location(of: $0.start).column }
            let place = c.expectedColumns.isEmpty ? "" : " at column\(c.expectedColumns.count > 1 ? "s" : "") "
                + c.expectedColumns.map(String.init).joined(separator: ", ")
            if d.message != e.message || line != e.line || (!c.expectedColumns.isEmpty && columns != c.expectedColumns) {
                problems.append("expected error '\(e.message)' on line \(e.line)\(place), got:\n" + DiagnosticRenderer.render(d))
            }
        }
        if let d = diagnostic {
            for expected in c.expectedNotes {
                let found = d.notes.contains { note in
                    note.kind.rawValue == expected.kind && note.message == expected.message
                        && (note.range.map { file.location(of: $0.start).line == expected.line } ?? (expected.kind == "help"))
                }
                if !found {
                    let place = expected.kind == "note" ? " pointing at line \(expected.line)" : ""
                    problems.append("expected \(expected.kind) '\(expected.message)'\(place), got:\n" + DiagnosticRenderer.render(d))
                }
            }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "\n")
    }
}

@Suite("Language case files, lowest layer first")
struct CaseFileTests {
    @Test("layers exist and each holds cases")
    func layersExist() {
        let layers = CaseFiles.layers()
        #expect(layers.count >= 11)
        for layer in layers { #expect(!CaseFiles.cases(in: layer).isEmpty, "layer \(layer) has no cases") }
    }

    @Test("discovery finds every folder of Tests/Cases, each named by a number")
    func discoveryFindsEveryFolder() throws {
        let listed = try FileManager.default.contentsOfDirectory(at: CaseFiles.root, includingPropertiesForKeys: [.isDirectoryKey])
            .filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
            .map(\.lastPathComponent)
        #expect(Set(CaseFiles.layers()) == Set(listed))
        for layer in listed { #expect(CaseFiles.layerNumber(layer) != nil, "layer \(layer) does not start with a number") }
        #expect(CaseFiles.allCases().count == CaseFiles.layers().reduce(0) { $0 + CaseFiles.cases(in: $1).count })
    }

    @Test("every .bn file under Tests/Cases sits directly in a layer folder, so none is skipped")
    func noStrayCaseFiles() throws {
        let enumerator = try #require(FileManager.default.enumerator(atPath: CaseFiles.root.path))
        let found = Set(enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".bn") })
        let run = Set(CaseFiles.layers().flatMap { layer in
            ((try? FileManager.default.contentsOfDirectory(atPath: CaseFiles.root.appendingPathComponent(layer).path)) ?? [])
                .filter { $0.hasSuffix(".bn") }.map { "\(layer)/\($0)" }
        })
        #expect(found == run, "not run: \(found.subtracting(run).sorted())")
        for file in run.sorted() {
            #expect(!CaseFiles.parse(CaseFiles.root.appendingPathComponent(file).path).isEmpty, "\(file) holds no case")
        }
    }

    @Test("a new numbered folder is found and ordered by its number, not its spelling")
    func discoveryOrdersByNumber() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-cases-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for name in ["11-habits", "2-literals", "12-objects", "01-lexing", "notes"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try Data("x\n".utf8).write(to: root.appendingPathComponent("README.md"))
        #expect(CaseFiles.layers(under: root) == ["01-lexing", "2-literals", "11-habits", "12-objects", "notes"])
    }

    @Test("an error expectation can fix the column, and a wrong column fails the case")
    func errorColumns() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-case-\(UUID().uuidString).bn").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // 'shap' starts at column 3 of `x.shap`, counted by hand.
        try "x = [1]\nx.shap  # expect error@3: a tensor has no member 'shap'\n".write(toFile: path, atomically: true, encoding: .utf8)
        let parsed = CaseFiles.parse(path)
        #expect(parsed.count == 1)
        let c = try #require(parsed.first)
        #expect(c.expectedColumns == [3])
        #expect(c.expectedError?.line == 2)
        #expect(CaseFiles.run(c) == nil)
        var wrong = c
        wrong.expectedColumns = [1]
        #expect(CaseFiles.run(wrong)?.contains("at column 1") == true)
        var extra = c
        extra.expectedColumns = [3, 5]
        #expect(CaseFiles.run(extra) != nil)
    }

    // Serialized so that cases run, and fail, in layer order: the first failure is the lowest broken layer.
    @Test("case", .serialized, arguments: CaseFiles.allCases())
    func languageCase(_ c: LanguageCase) {
        if let problem = CaseFiles.run(c) {
            Issue.record("\(c.path):\(c.firstLine): \(problem)")
        }
    }
}
