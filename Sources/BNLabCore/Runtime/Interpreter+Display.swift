extension Interpreter {
    /// How a value is shown when it is the result of a bare expression (language.md §7).
    public func display(_ value: Value) -> String {
        switch value {
        case .number(let v): return TensorFormatter.display(Tensor(v), precision: precision, lineWidth: lineWidth)
        case .tensor(let t): return TensorFormatter.display(t, precision: precision, lineWidth: lineWidth)
        case .string(let s): return Interpreter.quoted(s)
        case .function(let f): return f.signature
        case .object(let object): return object.description
        case .none: return "none"
        }
    }

    /// How a value is written by `print`: strings bare, tensors without the shape line.
    public func printed(_ value: Value) -> String {
        switch value {
        case .number(let v): return TensorFormatter.format(Tensor(v), precision: precision, lineWidth: lineWidth)
        case .tensor(let t): return TensorFormatter.format(t, precision: precision, lineWidth: lineWidth)
        case .string(let s): return s
        default: return display(value)
        }
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s {
            switch c {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.append(c)
            }
        }
        return out + "\""
    }
}
