/// `MaxPool2d(kernel_size, stride=none)`: the largest value of each window of [N, C, H, W] (or
/// [C, H, W]), as PyTorch's `nn.MaxPool2d` without padding; the stride defaults to the window.
final class MaxPool2dModule: TensorModule {
    static let typeName = "MaxPool2d"
    static let typeDescription = "a MaxPool2d layer"
    static let kind = "layer"
    static let exampleName = "pool"
    static let fieldNames = ["kernel_size", "stride", "training"]
    static let methodNames = Modules.methodNames

    let kernel: [Int]
    let stride: [Int]
    var training = true

    static let constructor = Builtin(
        "MaxPool2d(kernel_size, stride=none)", group: "layers", makes: MaxPool2dModule.self,
        "the largest value of each kernel_size window of [N, C, H, W] batches, the windows stride apart (by default, side by side)",
        example: "MaxPool2d(2)(arange(16).reshape(1, 1, 4, 4))"
    ) { (a: inout BoundArguments) throws(Diagnostic) in
        let kernel = try Modules.pair(&a, "kernel_size", minimum: 1)
        let stride = a.isNone("stride") ? kernel : try Modules.pair(&a, "stride", minimum: 1)
        return .object(MaxPool2dModule(kernel: kernel, stride: stride))
    }

    init(kernel: [Int], stride: [Int]) {
        self.kernel = kernel
        self.stride = stride
    }

    var parameters: [(name: String, value: Tensor)] { [] }

    func setting(_ name: String) -> Value? {
        switch name {
        case "kernel_size": return .tensor(Tensor.vector(kernel.map(Double.init)))
        case "stride": return .tensor(Tensor.vector(stride.map(Double.init)))
        default: return nil
        }
    }

    func forward(_ x: Tensor, _ ops: Ops) throws(Diagnostic) -> Tensor {
        guard (3...4).contains(x.rank) else {
            throw ops.error("MaxPool2d expects [N, C, H, W] or [C, H, W], got \(Value.shapeText(x.shape))")
        }
        let batch = x.rank == 3 ? try ops.reshape(x, [1] + x.shape) : x
        for axis in 0..<2 where batch.shape[2 + axis] < kernel[axis] {
            throw ops.error("MaxPool2d's \(kernel[0])×\(kernel[1]) window does not fit an input of shape \(Value.shapeText(x.shape))")
        }
        let y = try ops.maxPool2d(batch, kernel: kernel, stride: stride)
        return x.rank == 3 ? try ops.reshape(y, Array(y.shape.dropFirst())) : y
    }

    /// `MaxPool2d(kernel_size=2, stride=2)`: a square size as one number, as PyTorch prints what it was given.
    var description: String {
        func text(_ pair: [Int]) -> String { pair[0] == pair[1] ? "\(pair[0])" : Modules.tuple(pair) }
        return "MaxPool2d(kernel_size=\(text(kernel)), stride=\(text(stride)))"
    }
}
