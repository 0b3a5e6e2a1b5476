/// The backward rules of the convolution and pooling primitives.
extension Gradients {
    /// conv2d(x, w, b): gradients for x, w and (when there is one) b, in that order.
    public static func conv2d(_ x: Tensor, _ w: Tensor, hasBias: Bool, stride: [Int], padding: [Int],
                              needs: (input: Bool, weight: Bool, bias: Bool)) -> Rule {
        { g throws(TensorError) in
            let (gx, gw, gb) = try Tensor.conv2dBackward(g, x, w, stride: stride, padding: padding, needInput: needs.input,
                                                         needWeight: needs.weight, needBias: hasBias && needs.bias)
            return hasBias ? [gx, gw, gb] : [gx, gw]
        }
    }

    /// max_pool2d(x): the gradient goes to the position each window's maximum came from (the
    /// first on a tie, as PyTorch), nothing to the others.
    public static func maxPool2d(inputShape: [Int], argmax: [Int]) -> Rule {
        { g throws(TensorError) in [try Tensor.maxPool2dBackward(g, inputShape: inputShape, argmax: argmax)] }
    }
}
