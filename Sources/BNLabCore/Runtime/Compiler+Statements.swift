extension Compiler {
    /// A statement; at the top level a bare expression shows its value.
    func statement(_ statement: Stmt, depth: Int, topLevel: Bool) -> Exec {
        let inner = depth + 1
        switch statement.kind {
        case .expression(let expr, let silent):
            let code = expression(expr, depth: inner)
            if topLevel && !silent {
                return { (interpreter: Interpreter) throws(Diagnostic) in
                    interpreter.show(try code(interpreter))
                    return false
                }
            }
            return { (interpreter: Interpreter) throws(Diagnostic) in
                _ = try code(interpreter)
                return false
            }

        case .assign(let target, let valueExpr):
            if let fused = fusedAssignment(target, valueExpr, depth: inner) { return fused }
            let value = expression(valueExpr, depth: inner)
            return assignment(target, value, depth: inner)

        case .function(let decl, let ref):
            let function = resolved(decl), variable = lookUp(ref)
            let defaults = decl.parameters.map { parameter in parameter.defaultValue.map { expression($0, depth: inner) } }
            let globalTable = globalTable
            return { (interpreter: Interpreter) throws(Diagnostic) in
                var values: [Value?] = []
                values.reserveCapacity(defaults.count)
                for code in defaults {
                    values.append(try code.map { (code: Code) throws(Diagnostic) -> Value in try code(interpreter) })
                }
                let user = UserFunction(function: function, defaults: values, body: function.body(globals: globalTable))
                interpreter.write(variable, .function(.user(user)))
                return false
            }

        case .forLoop(let ref, let iterable, let body):
            let bodyCode = block(body, depth: inner)
            if case .range(let lowExpr, let highExpr) = iterable.kind {
                return rangeLoop(lookUp(ref), expression(lowExpr, depth: inner + 1), lowExpr.range,
                                 expression(highExpr, depth: inner + 1), highExpr.range, bodyCode, statement.range)
            }
            if let loop = progressRangeLoop(ref, iterable, bodyCode, statement.range, depth: inner) { return loop }
            let tensorCode = expression(iterable, depth: inner)
            let iterableRange = iterable.range, range = statement.range, variable = lookUp(ref)
            return { (interpreter: Interpreter) throws(Diagnostic) in
                try interpreter.loop(over: try tensorCode(interpreter), iterableRange, range, variable, bodyCode)
            }

        case .ifElse(let branches, let elseBody):
            // Closures are held directly where possible (see `block`).
            if branches.count == 1 {
                let test = condition(branches[0].condition, depth: inner)
                let body = block(branches[0].body, depth: inner)
                if let elseBody {
                    let elseCode = block(elseBody, depth: inner)
                    return { (interpreter: Interpreter) throws(Diagnostic) in
                        try test(interpreter) ? try body(interpreter) : try elseCode(interpreter)
                    }
                }
                return { (interpreter: Interpreter) throws(Diagnostic) in
                    try test(interpreter) ? try body(interpreter) : false
                }
            }
            let tests = branches.map { condition($0.condition, depth: inner) }
            let bodies = branches.map { block($0.body, depth: inner) }
            let elseCode = block(elseBody ?? [], depth: inner)
            return { (interpreter: Interpreter) throws(Diagnostic) in
                for (test, body) in zip(tests, bodies) {
                    if try test(interpreter) { return try body(interpreter) }
                }
                return try elseCode(interpreter)
            }

        case .noGrad(let body):
            let bodyCode = block(body, depth: inner)
            return { (interpreter: Interpreter) throws(Diagnostic) in
                let was = interpreter.gradEnabled
                interpreter.gradEnabled = false
                defer { interpreter.gradEnabled = was }
                return try bodyCode(interpreter)
            }

        case .check(let condition, let messageExpr):
            return check(condition, messageExpr.map { expression($0, depth: inner) }, depth: inner)

        case .returnValue(let expr):
            guard let expr else {
                return { (interpreter: Interpreter) throws(Diagnostic) in
                    interpreter.returnValue = .none
                    return true
                }
            }
            let code = expression(expr, depth: inner)
            return { (interpreter: Interpreter) throws(Diagnostic) in
                interpreter.returnValue = try code(interpreter)
                return true
            }
        }
    }

    /// Statements run in order until one returns.
    func block(_ statements: [Stmt], depth: Int) -> Exec {
        // Short blocks hold their statements' closures directly: one taken out of an array comes
        // back wrapped in conversion thunks that cost as much as the statement.
        switch statements.count {
        case 0:
            return { (_: Interpreter) throws(Diagnostic) in false }
        case 1:
            return statement(statements[0], depth: depth, topLevel: false)
        case 2:
            let first = statement(statements[0], depth: depth, topLevel: false)
            let second = statement(statements[1], depth: depth, topLevel: false)
            return { (interpreter: Interpreter) throws(Diagnostic) in
                if try first(interpreter) { return true }
                return try second(interpreter)
            }
        default:
            let codes = statements.map { statement($0, depth: depth, topLevel: false) }
            return { (interpreter: Interpreter) throws(Diagnostic) in
                for code in codes {
                    if try code(interpreter) { return true }
                }
                return false
            }
        }
    }

    /// A function's body: the value of its `return`, else of a final bare expression, else none.
    func functionBody(_ decl: FunctionDecl) -> Code {
        var statements = decl.body
        // A final `return e` is the same as a final `e`: its value needs no trip through `returnValue`.
        if let last = statements.last, case .returnValue(let expr) = last.kind {
            statements[statements.count - 1] = Stmt(.expression(expr ?? Expr(.none, last.range), silent: true), last.range)
        }
        if let guarded = guardedBody(statements) { return guarded.code }
        guard let last = statements.last, case .expression(let expr, _) = last.kind else {
            let run = block(statements, depth: 0)
            return { (interpreter: Interpreter) throws(Diagnostic) in
                try run(interpreter) ? interpreter.takeReturnValue() : .none
            }
        }
        let final = expression(expr, depth: 1)
        statements.removeLast()
        if statements.isEmpty { return final }
        let run = block(statements, depth: 0)
        return { (interpreter: Interpreter) throws(Diagnostic) in
            try run(interpreter) ? interpreter.takeReturnValue() : try final(interpreter)
        }
    }

    // MARK: - Pieces

    /// A range loop counts natively without building the range, so 0..10^9 costs no memory.
    private func rangeLoop(_ variable: Variable, _ low: @escaping Code, _ lowRange: SourceRange, _ high: @escaping Code,
                           _ highRange: SourceRange, _ body: @escaping Exec, _ range: SourceRange) -> Exec {
        @inline(__always)
        func bounds(_ interpreter: Interpreter) throws(Diagnostic) -> (Int, Int) {
            let lo = try interpreter.integer(try low(interpreter), lowRange, what: "the start of a range")
            let hi = try interpreter.integer(try high(interpreter), highRange, what: "the end of a range")
            return (lo, hi)
        }
        switch variable.slot {
        case .global(let slot):
            let slots = globals
            return { (interpreter: Interpreter) throws(Diagnostic) in
                var (i, high) = try bounds(interpreter)
                while i < high {
                    try interpreter.poll(range)
                    slots.store(.number(Double(i)), at: slot)
                    if try body(interpreter) { return true }
                    i += 1
                }
                return false
            }
        case .local(let slot):
            return { (interpreter: Interpreter) throws(Diagnostic) in
                var (i, high) = try bounds(interpreter)
                while i < high {
                    try interpreter.poll(range)
                    interpreter.locals.store(.number(Double(i)), at: slot)
                    if try body(interpreter) { return true }
                    i += 1
                }
                return false
            }
        }
    }

    /// `for i in progress(a..b)` counts natively as a range loop does, when `progress` is the
    /// builtin; under any other name (a shadowing function) the call runs as written.
    /// Kept out of line: `statement` is on every compile, and this case is rare.
    @inline(never)
    private func progressRangeLoop(_ ref: NameRef, _ iterable: Expr, _ body: @escaping Exec, _ range: SourceRange,
                                   depth inner: Int) -> Exec? {
        guard case .call(let calleeExpr, let args) = iterable.kind, case .name = calleeExpr.kind, args.count == 1,
              args[0].label == nil, case .range(let lowExpr, let highExpr) = args[0].value.kind else { return nil }
        let variable = lookUp(ref), callee = expression(calleeExpr, depth: inner)
        let low = expression(lowExpr, depth: inner + 1), lowRange = lowExpr.range
        let high = expression(highExpr, depth: inner + 1), highRange = highExpr.range
        let whole = expression(iterable, depth: inner), iterableRange = iterable.range
        return { (interpreter: Interpreter) throws(Diagnostic) in
            guard case .function(.builtin(let builtin)) = try callee(interpreter), builtin.name == "progress" else {
                return try interpreter.loop(over: try whole(interpreter), iterableRange, range, variable, body)
            }
            let lo = try interpreter.integer(try low(interpreter), lowRange, what: "the start of a range")
            let hi = try interpreter.integer(try high(interpreter), highRange, what: "the end of a range")
            let loop = ProgressLoop(range: lo, count: max(0, hi - lo))
            return try interpreter.loop(progress: loop, iterableRange, range, variable, body)
        }
    }

    private func assignment(_ target: AssignTarget, _ value: @escaping Code, depth: Int) -> Exec {
        switch target {
        case .name(let ref):
            switch lookUp(ref).slot {
            case .global(let slot):
                let slots = globals
                return { (interpreter: Interpreter) throws(Diagnostic) in
                    slots.store(try value(interpreter), at: slot)
                    return false
                }
            case .local(let slot):
                return { (interpreter: Interpreter) throws(Diagnostic) in
                    let v = try value(interpreter)
                    interpreter.locals.store(v, at: slot)
                    return false
                }
            }
        case .field(let baseExpr, let name, let nameRange):
            let base = expression(baseExpr, depth: depth)
            return { (interpreter: Interpreter) throws(Diagnostic) in
                let v = try value(interpreter)
                try interpreter.assignField(of: try base(interpreter), name, nameRange, v)
                return false
            }
        case .index(let ref, let items, let range):
            let compiledItems = indexItems(items, depth: depth)
            let variable = lookUp(ref)
            return { (interpreter: Interpreter) throws(Diagnostic) in
                let v = try value(interpreter)
                try interpreter.assignIndexed(variable, compiledItems, range, v)
                return false
            }
        }
    }

    /// `check`: comparisons and allclose/equal keep their operands, so a failure can say what was got.
    private func check(_ condition: Expr, _ message: Code?, depth: Int) -> Exec {
        let range = condition.range
        let inner = depth + 1
        switch condition.kind {
        case .binary(let op, let a, let b) where [.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual].contains(op):
            let left = expression(a, depth: inner), right = expression(b, depth: inner)
            let compare = op.general
            return { (interpreter: Interpreter) throws(Diagnostic) in
                let l = try left(interpreter), r = try right(interpreter)
                let value = try compare(interpreter, l, r, range, (a.range, b.range))
                if try interpreter.truth(value, range) { return false }
                throw try interpreter.checkFailure(range, message, operands: (l, r), test: .compare(op))
            }
        case .call(let callee, let args) where args.count >= 2 && args[0].label == nil && args[1].label == nil:
            let calleeCode = expression(callee, depth: inner)
            let calleeRange = callee.range
            let compiled = arguments(args, depth: depth + Compiler.helperWeight)
            return { (interpreter: Interpreter) throws(Diagnostic) in
                let f = try calleeCode(interpreter)
                let evaluated = try interpreter.evaluate(compiled)
                var operands: (got: Value, expected: Value)?
                var test = CheckTest.equal
                if case .function(let c) = f, c.name == "allclose" || c.name == "equal" {
                    operands = (evaluated[0].value, evaluated[1].value)
                    if c.name == "allclose" { test = CheckTest.close(evaluated) }
                }
                let value = try interpreter.call(f, evaluated, callRange: range, calleeRange: calleeRange, depth: depth)
                if try interpreter.truth(value, range) { return false }
                throw try interpreter.checkFailure(range, message, operands: operands, test: test)
            }
        default:
            let code = expression(condition, depth: depth)
            return { (interpreter: Interpreter) throws(Diagnostic) in
                if try interpreter.truth(try code(interpreter), range) { return false }
                throw try interpreter.checkFailure(range, message, operands: nil)
            }
        }
    }
}
