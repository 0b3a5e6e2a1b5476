/// The common call, `f(a)` or `f(a, b)`: a user function named by a variable, called with as
/// many unlabelled arguments as it has parameters. The function is read from its slot in place
/// and each argument's value goes straight into the new frame: no plan, no argument list, no
/// copy of the callee's value. Anything else (a builtin, an object, another arity, a callee that
/// is not a name) takes the call site's general path, which binds, defaults and reports errors.
///
/// The function is not retained for the call: the variable it was read from keeps it alive, since
/// nothing can rebind that variable before the call returns (expressions assign nothing, a
/// function body assigns only its own locals, and globals change only between top-level
/// statements), so the retain and release around every call are left out.
extension Compiler {
    /// Where the callee's name lives, read without copying its value.
    private enum CalleeSlot {
        case global(Slots, Int)
        case local(Int)

        /// The user function held there, if that is what it holds.
        @inline(__always)
        func user(_ interpreter: Interpreter) -> Unmanaged<UserFunction>? {
            switch self {
            case .global(let slots, let slot): return slots.userFunction(at: slot)
            case .local(let slot): return interpreter.locals.userFunction(at: slot)
            }
        }
    }

    /// The fast form of a call with one or two unlabelled arguments, or nil when it has none.
    func positionalCall(_ calleeExpr: Expr, _ args: [CallArgument], _ calleeCode: @escaping Code, _ site: CallSite) -> CompiledCode? {
        guard case .name(let ref) = calleeExpr.kind, site.arguments.allSatisfy({ $0.label == nil }) else { return nil }
        // A name or a literal is read inline; anything else runs the code the site compiled.
        let operands = args.indices.map { k in pureOperand(args[k].value) ?? .code(site.arguments[k].code) }
        let callee: CalleeSlot
        switch lookUp(ref).slot {
        case .global(let slot): callee = .global(globals, slot)
        case .local(let slot): callee = .local(slot)
        }
        let range = site.range, depth = site.depth
        switch site.arguments.count {
        case 1:
            let first = operands[0]
            return CompiledCode { (interpreter: Interpreter) throws(Diagnostic) -> Value in
                guard let user = callee.user(interpreter),
                      user._withUnsafeGuaranteedRef({ $0.function.parameterCount }) == 1 else {
                    return try site.call(try calleeCode(interpreter), interpreter)
                }
                let count = user._withUnsafeGuaranteedRef { $0.function.localCount }
                let frame = interpreter.pushFrame(count: count)
                do throws(Diagnostic) {
                    frame.initialize(to: try first.value(interpreter))
                } catch {
                    interpreter.popFrame(frame, count: count)
                    throw error
                }
                return try interpreter.invoke(user, frame: frame, callRange: range, depth: depth)
            }
        case 2:
            let first = operands[0], second = operands[1]
            return CompiledCode { (interpreter: Interpreter) throws(Diagnostic) -> Value in
                guard let user = callee.user(interpreter),
                      user._withUnsafeGuaranteedRef({ $0.function.parameterCount }) == 2 else {
                    return try site.call(try calleeCode(interpreter), interpreter)
                }
                let count = user._withUnsafeGuaranteedRef { $0.function.localCount }
                let frame = interpreter.pushFrame(count: count)
                do throws(Diagnostic) {
                    frame.initialize(to: try first.value(interpreter))
                    (frame + 1).initialize(to: try second.value(interpreter))
                } catch {
                    interpreter.popFrame(frame, count: count)
                    throw error
                }
                return try interpreter.invoke(user, frame: frame, callRange: range, depth: depth)
            }
        default:
            return nil
        }
    }
}
