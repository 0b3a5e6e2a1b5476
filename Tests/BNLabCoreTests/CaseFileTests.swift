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
    /// Notes the diagnostic must carry: kind ("note" or "help"), message, and for a note the line
    /// its caret must point at (`# expect note:` on that line, or alone under it).
    var expectedNotes: [(kind: String, message: String, line: Int)] = []

    var testDescription: String { "\(URL(fileURLWithPath: path).lastPathComponent):\(firstLine)" }
}

/// Reads the case files of `Tests/Cases`, layer by layer, so the first failure names the lowest broken part.
///
/// Format: chunks separated by a line `# ---` run each in a fresh session. `# expect: TEXT` (trailing
/// a line or alone on one) is the next line of output; `# expect error: MESSAGE` is the diagnostic
/// that ends the chunk, which must point at that line (or, alone on a line, the code line above).
/// `# expect help: TEXT` is a help line that diagnostic carries; `# expect note: TEXT` a located
/// note (such as "'(' opened here") whose caret is on that line, in the same way.
enum CaseFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Cases")

    static func layers() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
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
        var lines: [String] = [], output: [String] = [], error: (String, Int)?
        var notes: [(kind: String, message: String, line: Int)] = []
        var start = 1, lastCodeLine = 1
        func flush() {
            if lines.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                result.append(LanguageCase(path: path, firstLine: start, source: lines.joined(separator: "\n"),
                                           expectedOutput: output, expectedError: error, expectedNotes: notes))
            }
            lines = []; output = []; error = nil; notes = []
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
                                expectedError: c.expectedError, expectedNotes: c.expectedNotes)
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
            if d.message != e.message || line != e.line {
                problems.append("expected error '\(e.message)' on line \(e.line), got:\n" + DiagnosticRenderer.render(d))
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
        #expect(layers.count >= 8)
        for layer in layers { #expect(!CaseFiles.cases(in: layer).isEmpty, "layer \(layer) has no cases") }
    }

    @Test("01 lexing", arguments: CaseFiles.cases(in: "01-lexing")) func lexing(_ c: LanguageCase) { check(c) }
    @Test("02 literals", arguments: CaseFiles.cases(in: "02-literals")) func literals(_ c: LanguageCase) { check(c) }
    @Test("03 arithmetic and broadcasting", arguments: CaseFiles.cases(in: "03-arithmetic")) func arithmetic(_ c: LanguageCase) { check(c) }
    @Test("04 indexing", arguments: CaseFiles.cases(in: "04-indexing")) func indexing(_ c: LanguageCase) { check(c) }
    @Test("05 reductions", arguments: CaseFiles.cases(in: "05-reductions")) func reductions(_ c: LanguageCase) { check(c) }
    @Test("06 functions and control flow", arguments: CaseFiles.cases(in: "06-functions")) func functions(_ c: LanguageCase) { check(c) }
    @Test("07 builtins", arguments: CaseFiles.cases(in: "07-builtins")) func builtins(_ c: LanguageCase) { check(c) }
    @Test("08 BN family", arguments: CaseFiles.cases(in: "08-bn-family")) func bnFamily(_ c: LanguageCase) { check(c) }
    @Test("09 the BatchNorm layer", arguments: CaseFiles.cases(in: "09-layer")) func layer(_ c: LanguageCase) { check(c) }
    @Test("10 limits", arguments: CaseFiles.cases(in: "10-limits")) func limits(_ c: LanguageCase) { check(c) }
    @Test("11 Python, numpy and PyTorch habits", arguments: CaseFiles.cases(in: "11-habits")) func habits(_ c: LanguageCase) { check(c) }

    private func check(_ c: LanguageCase) {
        if let problem = CaseFiles.run(c) {
            Issue.record("\(c.path):\(c.firstLine): \(problem)")
        }
    }
}
