extension Interpreter {
    /// What a statement did to the flow of a function body.
    enum Flow {
        case normal
        /// A `return`, or a body's final expression.
        case returned(Value)
    }

    func execute(_ statement: Stmt, topLevel: Bool) throws(Diagnostic) -> Flow {
        switch statement.kind {
        case .expression(let expr, let silent):
            let value = try evaluate(expr)
            if topLevel && !silent { show(value) }
            return .normal

        case .assign(let target, let valueExpr):
            let value = try evaluate(valueExpr)
            try assign(target, value)
            return .normal

        case .function(let decl, let ref):
            var defaults: [Value?] = []
            for parameter in decl.parameters {
                defaults.append(try parameter.defaultValue.map { (e: Expr) throws(Diagnostic) -> Value in try evaluate(e) })
            }
            write(ref, .function(.user(UserFunction(decl: decl, defaults: defaults))))
            return .normal

        case .forLoop(let ref, let iterable, let body):
            if case .range(let lowExpr, let highExpr) = iterable.kind {
                // A range loop counts without building the range, so 0..10^9 costs no memory.
                let low = try integer(try evaluate(lowExpr), lowExpr.range, what: "the start of a range")
                let high = try integer(try evaluate(highExpr), highExpr.range, what: "the end of a range")
                var i = low
                while i < high {
                    try poll(statement.range)
                    write(ref, .number(Double(i)))
                    if case .returned(let v) = try executeBody(body) { return .returned(v) }
                    i += 1
                }
                return .normal
            }
            let value = try evaluate(iterable)
            let t: Tensor
            switch value {
            case .tensor(let tensor) where tensor.rank >= 1: t = tensor
            default:
                throw error("cannot iterate over \(value.typeDescription)", iterable.range)
                    .adding(.help, "loop over a range, as in 'for i in 0..n', or over a tensor's first axis")
            }
            for i in 0..<t.shape[0] {
                try poll(statement.range)
                let row: Tensor
                do { row = try t.indexed([.at(i)]) } catch { throw self.error(error.message, iterable.range) }
                write(ref, Interpreter.wrap(row))
                if case .returned(let v) = try executeBody(body) { return .returned(v) }
            }
            return .normal

        case .ifElse(let branches, let elseBody):
            for branch in branches {
                if try truth(try evaluate(branch.condition), branch.condition.range) {
                    return try executeBody(branch.body)
                }
            }
            if let elseBody { return try executeBody(elseBody) }
            return .normal

        case .check(let condition, let messageExpr):
            try check(condition, messageExpr)
            return .normal

        case .returnValue(let expr):
            return .returned(try expr.map { (e: Expr) throws(Diagnostic) -> Value in try evaluate(e) } ?? .none)
        }
    }

    func executeBody(_ body: [Stmt]) throws(Diagnostic) -> Flow {
        for statement in body {
            if case .returned(let v) = try execute(statement, topLevel: false) { return .returned(v) }
        }
        return .normal
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

    private func assign(_ target: AssignTarget, _ value: Value) throws(Diagnostic) {
        switch target {
        case .global(let i):
            globals.slots[i] = value
        case .local(let i):
            locals[i] = value
        case .name(let ref):
            write(ref, value)
        case .field(let baseExpr, let name, let nameRange):
            let base = try evaluate(baseExpr)
            guard case .layer(let layer) = base else {
                throw error("cannot set '\(name)' on \(base.typeDescription)", nameRange)
                    .adding(.note, "only a BatchNorm layer's fields can be assigned")
            }
            try setField(layer, name, value, nameRange)
        case .index(let ref, let items, let range):
            var t = try tensor(try read(ref), ref.range, what: "'\(ref.name)'")
            let index = try indices(items)
            let v = try tensor(value, range, what: "the assigned value")
            do { try t.assign(index, v) } catch { throw self.error(error.message, range) }
            write(ref, Interpreter.wrap(t))
        }
    }

    private func check(_ condition: Expr, _ messageExpr: Expr?) throws(Diagnostic) {
        // Comparisons and allclose/equal keep their operands, so a failure can say what was got.
        var operands: (got: Value, expected: Value)?
        let value: Value
        switch condition.kind {
        case .binary(let op, let a, let b) where [.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual].contains(op):
            let left = try evaluate(a), right = try evaluate(b)
            operands = (left, right)
            value = try binary(op, left, right, condition.range)
        case .call(let callee, let args) where args.count >= 2 && args[0].label == nil && args[1].label == nil:
            let f = try evaluate(callee)
            let evaluated = try evaluateArguments(args)
            if case .function(let c) = f, c.name == "allclose" || c.name == "equal" {
                operands = (evaluated[0].value, evaluated[1].value)
            }
            value = try call(f, evaluated, callRange: condition.range, calleeRange: callee.range)
        default:
            value = try evaluate(condition)
        }
        if try truth(value, condition.range) { return }
        var message = "check failed: " + file.slice(condition.range)
        if let messageExpr {
            let custom = try evaluate(messageExpr)
            if case .string(let text) = custom { message = "check failed: " + text } else { message = "check failed: " + display(custom) }
        }
        var diagnostic = error(message, condition.range, kind: .checkFailed)
        if let (got, expected) = operands {
            diagnostic = diagnostic.adding(.note, "got      " + describe(got))
                .adding(.note, "expected " + describe(expected))
        }
        throw diagnostic
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
