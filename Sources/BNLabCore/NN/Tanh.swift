/// `Tanh()`: the hyperbolic tangent, as PyTorch's `nn.Tanh`.
final class TanhModule: ElementwiseModule {
    static let typeName = "Tanh"
    static let typeDescription = "a Tanh layer"
    static let exampleName = "act"
    static let function = UnaryOp.tanh
    var training = true

    static let constructor = constructor("the layer tanh(x), for a Sequential (the function tanh(x) does the same)",
                                         example: "Tanh()([-1, 0, 2])") { TanhModule() }
}
