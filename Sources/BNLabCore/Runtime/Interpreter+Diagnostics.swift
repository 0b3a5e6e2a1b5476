extension Interpreter {
    /// A tensor operation's failure at a range of the file being evaluated: the one place a
    /// `TensorError` becomes a `Diagnostic` (with `highlights`, e.g. both operands of `a + b`).
    func error(_ failure: TensorError, _ range: SourceRange, highlights: [SourceRange] = []) -> Diagnostic {
        Diagnostic(failure, file: file, range: range, highlights: highlights)
    }

    /// Runs a tensor operation, reporting its failure at `range`.
    func attempt<T>(_ range: SourceRange, _ body: () throws(TensorError) -> T) throws(Diagnostic) -> T {
        do {
            return try body()
        } catch {
            throw self.error(error, range)
        }
    }
}
