extension Interpreter {
    /// Calls a value with evaluated arguments; `depth` is the call's depth in its statement or body.
    func call(_ callee: Value, _ arguments: [EvaluatedArgument], callRange: SourceRange, calleeRange: SourceRange,
              depth: Int) throws(Diagnostic) -> Value {
        switch callee {
        case .function(.builtin(let builtin)):
            var bound = try BoundArguments(builtin: builtin, interpreter: self, callRange: callRange, arguments: arguments)
            return try builtin.implementation(&bound)
        case .function(.user(let function)):
            return try callUser(function, arguments, callRange: callRange, depth: depth)
        case .layer(let layer):
            guard arguments.count == 1, arguments[0].label == nil else {
                throw error("a BatchNorm layer is called with one tensor, as in bn(x)", callRange)
            }
            let x = try tensor(arguments[0].value, arguments[0].range, what: "the input of BatchNorm")
            do {
                return Interpreter.wrap(try layer.forward(x))
            } catch {
                throw self.error(error, callRange)
            }
        default:
            throw error("\(callee.typeDescription) is not callable", calleeRange)
        }
    }

    private func callUser(_ user: UserFunction, _ arguments: [EvaluatedArgument], callRange: SourceRange, depth: Int) throws(Diagnostic) -> Value {
        let decl = user.decl
        let frame = makeFrame(count: decl.localCount)
        var given = [Bool](repeating: false, count: decl.parameters.count)
        var next = 0
        for argument in arguments {
            let index: Int
            if let label = argument.label {
                guard let i = decl.parameters.firstIndex(where: { $0.name == label }) else {
                    var diagnostic = error("\(decl.name) has no parameter '\(label)'", argument.labelRange ?? argument.range)
                    if let near = Suggestions.closest(to: label, in: decl.parameters.map(\.name)) {
                        diagnostic = diagnostic.adding(.help, "did you mean '\(near)'?")
                    }
                    throw diagnostic.adding(.note, "the signature is \(decl.signature)")
                }
                guard !given[i] else {
                    throw error("argument '\(label)' of \(decl.name) is given twice", argument.labelRange ?? argument.range)
                        .adding(.note, "the signature is \(decl.signature)")
                }
                index = i
            } else {
                while next < given.count && given[next] { next += 1 }
                guard next < given.count else {
                    let n = decl.parameters.count
                    throw error("too many arguments: \(decl.name) takes \(n) argument\(n == 1 ? "" : "s")", argument.range)
                        .adding(.note, "the signature is \(decl.signature)")
                }
                index = next
            }
            given[index] = true
            frame[index] = argument.value
        }
        for (i, parameter) in decl.parameters.enumerated() where !given[i] {
            guard let value = user.defaults[i] else {
                throw error("missing argument '\(parameter.name)' in call to \(decl.name)", callRange)
                    .adding(.note, "the signature is \(decl.signature)")
            }
            frame[i] = value
        }

        return try invoke(user, frame: frame, callRange: callRange, depth: depth)
    }

    /// Runs a user function's body in a frame already holding its arguments (from `makeFrame`;
    /// it is recycled on return, so the caller must not keep it).
    ///
    /// The native stack in use grows with the calls in progress times the depth, within their
    /// statements, of the calls that made them; `evaluationDepth` sums those depths so that deep
    /// expressions and deep recursion together end in a diagnostic, never a stack overflow.
    func invoke(_ user: UserFunction, frame: Slots, callRange: SourceRange, depth: Int) throws(Diagnostic) -> Value {
        let decl = user.decl
        try poll(callRange)
        guard callDepth < Interpreter.callDepthLimit else {
            throw error("recursion too deep: more than \(Interpreter.callDepthLimit) nested calls", callRange)
                .adding(.help, "check that the recursion reaches its base case")
        }
        guard evaluationDepth + depth <= Interpreter.evaluationDepthLimit else {
            throw error("evaluation nested too deeply (more than \(Interpreter.evaluationDepthLimit) levels)", callRange)
        }
        let body: Code
        if let compiled = decl.compiledBody {
            body = compiled
        } else {
            body = Compiler(globals: globals).functionBody(decl)
            decl.compiledBody = body
        }
        let savedLocals = locals, savedFunction = function
        locals = frame
        function = decl
        callDepth += 1
        evaluationDepth += depth
        defer {
            evaluationDepth -= depth
            callDepth -= 1
            locals = savedLocals
            function = savedFunction
            recycle(frame)
        }
        do {
            return try body(self)
        } catch {
            // The caller's file: `defer` has not yet restored `function`.
            throw annotate(error, calledAt: callRange, in: savedFunction?.file ?? programFile, function: decl.name)
        }
    }

    /// Adds a "called from" note, a traceback kept short.
    func annotate(_ diagnostic: Diagnostic, calledAt range: SourceRange, in callerFile: SourceFile, function: String) -> Diagnostic {
        guard diagnostic.kind == .error || diagnostic.kind == .unfinished else { return diagnostic }
        let traceNotes = diagnostic.notes.filter { $0.message.hasPrefix("in '") }
        guard traceNotes.count < 4 else { return diagnostic }
        let site = Diagnostic("", file: callerFile, range: range).locationDescription ?? "?"
        let lineText = callerFile.slice(range)
        let short = lineText.count > 40 ? lineText.prefix(37) + "..." : lineText
        let note = "in '\(function)', called at \(site): \(short)"
        // Runaway recursion repeats one call site; say it once.
        if traceNotes.contains(where: { $0.message == note }) { return diagnostic }
        return diagnostic.adding(.note, note)
    }
}
