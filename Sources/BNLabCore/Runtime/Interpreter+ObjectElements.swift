/// Objects that hold a sequence (a Sequential's layers, a parameter list): `x[i]` and `for v in x`.
extension Interpreter {
    /// `x[i]` on an object: one integer index, negative counting from the end as in Python.
    func element(of object: any Object, _ items: [CompiledIndexItem], _ range: SourceRange) throws(Diagnostic) -> Value {
        let description = type(of: object).typeDescription
        guard let length = object.length else { throw error("\(description) cannot be indexed", range) }
        guard items.count == 1, case .at(let code, let itemRange) = items[0] else {
            throw error("\(description) takes one integer index, as in x[0]", range)
        }
        let i = try integer(try code(self), itemRange, what: "an index")
        guard (-length..<length).contains(i) else {
            throw error("index \(i) is out of range for \(description) of length \(length)", itemRange)
        }
        return try object.element(at: i < 0 ? i + length : i, ObjectAccess(self, nameRange: itemRange, range: range))
    }

    /// `for v in x` over an object's elements, in order.
    func loop(over object: any Object, _ iterableRange: SourceRange, _ range: SourceRange, _ variable: Variable,
              _ body: Exec) throws(Diagnostic) -> Bool {
        var i = 0
        while let length = object.length, i < length {
            try poll(range)
            write(variable, try object.element(at: i, ObjectAccess(self, nameRange: iterableRange, range: iterableRange)))
            if try body(self) { return true }
            i += 1
        }
        return false
    }
}
