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
        guard let data = FileManager.default.contents(atPath: file) else {
            let reason = FileManager.default.fileExists(atPath: file) ? "it cannot be read" : "no such file"
            throw ValidationError("cannot open '\(file)': \(reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("'\(file)' is not UTF-8 text")
        }
        Interrupts.install()
        let session = Session(output: Terminal.write)
        session.interpreter.interruptFlag = Interrupts.flag
        if let diagnostic = session.run(SourceFile(origin: .file(path: file), text: text)) {
            Terminal.report(diagnostic)
            throw ExitCode(diagnostic.kind == .interrupted ? 130 : 1)
        }
    }
}
