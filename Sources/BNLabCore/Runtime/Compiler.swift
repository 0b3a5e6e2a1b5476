/// A compiled expression: evaluates to a value.
typealias Code = (Interpreter) throws(Diagnostic) -> Value
/// A compiled statement: true when a `return` ran, its value left in `Interpreter.returnValue`.
typealias Exec = (Interpreter) throws(Diagnostic) -> Bool
/// A compiled condition: its truth, with the same errors as evaluating it and testing the value.
typealias Test = (Interpreter) throws(Diagnostic) -> Bool

/// Compiled code where it may be absent: `Code?` itself stores the closure at the generic
/// abstraction, so each call through it would pass two conversion thunks; a concrete struct
/// inside the optional keeps the closure as it is.
struct CompiledCode {
    let code: Code
}

/// Turns syntax into closures once, reading each name's slot from the resolver's scope, so running a program no longer switches on node
/// kinds, copies enum payloads or threads a flow value through every statement.
///
/// Every node is compiled with its depth below the statement or function body it belongs to;
/// a call charges that depth to `Interpreter.evaluationDepth`, which bounds the native stack
/// that nested evaluation and recursion can use together (see `Interpreter.invoke`).
struct Compiler {
    /// The session's global slots, captured by global reads and writes.
    let globals: Slots
    let globalTable: GlobalTable
    /// What the resolver decided for the body being compiled.
    let scope: Scope
    /// Depth charged for entering a call's arguments, a list's elements or an index: evaluation
    /// there passes through interpreter helpers with larger frames than an operator's closure,
    /// so one such level costs several levels' worth of stack.
    static let helperWeight = 4

    init(globals: GlobalTable, scope: Scope) {
        self.globals = globals.slots
        globalTable = globals
        self.scope = scope
    }

    /// A name use with its slot: local when the resolver made it one, else global.
    func lookUp(_ ref: NameRef) -> Variable {
        if let slot = scope.locals?[ref.name] { return Variable(ref, .local(slot)) }
        return Variable(ref, .global(globalTable.slot(for: ref.name)))
    }

    /// A `fn` statement's resolved declaration (resolved here should the table lack it).
    func resolved(_ decl: FunctionDecl) -> ResolvedFunction {
        scope.functions[ObjectIdentifier(decl)] ?? Resolver.resolveFunction(decl, globals: globalTable)
    }

    // MARK: - Expressions

    func expression(_ expr: Expr, depth: Int) -> Code {
        let range = expr.range
        let inner = depth + 1
        switch expr.kind {
        case .number(let v):
            return { (_: Interpreter) throws(Diagnostic) in .number(v) }
        case .string(let s):
            let value = Value.string(s)
            return { (_: Interpreter) throws(Diagnostic) in value }
        case .boolean(let b):
            let value = Value.number(b ? 1 : 0)
            return { (_: Interpreter) throws(Diagnostic) in value }
        case .none:
            return { (_: Interpreter) throws(Diagnostic) in .none }
        case .unfinished:
            return { (interpreter: Interpreter) throws(Diagnostic) in
                throw interpreter.error("unfinished: replace ??? with your answer", range, kind: .unfinished)
            }
        case .name(let ref):
            let variable = lookUp(ref)
            switch variable.slot {
            case .global(let slot):
                let slots = globals
                return { (interpreter: Interpreter) throws(Diagnostic) in
                    if let value = slots[slot] { return value }
                    throw interpreter.unbound(variable)
                }
            case .local(let slot):
                return { (interpreter: Interpreter) throws(Diagnostic) in
                    if let value = interpreter.locals[slot] { return value }
                    throw interpreter.unbound(variable)
                }
            }
        case .list(let elements):
            let codes = elements.map { expression($0, depth: depth + Compiler.helperWeight) }
            let ranges = elements.map(\.range)
            return { (interpreter: Interpreter) throws(Diagnostic) in try interpreter.list(codes, ranges, range) }
        case .negate(let operand):
            if case .number(let v) = operand.kind {
                return { (_: Interpreter) throws(Diagnostic) in .number(-v) }
            }
            let code = expression(operand, depth: inner)
            let operandRange = operand.range
            return { (interpreter: Interpreter) throws(Diagnostic) in
                let v = try code(interpreter)
                if case .number(let x) = v { return .number(-x) }
                let t = try interpreter.tensor(v, operandRange, what: "the operand of '-'")
                return Interpreter.wrap(try interpreter.ops(at: range).unary(.negate, t))
            }
        case .not, .and, .or:
            let test = condition(expr, depth: depth)
            return { (interpreter: Interpreter) throws(Diagnostic) in .number(try test(interpreter) ? 1 : 0) }
        case .binary(let op, let a, let b):
            let general = binary(op, operand(a, depth: inner), operand(b, depth: inner), range, operands: (a.range, b.range))
            // Not `??`: its generic operand would wrap the closure in conversion thunks.
            if let fused = nestedArithmetic(op, a, b, general: general) { return fused.code }
            return general
        case .range(let a, let b):
            let low = expression(a, depth: inner), high = expression(b, depth: inner)
            let lowRange = a.range, highRange = b.range
            return { (interpreter: Interpreter) throws(Diagnostic) in
                let lo = try interpreter.integer(try low(interpreter), lowRange, what: "the start of a range")
                let hi = try interpreter.integer(try high(interpreter), highRange, what: "the end of a range")
                do throws(TensorError) {
                    return .tensor(try Tensor.arange(Double(lo), Double(hi), 1))
                } catch {
                    throw interpreter.error(error, range)
                }
            }
        case .call(let callee, let args):
            let calleeCode = expression(callee, depth: inner)
            let site = CallSite(arguments: arguments(args, depth: depth + Compiler.helperWeight), range: range,
                                calleeRange: callee.range, depth: depth)
            if let fast = positionalCall(callee, args, calleeCode, site) { return fast.code }
            return { (interpreter: Interpreter) throws(Diagnostic) in
                try site.call(try calleeCode(interpreter), interpreter)
            }
        case .member(let baseExpr, let name, let nameRange):
            let base = expression(baseExpr, depth: inner)
            return { (interpreter: Interpreter) throws(Diagnostic) in
                try interpreter.member(try base(interpreter), name, nameRange)
            }
        case .methodCall(let baseExpr, let name, let nameRange, let args):
            let base = expression(baseExpr, depth: inner)
            let baseRange = baseExpr.range
            let compiled = arguments(args, depth: depth + Compiler.helperWeight)
            return { (interpreter: Interpreter) throws(Diagnostic) in
                let receiver = try base(interpreter)
                let evaluated = try interpreter.evaluate(compiled)
                return try interpreter.methodCall(receiver, baseRange, name, nameRange, evaluated, range, depth: depth)
            }
        case .index(let baseExpr, let items):
            let base = expression(baseExpr, depth: inner)
            let baseRange = baseExpr.range
            let compiledItems = indexItems(items, depth: depth + Compiler.helperWeight)
            return { (interpreter: Interpreter) throws(Diagnostic) in
                let value = try base(interpreter)
                // `model[0]`: a Sequential's layer, a parameter list's tensor.
                if case .object(let object) = value { return try interpreter.element(of: object, compiledItems, range) }
                let t = try interpreter.tensor(value, baseRange, what: "an indexed value")
                let index: [TensorIndex]
                switch try interpreter.indicesOrMask(compiledItems, of: t) {
                case .mask(let mask): return try interpreter.maskRead(t, mask, range)
                case .indices(let found): index = found
                case .gather(let selection): return try interpreter.gatherRead(t, selection, range)
                }
                return Interpreter.wrap(try interpreter.ops(at: range).index(t, index))
            }
        }
    }

    /// An operand: literals and slot reads are kept inline, anything else is compiled.
    func operand(_ expr: Expr, depth: Int) -> Operand {
        pureOperand(expr) ?? .code(expression(expr, depth: depth))
    }

    /// A literal or a slot read as an operand read inline; nil for anything else.
    func pureOperand(_ expr: Expr) -> Operand? {
        switch expr.kind {
        case .number(let v): return .constant(.number(v))
        case .boolean(let b): return .constant(.number(b ? 1 : 0))
        case .string(let s): return .constant(.string(s))
        case .none: return .constant(.none)
        case .negate(let inner):
            if case .number(let v) = inner.kind { return .constant(.number(-v)) }
        case .name(let ref):
            switch lookUp(ref).slot {
            case .global(let slot): return .global(globals, slot, ref)
            case .local(let slot): return .local(slot, ref)
            }
        default: break
        }
        return nil
    }

    func arguments(_ args: [CallArgument], depth: Int) -> [CompiledArgument] {
        args.map { argument in
            CompiledArgument(label: argument.label, labelRange: argument.labelRange,
                             code: expression(argument.value, depth: depth), range: argument.value.range)
        }
    }

    func indexItems(_ items: [IndexItem], depth: Int) -> [CompiledIndexItem] {
        items.map { item in
            switch item {
            case .expr(let e):
                return .at(expression(e, depth: depth), e.range)
            case .slice(let start, let stop, let step, _):
                func bound(_ e: Expr?) -> CompiledIndexItem.Bound? {
                    e.map { CompiledIndexItem.Bound(code: expression($0, depth: depth), range: $0.range) }
                }
                return .slice(start: bound(start), stop: bound(stop), step: bound(step))
            }
        }
    }

    // MARK: - Operators

    private func binary(_ op: BinaryOperator, _ left: Operand, _ right: Operand, _ range: SourceRange,
                        operands: OperandRanges? = nil) -> Code {
        op.dispatch(ValueCompiler(left: left, right: right, range: range, operands: operands)).code
    }

    // The visitors return closures inside concrete structs: a closure returned as the generic
    // `Result` itself would be wrapped in conversion thunks, paid on every call.

    /// A compiled expression, as a visitor's result.
    private struct CodeResult {
        let code: Code
    }

    /// An operator as an expression: the scalar fast path for its kernel, `@` in general only.
    private struct ValueCompiler: OperatorVisitor {
        let left: Operand, right: Operand, range: SourceRange, operands: OperandRanges?

        func arithmetic<O: ArithmeticOperator>(_: O.Type) -> CodeResult { CodeResult(code: Compiler.arithmetic(O.self, left, right, range, operands)) }
        func comparison<O: ComparisonOperator>(_: O.Type) -> CodeResult { CodeResult(code: Compiler.comparison(O.self, left, right, range, operands)) }
        func matmul() -> CodeResult {
            let left = left, right = right, range = range, operands = operands
            return CodeResult { (interpreter: Interpreter) throws(Diagnostic) in
                let l = try left.value(interpreter)
                return try interpreter.matmul(l, try right.value(interpreter), range, operands: operands)
            }
        }
    }

    private static func arithmetic<O: ArithmeticOperator>(_: O.Type, _ left: Operand, _ right: Operand, _ range: SourceRange,
                                                          _ operands: OperandRanges?) -> Code {
        scalarValue(ArithmeticValue<O>.self, left, right, range, operands)
    }

    private static func comparison<O: ComparisonOperator>(_: O.Type, _ left: Operand, _ right: Operand, _ range: SourceRange,
                                                          _ operands: OperandRanges?) -> Code {
        scalarValue(ComparisonValue<O>.self, left, right, range, operands)
    }

    /// A binary operator whose operands are evaluated left then right, with the two-number case
    /// handled inline; slot and literal operands are peeked at without copying values.
    ///
    /// The result type is concrete (here and in `scalarTest`) because a closure formed with a
    /// generic result type is wrapped in a conversion thunk on every call.
    private static func scalarValue<S: ScalarBinary>(_: S.Type, _ left: Operand, _ right: Operand,
                                                      _ range: SourceRange, _ operands: OperandRanges? = nil) -> Code where S.Result == Value {
        if left.isPure && right.isPure {
            return { (interpreter: Interpreter) throws(Diagnostic) -> Value in
                if let a = left.number(interpreter), let b = right.number(interpreter) { return S.fast(a, b) }
                let l = try left.value(interpreter)
                return try S.slow(interpreter, consume l, try right.value(interpreter), range, operands)
            }
        }
        if case .code(let first) = left, right.isPure {
            return { (interpreter: Interpreter) throws(Diagnostic) -> Value in
                let l = try first(interpreter)
                if case .number(let a) = l, let b = right.number(interpreter) { return S.fast(a, b) }
                return try S.slow(interpreter, consume l, try right.value(interpreter), range, operands)
            }
        }
        return { (interpreter: Interpreter) throws(Diagnostic) -> Value in
            let l = try left.value(interpreter)
            let r = try right.value(interpreter)
            if case .number(let a) = l, case .number(let b) = r { return S.fast(a, b) }
            return try S.slow(interpreter, consume l, consume r, range, operands)
        }
    }

    /// `x = a op b` into a slot, with a and b slots or literals, as one closure: two numbers are
    /// combined and stored without making, returning and copying a value (the scalar loop's body).
    func fusedAssignment(_ target: AssignTarget, _ valueExpr: Expr, depth: Int) -> Exec? {
        guard case .binary(let op, let a, let b) = valueExpr.kind else { return nil }
        let left = operand(a, depth: depth + 1), right = operand(b, depth: depth + 1)
        guard left.isPure, right.isPure else { return nil }
        guard case .name(let ref) = target else { return nil }
        let destination: Operand
        switch lookUp(ref).slot {
        case .global(let slot): destination = .global(globals, slot, ref)
        case .local(let slot): destination = .local(slot, ref)
        }
        return op.dispatch(FusedCompiler(destination: destination, left: left, right: right, range: valueExpr.range,
                                          operands: (a.range, b.range))).exec
    }

    /// A compiled statement or none, as a visitor's result.
    private struct ExecResult {
        let exec: Exec?
    }

    /// `x = a op b` for an arithmetic operator; comparisons and `@` are not fused.
    private struct FusedCompiler: OperatorVisitor {
        let destination: Operand, left: Operand, right: Operand, range: SourceRange, operands: OperandRanges

        func arithmetic<O: ArithmeticOperator>(_: O.Type) -> ExecResult { ExecResult(exec: Compiler.fused(O.self, destination, left, right, range, operands)) }
        func comparison<O: ComparisonOperator>(_: O.Type) -> ExecResult { ExecResult(exec: nil) }
        func matmul() -> ExecResult { ExecResult(exec: nil) }
    }

    private static func fused<O: ArithmeticOperator>(_: O.Type, _ destination: Operand, _ left: Operand, _ right: Operand,
                                                     _ range: SourceRange, _ operands: OperandRanges) -> Exec? {
        let general = scalarValue(ArithmeticValue<O>.self, left, right, range, operands)
        switch destination {
        case .global(let slots, let slot, _):
            return { (interpreter: Interpreter) throws(Diagnostic) -> Bool in
                if let a = left.number(interpreter), let b = right.number(interpreter) {
                    slots.store(.number(O.apply(a, b)), at: slot)
                } else {
                    slots.store(try general(interpreter), at: slot)
                }
                return false
            }
        case .local(let slot, _):
            return { (interpreter: Interpreter) throws(Diagnostic) -> Bool in
                if let a = left.number(interpreter), let b = right.number(interpreter) {
                    interpreter.locals.store(.number(O.apply(a, b)), at: slot)
                } else {
                    let value = try general(interpreter)
                    interpreter.locals.store(value, at: slot)
                }
                return false
            }
        default:
            return nil
        }
    }

    /// A comparison as a condition, compiled as `scalarValue` is.
    private static func comparisonTest<O: ComparisonOperator>(_: O.Type, _ left: Operand, _ right: Operand, _ range: SourceRange,
                                                              _ operands: OperandRanges) -> Test {
        typealias S = ComparisonTruth<O>
        if left.isPure && right.isPure {
            return { (interpreter: Interpreter) throws(Diagnostic) -> Bool in
                if let a = left.number(interpreter), let b = right.number(interpreter) { return S.fast(a, b) }
                let l = try left.value(interpreter)
                return try S.slow(interpreter, l, try right.value(interpreter), range, operands)
            }
        }
        if case .code(let first) = left, right.isPure {
            return { (interpreter: Interpreter) throws(Diagnostic) -> Bool in
                let l = try first(interpreter)
                if case .number(let a) = l, let b = right.number(interpreter) { return S.fast(a, b) }
                return try S.slow(interpreter, l, try right.value(interpreter), range, operands)
            }
        }
        return { (interpreter: Interpreter) throws(Diagnostic) -> Bool in
            let l = try left.value(interpreter)
            let r = try right.value(interpreter)
            if case .number(let a) = l, case .number(let b) = r { return S.fast(a, b) }
            return try S.slow(interpreter, l, r, range, operands)
        }
    }

    // MARK: - Conditions

    /// A compiled condition or none, as a visitor's result.
    private struct TestResult {
        let test: Test?
    }

    /// A comparison as a condition, without making a value; other operators give nil (their value is tested).
    private struct TestCompiler: OperatorVisitor {
        let left: Operand, right: Operand, range: SourceRange, operands: OperandRanges

        func arithmetic<O: ArithmeticOperator>(_: O.Type) -> TestResult { TestResult(test: nil) }
        func comparison<O: ComparisonOperator>(_: O.Type) -> TestResult { TestResult(test: Compiler.comparisonTest(O.self, left, right, range, operands)) }
        func matmul() -> TestResult { TestResult(test: nil) }
    }

    /// A condition, as `if`, `not`, `and` and `or` test it.
    func condition(_ expr: Expr, depth: Int) -> Test {
        let range = expr.range
        let inner = depth + 1
        switch expr.kind {
        case .not(let operand):
            let test = condition(operand, depth: inner)
            return { (interpreter: Interpreter) throws(Diagnostic) in try !test(interpreter) }
        case .and(let a, let b):
            let first = condition(a, depth: inner), second = condition(b, depth: inner)
            return { (interpreter: Interpreter) throws(Diagnostic) in
                guard try first(interpreter) else { return false }
                return try second(interpreter)
            }
        case .or(let a, let b):
            let first = condition(a, depth: inner), second = condition(b, depth: inner)
            return { (interpreter: Interpreter) throws(Diagnostic) in
                if try first(interpreter) { return true }
                return try second(interpreter)
            }
        case .binary(let op, let a, let b):
            let left = operand(a, depth: inner), right = operand(b, depth: inner)
            if let test = op.dispatch(TestCompiler(left: left, right: right, range: range, operands: (a.range, b.range))).test { return test }
            let code = binary(op, left, right, range, operands: (a.range, b.range))
            return { (interpreter: Interpreter) throws(Diagnostic) in try interpreter.truth(try code(interpreter), range) }
        default:
            let code = expression(expr, depth: depth)
            return { (interpreter: Interpreter) throws(Diagnostic) in
                let value = try code(interpreter)
                if case .number(let v) = value { return v != 0 && !v.isNaN }
                return try interpreter.truth(value, range)
            }
        }
    }
}

/// A call argument with its value compiled.
struct CompiledArgument {
    var label: String?
    var labelRange: SourceRange?
    var code: Code
    var range: SourceRange
}

/// One `x[...]` component with its expressions compiled.
enum CompiledIndexItem {
    /// A slice bound and where it was written.
    struct Bound {
        var code: Code
        var range: SourceRange
    }

    case at(Code, SourceRange)
    case slice(start: Bound?, stop: Bound?, step: Bound?)
}
