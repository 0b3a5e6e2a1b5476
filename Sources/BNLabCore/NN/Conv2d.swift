/// `Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, bias=true)`: PyTorch's
/// `nn.Conv2d` on [N, C, H, W] (or one sample [C, H, W]).
final class Conv2dModule: TensorModule {
    static let typeName = "Conv2d"
    static let typeDescription = "a Conv2d layer"
    static let kind = "layer"
    static let exampleName = "conv"
    static let fieldNames = ["weight", "bias", "in_channels", "out_channels", "kernel_size", "stride", "padding", "training"]
    static let methodNames = Modules.methodNames

    let inChannels: Int
    let outChannels: Int
    /// [kH, kW], [sH, sW], [pH, pW].
    let kernel: [Int]
    let stride: [Int]
    let padding: [Int]
    /// [out, in, kH, kW].
    let weight: Tensor
    /// [out], or nil with bias=false.
    let bias: Tensor?
    var training = true

    static let constructor = Builtin(
        "Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, bias=true)", group: "layers", makes: Conv2dModule.self,
        "a 2-D convolution of [N, C, H, W] batches (sizes an integer or [h, w]); weight and bias drawn from U(±1/√(in_channels·kH·kW)) as PyTorch",
        example: "conv = Conv2d(1, 3, 3, padding=1); conv(ones(2, 1, 4, 4)).shape"
    ) { (a: inout BoundArguments) throws(Diagnostic) in
        let c = try Modules.positive(&a, "in_channels"), o = try Modules.positive(&a, "out_channels")
        let kernel = try Modules.pair(&a, "kernel_size", minimum: 1)
        let stride = try Modules.pair(&a, "stride", minimum: 1), padding = try Modules.pair(&a, "padding", minimum: 0)
        let hasBias = try a.bool("bias")
        let fanIn = Double(c) * Double(kernel[0]) * Double(kernel[1])
        let weight = try Modules.uniform([o, c] + kernel, fanIn: fanIn, &a)
        let bias = hasBias ? try Modules.uniform([o], fanIn: fanIn, &a) : nil
        return .object(Conv2dModule(inChannels: c, outChannels: o, kernel: kernel, stride: stride, padding: padding,
                                    weight: weight, bias: bias))
    }

    init(inChannels: Int, outChannels: Int, kernel: [Int], stride: [Int], padding: [Int], weight: Tensor, bias: Tensor?) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.weight = weight
        self.bias = bias
    }

    var parameters: [(name: String, value: Tensor)] {
        bias.map { [("weight", weight), ("bias", $0)] } ?? [("weight", weight)]
    }

    func setting(_ name: String) -> Value? {
        switch name {
        case "in_channels": return Modules.number(inChannels)
        case "out_channels": return Modules.number(outChannels)
        case "kernel_size": return .tensor(Tensor.vector(kernel.map(Double.init)))
        case "stride": return .tensor(Tensor.vector(stride.map(Double.init)))
        case "padding": return .tensor(Tensor.vector(padding.map(Double.init)))
        case "bias": return Value.none
        default: return nil
        }
    }

    func forward(_ x: Tensor, _ ops: Ops) throws(Diagnostic) -> Tensor {
        guard (3...4).contains(x.rank), x.shape[x.rank - 3] == inChannels else {
            throw ops.error("Conv2d(\(inChannels), \(outChannels)) expects [N, \(inChannels), H, W], got \(Value.shapeText(x.shape))")
        }
        // One sample [C, H, W] is a batch of one, as PyTorch takes it.
        let batch = x.rank == 3 ? try ops.reshape(x, [1] + x.shape) : x
        for axis in 0..<2 where Tensor.slidingSize(batch.shape[2 + axis], kernel: kernel[axis], stride: stride[axis], padding: padding[axis]) == nil {
            throw ops.error("Conv2d's \(kernel[0])×\(kernel[1]) kernel with padding \(Modules.tuple(padding)) does not fit an input of shape \(Value.shapeText(x.shape))")
        }
        let y = try ops.conv2d(batch, weight, bias, stride: stride, padding: padding)
        return x.rank == 3 ? try ops.reshape(y, Array(y.shape.dropFirst())) : y
    }

    /// `Conv2d(1, 3, kernel_size=(3, 3), stride=(1, 1), padding=(2, 2))`: padding shown when not
    /// zero and bias when false, as PyTorch prints it.
    var description: String {
        var parts = ["\(inChannels)", "\(outChannels)", "kernel_size=\(Modules.tuple(kernel))", "stride=\(Modules.tuple(stride))"]
        if padding != [0, 0] { parts.append("padding=\(Modules.tuple(padding))") }
        if bias == nil { parts.append("bias=false") }
        return "Conv2d(" + parts.joined(separator: ", ") + ")"
    }
}
