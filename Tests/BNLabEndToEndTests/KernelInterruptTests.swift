import Foundation
import Testing

/// Ctrl-C inside one long kernel (issue 8): the evaluator polls only between steps, so the
/// kernels themselves must notice the flag.
@Suite(.serialized) struct KernelInterruptTests {
    let home = ReplTestEnvironment.temporaryDirectory()

    /// A 2048 × 2048 product is 2^33 multiply-adds, seconds even in release and far longer in
    /// a debug build, and it is a single evaluation step.
    @Test func ctrlCStopsALongMatmulAndRollsItBack() throws {
        let terminal = try ReplPseudoTerminal(home: home, environment: ["NO_COLOR": "1"])
        try terminal.expect("bn> ")
        terminal.send("a = rand(2048, 2048)\r")
        try terminal.expect("bn> ", timeout: 20)
        terminal.send("b = a @ a\r")
        try terminal.expect("a @ a\n")
        usleep(300_000)
        let sent = Date()
        terminal.send("\u{3}")
        try terminal.expect("interrupted", timeout: 5)
        let elapsed = Date().timeIntervalSince(sent)
        try terminal.expect("bn> ", timeout: 5)
        #expect(elapsed < 1.0, "interrupted after \(elapsed) s")
        // The statement was rolled back: b was never bound.
        terminal.send("b\r")
        try terminal.expect("'b'")
        try terminal.expect("bn> ")
        terminal.send("\u{4}")
        #expect(terminal.waitForExit() == 0)
    }

    /// Reductions and elementwise kernels poll too: one statement of many passes over 2^26 elements.
    @Test func ctrlCStopsLongReductionsAndElementwiseWork() throws {
        let terminal = try ReplPseudoTerminal(home: home, environment: ["NO_COLOR": "1"])
        try terminal.expect("bn> ")
        terminal.send("x = zeros(2^26)\r")
        try terminal.expect("bn> ", timeout: 20)
        terminal.send("s = -1\r")
        try terminal.expect("bn> ")
        terminal.send("s = sum(exp(x) * x + var(x) + tanh(x) + sqrt(x) + abs(x) + sigmoid(x))\r")
        try terminal.expect("sigmoid(x))\n")
        usleep(200_000)
        let sent = Date()
        terminal.send("\u{3}")
        try terminal.expect("interrupted", timeout: 5)
        let elapsed = Date().timeIntervalSince(sent)
        try terminal.expect("bn> ", timeout: 5)
        #expect(elapsed < 1.0, "interrupted after \(elapsed) s")
        terminal.send("s\r")
        try terminal.expect("-1\n")
    }
}
