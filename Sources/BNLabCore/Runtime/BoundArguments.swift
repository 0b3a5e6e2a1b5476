/// A call's arguments matched to a builtin's parameters, with typed accessors that report
/// mistakes at the offending argument.
public struct BoundArguments {
    public let builtin: Builtin
    let interpreter: Interpreter
    public let callRange: SourceRange
    var values: [Value?]
    var ranges: [SourceRange?]
    /// The arguments gathered by the variadic parameter, in order.
    public var rest: [(value: Value, range: SourceRange)] = []

    /// Evaluated arguments matched to the builtin's parameters (see `BindingPlan`).
    init(builtin: Builtin, interpreter: Interpreter, callRange: SourceRange, arguments: [EvaluatedArgument]) throws(Diagnostic) {
        let plan = try interpreter.bindingPlan(arguments, for: builtin.parameterList, callRange: callRange)
        var values = builtin.parameterList.defaults
        var rest: [(value: Value, range: SourceRange)] = []
        for (k, argument) in arguments.enumerated() {
            let parameter = plan.targets[k]
            if parameter >= 0 { values[parameter] = argument.value } else { rest.append((argument.value, argument.range)) }
        }
        self.init(builtin: builtin, interpreter: interpreter, callRange: callRange, values: values,
                  ranges: plan.sources.map { $0.map { arguments[$0].range } }, rest: rest)
    }

    /// Arguments already matched to the parameters (by a `CallSite` that bound this builtin before).
    init(builtin: Builtin, interpreter: Interpreter, callRange: SourceRange, values: [Value?], ranges: [SourceRange?],
         rest: [(value: Value, range: SourceRange)]) {
        self.builtin = builtin
        self.interpreter = interpreter
        self.callRange = callRange
        self.values = values
        self.ranges = ranges
        self.rest = rest
    }

    private func index(of name: String) -> Int {
        builtin.parameters.firstIndex { $0.name == name } ?? 0
    }

    /// Where a parameter's argument was written, or the whole call for defaults.
    public func range(of name: String) -> SourceRange {
        ranges[index(of: name)] ?? callRange
    }

    public func error(_ message: String, at name: String? = nil) -> Diagnostic {
        interpreter.error(message, name.map(range(of:)) ?? callRange)
    }

    public func value(_ name: String) -> Value {
        values[index(of: name)] ?? .none
    }

    public func isNone(_ name: String) -> Bool {
        if case .none = value(name) { return true }
        return false
    }

    public func tensor(_ name: String) throws(Diagnostic) -> Tensor {
        try interpreter.tensor(value(name), range(of: name), what: "'\(name)' of \(builtin.name)")
    }

    public func double(_ name: String) throws(Diagnostic) -> Double {
        if case .number(let v) = value(name) { return v }
        let t = try tensor(name)
        guard t.rank == 0, let v = t.scalarValue else {
            throw error(DiagnosticMessages.wrongType("'\(name)'", expected: "a number", got: value(name).typeDescription), at: name)
        }
        return v
    }

    /// `eps=…`: a number above 0 (PyTorch accepts 0, but then a constant channel divides 0 by 0).
    public func eps(_ name: String = "eps") throws(Diagnostic) -> Double {
        let eps = try double(name)
        guard eps > 0 else { throw error(DiagnosticMessages.epsMustBePositive(got: Interpreter.numberText(eps)), at: name) }
        return eps
    }

    public func optionalDouble(_ name: String) throws(Diagnostic) -> Double? {
        isNone(name) ? nil : try double(name)
    }

    public func bool(_ name: String) throws(Diagnostic) -> Bool {
        try double(name) != 0
    }

    public func int(_ name: String) throws(Diagnostic) -> Int {
        try interpreter.integer(value(name), range(of: name), what: "'\(name)'")
    }

    /// An `axis` argument: none (all axes), an integer, or a list of integers.
    public func axes(_ name: String = "axis") throws(Diagnostic) -> [Int]? {
        let given = value(name)
        switch given {
        case .none: return nil
        case .number(let v):
            // One axis, as in mean(x, axis=0): no tensor to build and take apart.
            guard let i = Interpreter.exactInt(v) else {
                throw error(DiagnosticMessages.mustHoldIntegers(name, got: Interpreter.integerMismatch(v)), at: name)
            }
            return [i]
        default: break
        }
        let t = try tensor(name)
        guard t.rank <= 1 else {
            throw error(DiagnosticMessages.wrongType("'\(name)'", expected: "an integer or a list of integers", got: value(name).typeDescription), at: name)
        }
        var axes: [Int] = []
        for v in t.elements {
            guard let i = Interpreter.exactInt(v) else {
                throw error(DiagnosticMessages.mustHoldIntegers(name, got: Interpreter.integerMismatch(v)), at: name)
            }
            axes.append(i)
        }
        return axes
    }

    /// A single optional axis (for argmax/argmin).
    public func axis(_ name: String = "axis") throws(Diagnostic) -> Int? {
        guard let list = try axes(name) else { return nil }
        guard list.count == 1, value(name).tensorValue?.rank == 0 else {
            throw error("'\(name)' of \(builtin.name) must be a single integer", at: name)
        }
        return list[0]
    }

    /// Sizes given as `f(2, 3)` or `f([2, 3])`.
    public func dimensions() throws(Diagnostic) -> [Int] {
        try integers()
    }

    /// The variadic arguments as integers, given one by one, `f(x, 2, 3)`, or as one list,
    /// `f(x, [2, 3])`: the one reading of sizes and axes, with one family of messages.
    /// Negative values are refused unless `allowNegative` (axes), or -1 when `allowMinusOne`
    /// (reshape's inferred size).
    public func integers(_ noun: String = "sizes", allowMinusOne: Bool = false,
                         allowNegative: Bool = false) throws(Diagnostic) -> [Int] {
        var items: [(Double, SourceRange)] = []
        if rest.count == 1, let t = rest[0].value.tensorValue, t.rank == 1 {
            items = t.elements.map { ($0, rest[0].range) }
        } else {
            for (value, range) in rest {
                if case .number(let v) = value {
                    items.append((v, range))
                    continue
                }
                guard let t = value.tensorValue, t.rank == 0, let v = t.scalarValue else {
                    throw interpreter.error("\(noun) must be integers, got \(value.typeDescription)", range)
                }
                items.append((v, range))
            }
        }
        var result: [Int] = []
        result.reserveCapacity(items.count)
        for (v, range) in items {
            guard let i = Interpreter.exactInt(v) else {
                throw interpreter.error("\(noun) must be integers, got \(Interpreter.integerMismatch(v))", range)
            }
            if i < 0 && !allowNegative && !(allowMinusOne && i == -1) {
                throw interpreter.error(DiagnosticMessages.negativeSize(i), range)
            }
            result.append(i)
        }
        return result
    }

    /// Every variadic argument as a tensor.
    public func restTensors() throws(Diagnostic) -> [Tensor] {
        var tensors: [Tensor] = []
        for (value, range) in rest {
            tensors.append(try interpreter.tensor(value, range, what: "an argument of \(builtin.name)"))
        }
        return tensors
    }

    /// Runs a tensor operation, reporting its failure at the call.
    public func attempt<T>(_ body: () throws(TensorError) -> T) throws(Diagnostic) -> T {
        do {
            return try body()
        } catch {
            throw interpreter.error(error, callRange)
        }
    }

    public var output: (String) -> Void { interpreter.output }
    public var precision: Int { interpreter.precision }
}

/// An argument after evaluation, with where it was written.
public struct EvaluatedArgument {
    public var label: String?
    public var labelRange: SourceRange?
    public var value: Value
    public var range: SourceRange
}
