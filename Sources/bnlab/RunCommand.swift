import ArgumentParser
import BNLabCore
import Foundation

/// `bnlab run FILE.bn`: runs a script, showing bare expressions' values as a notebook cell would.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a .bn script; bare expressions show their values.",
        discussion: "Exits 0 when the script runs to the end, 1 at the first error or failed check (printed on stderr)."
    )

    @Argument(help: "The script to run.", completion: .file(extensions: ["bn"]))
    var file: String

    func run() throws {
        // Unreadable, oversized or non-UTF-8 scripts are errors in the script (exit 1); a path
        // that names nothing stays a usage error (exit 64).
        let decoded: Result<SourceFile, Diagnostic>
        switch SourceReader.readBytes(file, limit: SourceLimits.maxSourceBytes) {
        case .failure(.missing): throw ValidationError("cannot open '\(file)': no such file")
        case .failure(let problem): decoded = .failure(Diagnostic(problem.message(name: file)))
        case .success(let bytes): decoded = SourceReader.decode(bytes, origin: .file(path: file))
        }
        let source: SourceFile
        switch decoded {
        case .success(let read): source = read
        case .failure(let diagnostic):
            Terminal.report(diagnostic)
            throw ExitCode(1)
        }
        Interrupts.install()
        let session = Session(output: Terminal.write)
        session.interpreter.interruptFlag = Interrupts.flag
        session.interpreter.lineWidth = Terminal.tensorLineWidth
        Terminal.prepare(session.interpreter)
        if let diagnostic = session.run(source) {
            Terminal.report(diagnostic)
            throw ExitCode(diagnostic.kind == .interrupted ? 130 : 1)
        }
    }
}
