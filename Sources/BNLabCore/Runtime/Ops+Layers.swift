/// The primitives of the convolution and pooling layers, recorded with their rules as every other
/// primitive in `Ops`.
extension Ops {
    /// PyTorch's conv2d on [N, C, H, W] with a weight [O, C, kH, kW] and an optional bias [O].
    func conv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: [Int], padding: [Int]) throws(Diagnostic) -> Tensor {
        observe("conv2d")
        var r: Tensor
        do { r = try Tensor.conv2d(x, w, b, stride: stride, padding: padding) } catch { throw interpreter.error(error, range) }
        let needs = (input: x.node != nil, weight: w.node != nil, bias: b?.node != nil)
        if needs.input || needs.weight || needs.bias {
            let inputs = b.map { [x, w, $0] } ?? [x, w]
            record(&r, "conv2d", inputs, Gradients.conv2d(x, w, hasBias: b != nil, stride: stride, padding: padding, needs: needs))
        }
        return r
    }

    /// PyTorch's max_pool2d on [N, C, H, W], without padding.
    func maxPool2d(_ x: Tensor, kernel: [Int], stride: [Int]) throws(Diagnostic) -> Tensor {
        observe("maxpool2d")
        var r: Tensor
        let argmax: [Int]
        do { (r, argmax) = try Tensor.maxPool2d(x, kernel: kernel, stride: stride) } catch { throw interpreter.error(error, range) }
        if x.node != nil { record(&r, "maxpool2d", [x], Gradients.maxPool2d(inputShape: x.shape, argmax: argmax)) }
        return r
    }
}
