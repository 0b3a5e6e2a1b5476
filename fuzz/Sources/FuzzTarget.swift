// The libFuzzer entry point: each input runs as a script (as `bnlab run` does) and as REPL entries
// (as piped `bnlab repl` does), with all output discarded. See README, "Fuzzing", and `fuzz/run`.
//
// This file must stay the target's only file and hold only declarations. Built with
// `--sanitize=fuzzer`, SwiftPM compiles it as a library and libFuzzer supplies `main`; in a plain
// `swift build` it compiles as a script whose (empty) top level is `main`, so the whole package
// still builds and the binary just exits 0. A second file or any top-level statement breaks one
// of the two builds.
import BNLabCore
import Foundation

/// Wall time each of the two runs of one input may take: 0.2 s, or `BNLAB_FUZZ_DEADLINE_MS` (the
/// replay gives regressions longer). The interpreter stops at its deadline with "timed out", so an
/// endless loop is not a finding; only work that never polls it reaches libFuzzer's `-timeout`.
let fuzzTimeLimit: Duration = .milliseconds(
    ProcessInfo.processInfo.environment["BNLAB_FUZZ_DEADLINE_MS"].flatMap { Int($0) } ?? 200)

@_cdecl("LLVMFuzzerTestOneInput")
public func bnlabFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: data == nil ? 0 : size)
    // `bnlab run` refuses text that is not UTF-8; the REPL reads lines with invalid bytes repaired.
    if let text = String(validating: bytes, as: UTF8.self) {
        runAsScript(text)
    }
    runAsRepl(String(decoding: bytes, as: UTF8.self))
    return 0
}

/// What `bnlab run` does, without the terminal.
func runAsScript(_ text: String) {
    let session = Session(output: { _ in })
    session.interpreter.deadline = ContinuousClock.now + fuzzTimeLimit
    if let diagnostic = session.run(SourceFile(origin: .file(path: "fuzz.bn"), text: text)) {
        _ = DiagnosticRenderer.render(diagnostic, color: false)
    }
}

/// What the piped REPL loop does: lines through the entry buffer, each entry through the engine.
func runAsRepl(_ text: String) {
    let engine = ReplEngine(
        write: { _ in },
        report: { _ = DiagnosticRenderer.render($0, color: true) },
        remark: { _ in }
    )
    engine.session.interpreter.deadline = ContinuousClock.now + fuzzTimeLimit
    var buffer = ReplEntryBuffer()
    /// False once the session has ended (`:quit`).
    func handle(_ entry: String) -> Bool {
        var entry = entry
        switch ReplDirective.parse(entry) {
        case .success(.load)?:
            // Reading whatever path the fuzzer spells would make findings depend on the machine.
            return true
        case .success(.time(let code))?:
            // `:time` repeats its code for a second by design; run it once instead.
            entry = code
        default:
            break
        }
        return engine.handle(entry) != .quit
    }
    // `readLine` splits at "\n" and drops a "\r" before it.
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true { lines.removeLast() }
    for line in lines {
        let line = line.last == "\r" ? line.dropLast() : line
        for entry in buffer.add(String(line)) {
            guard handle(entry) else { return }
        }
    }
    if let pending = buffer.flush() { _ = handle(pending) }
}
