/// A module without parameters or settings that applies one elementwise function (ReLU, Sigmoid, Tanh).
protocol ElementwiseModule: TensorModule {
    static var function: UnaryOp { get }
}

extension ElementwiseModule {
    static var kind: String { "layer" }
    static var fieldNames: [String] { ["training"] }
    static var methodNames: [String] { Modules.methodNames }
    var parameters: [(name: String, value: Tensor)] { [] }
    func setting(_ name: String) -> Value? { nil }
    func forward(_ x: Tensor, _ ops: Ops) throws(Diagnostic) -> Tensor { try ops.unary(Self.function, x) }
    /// `ReLU()`, as PyTorch prints it.
    var description: String { Self.typeName + "()" }

    /// The constructor, which takes no arguments; `make` makes the module (a closure, as a
    /// builtin's implementation must not capture the metatype).
    static func constructor(_ summary: String, example: String, _ make: @escaping @Sendable () -> any Object) -> Builtin {
        Builtin("\(typeName)()", group: "layers", makes: Self.self, summary, example: example) { (_: inout BoundArguments) throws(Diagnostic) in
            .object(make())
        }
    }
}
