import Foundation

extension Interpreter {
    /// Call arguments evaluated in order, with where each was written.
    func evaluate(_ arguments: [CompiledArgument]) throws(Diagnostic) -> [EvaluatedArgument] {
        var evaluated: [EvaluatedArgument] = []
        evaluated.reserveCapacity(arguments.count)
        for argument in arguments {
            evaluated.append(EvaluatedArgument(label: argument.label, labelRange: argument.labelRange,
                                               value: try argument.code(self), range: argument.range))
        }
        return evaluated
    }

    /// A list literal: numbers make a vector; tensors of one shape are stacked.
    func list(_ elements: [Code], _ elementRanges: [SourceRange], _ range: SourceRange) throws(Diagnostic) -> Value {
        var numbers: [Double] = []
        numbers.reserveCapacity(elements.count)
        var tensors: [Tensor] = []
        var allNumbers = true
        for (k, (element, elementRange)) in zip(elements, elementRanges).enumerated() {
            let value = try element(self)
            // A list of strings (a plot's labels) is its own kind of value; it never mixes with numbers.
            if k == 0, case .string = value { return try stringList(value, elements.dropFirst(), elementRanges.dropFirst()) }
            if case .string = value {
                throw error("a list holds numbers or strings, not both: this element is a string", elementRange)
            }
            if allNumbers, case .number(let v) = value {
                numbers.append(v)
                continue
            }
            let t = try tensor(value, elementRange, what: "a list element")
            if allNumbers {
                allNumbers = false
                tensors = numbers.map { Tensor($0) }
            }
            if let first = tensors.first, first.shape != t.shape {
                throw error("ragged list: this element has shape \(Value.shapeText(t.shape)) but the first has shape \(Value.shapeText(first.shape))",
                            elementRange)
            }
            tensors.append(t)
        }
        if !allNumbers { return .tensor(try ops(at: range).stack(tensors, axis: 0)) }
        do {
            return .tensor(try Tensor(shape: [numbers.count], elements: numbers))
        } catch {
            throw self.error(error, range)
        }
    }

    /// The rest of a list whose first element is a string: every element must be one.
    private func stringList(_ first: Value, _ elements: ArraySlice<Code>, _ ranges: ArraySlice<SourceRange>) throws(Diagnostic) -> Value {
        var strings: [String] = []
        if case .string(let s) = first { strings.append(s) }
        for (element, elementRange) in zip(elements, ranges) {
            let value = try element(self)
            guard case .string(let s) = value else {
                throw error("a list holds numbers or strings, not both: this element is \(value.typeDescription)", elementRange)
            }
            strings.append(s)
        }
        return .object(StringList(strings))
    }

    /// An operator on any two values: two numbers by its scalar kernel, strings joined or
    /// compared, tensors through `Ops`.
    ///
    /// The operands are consumed: a temporary such as `x * 2` in `x * 2 + 1` reaches `Ops` held
    /// by nothing else (its box already released), so the kernel may reuse its storage.
    func binary<O: ScalarOperator>(_: O.Type, _ left: consuming Value, _ right: consuming Value, _ range: SourceRange,
                                   operands: OperandRanges? = nil) throws(Diagnostic) -> Value {
        if case .number(let a) = left, case .number(let b) = right { return O.value(a, b) }
        guard Interpreter.isNumeric(left), Interpreter.isNumeric(right) else {
            return try binaryOfOthers(O.self, left, right, range, operands: operands)
        }
        // A number beside a tensor stays a number: no rank-0 tensor is made for it.
        if case .number(let v) = right {
            let a = Interpreter.ownedTensor(consume left)
            return Interpreter.wrap(try ops(at: range, operands: operands).binary(O.elementwise, consume a, number: v, numberFirst: false))
        }
        if case .number(let v) = left {
            let b = Interpreter.ownedTensor(consume right)
            return Interpreter.wrap(try ops(at: range, operands: operands).binary(O.elementwise, consume b, number: v, numberFirst: true))
        }
        // Each tensor is taken out of its value by a call that consumes the value, so its box is
        // gone before the kernel runs (a pattern binding here would keep it until the switch ends).
        let a = Interpreter.ownedTensor(consume left), b = Interpreter.ownedTensor(consume right)
        return Interpreter.wrap(try ops(at: range, operands: operands).binary(O.elementwise, consume a, consume b))
    }

    /// Whether a value is a number or a tensor.
    private static func isNumeric(_ value: Value) -> Bool {
        switch value {
        case .number, .tensor: return true
        default: return false
        }
    }

    /// A number or tensor value's tensor, the value given up (its box released on return).
    private static func ownedTensor(_ value: consuming Value) -> Tensor {
        switch consume value {
        case .tensor(let t): return t
        case .number(let v): return Tensor(v)
        default: return Tensor(.nan)  // not reached: callers check `isNumeric`
        }
    }

    /// `binary` when a string, none, a function or an object is among the operands.
    private func binaryOfOthers<O: ScalarOperator>(_: O.Type, _ left: Value, _ right: Value, _ range: SourceRange,
                                                   operands: OperandRanges?) throws(Diagnostic) -> Value {
        if case .string(let a) = left, case .string(let b) = right {
            switch O.op {
            case .add:
                guard a.utf8.count + b.utf8.count <= SourceLimits.maxStringBytes else {
                    throw error("joining these strings makes \(SourceLimits.sizeText(a.utf8.count + b.utf8.count)), more than the limit of \(SourceLimits.sizeText(SourceLimits.maxStringBytes))", range)
                }
                return .string(a + b)
            case .equal: return .number(a == b ? 1 : 0)
            case .notEqual: return .number(a != b ? 1 : 0)
            default: break
            }
        }
        if O.op == .equal || O.op == .notEqual, let same = Interpreter.noneComparison(left, right) {
            return .number(same == (O.op == .equal) ? 1 : 0)
        }
        let (a, b) = try self.operands(O.op, left, right, range)
        return Interpreter.wrap(try ops(at: range, operands: operands).binary(O.elementwise, a, b))
    }

    /// `v == none` is whether v is none, whatever v is (so `check x.grad == none` works); nil when
    /// neither side is none.
    static func noneComparison(_ left: Value, _ right: Value) -> Bool? {
        switch (left, right) {
        case (.none, .none): return true
        case (.none, _), (_, .none): return false
        default: return nil
        }
    }

    /// `a @ b`.
    func matmul(_ left: Value, _ right: Value, _ range: SourceRange, operands: OperandRanges? = nil) throws(Diagnostic) -> Value {
        let (a, b) = try self.operands(.matmul, left, right, range)
        return Interpreter.wrap(try ops(at: range, operands: operands).matmul(a, b))
    }

    /// An operator's operands as tensors, or the error for a string or other value among them.
    private func operands(_ op: BinaryOperator, _ left: Value, _ right: Value, _ range: SourceRange) throws(Diagnostic) -> (Tensor, Tensor) {
        if let mixed = stringMix(op, left, right, range) { throw mixed }
        let a = try tensor(left, range, what: "the left operand of '\(op.rawValue)'")
        let b = try tensor(right, range, what: "the right operand of '\(op.rawValue)'")
        return (a, b)
    }

    func indices(_ items: [CompiledIndexItem]) throws(Diagnostic) -> [TensorIndex] {
        var result: [TensorIndex] = []
        result.reserveCapacity(items.count)
        for item in items {
            switch item {
            case .at(let code, let range):
                result.append(.at(try integer(try code(self), range, what: "an index")))
            case .slice(let start, let stop, let step):
                result.append(try slice(start, stop, step))
            }
        }
        return result
    }

    /// `a:b:c` in a subscript, each bound evaluated (none or left out: the default).
    func slice(_ start: CompiledIndexItem.Bound?, _ stop: CompiledIndexItem.Bound?,
               _ step: CompiledIndexItem.Bound?) throws(Diagnostic) -> TensorIndex {
        func bound(_ b: CompiledIndexItem.Bound?) throws(Diagnostic) -> Int? {
            guard let b else { return nil }
            let v = try b.code(self)
            if case .none = v { return nil }
            return try integer(v, b.range, what: "a slice bound")
        }
        return .range(start: try bound(start), stop: try bound(stop), step: try bound(step))
    }

    /// Members a tensor answers to without a call.
    static let tensorMembers = ["shape", "size", "rank", "T", "grad", "data", "requires_grad", "is_leaf"]

    func member(_ base: Value, _ name: String, _ range: SourceRange) throws(Diagnostic) -> Value {
        if case .object(let object) = base { return try object.field(name, ObjectAccess(self, nameRange: range, range: range)) }
        if let t = base.tensorValue {
            switch name {
            case "shape": return .tensor(Tensor.vector(t.shape.map(Double.init)))
            case "size": return .number(Double(t.count))
            case "rank": return .number(Double(t.rank))
            case "T": return Interpreter.wrap(try ops(at: range).transpose(t, nil))
            // A leaf's gradient; none before the first backward, and for a result (PyTorch keeps
            // gradients only on leaves).
            case "grad": return t.node?.grad.map(Interpreter.wrap) ?? .none
            case "data":
                var values = t
                values.node = nil
                return Interpreter.wrap(values)
            case "requires_grad": return .number(t.requiresGrad ? 1 : 0)
            case "is_leaf": return .number(t.node.map(\.isLeaf) ?? true ? 1 : 0)
            default: break
            }
            if Builtins.named[name] != nil {
                throw error("'\(name)' is a function: call it, as in x.\(name)()", range)
            }
            var diagnostic = error("a tensor has no member '\(name)'", range)
            if let habit = Habits.help(forTensorMember: name) { throw diagnostic.adding(.help, habit) }
            if let near = Suggestions.closest(to: name, in: Interpreter.tensorMembers + Builtins.all.map(\.name)) {
                diagnostic = diagnostic.adding(.help, "did you mean '\(near)'?")
            }
            throw diagnostic
        }
        throw error("\(base.typeDescription) has no member '\(name)'", range)
    }

    func methodCall(_ base: Value, _ baseRange: SourceRange, _ name: String, _ nameRange: SourceRange,
                    _ arguments: [EvaluatedArgument], _ range: SourceRange, depth: Int) throws(Diagnostic) -> Value {
        if case .object(let object) = base {
            return try object.method(name, ObjectAccess(self, nameRange: nameRange, range: range, arguments: arguments))
        }
        // `x.f(args)` is `f(x, args)`: a user function of that name first, then the builtin.
        var callee: Value?
        if let global = globals.value(of: name), case .function = global { callee = global }
        if callee == nil, let builtin = Builtins.named[name] { callee = .function(.builtin(builtin)) }
        guard let callee else {
            if Interpreter.tensorMembers.contains(name) {
                let diagnostic = error("'\(name)' is not a function: write x.\(name) without parentheses", nameRange)
                if let habit = Habits.help(forTensorMethod: name) { throw diagnostic.adding(.help, habit) }
                throw diagnostic
            }
            var diagnostic = error("no function '\(name)' to call as a method", nameRange)
            if let habit = Habits.help(forTensorMethod: name) { throw diagnostic.adding(.help, habit) }
            if let near = Suggestions.closest(to: name, in: Builtins.all.map(\.name)) {
                diagnostic = diagnostic.adding(.help, "did you mean '\(near)'?")
            }
            throw diagnostic
        }
        let receiver = EvaluatedArgument(label: nil, labelRange: nil, value: base, range: baseRange)
        return try call(callee, [receiver] + arguments, callRange: range, calleeRange: nameRange, depth: depth)
    }
}
