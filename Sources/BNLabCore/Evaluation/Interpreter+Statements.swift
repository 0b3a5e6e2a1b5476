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
                throw error(DiagnosticMessages.usedBeforeAssigned(ref.name), ref.range)
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
            return error(DiagnosticMessages.usedBeforeAssigned(ref.name), range)
        }
        return unknownName(ref)
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

    /// `base.name = value`, for a layer's fields.
    func assignField(of base: Value, _ name: String, _ nameRange: SourceRange, _ value: Value) throws(Diagnostic) {
        guard case .layer(let layer) = base else {
            throw error("cannot set '\(name)' on \(base.typeDescription)", nameRange)
                .adding(.note, "only a BatchNorm layer's fields can be assigned")
        }
        try setField(layer, name, value, nameRange)
    }

    /// `name[items] = value`: the tensor is updated and bound again.
    func assignIndexed(_ ref: NameRef, _ items: [CompiledIndexItem], _ range: SourceRange, _ value: Value,
                       listLiteral: Bool = false) throws(Diagnostic) {
        var t = try tensor(try read(ref), ref.range, what: "'\(ref.name)'")
        let selection = try indicesOrMask(items, of: t, listLiteral: listLiteral)
        let v = try tensor(value, range, what: "the assigned value")
        do {
            switch selection {
            case .mask(let mask): try t.assignMasked(mask, v)
            case .indices(let index): try t.assign(index, v)
            }
        } catch {
            throw self.error(error, range)
        }
        write(ref, Interpreter.wrap(t))
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
