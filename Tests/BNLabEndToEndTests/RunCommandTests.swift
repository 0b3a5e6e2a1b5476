import Foundation
import Testing

@Suite("bnlab run, end to end")
struct RunCommandTests {
    static let examples = ["bn-from-scratch", "channel-statistics", "running-statistics", "minmax-vs-zscore",
                           "tutorial-mlp", "tutorial-conv-eval", "keras-dense-bn", "digits-mlp"]

    @Test("each example prints its recorded output and exits 0", arguments: examples)
    func example(_ name: String) throws {
        let result = try BinaryRunner.run(["run", "examples/\(name).bn"])
        let recorded = try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent("examples/\(name).out"), encoding: .utf8)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == recorded)
    }

    @Test("the examples' key numbers, derived by hand, appear in their recorded outputs")
    func exampleNumbers() throws {
        func recorded(_ name: String) throws -> String {
            try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent("examples/\(name).out"), encoding: .utf8)
        }
        // Channel c of arange(36).reshape(3, 3, 2, 2) holds 12n + 4c + k: mean 13.5 + 4c,
        // biased variance 144·(2/3) + 1.25 = 97.25.
        #expect(try recorded("channel-statistics").contains("[13.5000, 17.5000, 21.5000]\n[97.2500, 97.2500, 97.2500]"))
        // Column means of the [4, 3] batch: (1+3+5+7)/4, (2+6+10+18)/4, 2/4; biased variances 20/4, 140/4, 1/4.
        #expect(try recorded("bn-from-scratch").hasPrefix("[4.0000, 9.0000, 0.5000]\n[ 5.0000, 35.0000,  0.2500]"))
        // First batch [0, 2, 4, 6] / [10, 20, 10, 20]: mean [3, 15], unbiased variance [20/3, 100/3];
        // running mean 0.1·[3, 15], running variance 0.9 + 0.1·[6.6667, 33.3333].
        #expect(try recorded("running-statistics").contains("after batch 1 running_mean [0.3000, 1.5000] running_var [1.5667, 4.2333]"))
        // √(27² + 500²) = 500.7285 and 2000 before scaling.
        #expect(try recorded("minmax-vs-zscore").hasPrefix("500.7285\n2000\n"))
        // Random labels among 10 classes: the best a model can do is ln 10 = 2.3026 on average,
        // so the tutorial's loop ends near it; Adam's first step moves a weight by at most lr.
        let mlp = try recorded("tutorial-mlp")
        let last = try #require(mlp.split(separator: "\n").first { $0.hasPrefix("step 99 loss ") })
        let loss = try #require(Double(last.dropFirst("step 99 loss ".count)))
        #expect(abs(loss - 2.302585) < 0.1)
        #expect(mlp.contains("largest first-step change 0.0010\n"))
        // Padding 2 around a 3×3 image, a 3×3 kernel: (3 + 2·2 − 3) + 1 = 5 per side, 3 channels.
        #expect(try recorded("tutorial-conv-eval").contains("[1, 3, 5, 5]\n"))
        // Keras's momentum 0.99 keeps 0.99 of the old value: 0.99^240 = 0.0896 after 240 steps.
        let keras = try recorded("keras-dense-bn")
        #expect(keras.contains("BatchNorm(16, eps=0.001, momentum=0.01, training)"))
        #expect(keras.contains("after 240 steps 0.0896\n"))
        // 1297 training images in batches of 60: 21 full batches (37 left over). Each accuracy is
        // a count of correct answers out of the 500 test images, so a multiple of 1/500.
        let digits = try recorded("digits-mlp")
        #expect(digits.contains("\n[21, 60]\n"))
        let rows = digits.split(separator: "\n").drop { !$0.hasPrefix("epoch") }.dropFirst().prefix { !$0.contains("test accuracy per epoch") }
        #expect(rows.count == 8)
        // The plot's legend names both series; the first image's label in the data file is 0.
        #expect(digits.contains("     * plain   o BN\n"))
        #expect(digits.contains("max 15 (\"@\")\n0\n"))
        for row in rows {
            let numbers = row.split(separator: " ").compactMap { Double($0) }
            #expect(numbers.count == 3)
            for accuracy in numbers.dropFirst() {
                #expect(accuracy > 0.1 && accuracy <= 1 && abs(accuracy * 500 - (accuracy * 500).rounded()) < 1e-9)
            }
        }
    }

    @Test("an error prints the diagnostic on stderr and exits 1")
    func errorExit() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("bad.bn")
        try "x = arange(6).reshape(3, 2)\nx\ny = x + [1, 2, 3, 4]\nprint(\"not reached\")\n".write(to: script, atomically: true, encoding: .utf8)
        let result = try BinaryRunner.run(["run", "bad.bn"], directory: directory)
        #expect(result.status == 1)
        #expect(result.stdout == "[[0, 1],\n [2, 3],\n [4, 5]]\nshape [3, 2]\n")
        #expect(result.stderr == """
            error: cannot broadcast shapes [3, 2] and [4]
             --> bad.bn:3:5
              |
            3 | y = x + [1, 2, 3, 4]
              |     ^   ^^^^^^^^^^^^

            """)
    }

    @Test("a failed check exits 1 and says what was got and expected")
    func failedCheck() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "m = mean([1, 2, 3])\ncheck allclose(m, 2.5)\n".write(to: directory.appendingPathComponent("c.bn"), atomically: true, encoding: .utf8)
        let result = try BinaryRunner.run(["run", "c.bn"], directory: directory)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: check failed: allclose(m, 2.5)\n --> c.bn:2:7\n"))
        #expect(result.stderr.contains("= note: got      2\n"))
        // One note: the second line sits under the first, past "  = note: ".
        #expect(result.stderr.contains("= note: got      2\n          expected 2.5000\n"))
    }

    @Test("the limits of issue 2 end in a diagnostic and exit 1", arguments: [
        ("zeros(1000000, 1000000)", "more than the limit of 268435456"),
        (String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000), "too deeply nested"),
        ("fn f(n) = f(n + 1)\nf(0)", "recursion too deep"),
    ])
    func limits(_ source: String, _ message: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try source.write(to: directory.appendingPathComponent("limit.bn"), atomically: true, encoding: .utf8)
        let result = try BinaryRunner.run(["run", "limit.bn"], directory: directory)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: "))
        #expect(result.stderr.contains(message))
        #expect(result.stderr.count < 2000)
    }

    @Test("usage errors exit 64")
    func usage() throws {
        #expect(try BinaryRunner.run(["run"]).status == 64)
        #expect(try BinaryRunner.run(["run", "no/such/file.bn"]).status == 64)
        #expect(try BinaryRunner.run(["frobnicate"]).status == 64)
        let help = try BinaryRunner.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("run"))
    }
}

@Suite("The README")
struct ReadmeTests {
    @Test("the language tour runs, and shows the values its comments promise")
    func tour() throws {
        let readme = try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = readme.components(separatedBy: "## The language in a short tour").dropFirst().first ?? ""
        let block = section.components(separatedBy: "```").dropFirst().first ?? ""
        #expect(block.contains("BatchNorm(3)"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try block.write(to: directory.appendingPathComponent("tour.bn"), atomically: true, encoding: .utf8)
        let result = try BinaryRunner.run(["run", "tour.bn"], directory: directory)
        #expect(result.status == 0, "\(result.stderr)")
        // The comments in the tour state these values; each line of output must be one of them.
        #expect(result.stdout.hasPrefix("[13.5000, 17.5000, 21.5000]\n[97.2500, 97.2500, 97.2500]\n[1.3500, 1.7500, 2.1500]\n"))
        #expect(block.contains("# one mean per channel: [13.5000, 17.5000, 21.5000]"))
        #expect(block.contains("[97.2500, 97.2500, 97.2500]"))
        #expect(block.contains("# [1.3500, 1.7500, 2.1500]"))
    }
}
