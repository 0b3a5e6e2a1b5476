#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs the built bnlab as a child and measures it: exit status, output, wall time and the
/// child's own peak resident memory, for the tests that bound what an input may cost.
///
/// The peak comes from `/usr/bin/time` when it is installed: a child spawned from the test
/// runner itself would report the runner's high-water mark (Linux carries `ru_maxrss` across
/// exec). Without it, the child's VmHWM is sampled until it exits, which can only miss part of
/// the peak: a memory test may then pass too easily, never fail by mistake.
enum ChildMeasurement {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var peakBytes: Int
        var seconds: Double
    }

    /// Runs bnlab with `arguments` in `directory`, standard input from `stdinPath`, exactly
    /// `environment`; killed after `timeout` seconds.
    static func run(_ arguments: [String], environment: [String: String], directory: String,
                    stdinPath: String = "/dev/null", timeout: Double = 60) throws -> Result {
        let out = directory + "/.out", err = directory + "/.err", usage = directory + "/.usage"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let time = "/usr/bin/time"
        let hasTime = FileManager.default.isExecutableFile(atPath: time)
        // `env -C` starts it in `directory` without changing the test runner's own directory.
        let argv = ["/usr/bin/env", "-C", directory] + (hasTime ? [time, "-o", usage, "-f", "%M"] : [])
            + [BinaryRunner.binary.path] + arguments
        let env = environment.map { "\($0.key)=\($0.value)" }
        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup($0) } + [nil]
        defer { (cArgv + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        let start = Date()
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArgv, cEnv)
        guard spawned == 0 else { throw POSIXError(.init(rawValue: spawned) ?? .EIO) }
        var sampled = 0
        var status: Int32 = 0
        while true {
            if !hasTime { sampled = max(sampled, highWaterMark(of: pid)) }
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid || (done < 0 && errno != EINTR) { break }
            if Date().timeIntervalSince(start) > timeout { kill(pid, SIGKILL) }
            usleep(1000)
        }
        let seconds = Date().timeIntervalSince(start)
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        let reported = read(usage).split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        return Result(status: code, stdout: read(out), stderr: read(err),
                      peakBytes: hasTime ? (reported ?? 0) * 1024 : sampled, seconds: seconds)
    }

    /// A running process's peak resident memory so far, in bytes (0 once it is gone).
    private static func highWaterMark(of pid: pid_t) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes * 1024
    }
}
