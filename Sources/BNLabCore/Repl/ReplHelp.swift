/// The texts of `:help` and `:help NAME` / `?NAME`.
public enum ReplHelp {
    /// The overview: a language tour, the builtins by group, the commands and the keys.
    public static var overview: String {
        var lines = [
            "bnlab: a small tensor language for learning batch normalization.",
            "",
            "Language",
            "  x = [[1, 2], [3, 4]]           bind a name; a bare expression shows its value",
            "  x.shape  x.T  x[0, :]  x[::2]  members, indexing and slices (numpy style)",
            "  x + 1   x * y   a @ b   x^2    elementwise with broadcasting; @ is a matrix product",
            "  a % b   a // b   x += 1         numpy's floor remainder and division; -= *= /= too",
            "  x[x > 0]   x[x < 0] = 0        masks select where a comparison holds (read and assign)",
            "  mean(x, axis=[0, 2, 3])        named arguments; x.mean(axis=0) is mean(x, axis=0)",
            "  fn f(a, eps=1e-5) = a / eps    a one-line function; fn f(a) { ... } for a block",
            "  for i in 0..3 { print(i) }     loop over a range or the first axis of a tensor",
            "  if x > 0 { 1 } else { -1 }     conditions with == != < <= > >= and, or, not",
            "  check allclose(y, z), \"why\"    stop with a message unless the condition holds",
            "  bn = BatchNorm(3)              a PyTorch-style layer: bn(x), bn.eval(), bn.running_mean",
            "  manual_seed(1); randn(3)       random numbers; each call advances the session's generator",
            "  mean(x);                       a final ; hides the value; ans holds the last one shown",
            "",
            "Builtins (?NAME for one of them)",
        ]
        for group in Builtins.groups {
            let names = Builtins.all.filter { $0.group == group }.map(\.name)
            lines.append("  \(group): " + names.joined(separator: ", "))
        }
        lines += ["", "Commands"]
        let width = ReplDirective.commands.map(\.usage.count).max() ?? 0
        for command in ReplDirective.commands {
            lines.append("  " + command.usage.padded(to: width) + "  " + command.summary)
        }
        lines += [
            "",
            "Keys: Tab completes, Up/Down and Ctrl-R search the history, Ctrl-C stops a running",
            "evaluation or clears the line, Ctrl-D on an empty line quits.",
        ]
        return lines.joined(separator: "\n")
    }

    /// What each keyword does, with an example.
    static let keywords: [String: String] = [
        "fn": "fn name(a, b=1) = expr, or fn name(a) { ... return v }: define a function\n    example: fn square(x) = x^2",
        "for": "for name in range_or_tensor { ... }: repeat for each item (a range a..b, or a tensor's first axis)\n    example: for i in 0..3 { print(i) }",
        "in": "part of a loop: for name in range_or_tensor { ... }\n    example: for row in eye(2) { print(row) }",
        "if": "if cond { ... } else if cond2 { ... } else { ... }: a condition is true when every element is non-zero\n    example: if 2 > 1 { print(\"yes\") }",
        "else": "the branch of an if taken when no condition holds\n    example: if 1 < 0 { print(\"no\") } else { print(\"yes\") }",
        "return": "return value: leave a function with a value\n    example: fn f(x) { return x + 1 }",
        "check": "check cond, \"message\": stop with the message (or the condition's text) unless cond holds\n    example: check allclose(mean([1, 3]), 2)",
        "true": "the scalar 1\n    example: true + true",
        "false": "the scalar 0\n    example: not false",
        "none": "no value, for optional arguments\n    example: mean(ones(2, 2), axis=none)",
        "and": "a and b: true when both are true\n    example: 1 < 2 and 2 < 3",
        "or": "a or b: true when either is true\n    example: 1 > 2 or 2 < 3",
        "not": "not a: true when a is false\n    example: not (1 > 2)",
        "no_grad": "no_grad { ... }: run the block without recording gradients (evaluation, manual updates); like if, it opens no new scope\n    example: w = param([1, 2]); no_grad { w.data = w.data - 0.1 }",
    ]

    /// Members a tensor has without a call.
    static let tensorMembers: [String: String] = [
        "shape": "x.shape: the sizes of x's axes, as a tensor\n    example: zeros(2, 3).shape",
        "size": "x.size: how many elements x has\n    example: zeros(2, 3).size",
        "rank": "x.rank: how many axes x has\n    example: zeros(2, 3).rank",
        "T": "x.T: x with its axes reversed (the transpose)\n    example: arange(6).reshape(2, 3).T",
        "grad": "x.grad: the gradient backward() accumulated in parameter x (none before the first backward and after zero_grad); assignable\n    example: w = param([1, 2]); sum(w * w).backward(); w.grad",
        "data": "x.data: x's values without history; w.data = v writes parameter w's values in place, seen by its layer and optimizer\n    example: w = param([1, 2]); w.data = w.data * 2; w",
        "requires_grad": "x.requires_grad: 1 when operations on x are recorded for gradients (a parameter, or a result of one)\n    example: param([1]).requires_grad",
        "is_leaf": "x.is_leaf: 1 for a parameter (or any tensor without history), 0 for a result that records how it was made\n    example: (param([1]) * 2).is_leaf",
    ]

    /// Help on one name: your variable, a builtin, a keyword, a command or a member; nil when unknown.
    public static func topic(_ name: String, session: Session, width: Int = 80) -> String? {
        if name.hasPrefix(":") {
            return command(String(name.dropFirst()))
        }
        if let value = session.value(of: name) {
            switch value {
            case .function(.builtin(let builtin)):
                return Builtins.help(for: builtin)
            case .function(.user(let function)):
                return "\(function.decl.signature)\n    your function, defined in this session"
            default:
                // The preview line is indented by four columns under the name.
                return "\(name): " + ReplVariableList.describe(value, session: session, width: max(20, width - 4))
            }
        }
        if let builtin = Builtins.named[name] { return Builtins.help(for: builtin) }
        if let text = keywords[name] { return text }
        if let text = command(name) { return text }
        if let text = tensorMembers[name] { return text }
        for type in objectTypes(session: session) where type.fieldNames.contains(name) || type.methodNames.contains(name) {
            let call = type.methodNames.contains(name) ? "()" : ""
            return "\(type.exampleName).\(name)\(call): part of \(type.typeDescription) (?\(type.typeName))"
        }
        return nil
    }

    /// The kinds of object the session can make or holds, each once, constructors' first.
    static func objectTypes(session: Session) -> [any Object.Type] {
        var types = session.interpreter.allBuiltins.compactMap(\.makes)
        let held = ObjectGraph.reachable(from: session.variables.map { Optional($0.value) })
        types += held.map { type(of: $0) }
        var seen: Set<ObjectIdentifier> = []
        return types.filter { seen.insert(ObjectIdentifier($0)).inserted }
    }

    /// Names to suggest when a topic is unknown.
    public static func topicNames(session: Session) -> [String] {
        Builtins.all.map(\.name) + Array(keywords.keys) + ReplDirective.commands.map(\.name) + Array(tensorMembers.keys)
            + session.variables.map(\.name)
    }

    private static func command(_ name: String) -> String? {
        let name = ReplDirective.aliases[name] ?? name
        guard let command = ReplDirective.commands.first(where: { $0.name == name }) else { return nil }
        return "\(command.usage)\n    \(command.summary)"
    }
}

extension String {
    /// The string with spaces added up to `width` characters.
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
