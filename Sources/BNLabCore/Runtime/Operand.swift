/// An operand of a binary operator, classified when compiled so that slot reads and literals
/// skip a closure call (the scalar loop's `s + i` is two slot reads and an add).
enum Operand {
    case constant(Value)
    case global(Slots, Int, NameRef)
    case local(Int, NameRef)
    case code(Code)

    /// True when reading the operand has no effects, so it may be peeked at and read again.
    var isPure: Bool {
        if case .code = self { return false }
        return true
    }

    /// The operand's number, when it is one, without copying a value; nil otherwise (and for
    /// compiled code, which must be evaluated exactly once through `value`).
    @inline(__always)
    func number(_ interpreter: Interpreter) -> Double? {
        switch self {
        case .constant(let value):
            if case .number(let v) = value { return v }
            return nil
        case .global(let slots, let slot, _):
            return slots.number(at: slot)
        case .local(let slot, _):
            return interpreter.locals.number(at: slot)
        case .code:
            return nil
        }
    }

    /// The operand's value, with the same errors as evaluating its expression.
    @inline(__always)
    func value(_ interpreter: Interpreter) throws(Diagnostic) -> Value {
        switch self {
        case .constant(let value):
            return value
        case .global(let slots, let slot, let ref):
            if let value = slots[slot] { return value }
            throw interpreter.unbound(Variable(ref, .global(slot)))
        case .local(let slot, let ref):
            if let value = interpreter.locals[slot] { return value }
            throw interpreter.unbound(Variable(ref, .local(slot)))
        case .code(let code):
            return try code(interpreter)
        }
    }
}
