/// Losses (training.md §4): fused, each with its own backward.
extension Builtins {
    static let losses: [Builtin] = [
        Builtin("cross_entropy(logits, target)", group: "losses",
                "the mean over N of −log softmax(logits)[i, target[i]]: logits [N, K], target [N] class indices 0…K−1 (PyTorch's F.cross_entropy); stable for large logits",
                example: "cross_entropy([[2, 0, -1], [0, 3, 1]], [0, 1])") { (a: inout BoundArguments) throws(Diagnostic) in
            let logits = try a.tensor("logits"), target = try a.tensor("target")
            guard logits.rank == 2 else {
                throw a.error("cross_entropy expects logits of shape [N, K] (N samples, K classes), got \(Value.shapeText(logits.shape))", at: "logits")
            }
            guard target.rank == 1, target.shape[0] == logits.shape[0] else {
                throw a.error("cross_entropy expects target of shape [\(logits.shape[0])] (one class index per row of logits \(Value.shapeText(logits.shape))), got \(Value.shapeText(target.shape))", at: "target")
            }
            do throws(TensorError) {
                _ = try Tensor.classIndices(target, rows: logits.shape[0], classes: logits.shape[1])
            } catch {
                throw a.interpreter.error(error, a.range(of: "target"))
            }
            return Interpreter.wrap(try a.ops.crossEntropy(logits, target))
        },
        Builtin("mse_loss(input, target)", group: "losses",
                "the mean of (input − target)² over every element (PyTorch's F.mse_loss); the shapes must be equal (PyTorch would broadcast with a warning)",
                example: "mse_loss([1, 2, 3], [1, 0, 3])") { (a: inout BoundArguments) throws(Diagnostic) in
            let input = try a.tensor("input"), target = try a.tensor("target")
            guard input.shape == target.shape else {
                throw a.error("mse_loss expects input and target of the same shape, got \(Value.shapeText(input.shape)) and \(Value.shapeText(target.shape))", at: "target")
            }
            return Interpreter.wrap(try a.ops.meanSquaredError(input, target))
        },
    ]
}
