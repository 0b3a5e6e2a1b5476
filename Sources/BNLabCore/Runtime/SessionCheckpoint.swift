/// A copy of what a REPL opened in the middle of a lesson can change, to put back when it closes.
///
/// The lesson's later cells and prose assume the lesson's own values: `cars = cars * 0` or
/// `:reset` in the REPL must not leak into them. Tensors are values (copy on write), so keeping
/// the old `Value`s keeps the old numbers; objects (layers and what they hold) have their state copied.
public struct SessionCheckpoint {
    /// One piece of session state: puts itself back and says whether it had changed.
    private typealias Part = () -> Bool
    private let parts: [Part]

    /// Takes the checkpoint now.
    public init(of session: Session) {
        let interpreter = session.interpreter
        let globals = interpreter.globals
        var parts: [Part] = []

        let values = globals.values
        parts.append {
            var changed = false
            for slot in 0..<globals.names.count {
                let old = slot < values.count ? values[slot] : nil
                // `ans` changes whenever the REPL shows a value; that is not the lesson changing.
                if globals.names[slot] != "ans", !SessionCheckpoint.same(globals[slot], old) { changed = true }
                globals[slot] = old
            }
            return changed
        }

        let objects = ObjectGraph.snapshot(of: values)
        parts.append {
            var changed = false
            for (object, state) in objects {
                if !SessionCheckpoint.same(object.snapshot(), state) { changed = true }
                object.restore(state)
            }
            return changed
        }

        let parameters = ParameterBackup(of: values)
        parts.append { parameters.restore() }

        let precision = interpreter.precision
        parts.append {
            defer { interpreter.precision = precision }
            return interpreter.precision != precision
        }

        // Draws made in the REPL must not shift the random numbers of the lesson's later cells.
        let generator = interpreter.generator
        parts.append {
            defer { interpreter.generator = generator }
            return interpreter.generator != generator
        }

        self.parts = parts
    }

    /// Puts the session back as it was; true when anything had changed.
    @discardableResult
    public func restore() -> Bool {
        // Every part runs: `||` would stop at the first change.
        parts.map { $0() }.contains(true)
    }

    static func same(_ a: Value?, _ b: Value?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (.number(let x)?, .number(let y)?): return x.bitPattern == y.bitPattern
        case (.tensor(let x)?, .tensor(let y)?): return same(x, y)
        case (.string(let x)?, .string(let y)?): return x == y
        case (.function(.builtin(let x))?, .function(.builtin(let y))?): return x.name == y.name
        case (.function(.user(let x))?, .function(.user(let y))?): return x === y
        case (.object(let x)?, .object(let y)?): return x === y
        case (.none?, .none?): return true
        default: return false
        }
    }

    static func same(_ a: Tensor, _ b: Tensor) -> Bool {
        a.shape == b.shape && a.elements.map(\.bitPattern) == b.elements.map(\.bitPattern)
    }

    static func same(_ a: ObjectState, _ b: ObjectState) -> Bool {
        a.values.count == b.values.count && zip(a.values, b.values).allSatisfy { same($0, $1) }
    }
}
