/// The loss primitives (training.md §4): fused kernels, one recorded step each.
extension Ops {
    /// `cross_entropy(logits, labels)`: logits [N, K], class indices [N]; the mean over N.
    func crossEntropy(_ logits: Tensor, _ labels: Tensor) throws(Diagnostic) -> Tensor {
        observe("cross_entropy")
        var loss: Tensor, softmax: Tensor, classes: [Int]
        do throws(TensorError) {
            guard logits.rank == 2 else {
                throw TensorError("cross_entropy expects logits of shape [N, K] (N samples, K classes), got \(formatShape(logits.shape))")
            }
            classes = try Tensor.classIndices(labels, rows: logits.shape[0], classes: logits.shape[1])
            (loss, softmax) = try Tensor.crossEntropy(logits: logits, classes: classes)
        } catch {
            throw interpreter.error(error, range)
        }
        if logits.node != nil || labels.node != nil {
            record(&loss, "cross_entropy", [logits, labels], Gradients.crossEntropy(softmax: softmax, classes: classes))
        }
        return loss
    }

    /// `mse_loss(input, target)`: the mean of squared differences, shapes equal.
    func meanSquaredError(_ input: Tensor, _ target: Tensor) throws(Diagnostic) -> Tensor {
        observe("mse_loss")
        var loss: Tensor
        do { loss = try Tensor.meanSquaredError(input, target) } catch { throw interpreter.error(error, range) }
        if input.node != nil || target.node != nil {
            record(&loss, "mse_loss", [input, target],
                   Gradients.meanSquaredError(input, target, needs: (input.node != nil, target.node != nil)))
        }
        return loss
    }
}
