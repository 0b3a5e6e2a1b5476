/// The global variables of a session, addressed by slot so lookups are array reads.
public final class GlobalTable: @unchecked Sendable {
    public private(set) var names: [String] = []
    private var slots: [String: Int] = [:]
    /// The value of each slot; nil while a name is referenced but not yet bound.
    public var values: [Value?] = []

    public init() {}

    /// The slot of a name, created (unbound) on first use.
    public func slot(for name: String) -> Int {
        if let slot = slots[name] { return slot }
        let slot = names.count
        names.append(name)
        slots[name] = slot
        values.append(nil)
        return slot
    }

    public func value(of name: String) -> Value? {
        slots[name].flatMap { values[$0] }
    }

    public func set(_ name: String, _ value: Value?) {
        values[slot(for: name)] = value
    }

    /// Names that are bound, in slot order.
    public var boundNames: [String] {
        names.indices.filter { values[$0] != nil }.map { names[$0] }
    }
}
