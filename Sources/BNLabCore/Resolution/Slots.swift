/// A growable row of variable slots read and written through a stable pointer.
///
/// Interpreter loops touch these on every step; an array stored in a class would pay a
/// dynamic exclusivity check per access, a pointer held in a `let` does not.
final class Slots {
    private(set) var count: Int
    private var capacity: Int
    private var base: UnsafeMutablePointer<Value?>

    init(count: Int) {
        self.count = count
        capacity = max(count, 4)
        base = UnsafeMutablePointer<Value?>.allocate(capacity: capacity)
        base.initialize(repeating: nil, count: capacity)
    }

    deinit {
        // Unbound slots are trivial, so once every slot is unbound the memory can simply go.
        unbind(upTo: capacity)
        base.deallocate()
    }

    /// Unbinds the first `end` slots. A concrete loop releases only what needs it, where
    /// deinitialize(count:) calls the runtime's generic array destroy, a witness call per slot.
    private func unbind(upTo end: Int) {
        for i in 0..<end {
            switch base[i] {
            case .some(.number), nil: break
            default: base[i] = nil
            }
        }
    }

    @inline(__always)
    subscript(index: Int) -> Value? {
        get { base[index] }
        set { base[index] = newValue }
    }

    /// A slot's number, read in place without copying the value; nil for anything else.
    @inline(__always)
    func number(at index: Int) -> Double? {
        if case .number(let v)? = base[index] { return v }
        return nil
    }

    /// A slot's user function, read in place and not retained (the slot keeps it alive); nil
    /// for anything else.
    @inline(__always)
    func userFunction(at index: Int) -> Unmanaged<UserFunction>? {
        if case .function(.user(let f))? = base[index] { return .passUnretained(f) }
        return nil
    }

    /// Writes a slot, skipping the release of the old value when it is a number or unbound
    /// (the common case in loops, where the release is an outlined call).
    @inline(__always)
    func store(_ value: Value, at index: Int) {
        let slot = base + index
        switch slot.pointee {
        case .some(.number), nil: slot.initialize(to: value)
        default: slot.pointee = value
        }
    }

    /// Adds an unbound slot at the end.
    func append() {
        if count == capacity {
            let bigger = UnsafeMutablePointer<Value?>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: base, count: capacity)
            bigger.advanced(by: capacity).initialize(repeating: nil, count: capacity)
            base.deallocate()
            base = bigger
            capacity *= 2
        }
        count += 1
    }

    /// Every slot's value, in order.
    var values: [Value?] {
        (0..<count).map { base[$0] }
    }
}

/// A call's frame (see `Interpreter.pushFrame`) read and written as `Slots` are.
extension UnsafeMutablePointer where Pointee == Value? {
    /// A slot's number, read in place without copying the value; nil for anything else.
    @inline(__always)
    func number(at index: Int) -> Double? {
        if case .number(let v)? = self[index] { return v }
        return nil
    }

    /// A slot's user function, read in place and not retained (the slot keeps it alive); nil
    /// for anything else.
    @inline(__always)
    func userFunction(at index: Int) -> Unmanaged<UserFunction>? {
        if case .function(.user(let f))? = self[index] { return .passUnretained(f) }
        return nil
    }

    /// Writes a slot, skipping the release of the old value when it is a number or unbound.
    @inline(__always)
    func store(_ value: Value, at index: Int) {
        let slot = self + index
        switch slot.pointee {
        case .some(.number), nil: slot.initialize(to: value)
        default: slot.pointee = value
        }
    }
}
