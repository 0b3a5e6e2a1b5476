import Foundation

/// An arithmetic operator's action on two numbers; generic code specialised per operator
/// keeps the scalar fast path free of a switch on the operator.
protocol ArithmeticOperator {
    static var op: BinaryOperator { get }
    static func apply(_ a: Double, _ b: Double) -> Double
}

/// A comparison's action on two numbers (true gives 1, false 0).
protocol ComparisonOperator {
    static var op: BinaryOperator { get }
    static func holds(_ a: Double, _ b: Double) -> Bool
}

/// A binary operator compiled with a fast path for two numbers: its result there, and the
/// general evaluation (tensors, strings, errors) otherwise.
protocol ScalarBinary {
    associatedtype Result
    static func fast(_ a: Double, _ b: Double) -> Result
    static func slow(_ interpreter: Interpreter, _ left: Value, _ right: Value, _ range: SourceRange,
                     _ operands: OperandRanges?) throws(Diagnostic) -> Result
}

/// Where a binary operator's two operands are written, so a shape error can underline both.
typealias OperandRanges = (left: SourceRange, right: SourceRange)

/// An arithmetic operator as an expression.
enum ArithmeticValue<O: ArithmeticOperator>: ScalarBinary {
    @inline(__always) static func fast(_ a: Double, _ b: Double) -> Value { .number(O.apply(a, b)) }
    static func slow(_ interpreter: Interpreter, _ left: Value, _ right: Value, _ range: SourceRange,
                     _ operands: OperandRanges?) throws(Diagnostic) -> Value {
        try interpreter.binary(O.op, left, right, range, operands: operands)
    }
}

/// A comparison as an expression: 1 or 0.
enum ComparisonValue<O: ComparisonOperator>: ScalarBinary {
    @inline(__always) static func fast(_ a: Double, _ b: Double) -> Value { .number(O.holds(a, b) ? 1 : 0) }
    static func slow(_ interpreter: Interpreter, _ left: Value, _ right: Value, _ range: SourceRange,
                     _ operands: OperandRanges?) throws(Diagnostic) -> Value {
        try interpreter.binary(O.op, left, right, range, operands: operands)
    }
}

/// A comparison as a condition: two numbers give a truth without making a value.
enum ComparisonTruth<O: ComparisonOperator>: ScalarBinary {
    @inline(__always) static func fast(_ a: Double, _ b: Double) -> Bool { O.holds(a, b) }
    static func slow(_ interpreter: Interpreter, _ left: Value, _ right: Value, _ range: SourceRange,
                     _ operands: OperandRanges?) throws(Diagnostic) -> Bool {
        try interpreter.truth(try interpreter.binary(O.op, left, right, range, operands: operands), range)
    }
}

/// The scalar operators, one type each, for `Compiler.arithmetic` and `Compiler.comparison`.
enum ScalarOperators {
    enum Add: ArithmeticOperator {
        static var op: BinaryOperator { .add }
        @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a + b }
    }

    enum Subtract: ArithmeticOperator {
        static var op: BinaryOperator { .subtract }
        @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a - b }
    }

    enum Multiply: ArithmeticOperator {
        static var op: BinaryOperator { .multiply }
        @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a * b }
    }

    enum Divide: ArithmeticOperator {
        static var op: BinaryOperator { .divide }
        @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { a / b }
    }

    enum FloorDivide: ArithmeticOperator {
        static var op: BinaryOperator { .floorDivide }
        @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { Tensor.floorDivmod(a, b).quotient }
    }

    enum Remainder: ArithmeticOperator {
        static var op: BinaryOperator { .remainder }
        @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { Tensor.floorDivmod(a, b).remainder }
    }

    enum Power: ArithmeticOperator {
        static var op: BinaryOperator { .power }
        @inline(__always) static func apply(_ a: Double, _ b: Double) -> Double { pow(a, b) }
    }

    enum Equal: ComparisonOperator {
        static var op: BinaryOperator { .equal }
        @inline(__always) static func holds(_ a: Double, _ b: Double) -> Bool { a == b }
    }

    enum NotEqual: ComparisonOperator {
        static var op: BinaryOperator { .notEqual }
        @inline(__always) static func holds(_ a: Double, _ b: Double) -> Bool { a != b }
    }

    enum Less: ComparisonOperator {
        static var op: BinaryOperator { .less }
        @inline(__always) static func holds(_ a: Double, _ b: Double) -> Bool { a < b }
    }

    enum LessEqual: ComparisonOperator {
        static var op: BinaryOperator { .lessEqual }
        @inline(__always) static func holds(_ a: Double, _ b: Double) -> Bool { a <= b }
    }

    enum Greater: ComparisonOperator {
        static var op: BinaryOperator { .greater }
        @inline(__always) static func holds(_ a: Double, _ b: Double) -> Bool { a > b }
    }

    enum GreaterEqual: ComparisonOperator {
        static var op: BinaryOperator { .greaterEqual }
        @inline(__always) static func holds(_ a: Double, _ b: Double) -> Bool { a >= b }
    }
}
