/// A copy of what a REPL opened in the middle of a lesson can change, to put back when it closes.
///
/// The lesson's later cells and prose assume the lesson's own values: `cars = cars * 0` or
/// `:reset` in the REPL must not leak into them. Tensors are values (copy on write), so keeping
/// the old `Value`s keeps the old numbers; layers are objects, so their state is copied.
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

        let layers: [(BatchNormLayer, BatchNormLayer.State)] = values.compactMap {
            if case .layer(let layer)? = $0 { return (layer, layer.state) }
            return nil
        }
        parts.append {
            var changed = false
            for (layer, state) in layers {
                if !SessionCheckpoint.same(layer.state, state) { changed = true }
                layer.state = state
            }
            return changed
        }

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
        case (.layer(let x)?, .layer(let y)?): return x === y
        case (.none?, .none?): return true
        default: return false
        }
    }

    static func same(_ a: Tensor, _ b: Tensor) -> Bool {
        a.shape == b.shape && a.elements.map(\.bitPattern) == b.elements.map(\.bitPattern)
    }

    static func same(_ a: BatchNormLayer.State, _ b: BatchNormLayer.State) -> Bool {
        a.eps.bitPattern == b.eps.bitPattern && a.momentum?.bitPattern == b.momentum?.bitPattern
            && same(a.gamma, b.gamma) && same(a.beta, b.beta) && same(a.runningMean, b.runningMean)
            && same(a.runningVar, b.runningVar) && a.numBatchesTracked == b.numBatchesTracked
            && a.training == b.training
    }
}
