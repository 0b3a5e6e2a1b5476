/// A callee's parameters as argument binding sees them: one per builtin and one per resolved
/// function, compared by identity so a call site knows when its cached plan still applies.
final class ParameterList: Sendable {
    let calleeName: String
    /// As shown in the notes of binding errors: `mean(x, axis=none, keepdims=false)`.
    let signature: String
    let names: [String]
    let hasDefault: [Bool]
    /// The parameter that gathers the positional arguments left over (builtins only).
    let variadic: Int?
    /// A builtin's parameter values before arguments are filled in: its defaults. Empty for user
    /// functions, whose defaults are evaluated where each is defined.
    let defaults: [Value?]
    /// How many parameters an unlabelled argument can fill; the rest (after `*` in a builtin's
    /// signature, as Python's keyword-only parameters) must be named.
    let positionalCount: Int

    init(calleeName: String, signature: String, names: [String], hasDefault: [Bool], variadic: Int?,
         defaults: [Value?] = [], keywordOnlyFrom: Int? = nil) {
        self.positionalCount = keywordOnlyFrom ?? names.count
        self.calleeName = calleeName
        self.signature = signature
        self.names = names
        self.hasDefault = hasDefault
        self.variadic = variadic
        self.defaults = defaults
    }

    var count: Int { names.count }
}

/// How a call's arguments fill a callee's parameters: the one matching rule for builtins and
/// user functions. It depends only on the arguments' labels, so a call site computes it once.
struct BindingPlan {
    /// The target of an argument gathered by the variadic parameter.
    static let variadic = -1

    /// Per argument, the parameter it fills, or `variadic`.
    let targets: [Int]
    /// Per parameter, the argument that fills it; nil when its default (or the variadic one) is used.
    let sources: [Int?]
    /// Parameters left to their defaults.
    let defaulted: [Int]
    /// True when the arguments fill the first parameters in order, with nothing variadic.
    let isInOrder: Bool

    /// Labels are matched by name, unlabelled arguments fill the parameters not yet given in
    /// order (the variadic one takes every positional argument that reaches it), and every
    /// parameter without a default must be given.
    static func make(labels: [String?], for parameters: ParameterList) -> Result<BindingPlan, BindingFailure> {
        let count = parameters.count
        var sources = [Int?](repeating: nil, count: count)
        var targets: [Int] = []
        targets.reserveCapacity(labels.count)
        var next = 0
        for (k, label) in labels.enumerated() {
            if let label {
                guard let index = parameters.names.firstIndex(of: label), index != parameters.variadic else {
                    return .failure(.unknownLabel(argument: k))
                }
                guard sources[index] == nil else { return .failure(.givenTwice(argument: k)) }
                sources[index] = k
                targets.append(index)
                continue
            }
            while next < parameters.positionalCount, sources[next] != nil, next != parameters.variadic { next += 1 }
            guard next < parameters.positionalCount else { return .failure(.tooMany(argument: k)) }
            if next == parameters.variadic {
                targets.append(variadic)
                continue
            }
            sources[next] = k
            targets.append(next)
            next += 1
        }
        var defaulted: [Int] = []
        for index in 0..<count where index != parameters.variadic && sources[index] == nil {
            guard parameters.hasDefault[index] else { return .failure(.missing(parameter: index)) }
            defaulted.append(index)
        }
        let isInOrder = targets.enumerated().allSatisfy { $0 == $1 }
        return .success(BindingPlan(targets: targets, sources: sources, defaulted: defaulted, isInOrder: isInOrder))
    }
}

/// Why arguments could not be bound, by position; `diagnostic` says it at the offending argument.
enum BindingFailure: Error {
    case unknownLabel(argument: Int)
    case givenTwice(argument: Int)
    case tooMany(argument: Int)
    case missing(parameter: Int)

    /// Where each argument was written: its label, the label's range and the value's range.
    typealias ArgumentPlace = (label: String?, labelRange: SourceRange?, range: SourceRange)

    func diagnostic(_ parameters: ParameterList, arguments: [ArgumentPlace], callRange: SourceRange,
                    interpreter: Interpreter) -> Diagnostic {
        let name = parameters.calleeName
        let diagnostic: Diagnostic
        switch self {
        case .unknownLabel(let k):
            let label = arguments[k].label ?? ""
            var unknown = interpreter.error("\(name) has no parameter '\(label)'", arguments[k].labelRange ?? arguments[k].range)
            if let near = Suggestions.closest(to: label, in: parameters.names) {
                unknown = unknown.adding(.help, "did you mean '\(near)'?")
            }
            diagnostic = unknown
        case .givenTwice(let k):
            let label = arguments[k].label ?? ""
            diagnostic = interpreter.error("argument '\(label)' of \(name) is given twice", arguments[k].labelRange ?? arguments[k].range)
        case .tooMany(let k):
            let positional = parameters.positionalCount - (parameters.variadic == nil ? 0 : 1)
            let takes = positional == 1 ? "1 argument" : "\(positional) arguments"
            diagnostic = interpreter.error("too many arguments: \(name) takes \(takes)", arguments[k].range)
        case .missing(let index):
            diagnostic = interpreter.error("missing argument '\(parameters.names[index])' in call to \(name)", callRange)
        }
        return diagnostic.adding(.note, "the signature is \(parameters.signature)")
    }
}

extension Interpreter {
    /// The plan binding evaluated arguments to a callee's parameters, or the binding error.
    func bindingPlan(_ arguments: [EvaluatedArgument], for parameters: ParameterList,
                     callRange: SourceRange) throws(Diagnostic) -> BindingPlan {
        switch BindingPlan.make(labels: arguments.map(\.label), for: parameters) {
        case .success(let plan):
            return plan
        case .failure(let failure):
            throw failure.diagnostic(parameters, arguments: arguments.map { ($0.label, $0.labelRange, $0.range) },
                                     callRange: callRange, interpreter: self)
        }
    }
}
