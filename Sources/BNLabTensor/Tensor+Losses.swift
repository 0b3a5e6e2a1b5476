#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fused losses (training.md §4): each computes its value in one pass and keeps what its
/// backward needs, so a loss is one recorded step with a closed-form gradient.
extension Tensor {
    /// The class labels of a cross entropy as indices: `labels` must be [N] (N = the logits' rows),
    /// integral, each in 0..<classes. The message names the shapes or the first bad label and its position.
    public static func classIndices(_ labels: Tensor, rows: Int, classes: Int) throws(TensorError) -> [Int] {
        guard labels.rank == 1, labels.shape[0] == rows else {
            throw TensorError("cross_entropy expects labels of shape [\(rows)] (one class index per row of the logits), got \(formatShape(labels.shape))")
        }
        guard classes > 0 || rows == 0 else {
            throw TensorError("cross_entropy needs logits with at least one class, got shape [\(rows), 0]")
        }
        let values = labels.elements
        var indices = [Int](repeating: 0, count: rows)
        for (position, value) in values.enumerated() {
            guard value.isFinite, value.rounded(.towardZero) == value else {
                throw TensorError("label \(value) at position \(position) is not a class index: labels must be integers from 0 to \(classes - 1)")
            }
            guard value >= 0, value < Double(classes) else {
                throw TensorError("label \(Int(value)) at position \(position) is out of range for \(classes) classes (0 to \(classes - 1))")
            }
            indices[position] = Int(value)
        }
        return indices
    }

    /// Cross entropy of logits [N, K] against class indices, averaged over N (PyTorch's
    /// `F.cross_entropy`, reduction mean), stable for any logits: each row is shifted by its
    /// maximum before `exp`. Also returns the softmax of each row, which the backward needs.
    public static func crossEntropy(logits: Tensor, classes labels: [Int]) throws(TensorError) -> (loss: Tensor, softmax: Tensor) {
        guard logits.rank == 2 else {
            throw TensorError("cross_entropy expects logits of shape [N, K] (N samples, K classes), got \(formatShape(logits.shape))")
        }
        let n = logits.shape[0], k = logits.shape[1]
        guard labels.count == n else {
            throw TensorError("cross_entropy expects \(n) labels for logits \(formatShape(logits.shape)), got \(labels.count)")
        }
        var softmax = [Double](repeating: 0, count: n * k)
        var total = 0.0
        logits.withRowMajorElements { x in
            softmax.withUnsafeMutableBufferPointer { p in
                for row in 0..<n {
                    let base = row * k
                    var top = -Double.infinity
                    for j in 0..<k where x[base + j] > top { top = x[base + j] }
                    // All −∞ (or NaN) rows have no finite shift; subtracting 0 keeps their NaN/∞ honest.
                    let shift = top.isFinite ? top : 0
                    var sum = 0.0
                    for j in 0..<k {
                        let e = exp(x[base + j] - shift)
                        p[base + j] = e
                        sum += e
                    }
                    let logSum = log(sum)
                    // −log softmax at the label: log Σ exp(x − max) − (x_y − max).
                    total += logSum - (x[base + labels[row]] - shift)
                    let scale = 1 / sum
                    for j in 0..<k { p[base + j] *= scale }
                }
            }
        }
        return (Tensor(total / Double(n)), Tensor(contiguous: softmax, shape: [n, k]))
    }

    /// Mean of (input − target)² over every element (PyTorch's `F.mse_loss`, reduction mean);
    /// the shapes must be equal.
    public static func meanSquaredError(_ input: Tensor, _ target: Tensor) throws(TensorError) -> Tensor {
        guard input.shape == target.shape else {
            throw TensorError("mse_loss expects input and target of the same shape, got \(formatShape(input.shape)) and \(formatShape(target.shape))")
        }
        let sum = input.withRowMajorElements { a in
            target.withRowMajorElements { b in
                var s = 0.0
                for i in 0..<a.count {
                    let d = a[i] - b[i]
                    s += d * d
                }
                return s
            }
        }
        return Tensor(sum / Double(input.count))
    }
}
