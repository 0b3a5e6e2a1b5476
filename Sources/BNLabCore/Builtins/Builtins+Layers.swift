/// The modules of training.md §3 (BatchNorm, older, stays in the BN family): each constructor
/// lives beside its module, in `NN/`.
extension Builtins {
    static let layers: [Builtin] = [
        LinearModule.constructor, Conv2dModule.constructor, MaxPool2dModule.constructor,
        LayerNormModule.constructor, GroupNormModule.constructor,
        ReLUModule.constructor, SigmoidModule.constructor, TanhModule.constructor,
        FlattenModule.constructor, DropoutModule.constructor, SequentialModule.constructor,
    ]
}
