import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// Parsing of `:commands` and `?NAME`.
@Suite struct ReplDirectiveTests {
    func parsed(_ line: String) -> ReplDirective? {
        guard case .success(let directive)? = ReplDirective.parse(line) else { return nil }
        return directive
    }

    func error(_ line: String) -> ReplDirective.ParseError? {
        guard case .failure(let error)? = ReplDirective.parse(line) else { return nil }
        return error
    }

    @Test func commands() {
        #expect(parsed(":help") == .help(topic: nil))
        #expect(parsed(":help mean") == .help(topic: "mean"))
        #expect(parsed("?mean") == .help(topic: "mean"))
        #expect(parsed("mean?") == .help(topic: "mean"))
        #expect(parsed("  :vars  ") == .vars)
        #expect(parsed(":reset") == .reset)
        #expect(parsed(":load examples/a b.bn") == .load(path: "examples/a b.bn"))
        #expect(parsed(":load \"x.bn\"") == .load(path: "x.bn"))
        #expect(parsed(":time mean(randn(100))") == .time(code: "mean(randn(100))"))
        #expect(parsed(":set precision 6") == .setPrecision(6))
        #expect(parsed(":set precision=2") == .setPrecision(2))
        #expect(parsed(":set") == .setPrecision(nil))
        #expect(parsed(":quit") == .quit)
        #expect(parsed(":q") == .quit)
        #expect(parsed(":exit") == .quit)
    }

    @Test func codeIsNotACommand() {
        #expect(ReplDirective.parse("x = 1") == nil)
        #expect(ReplDirective.parse("???") == nil)
        #expect(ReplDirective.parse("x = ???") == nil)
        #expect(ReplDirective.parse("x[1:2]") == nil)
    }

    @Test func mistakes() {
        #expect(error(":hlep")?.help == "did you mean ':help'?")
        #expect(error(":frobnicate")?.message == "unknown command ':frobnicate'")
        #expect(error(":set precision -1") != nil)
        #expect(error(":set precision 99") != nil)
        #expect(error(":set precision x") != nil)
        #expect(error(":set colour on")?.message == "unknown setting 'colour'")
        #expect(error(":load") != nil)
        #expect(error(":time") != nil)
        #expect(error(":vars x") != nil)
        #expect(error(":") != nil)
    }
}
