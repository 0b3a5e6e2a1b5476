/// A function provided by bnlab, with the signature and help text shown to learners.
public struct Builtin: Sendable {
    /// One parameter, parsed from the signature text.
    public struct Parameter: Sendable {
        public var name: String
        public var defaultValue: Value?
        public var isVariadic: Bool
        /// The default as written in the signature (`1e-5`), nil when there is none.
        public var defaultText: String? = nil
    }

    public typealias Implementation = @Sendable (inout BoundArguments) throws(Diagnostic) -> Value

    public let name: String
    /// As shown by `help`: `mean(x, axis=none, keepdims=false)`.
    public let signature: String
    public let group: String
    public let summary: String
    public let example: String
    public let parameters: [Parameter]
    /// The parameters as argument binding sees them (see `BindingPlan`).
    let parameterList: ParameterList
    /// The kind of object this builtin constructs, if it is a constructor: help and completion
    /// learn the object's members from it.
    public let makes: (any Object.Type)?
    let implementation: Implementation

    /// A builtin whose parameters are read from its signature: `name(a, b=1, d..., k=none)`.
    init(_ signature: String, group: String, makes: (any Object.Type)? = nil, _ summary: String, example: String,
         _ implementation: @escaping Implementation) {
        self.signature = signature
        self.makes = makes
        self.group = group
        self.summary = summary
        self.example = example
        self.implementation = implementation
        let open = signature.firstIndex(of: "(") ?? signature.endIndex
        name = String(signature[..<open])
        let inner = signature[open...].dropFirst().dropLast()
        let parts = Builtin.topLevelParts(of: inner)
        // `*` marks the parameters after it as keyword-only, as in Python: `eye(n, *, requires_grad=false)`.
        let keywordOnlyFrom = parts.firstIndex(of: "*")
        parameters = parts.compactMap { text in
            guard !text.isEmpty, text != "*" else { return nil }
            if text.hasSuffix("...") {
                return Parameter(name: String(text.dropLast(3)), defaultValue: nil, isVariadic: true)
            }
            let pieces = text.split(separator: "=", maxSplits: 1)
            let name = String(pieces[0])
            guard pieces.count == 2 else { return Parameter(name: name, defaultValue: nil, isVariadic: false) }
            let literal = String(pieces[1])
            let value: Value?
            switch literal {
            case "none": value = Value.none
            case "true": value = .number(1)
            case "false": value = .number(0)
            // A list default, as Adam's `betas=[0.9, 0.999]`, is shown as written and bound as none,
            // which the builtin reads as that default: a tensor made here would count against the
            // memory budget of every session.
            case _ where literal.hasPrefix("[") && literal.hasSuffix("]"): value = Value.none
            // A string default, as a plot's `title=""`.
            case _ where literal.count >= 2 && literal.hasPrefix("\"") && literal.hasSuffix("\""):
                value = .string(String(literal.dropFirst().dropLast()))
            // A default that is not a number is a mistake in the signature, which the builtin
            // self-test reports (defaultText without defaultValue); it is never run as NaN.
            default: value = Double(literal).map(Value.number)
            }
            return Parameter(name: name, defaultValue: value, isVariadic: false, defaultText: literal)
        }
        parameterList = ParameterList(
            calleeName: name, signature: signature, names: parameters.map(\.name),
            hasDefault: parameters.map { $0.defaultValue != nil }, variadic: parameters.firstIndex(where: \.isVariadic),
            defaults: parameters.map(\.defaultValue), keywordOnlyFrom: keywordOnlyFrom)
    }

    /// The parameters of a signature, split at the commas outside brackets (`betas=[0.9, 0.999]` is one).
    static func topLevelParts(of inner: Substring) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0, start = inner.startIndex
        for index in inner.indices {
            switch inner[index] {
            case "[": depth += 1
            case "]": depth -= 1
            case "," where depth == 0:
                parts.append(inner[start..<index])
                start = inner.index(after: index)
            default: break
            }
        }
        parts.append(inner[start...])
        return parts.map { $0.trimming(while: { $0 == " " }) }
    }
}
