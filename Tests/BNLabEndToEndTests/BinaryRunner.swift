import Foundation

/// Runs the built `bnlab` binary as a learner would, capturing what it prints.
enum BinaryRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The package root, from this file's place in `Tests/BNLabEndToEndTests`.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `bnlab` built next to the test bundle (the test target depends on it, so it is built first).
    static var binary: URL {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = exe.deletingLastPathComponent()
        // The bundle may be a directory (…/bnlabPackageTests.xctest/…); climb to where products live.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("bnlab")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/bnlab")
    }

    /// Runs bnlab (or `executable`) with arguments, standard input and environment changes (nil
    /// unsets a variable), in the package root unless `directory` says otherwise.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String?] = [:],
                    directory: URL? = nil, executable: URL? = nil, timeout: Double = 60) throws -> Result {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        // History, progress and hints go to a state folder of this run's own, never the tester's.
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        env["XDG_STATE_HOME"] = state.path
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        // A hung child fails its test instead of stalling the whole run.
        let watchdog = DispatchWorkItem { [process] in if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes before waiting, so a large output cannot block the child.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errBox.data, as: UTF8.self))
    }
}
