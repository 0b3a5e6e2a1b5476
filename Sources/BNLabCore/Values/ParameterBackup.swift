/// The values and gradients of every parameter a session holds, copied, to put back in place.
///
/// Parameters are the one thing written in place (optimizer steps, `w.data = v`), so keeping
/// the old `Value` of a parameter keeps nothing: undoing a failed statement or closing a
/// lesson's REPL needs a copy of its numbers, written back into the same buffer so that every
/// holder (a variable, a layer, an optimizer) sees the restored values.
struct ParameterBackup {
    private let saved: [(parameter: Tensor, values: Tensor, grad: Tensor?)]

    init(of values: [Value?]) {
        saved = ObjectGraph.parameters(among: values).map { ($0, $0.copied(), $0.node?.grad) }
    }

    /// Puts the values and gradients back; true when any had changed.
    @discardableResult
    func restore() -> Bool {
        var changed = false
        for (parameter, values, grad) in saved {
            if !SessionCheckpoint.same(parameter, values) { changed = true }
            if (parameter.node?.grad == nil) != (grad == nil) { changed = true }
            try? parameter.overwrite(with: values)
            parameter.node?.grad = grad
        }
        return changed
    }
}
