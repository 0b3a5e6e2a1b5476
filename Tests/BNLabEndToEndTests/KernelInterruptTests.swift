import Foundation
import Testing

/// Ctrl-C inside one long kernel (issue 8): the evaluator polls only between steps, so the
/// kernels themselves must notice the flag.
@Suite(.serialized) struct KernelInterruptTests {
    let home = ReplTestEnvironment.temporaryDirectory()

    /// Runs `setup` in a REPL, starts `statement` (echoed back ending in `echo`), presses Ctrl-C
    /// after `delay` µs, and asserts `interrupted` came within a second; the REPL is left at a prompt.
    private func interrupt(setup: [String], statement: String, echo: String, delay: useconds_t) throws -> ReplPseudoTerminal {
        let terminal = try ReplPseudoTerminal(home: home, environment: ["NO_COLOR": "1"])
        try terminal.expect("bn> ")
        for line in setup {
            terminal.send(line + "\r")
            try terminal.expect("bn> ", timeout: 20)
        }
        terminal.send(statement + "\r")
        try terminal.expect(echo)
        usleep(delay)
        let sent = Date()
        terminal.send("\u{3}")
        try terminal.expect("interrupted", timeout: 5)
        let elapsed = Date().timeIntervalSince(sent)
        try terminal.expect("bn> ", timeout: 5)
        #expect(elapsed < 1.0, "interrupted after \(elapsed) s")
        return terminal
    }

    /// A 2048 × 2048 product is 2^33 multiply-adds, seconds even in release and far longer in
    /// a debug build, and it is a single evaluation step.
    @Test func ctrlCStopsALongMatmulAndRollsItBack() throws {
        let terminal = try interrupt(setup: ["a = rand(2048, 2048)"], statement: "b = a @ a", echo: "a @ a\n", delay: 300_000)
        // The statement was rolled back: b was never bound.
        terminal.send("b\r")
        try terminal.expect("'b'")
        try terminal.expect("bn> ")
        terminal.send("\u{4}")
        #expect(terminal.waitForExit() == 0)
    }

    /// Reductions and elementwise kernels poll too: one statement of many passes over 2^26 elements.
    @Test func ctrlCStopsLongReductionsAndElementwiseWork() throws {
        let terminal = try interrupt(setup: ["x = zeros(2^26)", "s = -1"],
                                     statement: "s = sum(exp(x) * x + var(x) + tanh(x) + sqrt(x) + abs(x) + sigmoid(x))",
                                     echo: "sigmoid(x))\n", delay: 200_000)
        terminal.send("s\r")
        try terminal.expect("-1\n")
    }
}
