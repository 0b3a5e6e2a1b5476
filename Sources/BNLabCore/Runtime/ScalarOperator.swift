import Foundation

/// One binary operator: its scalar kernel, inlined by the compiler's fast paths, and the tensor
/// operation it stands for everywhere else (through `Ops`). One type per operator; the table from
/// the syntax's operators to these types is `BinaryOperator.dispatch`, the only one there is.
protocol ScalarOperator {
    static var op: BinaryOperator { get }
    /// The same operator on tensors.
    static var elementwise: BinaryOp { get }
    /// Two numbers' result as a value.
    static func value(_ a: Double, _ b: Double) -> Value
}

/// An arithmetic operator's action on two numbers; generic code specialised per operator
/// keeps the scalar fast path free of a switch on the operator.
protocol ArithmeticOperator: ScalarOperator {
    static func apply(_ a: Double, _ b: Double) -> Double
}

extension ArithmeticOperator {
    @inline(__always) static func value(_ a: Double, _ b: Double) -> Value { .number(apply(a, b)) }
}

/// A comparison's action on two numbers (true gives 1, false 0).
protocol ComparisonOperator: ScalarOperator {
    static func holds(_ a: Double, _ b: Double) -> Bool
}

extension ComparisonOperator {
    @inline(__always) static func value(_ a: Double, _ b: Double) -> Value { .number(holds(a, b) ? 1 : 0) }
}

/// What to build for an operator once its kernel type is known (see `BinaryOperator.dispatch`).
protocol OperatorVisitor {
    associatedtype Result
    func arithmetic<O: ArithmeticOperator>(_: O.Type) -> Result
    func comparison<O: ComparisonOperator>(_: O.Type) -> Result
    /// `@`, which has no scalar form.
    func matmul() -> Result
}

extension BinaryOperator {
    /// The one table from an operator of the syntax to its kernel type.
    func dispatch<V: OperatorVisitor>(_ visitor: V) -> V.Result {
        switch self {
        case .add: return visitor.arithmetic(ScalarOperators.Add.self)
        case .subtract: return visitor.arithmetic(ScalarOperators.Subtract.self)
        case .multiply: return visitor.arithmetic(ScalarOperators.Multiply.self)
        case .divide: return visitor.arithmetic(ScalarOperators.Divide.self)
        case .power: return visitor.arithmetic(ScalarOperators.Power.self)
        case .floorDivide: return visitor.arithmetic(ScalarOperators.FloorDivide.self)
        case .remainder: return visitor.arithmetic(ScalarOperators.Remainder.self)
        case .equal: return visitor.comparison(ScalarOperators.Equal.self)
        case .notEqual: return visitor.comparison(ScalarOperators.NotEqual.self)
        case .less: return visitor.comparison(ScalarOperators.Less.self)
        case .lessEqual: return visitor.comparison(ScalarOperators.LessEqual.self)
        case .greater: return visitor.comparison(ScalarOperators.Greater.self)
        case .greaterEqual: return visitor.comparison(ScalarOperators.GreaterEqual.self)
        case .matmul: return visitor.matmul()
        }
    }

    /// The operator's general evaluation (numbers, strings, tensors), chosen once when compiling.
    var general: GeneralEvaluation.Evaluate { dispatch(GeneralEvaluation()).evaluate }
}

/// An operator applied to any two values, as `Interpreter.binary` and `Interpreter.matmul` do it.
struct GeneralEvaluation: OperatorVisitor {
    typealias Evaluate = (Interpreter, Value, Value, SourceRange, OperandRanges?) throws(Diagnostic) -> Value

    /// The closure inside a concrete struct: returned as the generic result itself, it would be
    /// wrapped in conversion thunks paid on every call.
    struct Result {
        let evaluate: Evaluate
    }

    func arithmetic<O: ArithmeticOperator>(_: O.Type) -> Result {
        Result { (interpreter: Interpreter, left: Value, right: Value, range: SourceRange, operands: OperandRanges?) throws(Diagnostic) in
            try interpreter.binary(O.self, left, right, range, operands: operands)
        }
    }

    func comparison<O: ComparisonOperator>(_: O.Type) -> Result {
        Result { (interpreter: Interpreter, left: Value, right: Value, range: SourceRange, operands: OperandRanges?) throws(Diagnostic) in
            try interpreter.binary(O.self, left, right, range, operands: operands)
        }
    }

    func matmul() -> Result {
        Result { (interpreter: Interpreter, left: Value, right: Value, range: SourceRange, operands: OperandRanges?) throws(Diagnostic) in
            try interpreter.matmul(left, right, range, operands: operands)
        }
    }
}

/// Where a binary operator's two operands are written, so a shape error can underline both.
typealias OperandRanges = (left: SourceRange, right: SourceRange)

/// A binary operator compiled with a fast path for two numbers: its result there, and the
/// general evaluation (tensors, strings, errors) otherwise.
///
/// `slow` takes its operands by value so that a temporary tensor can lend its buffer to the
/// result (see `Ops.binary`).
protocol ScalarBinary {
    associatedtype Result
    static func fast(_ a: Double, _ b: Double) -> Result
    static func slow(_ interpreter: Interpreter, _ left: consuming Value, _ right: consuming Value, _ range: SourceRange,
                     _ operands: OperandRanges?) throws(Diagnostic) -> Result
}

/// An arithmetic operator as an expression.
enum ArithmeticValue<O: ArithmeticOperator>: ScalarBinary {
    @inline(__always) static func fast(_ a: Double, _ b: Double) -> Value { .number(O.apply(a, b)) }
    static func slow(_ interpreter: Interpreter, _ left: consuming Value, _ right: consuming Value, _ range: SourceRange,
                     _ operands: OperandRanges?) throws(Diagnostic) -> Value {
        try interpreter.binary(O.self, consume left, consume right, range, operands: operands)
    }
}

/// A comparison as an expression: 1 or 0.
enum ComparisonValue<O: ComparisonOperator>: ScalarBinary {
    @inline(__always) static func fast(_ a: Double, _ b: Double) -> Value { .number(O.holds(a, b) ? 1 : 0) }
    static func slow(_ interpreter: Interpreter, _ left: consuming Value, _ right: consuming Value, _ range: SourceRange,
                     _ operands: OperandRanges?) throws(Diagnostic) -> Value {
        try interpreter.binary(O.self, consume left, consume right, range, operands: operands)
    }
}

/// A comparison as a condition: two numbers give a truth without making a value.
enum ComparisonTruth<O: ComparisonOperator>: ScalarBinary {
    @inline(__always) static func fast(_ a: Double, _ b: Double) -> Bool { O.holds(a, b) }
    static func slow(_ interpreter: Interpreter, _ left: consuming Value, _ right: consuming Value, _ range: SourceRange,
                     _ operands: OperandRanges?) throws(Diagnostic) -> Bool {
        try interpreter.truth(try interpreter.binary(O.self, consume left, consume right, range, operands: operands), range)
    }
}

/// The scalar operators, one type each, for `Compiler.arithmetic` and `Compiler.comparison`.
enum ScalarOperators {
    enum Add: ArithmeticOperator {
        static var op: BinaryOperator { .add }
        static var elementwise: BinaryOp { .add }
        @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a + b }
    }

    enum Subtract: ArithmeticOperator {
        static var op: BinaryOperator { .subtract }
        static var elementwise: BinaryOp { .subtract }
        @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a - b }
    }

    enum Multiply: ArithmeticOperator {
        static var op: BinaryOperator { .multiply }
        static var elementwise: BinaryOp { .multiply }
        @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a * b }
    }

    enum Divide: ArithmeticOperator {
        static var op: BinaryOperator { .divide }
        static var elementwise: BinaryOp { .divide }
        @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a / b }
    }

    enum FloorDivide: ArithmeticOperator {
        static var op: BinaryOperator { .floorDivide }
        static var elementwise: BinaryOp { .floorDivide }
        @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { Tensor.floorDivmod(a, b).quotient }
    }

    enum Remainder: ArithmeticOperator {
        static var op: BinaryOperator { .remainder }
        static var elementwise: BinaryOp { .remainder }
        @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { Tensor.floorDivmod(a, b).remainder }
    }

    enum Power: ArithmeticOperator {
        static var op: BinaryOperator { .power }
        static var elementwise: BinaryOp { .power }
        @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { pow(a, b) }
    }

    enum Equal: ComparisonOperator {
        static var op: BinaryOperator { .equal }
        static var elementwise: BinaryOp { .equal }
        @inline(__always) static func holds(_ a: Double, _ b: Double) -> Bool { a == b }
    }

    enum NotEqual: ComparisonOperator {
        static var op: BinaryOperator { .notEqual }
        static var elementwise: BinaryOp { .notEqual }
        @inline(__always) static func holds(_ a: Double, _ b: Double) -> Bool { a != b }
    }

    enum Less: ComparisonOperator {
        static var op: BinaryOperator { .less }
        static var elementwise: BinaryOp { .less }
        @inline(__always) static func holds(_ a: Double, _ b: Double) -> Bool { a < b }
    }

    enum LessEqual: ComparisonOperator {
        static var op: BinaryOperator { .lessEqual }
        static var elementwise: BinaryOp { .lessEqual }
        @inline(__always) static func holds(_ a: Double, _ b: Double) -> Bool { a <= b }
    }

    enum Greater: ComparisonOperator {
        static var op: BinaryOperator { .greater }
        static var elementwise: BinaryOp { .greater }
        @inline(__always) static func holds(_ a: Double, _ b: Double) -> Bool { a > b }
    }

    enum GreaterEqual: ComparisonOperator {
        static var op: BinaryOperator { .greaterEqual }
        static var elementwise: BinaryOp { .greaterEqual }
        @inline(__always) static func holds(_ a: Double, _ b: Double) -> Bool { a >= b }
    }
}
