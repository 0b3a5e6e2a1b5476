/// The groups `help` and `:help` list builtins under, in that order; a builtin's `group` is one's raw value.
public enum BuiltinGroup: String, CaseIterable, Sendable {
    case construct, shape, elementwise, reduce, normalize
    case bnFamily = "BN family"
    case gradients
    case layers
    case losses, optimizers
    case data
    case plots
    case compare, output
}

/// The builtin functions of language.md §5, with their help texts.
public enum Builtins {
    /// Groups in the order `help` and `:help` list them.
    public static let groups = BuiltinGroup.allCases.map(\.rawValue)

    public static let all: [Builtin] = construction + shaping + elementwise + reductions + normalization
        + batchNormFamily + gradients + layers + losses + optimizers + data + plots + comparison + outputFunctions + extras

    /// Builtins whose tensor results never carry a gradient, even from inputs that require one:
    /// positions, rounding, signs, shapes and plain copies (training.md §1); and `where` when only
    /// its condition requires one (the condition takes no gradient; its values' steps are recorded).
    static let withoutGradient: Set<String> = ["argmax", "argmin", "round", "sign", "shape", "detach", "perm", "randint", "batches", "where"]

    public static let named: [String: Builtin] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

    /// The help text of one builtin: signature, description, example.
    public static func help(for builtin: Builtin) -> String {
        "\(builtin.signature)\n    \(builtin.summary)\n    example: \(builtin.example)"
    }

    /// An overview of every builtin by group.
    public static var overview: String {
        var lines: [String] = []
        for group in groups {
            let names = all.filter { $0.group == group }.map(\.name)
            lines.append("\(group): " + names.joined(separator: ", "))
        }
        lines.append("help(f) shows a function's signature, what it does and an example.")
        return lines.joined(separator: "\n")
    }
}
