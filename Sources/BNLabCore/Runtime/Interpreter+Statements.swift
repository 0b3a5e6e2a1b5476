extension Interpreter {
    /// A `for` over a tensor's first axis, binding each row in turn.
    func loop(over value: Value, _ iterableRange: SourceRange, _ range: SourceRange, _ variable: Variable, _ body: Exec) throws(Diagnostic) -> Bool {
        let t: Tensor
        switch value {
        case .tensor(let tensor) where tensor.rank >= 1: t = tensor
        case .object(let p as ProgressLoop):
            return try loop(progress: p, iterableRange, range, variable, body)
        case .object(let object) where object.length != nil:
            return try loop(over: object, iterableRange, range, variable, body)
        default:
            throw error("cannot iterate over \(value.typeDescription)", iterableRange)
                .adding(.help, "loop over a range, as in 'for i in 0..n', or over a tensor's first axis")
        }
        for i in 0..<t.shape[0] {
            try poll(range)
            write(variable, Interpreter.wrap(try ops(at: iterableRange).index(t, [.at(i)])))
            if try body(self) { return true }
        }
        return false
    }

    /// The value of the `return` that just ran, leaving none behind so it is not kept alive.
    func takeReturnValue() -> Value {
        let value = returnValue
        returnValue = .none
        return value
    }

    /// Shows a top-level value: `ans` is bound first so a failing display still leaves it.
    func show(_ value: Value) {
        if case .none = value { return }
        if bindsAnswer { globals.set("ans", value) }
        output(display(value) + "\n")
    }

    func write(_ variable: Variable, _ value: Value) {
        switch variable.slot {
        case .local(let i): locals[i] = value
        case .global(let i): globals[i] = value
        }
    }

    func read(_ variable: Variable) throws(Diagnostic) -> Value {
        switch variable.slot {
        case .local(let i): if let value = locals[i] { return value }
        case .global(let i): if let value = globals[i] { return value }
        }
        throw unbound(variable)
    }

    /// The error for reading a slot that holds nothing.
    func unbound(_ variable: Variable) -> Diagnostic {
        if case .local = variable.slot {
            return error(DiagnosticMessages.usedBeforeAssigned(variable.name), variable.range)
        }
        return unknownName(NameRef(variable.name, variable.range))
    }

    private func unknownName(_ ref: NameRef) -> Diagnostic {
        var candidates = globals.boundNames
        if let function { candidates += function.localNames }
        candidates += ["true", "false", "none", "BatchNorm"]
        var diagnostic = error(DiagnosticMessages.unknownName(ref.name), ref.range)
        if let habit = Habits.help(forUnknown: ref.name, member: Habits.member(after: ref.range, in: file.text)) {
            return diagnostic.adding(.help, habit)
        }
        if let near = Suggestions.closest(to: ref.name, in: candidates) {
            diagnostic = diagnostic.adding(.help, DiagnosticMessages.didYouMean(near))
        } else if ["np", "torch", "math", "numpy"].contains(ref.name) {
            diagnostic = diagnostic.adding(.help, "bnlab has its functions built in: write mean(x), not \(ref.name).mean(x)")
        }
        return diagnostic
    }

    /// `base.name = value`, for an object's fields.
    func assignField(of base: Value, _ name: String, _ nameRange: SourceRange, _ value: Value) throws(Diagnostic) {
        if case .tensor(let t) = base, name == "data" || name == "grad" {
            return try assignGradientField(of: t, name, nameRange, value)
        }
        guard case .object(let object) = base else {
            throw error("cannot set '\(name)' on \(base.typeDescription)", nameRange)
                .adding(.note, "the fields of layers and optimizers, and a parameter's .data and .grad, can be assigned")
        }
        try object.setField(name, to: value, ObjectAccess(self, nameRange: nameRange, range: nameRange))
    }

    /// `w.data = v` writes a parameter's values in place (every holder of it, a layer or an
    /// optimizer, sees them, as in PyTorch); `w.grad = none` or a tensor of w's shape sets its gradient.
    private func assignGradientField(of t: Tensor, _ name: String, _ nameRange: SourceRange, _ value: Value) throws(Diagnostic) {
        guard let leaf = t.node, leaf.isLeaf else {
            let what = t.requiresGrad ? "the result of an operation" : "a tensor that does not require a gradient"
            throw error("cannot set '\(name)' on \(what): only a parameter (a leaf made by param) has an assignable .\(name)", nameRange)
                .adding(.help, name == "data" ? "to change a plain tensor, assign the variable itself: x = v" : "gradients live on parameters; make one with param(x)")
        }
        if name == "grad" {
            if case .none = value { leaf.grad = nil; return }
            let g = try tensor(value, nameRange, what: "'grad'")
            guard g.shape == t.shape else {
                throw error("'grad' must have the parameter's shape \(Value.shapeText(t.shape)), got \(Value.shapeText(g.shape))", nameRange)
            }
            leaf.grad = g.copied()
            return
        }
        let v = try tensor(value, nameRange, what: "'data'")
        guard v.shape == t.shape || v.rank == 0 else {
            throw error("'data' must have the parameter's shape \(Value.shapeText(t.shape)), got \(Value.shapeText(v.shape))", nameRange)
        }
        try attempt(nameRange) { () throws(TensorError) in try t.overwrite(with: v) }
    }

    /// `name[items] = value`: the tensor is updated and bound again.
    func assignIndexed(_ variable: Variable, _ items: [CompiledIndexItem], _ range: SourceRange, _ value: Value) throws(Diagnostic) {
        let t = try tensor(try read(variable), variable.range, what: "'\(variable.name)'")
        let selection = try indicesOrMask(items, of: t)
        let v = try tensor(value, range, what: "the assigned value")
        let updated: Tensor
        switch selection {
        case .mask(let mask): updated = try ops(at: range).assignMask(t, mask, v)
        case .indices(let index): updated = try ops(at: range).assignIndex(t, index, v)
        case .gather(let selection): updated = try ops(at: range).assignGather(t, selection, v)
        }
        write(variable, Interpreter.wrap(updated))
    }

    /// The diagnostic of a failed `check`, with the custom message evaluated and the operands shown.
    func checkFailure(_ range: SourceRange, _ messageCode: Code?, operands: (got: Value, expected: Value)?,
                      test: CheckTest = .equal) throws(Diagnostic) -> Diagnostic {
        var message = "check failed: " + file.slice(range)
        if let messageCode {
            let custom = try messageCode(self)
            if case .string(let text) = custom { message = "check failed: " + text } else { message = "check failed: " + display(custom) }
        }
        var diagnostic = error(message, range, kind: .checkFailed)
        if let (got, expected) = operands {
            if let a = got.tensorValue, let b = expected.tensorValue {
                let comparison = CheckComparison(got: a, expected: b, test: test, precision: precision, detail: checkValueDetail)
                diagnostic = diagnostic.adding(.note, comparison.lines().joined(separator: "\n"))
            } else {
                diagnostic = diagnostic.adding(.note, "got      " + display(got))
                    .adding(.note, "expected " + display(expected))
            }
        }
        return diagnostic
    }
}
