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
        for (element, elementRange) in zip(elements, elementRanges) {
            let value = try element(self)
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
        do {
            if allNumbers { return .tensor(try Tensor(shape: [numbers.count], elements: numbers)) }
            return .tensor(try Tensor.stack(tensors, axis: 0))
        } catch {
            throw self.error(error, range)
        }
    }

    func binary(_ op: BinaryOperator, _ left: Value, _ right: Value, _ range: SourceRange,
                operands: OperandRanges? = nil) throws(Diagnostic) -> Value {
        if case .number(let a) = left, case .number(let b) = right, op != .matmul {
            switch op {
            case .add: return .number(a + b)
            case .subtract: return .number(a - b)
            case .multiply: return .number(a * b)
            case .divide: return .number(a / b)
            case .power: return .number(pow(a, b))
            case .floorDivide: return .number(Tensor.floorDivmod(a, b).quotient)
            case .remainder: return .number(Tensor.floorDivmod(a, b).remainder)
            case .equal: return .number(a == b ? 1 : 0)
            case .notEqual: return .number(a != b ? 1 : 0)
            case .less: return .number(a < b ? 1 : 0)
            case .lessEqual: return .number(a <= b ? 1 : 0)
            case .greater: return .number(a > b ? 1 : 0)
            case .greaterEqual: return .number(a >= b ? 1 : 0)
            case .matmul: break
            }
        }
        if case .string(let a) = left, case .string(let b) = right {
            switch op {
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
        if let mixed = stringMix(op, left, right, range) { throw mixed }
        let a = try tensor(left, range, what: "the left operand of '\(op.rawValue)'")
        let b = try tensor(right, range, what: "the right operand of '\(op.rawValue)'")
        do {
            let result: Tensor
            switch op {
            case .matmul: result = try Tensor.matmul(a, b)
            case .add: result = try Tensor.binary(.add, a, b)
            case .subtract: result = try Tensor.binary(.subtract, a, b)
            case .multiply: result = try Tensor.binary(.multiply, a, b)
            case .divide: result = try Tensor.binary(.divide, a, b)
            case .power: result = try Tensor.binary(.power, a, b)
            case .floorDivide: result = try Tensor.binary(.floorDivide, a, b)
            case .remainder: result = try Tensor.binary(.remainder, a, b)
            case .equal: result = try Tensor.binary(.equal, a, b)
            case .notEqual: result = try Tensor.binary(.notEqual, a, b)
            case .less: result = try Tensor.binary(.less, a, b)
            case .lessEqual: result = try Tensor.binary(.lessEqual, a, b)
            case .greater: result = try Tensor.binary(.greater, a, b)
            case .greaterEqual: result = try Tensor.binary(.greaterEqual, a, b)
            }
            return Interpreter.wrap(result)
        } catch {
            // An error about the operands' shapes underlines each operand rather than the whole expression.
            if let operands, error.kind == .failure, op == .matmul || (try? Tensor.broadcastShape(a.shape, b.shape)) == nil {
                throw self.error(error, operands.left, highlights: [operands.right])
            }
            throw self.error(error, range)
        }
    }

    func indices(_ items: [CompiledIndexItem]) throws(Diagnostic) -> [TensorIndex] {
        var result: [TensorIndex] = []
        result.reserveCapacity(items.count)
        for item in items {
            switch item {
            case .at(let code, let range):
                result.append(.at(try integer(try code(self), range, what: "an index")))
            case .slice(let start, let stop, let step):
                func bound(_ b: CompiledIndexItem.Bound?) throws(Diagnostic) -> Int? {
                    guard let b else { return nil }
                    let v = try b.code(self)
                    if case .none = v { return nil }
                    return try integer(v, b.range, what: "a slice bound")
                }
                result.append(.range(start: try bound(start), stop: try bound(stop), step: try bound(step)))
            }
        }
        return result
    }

    /// Members a tensor answers to without a call.
    static let tensorMembers = ["shape", "size", "rank", "T"]

    func member(_ base: Value, _ name: String, _ range: SourceRange) throws(Diagnostic) -> Value {
        if case .object(let object) = base { return try object.field(name, ObjectAccess(self, nameRange: range, range: range)) }
        if let t = base.tensorValue {
            switch name {
            case "shape": return .tensor(Tensor.vector(t.shape.map(Double.init)))
            case "size": return .number(Double(t.count))
            case "rank": return .number(Double(t.rank))
            case "T":
                do { return Interpreter.wrap(try t.transposed(nil)) } catch { throw self.error(error, range) }
            default: break
            }
            if Builtins.named[name] != nil {
                throw error("'\(name)' is a function: call it, as in x.\(name)()", range)
            }
            let diagnostic = error(DiagnosticMessages.noMember(name, on: "a tensor"), range)
            if let habit = Habits.help(forTensorMember: name) { throw diagnostic.adding(.help, habit) }
            throw diagnostic.suggesting(name, from: Interpreter.tensorMembers + Builtins.all.map(\.name))
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
            let diagnostic = error("no function '\(name)' to call as a method", nameRange)
            if let habit = Habits.help(forTensorMethod: name) { throw diagnostic.adding(.help, habit) }
            throw diagnostic.suggesting(name, from: Builtins.all.map(\.name))
        }
        let receiver = EvaluatedArgument(label: nil, labelRange: nil, value: base, range: baseRange)
        return try call(callee, [receiver] + arguments, callRange: range, calleeRange: nameRange, depth: depth)
    }
}
