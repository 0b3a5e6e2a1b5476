/// `Flatten(start_dim=1, end_dim=-1)`: the axes from start_dim to end_dim merged into one, as
/// PyTorch's `nn.Flatten` ([N, C, H, W] becomes [N, C·H·W]).
final class FlattenModule: TensorModule {
    static let typeName = "Flatten"
    static let typeDescription = "a Flatten layer"
    static let kind = "layer"
    static let exampleName = "flat"
    static let fieldNames = ["start_dim", "end_dim", "training"]
    static let methodNames = Modules.methodNames

    let startDim: Int
    let endDim: Int
    var training = true

    static let constructor = Builtin(
        "Flatten(start_dim=1, end_dim=-1)", group: "layers", makes: FlattenModule.self,
        "the layer that merges axes start_dim…end_dim into one: [N, C, H, W] becomes [N, C·H·W], as PyTorch's Flatten",
        example: "Flatten()(zeros(2, 3, 4)).shape"
    ) { (a: inout BoundArguments) throws(Diagnostic) in
        .object(FlattenModule(startDim: try a.int("start_dim"), endDim: try a.int("end_dim")))
    }

    init(startDim: Int, endDim: Int) {
        self.startDim = startDim
        self.endDim = endDim
    }

    var parameters: [(name: String, value: Tensor)] { [] }

    func setting(_ name: String) -> Value? {
        switch name {
        case "start_dim": return Modules.number(startDim)
        case "end_dim": return Modules.number(endDim)
        default: return nil
        }
    }

    func forward(_ x: Tensor, _ ops: Ops) throws(Diagnostic) -> Tensor {
        // PyTorch treats a number as one axis here.
        let rank = max(x.rank, 1)
        let start = startDim < 0 ? startDim + rank : startDim, end = endDim < 0 ? endDim + rank : endDim
        guard (0..<rank).contains(start), (0..<rank).contains(end), start <= end else {
            throw ops.error("Flatten(start_dim=\(startDim), end_dim=\(endDim)) does not fit an input of shape \(Value.shapeText(x.shape))")
        }
        let shape = x.rank == 0 ? [1] : x.shape
        let merged = Array(shape[..<start]) + [shape[start...end].reduce(1, *)] + Array(shape[(end + 1)...])
        return try ops.reshape(x, merged)
    }

    var description: String { "Flatten(start_dim=\(startDim), end_dim=\(endDim))" }
}
