/// One call in a program, `f(a, k=v)`: its arguments compiled, and the binding plan for the callee
/// last called here, so repeated calls skip matching names and building argument lists.
final class CallSite {
    let arguments: [CompiledArgument]
    let range: SourceRange
    let calleeRange: SourceRange
    /// The call's depth within its statement or function body (see `Interpreter.invoke`).
    let depth: Int
    /// The arguments' labels, which are all a binding plan depends on.
    private let labels: [String?]

    /// The parameters the cached plan was made for, compared by identity.
    private var planned: ParameterList?
    /// How the arguments fill `planned` (see `BindingPlan`).
    private var plan = BindingPlan(targets: [], sources: [], defaulted: [], isInOrder: true)
    /// Per parameter, where its argument was written (nil for defaults).
    private var ranges: [SourceRange?] = []

    init(arguments: [CompiledArgument], range: SourceRange, calleeRange: SourceRange, depth: Int) {
        self.arguments = arguments
        self.range = range
        self.calleeRange = calleeRange
        self.depth = depth
        labels = arguments.map(\.label)
    }

    /// Evaluates the arguments (after the callee, as the language orders them) and calls.
    func call(_ callee: Value, _ interpreter: Interpreter) throws(Diagnostic) -> Value {
        // Each path is its own function, so an argument's nested evaluation sits on a small frame.
        switch callee {
        case .function(.builtin(let builtin)):
            return try callBuiltin(builtin, interpreter)
        case .function(.user(let user)):
            return try callUser(user, interpreter)
        default:
            return try callEvaluated(callee, interpreter)
        }
    }

    /// Makes the plan for these parameters unless it is cached; false when binding fails, so the
    /// general path evaluates the arguments and then reports the mistake.
    private func prepare(_ parameters: ParameterList) -> Bool {
        if planned === parameters { return true }
        guard case .success(let plan) = BindingPlan.make(labels: labels, for: parameters) else { return false }
        self.plan = plan
        ranges = plan.sources.map { $0.map { arguments[$0].range } }
        planned = parameters
        return true
    }

    private func callBuiltin(_ builtin: Builtin, _ interpreter: Interpreter) throws(Diagnostic) -> Value {
        guard prepare(builtin.parameterList) else { return try callEvaluated(.function(.builtin(builtin)), interpreter) }
        // Taken before any argument runs: an argument's own calls may plan this site again.
        let targets = plan.targets, ranges = self.ranges
        var values = builtin.parameterList.defaults
        var rest: [(value: Value, range: SourceRange)] = []
        for k in arguments.indices {
            let value = try arguments[k].code(interpreter)
            let parameter = targets[k]
            if parameter >= 0 { values[parameter] = value } else { rest.append((value, arguments[k].range)) }
        }
        var bound = BoundArguments(builtin: builtin, interpreter: interpreter, callRange: range,
                                   values: values, ranges: ranges, rest: rest)
        let result = try builtin.implementation(&bound)
        // The same guard as the general path's, so the fast path never hides an unrecorded step.
        if case .tensor(let t) = result, t.node == nil, interpreter.gradEnabled,
           values.contains(where: { $0.map(Interpreter.requiresGrad) ?? false }) || rest.contains(where: { Interpreter.requiresGrad($0.value) }) {
            return interpreter.unrecorded(result, by: builtin, from: values.compactMap { $0 } + rest.map(\.value), at: range)
        }
        return result
    }

    /// Arguments go straight into the new frame, then the defaults the plan left.
    private func callUser(_ user: UserFunction, _ interpreter: Interpreter) throws(Diagnostic) -> Value {
        let function = user.function
        guard prepare(function.parameters) else { return try callEvaluated(.function(.user(user)), interpreter) }
        let count = function.localCount
        let frame = interpreter.pushFrame(count: count)
        do {
            if plan.isInOrder {
                // The usual call, f(a, b): no plan to copy, the k-th argument fills the k-th parameter.
                for k in arguments.indices {
                    frame[k] = try arguments[k].code(interpreter)
                }
                var k = arguments.count
                let parameterCount = function.parameterCount
                while k < parameterCount {
                    frame[k] = user.defaults[k]
                    k += 1
                }
            } else {
                let plan = self.plan
                for k in arguments.indices {
                    frame[plan.targets[k]] = try arguments[k].code(interpreter)
                }
                for index in plan.defaulted { frame[index] = user.defaults[index] }
            }
        } catch {
            interpreter.popFrame(frame, count: count)
            throw error
        }
        return try interpreter.invoke(user, frame: frame, callRange: range, depth: depth)
    }

    /// The general path: every argument evaluated into a list, then matched by the callee.
    private func callEvaluated(_ callee: Value, _ interpreter: Interpreter) throws(Diagnostic) -> Value {
        let evaluated = try interpreter.evaluate(arguments)
        return try interpreter.call(callee, evaluated, callRange: range, calleeRange: calleeRange, depth: depth)
    }
}
