/// `Sigmoid()`: 1 / (1 + e⁻ˣ), as PyTorch's `nn.Sigmoid`.
final class SigmoidModule: ElementwiseModule {
    static let typeName = "Sigmoid"
    static let typeDescription = "a Sigmoid layer"
    static let exampleName = "act"
    static let function = UnaryOp.sigmoid
    var training = true

    static let constructor = constructor("the layer 1 / (1 + exp(−x)), for a Sequential (the function sigmoid(x) does the same)",
                                         example: "Sigmoid()([-1, 0, 2])") { SigmoidModule() }
}
