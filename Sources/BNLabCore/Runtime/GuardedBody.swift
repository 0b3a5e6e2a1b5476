/// A function body of the form `if c { return a }; b`, a base case then the general one, run as
/// the expression `c ? a : b`: the returned value goes straight back, never through
/// `Interpreter.returnValue`. A comparison of names and literals as `c` and a name or literal as
/// `a` are read inline (the usual `if n < 2 { return n }`), two closure calls fewer per call.
extension Compiler {
    /// The body as one conditional, or nil unless it is exactly a one-branch `if` without `else`
    /// whose whole body is a `return` with a value, then a final expression (itself possibly of
    /// the same form).
    func guardedBody(_ statements: [Stmt]) -> CompiledCode? {
        guard statements.count >= 2, case .ifElse(let branches, let elseBody) = statements[0].kind, elseBody == nil,
              branches.count == 1, branches[0].body.count == 1,
              case .returnValue(let returned?) = branches[0].body[0].kind else { return nil }
        let rest = Array(statements.dropFirst())
        let remaining: Code
        if let nested = guardedBody(rest) {
            remaining = nested.code
        } else {
            guard rest.count == 1, case .expression(let expr, _) = rest[0].kind else { return nil }
            remaining = expression(expr, depth: 1)
        }
        // The depths the statements would have had: the condition inside the `if`, the returned
        // value inside its `return`.
        let conditionExpr = branches[0].condition
        let test = condition(conditionExpr, depth: 1)
        let value = pureOperand(returned) ?? .code(expression(returned, depth: 2))
        if case .binary(let op, let a, let b) = conditionExpr.kind, let left = pureOperand(a), let right = pureOperand(b),
           let inline = op.dispatch(InlineGuard(left: left, right: right, test: test, value: value, remaining: remaining)) {
            return inline
        }
        return CompiledCode { (interpreter: Interpreter) throws(Diagnostic) -> Value in
            try test(interpreter) ? try value.value(interpreter) : try remaining(interpreter)
        }
    }

    /// The guard for a comparison of two pure operands: two numbers are compared inline, anything
    /// else runs the compiled condition (same truth, same errors).
    private struct InlineGuard: OperatorVisitor {
        let left: Operand, right: Operand
        let test: Test
        let value: Operand
        let remaining: Code

        func arithmetic<O: ArithmeticOperator>(_: O.Type) -> CompiledCode? { nil }
        func matmul() -> CompiledCode? { nil }

        func comparison<O: ComparisonOperator>(_: O.Type) -> CompiledCode? {
            let left = left, right = right, test = test, value = value, remaining = remaining
            return CompiledCode { (interpreter: Interpreter) throws(Diagnostic) -> Value in
                let holds: Bool
                if let a = left.number(interpreter), let b = right.number(interpreter) {
                    holds = O.holds(a, b)
                } else {
                    holds = try test(interpreter)
                }
                return holds ? try value.value(interpreter) : try remaining(interpreter)
            }
        }
    }
}
