/// `ReLU()`: max(x, 0), as PyTorch's `nn.ReLU`.
final class ReLUModule: ElementwiseModule {
    static let typeName = "ReLU"
    static let typeDescription = "a ReLU layer"
    static let exampleName = "act"
    static let function = UnaryOp.relu
    var training = true

    static let constructor = constructor("the layer max(x, 0), for a Sequential (the function relu(x) does the same)",
                                         example: "ReLU()([-1, 0, 2])") { ReLUModule() }
}
