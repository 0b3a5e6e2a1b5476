/// A live bnlab session: one global scope in which scripts, REPL entries and lesson cells run.
public final class Session {
    public let interpreter: Interpreter
    /// When set, a failing top-level statement leaves the session as it was before that statement.
    public var rollsBackFailedStatements = false

    public init(output: @escaping (String) -> Void) {
        interpreter = Interpreter(output: output)
    }

    // A function's compiled body reads the global slots, which hold the function: a cycle that
    // would keep every global of a finished session (a graded exercise, a checked lesson) alive.
    deinit {
        for name in interpreter.globals.names { interpreter.globals.set(name, nil) }
    }

    /// Parses and runs source text, stopping at the first error; nil when all of it ran.
    @discardableResult
    public func run(_ file: SourceFile) -> Diagnostic? {
        LargeStack.run { [self] in
            do throws(Diagnostic) {
                try runHere(file)
                return nil
            } catch {
                return error
            }
        }
    }

    private func runHere(_ file: SourceFile) throws(Diagnostic) {
        let program = try Parser.parse(file)
        guard rollsBackFailedStatements else {
            try interpreter.execute(program, in: file)
            return
        }
        for statement in program {
            let snapshot = Snapshot(of: interpreter)
            do throws(Diagnostic) {
                try interpreter.execute([statement], in: file)
            } catch {
                snapshot.restore(interpreter)
                throw error
            }
        }
    }

    /// Runs source text given as a string (tests, `-e`).
    @discardableResult
    public func run(_ text: String, name: String = "<input>") -> Diagnostic? {
        run(SourceFile(origin: .named(name), text: text))
    }

    /// Forgets every variable and re-seeds the random generator with 0; builtins come back.
    public func reset() {
        for name in interpreter.globals.names { interpreter.globals.set(name, nil) }
        interpreter.installBuiltins()
        interpreter.generator = RandomGenerator(seed: 0)
        interpreter.gradEnabled = true
    }

    /// Variables the learner bound (builtins that were not shadowed are left out), in binding order.
    public var variables: [(name: String, value: Value)] {
        let globals = interpreter.globals
        return globals.names.compactMap { name in
            guard let value = globals.value(of: name) else { return nil }
            if case .function(.builtin(let b)) = value, b.name == name { return nil }
            if case .number(let v) = value, let constant = Interpreter.constants.first(where: { $0.0 == name }),
               v.bitPattern == constant.1.bitPattern { return nil }
            return (name, value)
        }
    }

    /// What a global name holds, if anything.
    public func value(of name: String) -> Value? {
        interpreter.globals.value(of: name)
    }

    /// The globals and the state of every object they hold (children too), to undo a failed statement.
    private struct Snapshot {
        let values: [Value?]
        let objects: [(object: any Object, state: ObjectState)]
        let generator: RandomGenerator
        let parameters: ParameterBackup

        init(of interpreter: Interpreter) {
            let globals = interpreter.globals
            generator = interpreter.generator
            values = globals.values
            objects = ObjectGraph.snapshot(of: values)
            parameters = ParameterBackup(of: values)
        }

        func restore(_ interpreter: Interpreter) {
            let globals = interpreter.globals
            interpreter.generator = generator
            interpreter.gradEnabled = true
            for (object, state) in objects { object.restore(state) }
            parameters.restore()
            for i in 0..<globals.names.count { globals[i] = i < values.count ? values[i] : nil }
        }
    }
}
