extension Interpreter {
    /// Calls a value with evaluated arguments; `depth` is the call's depth in its statement or body.
    func call(_ callee: Value, _ arguments: [EvaluatedArgument], callRange: SourceRange, calleeRange: SourceRange,
              depth: Int) throws(Diagnostic) -> Value {
        switch callee {
        case .function(.builtin(let builtin)):
            var bound = try BoundArguments(builtin: builtin, interpreter: self, callRange: callRange, arguments: arguments)
            let result = try builtin.implementation(&bound)
            return unrecorded(result, by: builtin, from: arguments.map(\.value), at: callRange)
        case .function(.user(let function)):
            return try callUser(function, arguments, callRange: callRange, depth: depth)
        case .object(let object):
            return try object.call(ObjectAccess(self, nameRange: calleeRange, range: callRange, arguments: arguments))
        default:
            throw error("\(callee.typeDescription) is not callable", calleeRange)
        }
    }

    private func callUser(_ user: UserFunction, _ arguments: [EvaluatedArgument], callRange: SourceRange, depth: Int) throws(Diagnostic) -> Value {
        let function = user.function
        let plan = try bindingPlan(arguments, for: function.parameters, callRange: callRange)
        let frame = makeFrame(count: function.localCount)
        for (k, argument) in arguments.enumerated() { frame[plan.targets[k]] = argument.value }
        for index in plan.defaulted { frame[index] = user.defaults[index] }
        return try invoke(user, frame: frame, callRange: callRange, depth: depth)
    }

    /// Runs a user function's body in a frame already holding its arguments (from `makeFrame`;
    /// it is recycled on return, so the caller must not keep it).
    ///
    /// The native stack in use grows with the calls in progress times the depth, within their
    /// statements, of the calls that made them; `evaluationDepth` sums those depths so that deep
    /// expressions and deep recursion together end in a diagnostic, never a stack overflow.
    func invoke(_ user: UserFunction, frame: Slots, callRange: SourceRange, depth: Int) throws(Diagnostic) -> Value {
        let callee = user.function
        try poll(callRange)
        guard callDepth < Interpreter.callDepthLimit else {
            throw error("recursion too deep: more than \(Interpreter.callDepthLimit) nested calls", callRange)
                .adding(.help, "check that the recursion reaches its base case")
        }
        guard evaluationDepth + depth <= Interpreter.evaluationDepthLimit else {
            throw error("evaluation nested too deeply (more than \(Interpreter.evaluationDepthLimit) levels)", callRange)
        }
        let body: Code
        if let compiled = callee.compiledBody {
            body = compiled
        } else {
            body = Compiler(globals: globals, scope: callee.scope).functionBody(callee.decl)
            callee.compiledBody = body
        }
        let savedLocals = locals, savedFunction = function
        locals = frame
        function = callee
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
            throw annotate(error, calledAt: callRange, in: savedFunction?.decl.file ?? programFile, function: callee.decl.name)
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

    /// A tensor made from tensors that require a gradient, by a builtin that recorded nothing:
    /// backward() must stop there with the builtin's name, never pass by with a wrong gradient.
    @inline(__always)
    func unrecorded(_ result: Value, by builtin: Builtin, from inputs: [Value], at callRange: SourceRange) -> Value {
        guard case .tensor(let t) = result, t.node == nil, gradEnabled,
              inputs.contains(where: Interpreter.requiresGrad),
              !Builtins.withoutGradient.contains(builtin.name) else { return result }
        var tracked = t
        ops(at: callRange).recordWithoutRule(&tracked, builtin.name, inputs.compactMap(\.tensorValue))
        return .tensor(tracked)
    }

    /// Whether a value is a tensor that requires a gradient (numbers never do).
    @inline(__always)
    static func requiresGrad(_ value: Value) -> Bool {
        if case .tensor(let t) = value { return t.requiresGrad }
        return false
    }
}
