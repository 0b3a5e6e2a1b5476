/// The backward rules of the fused losses: closed forms, one step each.
extension Gradients {
    /// `cross_entropy(logits, labels)`: (softmax − onehot(labels)) / N times the loss's gradient.
    /// The labels get none (they are class indices, as in PyTorch).
    public static func crossEntropy(softmax: Tensor, classes labels: [Int]) -> Rule {
        let n = softmax.shape[0], k = softmax.shape[1]
        return { g throws(TensorError) in
            guard let upstream = g.scalarValue else { throw TensorError("cross_entropy's gradient must be one number") }
            let scale = upstream / Double(n)
            var d = softmax.elements
            for row in 0..<n { d[row * k + labels[row]] -= 1 }
            for i in 0..<d.count { d[i] *= scale }
            return [try Tensor(shape: [n, k], elements: d), nil]
        }
    }

    /// `mse_loss(input, target)`: 2(input − target)/n to the input, its negative to the target.
    public static func meanSquaredError(_ input: Tensor, _ target: Tensor, needs: (Bool, Bool)) -> Rule {
        let shape = input.shape
        return { g throws(TensorError) in
            guard let upstream = g.scalarValue else { throw TensorError("mse_loss's gradient must be one number") }
            let scale = 2 * upstream / Double(input.count)
            let a = input.elements, b = target.elements
            var d = [Double](repeating: 0, count: a.count)
            for i in 0..<a.count { d[i] = (a[i] - b[i]) * scale }
            let gradInput = try Tensor(shape: shape, elements: d)
            var result: [Tensor?] = [nil, nil]
            if needs.0 { result[0] = gradInput }
            if needs.1 { result[1] = try Tensor.unary(.negate, gradInput) }
            return result
        }
    }
}
