import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// When typed lines make a whole entry, and how pasted transcripts are cleaned.
@Suite struct ReplInputTests {
    @Test(arguments: [
        "x = [1, 2,",
        "mean(x,",
        "fn f(a) {",
        "fn f(a) {\n  b = a * 2",
        "y = x +",
        "y = x *",
        "a and",
        "b or",
        "x ==",
        "0..",
        "fn f(a) =",
        "check x,",
        "x = 1 + \\",
        "f([1, 2], [3,\n 4],",
        "for i in 0..3 {\n  if i > 1 {\n    print(i)\n  }",
    ])
    func continues(_ text: String) {
        #expect(ReplInput.needsContinuation(text))
    }

    @Test(arguments: [
        "",
        "x = [1, 2, 3]",
        "mean(x)",
        "fn f(a) {\n  b = a * 2\n  return b + 1\n}",
        "x = 1 # a comment with (",
        "\"unterminated (",
        "x)",
        "x = 1 +)",
        "print(\"(\")",
        "x.",
        "-x",
        "x = 'single quotes'",
        "x ** 2 + (",
        "for i in 0..3 { print(i) }",
    ])
    func isComplete(_ text: String) {
        #expect(!ReplInput.needsContinuation(text))
    }

    @Test func stripsPrompts() {
        #expect(ReplInput.strippingPrompt("bn> x = 1") == "x = 1")
        #expect(ReplInput.strippingPrompt("..>   2]") == "  2]")
        #expect(ReplInput.strippingPrompt("bn>") == "")
        #expect(ReplInput.strippingPrompt("bn > 3") == "bn > 3")
        #expect(ReplInput.strippingPrompt("bn>3") == "bn>3")
    }

    @Test func bufferJoinsContinuationLines() {
        var buffer = ReplEntryBuffer()
        #expect(buffer.prompt == "bn> ")
        #expect(buffer.add("fn f(a) {") == [])
        #expect(buffer.prompt == "..> ")
        #expect(buffer.add("  a + 1") == [])
        #expect(buffer.add("}") == ["fn f(a) {\n  a + 1\n}"])
        #expect(buffer.isEmpty)
    }

    @Test func pastedTranscriptRunsAsTyped() {
        var buffer = ReplEntryBuffer()
        let entries = buffer.add("bn> y = [1,\n..>   2]\nbn> y * 10\n")
        #expect(entries == ["y = [1,\n  2]", "y * 10"])
        #expect(buffer.isEmpty)
    }

    @Test func commandsAreOneLineEvenWithOpenBrackets() {
        var buffer = ReplEntryBuffer()
        #expect(buffer.add(":time mean(") == [":time mean("])
        #expect(buffer.add("?mean") == ["?mean"])
        #expect(buffer.add("x = ???") == ["x = ???"])
    }

    @Test func flushAndDiscard() {
        var buffer = ReplEntryBuffer()
        _ = buffer.add("x = [1,")
        #expect(buffer.flush() == "x = [1,")
        #expect(buffer.flush() == nil)
        _ = buffer.add("x = [1,")
        buffer.discard()
        #expect(buffer.isEmpty)
    }
}
