/// An error raised by a tensor operation; the message is lowercase and has no final period.
public struct TensorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Why an operation failed: a mistake in its input, or a stop from outside (see `KernelStop`).
    public enum Kind: Sendable, Equatable {
        case failure, interrupted, timedOut
    }

    /// The user-facing message, e.g. `cannot broadcast shapes [3, 2] and [4]`.
    public var message: String
    public var kind: Kind

    /// Creates an error with the given message.
    public init(_ message: String, kind: Kind = .failure) {
        self.message = message
        self.kind = kind
    }

    /// The message itself, so errors print as their text.
    public var description: String { message }
}

extension TensorError {
    static func axisOutOfRange(_ axis: Int, rank: Int) -> TensorError {
        TensorError("axis \(axis) is out of range for a tensor of rank \(rank)")
    }

    static func cannotBroadcast(_ a: [Int], _ b: [Int]) -> TensorError {
        TensorError("cannot broadcast shapes \(formatShape(a)) and \(formatShape(b))")
    }
}

/// Writes a shape the way messages and displays show it: `[3, 2]`.
public func formatShape(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}
