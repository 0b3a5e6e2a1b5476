/// Two arithmetic operators over three literals or slots, `a * 2 + 1` or `x - (y + z)`, as one
/// closure: three numbers give their result with no value made between the two operators and
/// one closure call instead of two. Anything else (a tensor, a string, an unbound name) runs the
/// expression as compiled in general, so results and errors are exactly the general path's.
extension Compiler {
    /// The fused form of `a op b`, or nil when it is not two arithmetic operators over pure operands.
    func nestedArithmetic(_ op: BinaryOperator, _ a: Expr, _ b: Expr, general: @escaping Code) -> CompiledCode? {
        if case .binary(let innerOp, let p, let q) = a.kind,
           let x = pureOperand(p), let y = pureOperand(q), let z = pureOperand(b) {
            return op.dispatch(Outer(inner: innerOp, x: x, y: y, z: z, innerIsLeft: true, general: general))
        }
        if case .binary(let innerOp, let q, let r) = b.kind,
           let x = pureOperand(a), let y = pureOperand(q), let z = pureOperand(r) {
            return op.dispatch(Outer(inner: innerOp, x: x, y: y, z: z, innerIsLeft: false, general: general))
        }
        return nil
    }

    /// Picks the outer operator's kernel, then the inner one's.
    private struct Outer: OperatorVisitor {
        let inner: BinaryOperator
        /// The three operands in written order.
        let x: Operand, y: Operand, z: Operand
        /// `(x op y) op z` when true, else `x op (y op z)`.
        let innerIsLeft: Bool
        let general: Code

        func arithmetic<O: ArithmeticOperator>(_: O.Type) -> CompiledCode? {
            inner.dispatch(Inner<O>(x: x, y: y, z: z, innerIsLeft: innerIsLeft, general: general))
        }
        func comparison<O: ComparisonOperator>(_: O.Type) -> CompiledCode? { nil }
        func matmul() -> CompiledCode? { nil }
    }

    private struct Inner<OuterOp: ArithmeticOperator>: OperatorVisitor {
        let x: Operand, y: Operand, z: Operand
        let innerIsLeft: Bool
        let general: Code

        func arithmetic<O: ArithmeticOperator>(_: O.Type) -> CompiledCode? {
            let x = x, y = y, z = z, general = general
            if innerIsLeft {
                return CompiledCode { (interpreter: Interpreter) throws(Diagnostic) -> Value in
                    if let a = x.number(interpreter), let b = y.number(interpreter), let c = z.number(interpreter) {
                        return .number(OuterOp.apply(O.apply(a, b), c))
                    }
                    return try general(interpreter)
                }
            }
            return CompiledCode { (interpreter: Interpreter) throws(Diagnostic) -> Value in
                if let a = x.number(interpreter), let b = y.number(interpreter), let c = z.number(interpreter) {
                    return .number(OuterOp.apply(a, O.apply(b, c)))
                }
                return try general(interpreter)
            }
        }
        func comparison<O: ComparisonOperator>(_: O.Type) -> CompiledCode? { nil }
        func matmul() -> CompiledCode? { nil }
    }
}
