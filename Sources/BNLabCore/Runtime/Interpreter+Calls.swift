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
        let frame = pushFrame(count: function.localCount)
        for (k, argument) in arguments.enumerated() { frame[plan.targets[k]] = argument.value }
        for index in plan.defaulted { frame[index] = user.defaults[index] }
        return try invoke(user, frame: frame, callRange: callRange, depth: depth)
    }

    /// Runs a user function's body in a frame already holding its arguments (from `pushFrame`;
    /// it is popped on return or failure, so the caller must not touch it again).
    ///
    /// The native stack in use grows with the calls in progress times the depth, within their
    /// statements, of the calls that made them; `evaluationDepth` sums those depths so that deep
    /// expressions and deep recursion together end in a diagnostic, never a stack overflow.
    ///
    /// Inlined into the call sites: the body call is the only out-of-line step of a call.
    @inline(__always)
    func invoke(_ user: UserFunction, frame: UnsafeMutablePointer<Value?>, callRange: SourceRange, depth: Int) throws(Diagnostic) -> Value {
        // Unowned: `user` holds it, and a strong local would be retained across the body.
        unowned(unsafe) let callee = user.function
        let count = callee.localCount
        if callDepth >= Interpreter.callDepthLimit || evaluationDepth + depth > Interpreter.evaluationDepthLimit {
            popFrame(frame, count: count)
            throw tooDeep(callRange, depth: depth)
        }
        do {
            try poll(callRange)
        } catch {
            popFrame(frame, count: count)
            throw error
        }
        let savedLocals = locals
        // Unowned as the property is: a strong copy would be retained across the body.
        unowned(unsafe) let savedFunction = function
        locals = frame
        function = callee
        callDepth += 1
        evaluationDepth += depth
        defer {
            evaluationDepth -= depth
            callDepth -= 1
            locals = savedLocals
            function = savedFunction
            popFrame(frame, count: count)
        }
        do {
            return try user.body(self)
        } catch {
            // The caller's file: `defer` has not yet restored `function`.
            throw annotate(error, calledAt: callRange, in: savedFunction?.decl.file ?? programFile, function: callee.decl.name)
        }
    }

    /// `invoke` for a function not retained by the caller (see `PositionalCall`), run without
    /// retaining it either; the guaranteed reference cannot throw, so a failure is carried out.
    @inline(__always)
    func invoke(_ user: Unmanaged<UserFunction>, frame: UnsafeMutablePointer<Value?>, callRange: SourceRange,
                depth: Int) throws(Diagnostic) -> Value {
        var failure: Diagnostic?
        let result = user._withUnsafeGuaranteedRef { (user: UserFunction) -> Value in
            do throws(Diagnostic) {
                return try invoke(user, frame: frame, callRange: callRange, depth: depth)
            } catch {
                failure = error
                return .none
            }
        }
        if let failure { throw failure }
        return result
    }

    /// The error for a call past the recursion or evaluation depth limits.
    @inline(never)
    private func tooDeep(_ callRange: SourceRange, depth: Int) -> Diagnostic {
        if callDepth >= Interpreter.callDepthLimit {
            return error("recursion too deep: more than \(Interpreter.callDepthLimit) nested calls", callRange)
                .adding(.help, "check that the recursion reaches its base case")
        }
        return error("evaluation nested too deeply (more than \(Interpreter.evaluationDepthLimit) levels)", callRange)
    }

    /// Adds a "called from" note, a traceback kept short.
    @inline(never)
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
