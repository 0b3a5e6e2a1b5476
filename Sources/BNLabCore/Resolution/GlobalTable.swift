/// The global variables of a session, addressed by slot so lookups are array reads.
public final class GlobalTable {
    public private(set) var names: [String] = []
    private var indexOfName: [String: Int] = [:]
    /// The value of each slot; nil while a name is referenced but not yet bound.
    let slots = Slots(count: 0)

    /// Every slot's value, in slot order (a copy).
    public var values: [Value?] { slots.values }

    public init() {}

    /// The slot of a name, created (unbound) on first use.
    public func slot(for name: String) -> Int {
        if let slot = indexOfName[name] { return slot }
        let slot = names.count
        names.append(name)
        indexOfName[name] = slot
        slots.append()
        return slot
    }

    public func value(of name: String) -> Value? {
        indexOfName[name].flatMap { slots[$0] }
    }

    public func set(_ name: String, _ value: Value?) {
        slots[slot(for: name)] = value
    }

    /// The value in a slot.
    public subscript(slot: Int) -> Value? {
        get { slots[slot] }
        set { slots[slot] = newValue }
    }

    /// Names that are bound, in slot order.
    public var boundNames: [String] {
        names.indices.filter { slots[$0] != nil }.map { names[$0] }
    }
}
