#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process in a process group of its own, its standard output read through a pipe.
///
/// Its own group keeps the terminal's Ctrl-C away from it: the parent sees the interrupt and
/// ends the whole group, so nothing the child started outlives `check exercises`. It inherits
/// the parent's environment, and with it settings such as the session memory budget.
struct ChildProcess {
    let pid: pid_t
    /// The read end of the child's standard output.
    private let output: Int32

    /// How the child ended.
    enum Ending: Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    /// What `run` saw: the child's output and how it ended, or why it was cut short.
    enum Outcome {
        case finished([UInt8], Ending)
        case timedOut
        case interrupted
        case outputTooLarge
    }

    /// The most output kept; a grade is a line of JSON, so more means something is wrong.
    static let outputLimit = 64 << 20

    /// Starts `arguments[0]` with the rest as its arguments, stdin and stderr on /dev/null.
    static func spawn(_ arguments: [String]) -> ChildProcess? {
        guard let executable = arguments.first else { return nil }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        // Close-on-exec on both ends: only the dup2'd copy (the child's fd 1) survives the exec.
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        close(fds[1])
        guard status == 0 else {
            close(fds[0])
            return nil
        }
        return ChildProcess(pid: pid, output: fds[0])
    }

    /// Reads the child's output while it runs (so a large output cannot block it on a full pipe)
    /// until it ends, `seconds` pass, or `interrupted()` says to stop; the child is gone on return.
    func run(seconds: Double, interrupted: () -> Bool) -> Outcome {
        defer { close(output) }
        let start = monotonicSeconds()
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var open = true
        while true {
            if interrupted() { return end(.interrupted) }
            if monotonicSeconds() - start > seconds { return end(.timedOut) }
            if open {
                var descriptor = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
                // Short waits keep Ctrl-C and the deadline prompt (poll also returns on EINTR).
                if poll(&descriptor, 1, 50) > 0 {
                    let n = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
                    if n > 0 {
                        data += buffer[..<n]
                        if data.count > Self.outputLimit { return end(.outputTooLarge) }
                    } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                        open = false
                    }
                }
            } else {
                var status: Int32 = 0
                let result = waitpid(pid, &status, WNOHANG)
                if result == pid { return .finished(data, Self.ending(status)) }
                if result < 0 && errno != EINTR { return .finished(data, .signalled(0)) }
                usleep(10_000)
            }
        }
    }

    /// Ends the child's whole group and reaps the child.
    private func end(_ outcome: Outcome) -> Outcome {
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return outcome
    }

    private static func ending(_ status: Int32) -> Ending {
        // The low seven bits hold the signal that ended it, zero for a normal exit.
        (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
    }

    private func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }
}
