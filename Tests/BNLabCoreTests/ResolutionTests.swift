import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// Resolution is a side table: the parsed tree carries names only, so one tree can run anywhere.
@Suite("Resolution kept off the syntax tree")
struct ResolutionTests {
    static let source = """
        fn f(a, b=2) {
          t = a * b
          t + y
        }
        z = f(3)
        w = f(b=1, a=4)
        """

    static func number(_ interpreter: Interpreter, _ name: String) -> Double? {
        if case .number(let v) = interpreter.globals.value(of: name) { return v }
        return nil
    }

    @Test("one parsed program runs in sessions that number their globals differently")
    func oneTreeTwoGlobalTables() throws {
        let file = SourceFile(origin: .named("<test>"), text: Self.source)
        let program = try Parser.parse(file)
        let first = Interpreter(output: { _ in })
        first.globals.set("y", .number(10))
        let second = Interpreter(output: { _ in })
        // Extra names first, so `y`, `z`, `w` and `f` get other slots here than in `first`.
        for k in 0..<5 { second.globals.set("pad\(k)", .number(0)) }
        second.globals.set("y", .number(100))
        #expect(first.globals.slot(for: "y") != second.globals.slot(for: "y"))

        try first.execute(program, in: file)
        try second.execute(program, in: file)
        // z = 3 * 2 + y, w = 4 * 1 + y.
        #expect(Self.number(first, "z") == 16 && Self.number(first, "w") == 14)
        #expect(Self.number(second, "z") == 106 && Self.number(second, "w") == 104)

        // Run again after y changes: the same declaration, resolved again, still reads y's slot.
        first.globals.set("y", .number(1000))
        try first.execute(program, in: file)
        #expect(Self.number(first, "z") == 1006 && Self.number(first, "w") == 1004)
    }

    @Test("an unbound name is reported by its name from the tree, in the function's own file")
    func unboundNamesKeepTheirNames() throws {
        let interpreter = Interpreter(output: { _ in })
        let definition = SourceFile(origin: .named("<defs>"), text: "fn g(n) {\n  k = n\n  missing_name + k\n}")
        try interpreter.execute(try Parser.parse(definition), in: definition)
        let call = SourceFile(origin: .named("<call>"), text: "g(1)")
        do {
            try interpreter.execute(try Parser.parse(call), in: call)
            Issue.record("g(1) should fail")
        } catch {
            #expect(error.message == "unknown name 'missing_name'")
            #expect(error.file?.origin == .named("<defs>"))
            #expect(error.range.map { String(definition.slice($0)) } == "missing_name")
        }
    }
}
