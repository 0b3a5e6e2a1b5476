extension Interpreter {
    /// A `for` over a tensor's first axis, binding each row in turn.
    func loop(over value: Value, _ iterableRange: SourceRange, _ range: SourceRange, _ ref: NameRef, _ body: Exec) throws(Diagnostic) -> Bool {
        let t: Tensor
        switch value {
        case .tensor(let tensor) where tensor.rank >= 1: t = tensor
        default:
            throw error("cannot iterate over \(value.typeDescription)", iterableRange)
                .adding(.help, "loop over a range, as in 'for i in 0..n', or over a tensor's first axis")
        }
        for i in 0..<t.shape[0] {
            try poll(range)
            let row: Tensor
            do { row = try t.indexed([.at(i)]) } catch { throw self.error(error, iterableRange) }
            write(ref, Interpreter.wrap(row))
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

    func write(_ ref: NameRef, _ value: Value) {
        switch ref.slot {
        case .local(let i): locals[i] = value
        case .global(let i): globals[i] = value
        case .unresolved: globals.set(ref.name, value)
        }
    }

    func read(_ ref: NameRef) throws(Diagnostic) -> Value {
        let found: Value?
        switch ref.slot {
        case .local(let i):
            found = locals[i]
            if found == nil {
                throw error("local variable '\(ref.name)' is used before it is assigned", ref.range)
            }
        case .global(let i): found = globals[i]
        case .unresolved: found = globals.value(of: ref.name)
        }
        guard let value = found else { throw unknownName(ref) }
        return value
    }

    /// The error for reading a resolved slot that holds nothing (resolved names keep only their range).
    func unbound(_ slot: NameSlot, _ range: SourceRange) -> Diagnostic {
        let ref = NameRef(name(at: range), range, slot: slot)
        if case .local = slot {
            return error("local variable '\(ref.name)' is used before it is assigned", range)
        }
        return unknownName(ref)
    }

    private func unknownName(_ ref: NameRef) -> Diagnostic {
        var candidates = globals.boundNames
        if let function { candidates += function.localNames }
        candidates += ["true", "false", "none", "BatchNorm"]
        var diagnostic = error("unknown name '\(ref.name)'", ref.range)
        if let near = Suggestions.closest(to: ref.name, in: candidates) {
            diagnostic = diagnostic.adding(.help, "did you mean '\(near)'?")
        } else if ["np", "torch", "math", "numpy"].contains(ref.name) {
            diagnostic = diagnostic.adding(.help, "bnlab has its functions built in: write mean(x), not \(ref.name).mean(x)")
        }
        return diagnostic
    }

    /// `base.name = value`, for a layer's fields.
    func assignField(of base: Value, _ name: String, _ nameRange: SourceRange, _ value: Value) throws(Diagnostic) {
        guard case .layer(let layer) = base else {
            throw error("cannot set '\(name)' on \(base.typeDescription)", nameRange)
                .adding(.note, "only a BatchNorm layer's fields can be assigned")
        }
        try setField(layer, name, value, nameRange)
    }

    /// `name[items] = value`: the tensor is updated and bound again.
    func assignIndexed(_ ref: NameRef, _ items: [CompiledIndexItem], _ range: SourceRange, _ value: Value) throws(Diagnostic) {
        var t = try tensor(try read(ref), ref.range, what: "'\(ref.name)'")
        let index = try indices(items)
        let v = try tensor(value, range, what: "the assigned value")
        do { try t.assign(index, v) } catch { throw self.error(error, range) }
        write(ref, Interpreter.wrap(t))
    }

    /// The diagnostic of a failed `check`, with the custom message evaluated and the operands shown.
    func checkFailure(_ range: SourceRange, _ messageCode: Code?, operands: (got: Value, expected: Value)?) throws(Diagnostic) -> Diagnostic {
        var message = "check failed: " + file.slice(range)
        if let messageCode {
            let custom = try messageCode(self)
            if case .string(let text) = custom { message = "check failed: " + text } else { message = "check failed: " + display(custom) }
        }
        var diagnostic = error(message, range, kind: .checkFailed)
        if let (got, expected) = operands {
            diagnostic = diagnostic.adding(.note, "got      " + describe(got))
                .adding(.note, "expected " + describe(expected))
        }
        return diagnostic
    }

    /// A value in one line or a few, for check failures.
    private func describe(_ value: Value) -> String {
        guard let t = value.tensorValue else { return display(value) }
        let text = TensorFormatter.format(t, precision: precision)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let aligned = lines.joined(separator: "\n" + String(repeating: " ", count: 9))
        return t.rank >= 2 ? aligned + "\nshape " + Value.shapeText(t.shape) : aligned
    }
}
