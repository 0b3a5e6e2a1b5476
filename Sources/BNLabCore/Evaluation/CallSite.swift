/// One call in a program, `f(a, k=v)`: its arguments compiled, and how they bind to the builtin
/// last called here, so repeated calls skip matching names and building argument lists.
final class CallSite {
    let arguments: [CompiledArgument]
    let range: SourceRange
    let calleeRange: SourceRange
    /// The call's depth within its statement or function body (see `Interpreter.invoke`).
    let depth: Int
    /// True when no argument is named, so they bind to parameters in order.
    private let isPositional: Bool

    /// The builtin whose binding is cached, by signature (one text per builtin definition).
    private var boundSignature: String?
    /// The binding: per argument, the builtin parameter it fills, or -1 for the variadic one.
    private var plan: [Int] = []
    /// Parameter values before the arguments are filled in: the defaults.
    private var template: [Value?] = []
    /// Per parameter, where its argument was written (nil for defaults).
    private var ranges: [SourceRange?] = []

    init(arguments: [CompiledArgument], range: SourceRange, calleeRange: SourceRange, depth: Int) {
        self.arguments = arguments
        self.range = range
        self.calleeRange = calleeRange
        self.depth = depth
        isPositional = arguments.allSatisfy { $0.label == nil }
    }

    /// Evaluates the arguments (after the callee, as the language orders them) and calls.
    func call(_ callee: Value, _ interpreter: Interpreter) throws(Diagnostic) -> Value {
        // Each path is its own function, so an argument's nested evaluation sits on a small frame.
        switch callee {
        case .function(.builtin(let builtin)):
            return try callBuiltin(builtin, interpreter)
        case .function(.user(let user)) where isPositional && arguments.count <= user.decl.parameters.count:
            return try callUser(user, interpreter)
        default:
            return try callEvaluated(callee, interpreter)
        }
    }

    private func callBuiltin(_ builtin: Builtin, _ interpreter: Interpreter) throws(Diagnostic) -> Value {
        if boundSignature != builtin.signature {
            guard bind(builtin) else { return try callEvaluated(.function(.builtin(builtin)), interpreter) }
        }
        // Taken before any argument runs: an argument's own calls may bind this site again.
        let plan = self.plan, ranges = self.ranges
        var values = template
        var rest: [(value: Value, range: SourceRange)] = []
        for k in arguments.indices {
            let value = try arguments[k].code(interpreter)
            let parameter = plan[k]
            if parameter >= 0 { values[parameter] = value } else { rest.append((value, arguments[k].range)) }
        }
        var bound = BoundArguments(builtin: builtin, interpreter: interpreter, callRange: range,
                                   values: values, ranges: ranges, rest: rest)
        return try builtin.implementation(&bound)
    }

    /// Positional arguments go straight into the new frame; only a missing one can fail.
    private func callUser(_ user: UserFunction, _ interpreter: Interpreter) throws(Diagnostic) -> Value {
        let decl = user.decl
        let frame = interpreter.makeFrame(count: decl.localCount)
        for k in arguments.indices {
            frame[k] = try arguments[k].code(interpreter)
        }
        var k = arguments.count
        while k < decl.parameters.count {
            guard let value = user.defaults[k] else {
                throw interpreter.error("missing argument '\(decl.parameters[k].name)' in call to \(decl.name)", range)
                    .adding(.note, "the signature is \(decl.signature)")
            }
            frame[k] = value
            k += 1
        }
        return try interpreter.invoke(user, frame: frame, callRange: range, depth: depth)
    }

    /// The general path: every argument evaluated into a list, then matched by the callee.
    private func callEvaluated(_ callee: Value, _ interpreter: Interpreter) throws(Diagnostic) -> Value {
        let evaluated = try interpreter.evaluate(arguments)
        return try interpreter.call(callee, evaluated, callRange: range, calleeRange: calleeRange, depth: depth)
    }

    /// Matches the arguments to a builtin's parameters as `BoundArguments` does; false when that
    /// would fail, so the general path reports the mistake with its usual diagnostic.
    private func bind(_ builtin: Builtin) -> Bool {
        let parameters = builtin.parameters
        var given = Array(repeating: false, count: parameters.count)
        var ranges = [SourceRange?](repeating: nil, count: parameters.count)
        var plan: [Int] = []
        var next = 0
        for argument in arguments {
            if let label = argument.label {
                guard let index = parameters.firstIndex(where: { $0.name == label && !$0.isVariadic }), !given[index] else {
                    return false
                }
                given[index] = true
                ranges[index] = argument.range
                plan.append(index)
                continue
            }
            while next < parameters.count, given[next], !parameters[next].isVariadic { next += 1 }
            guard next < parameters.count else { return false }
            if parameters[next].isVariadic {
                plan.append(-1)
                continue
            }
            given[next] = true
            ranges[next] = argument.range
            plan.append(next)
            next += 1
        }
        for (index, parameter) in parameters.enumerated()
        where !parameter.isVariadic && !given[index] && parameter.defaultValue == nil {
            return false
        }
        self.plan = plan
        self.ranges = ranges
        template = parameters.map(\.defaultValue)
        boundSignature = builtin.signature
        return true
    }
}
