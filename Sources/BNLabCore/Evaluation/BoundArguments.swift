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

    init(builtin: Builtin, interpreter: Interpreter, callRange: SourceRange, arguments: [EvaluatedArgument]) throws(Diagnostic) {
        self.builtin = builtin
        self.interpreter = interpreter
        self.callRange = callRange
        let parameters = builtin.parameters
        values = parameters.map(\.defaultValue)
        ranges = Array(repeating: nil, count: parameters.count)
        var given = Array(repeating: false, count: parameters.count)
        var next = 0
        for argument in arguments {
            if let label = argument.label {
                guard let index = parameters.firstIndex(where: { $0.name == label && !$0.isVariadic }) else {
                    var diagnostic = interpreter.error("\(builtin.name) has no argument '\(label)'", argument.labelRange ?? argument.range)
                    if let near = Suggestions.closest(to: label, in: parameters.map(\.name)) {
                        diagnostic = diagnostic.adding(.help, "did you mean '\(near)'?")
                    }
                    throw diagnostic.adding(.note, "the signature is \(builtin.signature)")
                }
                if given[index] {
                    throw interpreter.error("argument '\(label)' of \(builtin.name) is given twice", argument.labelRange ?? argument.range)
                        .adding(.note, "the signature is \(builtin.signature)")
                }
                given[index] = true
                values[index] = argument.value
                ranges[index] = argument.range
                continue
            }
            while next < parameters.count, given[next], !parameters[next].isVariadic { next += 1 }
            guard next < parameters.count else {
                throw interpreter.error("too many arguments: \(builtin.name) takes \(BoundArguments.countText(parameters))", argument.range)
                    .adding(.note, "the signature is \(builtin.signature)")
            }
            if parameters[next].isVariadic {
                rest.append((argument.value, argument.range))
                continue
            }
            given[next] = true
            values[next] = argument.value
            ranges[next] = argument.range
            next += 1
        }
        for (index, parameter) in parameters.enumerated() where !parameter.isVariadic && values[index] == nil {
            throw interpreter.error("missing argument '\(parameter.name)' in call to \(builtin.name)", callRange)
                .adding(.note, "the signature is \(builtin.signature)")
        }
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

    private static func countText(_ parameters: [Builtin.Parameter]) -> String {
        let positional = parameters.filter { !$0.isVariadic }.count
        return positional == 1 ? "1 argument" : "\(positional) arguments"
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
                throw error(DiagnosticMessages.mustHoldIntegers(name, got: Interpreter.numberText(v)), at: name)
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
                throw error(DiagnosticMessages.mustHoldIntegers(name, got: Interpreter.numberText(v)), at: name)
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
        if rest.count == 1, let t = rest[0].value.tensorValue, t.rank == 1 {
            return try t.elements.map { (v: Double) throws(Diagnostic) -> Int in
                try checkedDimension(v, rest[0].range)
            }
        }
        var dims: [Int] = []
        for (value, range) in rest {
            let t = try interpreter.tensor(value, range, what: "a size of \(builtin.name)")
            guard t.rank == 0, let v = t.scalarValue else {
                throw interpreter.error("sizes must be integers, got \(value.typeDescription)", range)
            }
            dims.append(try checkedDimension(v, range))
        }
        return dims
    }

    private func checkedDimension(_ v: Double, _ range: SourceRange) throws(Diagnostic) -> Int {
        guard let i = Interpreter.exactInt(v) else {
            throw interpreter.error("sizes must be integers, got \(Interpreter.numberText(v))", range)
        }
        guard i >= 0 else { throw interpreter.error(DiagnosticMessages.negativeSize(i), range) }
        return i
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
