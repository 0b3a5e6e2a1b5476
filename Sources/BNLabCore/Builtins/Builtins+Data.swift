/// Data for training (training.md §6): the digits, mini-batches of row indices, percentiles.
extension Builtins {
    static let data: [Builtin] = [
        DigitsData.constructor,
        Builtin("batches(n, size, shuffle=true, drop_last=true)", group: "data",
                "the row indices of one epoch in mini-batches, a [n ÷ size, size] tensor (shuffled by the session's generator, as PyTorch's DataLoader): for idx in batches(n, 60) { xb = x[idx] … }",
                example: "batches(10, 3, shuffle=false)") { (a: inout BoundArguments) throws(Diagnostic) in
            let n = try a.int("n"), size = try a.int("size")
            guard n >= 0 else { throw a.error(DiagnosticMessages.cannotBeNegative("'n' of batches"), at: "n") }
            guard size > 0 else { throw a.error("'size' of batches must be a positive integer, got \(size)", at: "size") }
            let shuffle = try a.bool("shuffle"), dropLast = try a.bool("drop_last")
            let count = n / size, left = n % size
            // A tensor cannot be ragged: PyTorch's shorter last batch has no [k, size] form.
            if !dropLast && left != 0 {
                throw a.error("batches(\(n), \(size), drop_last=false) would end with a batch of \(left), shorter than the others, and a [k, size] tensor cannot hold it", at: "drop_last")
                    .adding(.help, "keep drop_last=true (\(count) batch\(count == 1 ? "" : "es") of \(size); with shuffling, the \(left) left out change every epoch), or pick a size that divides \(n)")
            }
            let used = count * size
            let order: Tensor
            if shuffle {
                var generator = a.interpreter.generator
                order = try a.attempt { () throws(TensorError) in try Tensor.permutation(n, generator: &generator) }
                a.interpreter.generator = generator
            } else {
                order = try a.attempt { () throws(TensorError) in try Tensor.arange(0, Double(n), 1) }
            }
            return .tensor(try a.attempt { () throws(TensorError) in
                try Tensor(shape: [count, size], elements: Array(order.elements[..<used]))
            })
        },
        Builtin("percentile(x, q, axis=none, keepdims=false)", group: "reduce",
                "the q-th percentiles (q from 0 to 100, a number or a list: the result's first axis) with numpy's default linear rule; NaN in a selection gives NaN; differentiable in x, as torch.quantile",
                example: "percentile([1, 2, 3, 4], [25, 50])") { (a: inout BoundArguments) throws(Diagnostic) in
            let x = try a.tensor("x"), q = try a.tensor("q"), axes = try a.axes(), keep = try a.bool("keepdims")
            if let bad = q.elements.first(where: { !($0 >= 0 && $0 <= 100) }) {
                throw a.error("'q' of percentile must be from 0 to 100, got \(Interpreter.numberText(bad))", at: "q")
                    .adding(.help, "percentile takes percents: the median is q=50 (numpy's quantile would take 0.5)")
            }
            return Interpreter.wrap(try a.ops.percentile(x, q, axes: axes, keepdims: keep))
        },
    ]
}
