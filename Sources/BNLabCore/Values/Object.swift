/// A stateful value of the language: a layer, and later an optimizer or a data set.
///
/// Everything the interpreter, the session and the REPL do with such a value goes through this
/// protocol (member access, method calls, calls, field assignment, display, rollback, completion,
/// help, `:vars`), so a new kind of object is one file that conforms to it, plus its constructor.
/// Objects have identity: `a = bn` shares the layer, as in Python.
///
/// To add one: a final class conforming to `Object` (or `Module`), and a constructor `Builtin`
/// with `makes:` set, listed with its group in `Builtins.all` (or `Session.register` in a test).
public protocol Object: AnyObject {
    /// The constructor's name, which `?Name` explains: "BatchNorm".
    static var typeName: String { get }
    /// How messages name an object of this type: "a BatchNorm layer".
    static var typeDescription: String { get }
    /// The kind column of `:vars`: "layer".
    static var kind: String { get }
    /// A typical variable name, for help on a member: "bn" (as in `bn.eval()`).
    static var exampleName: String { get }
    /// The fields `x.name` reads, in the order completion, `?x` and errors list them.
    static var fieldNames: [String] { get }
    /// The methods `x.name(…)` calls.
    static var methodNames: [String] { get }

    /// `x.name`, with `access.nameRange` at the name.
    func field(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value
    /// `x.name = value`, checked (shape, range) before anything is stored.
    func setField(_ name: String, to value: Value, _ access: ObjectAccess) throws(Diagnostic)
    /// `x.name(arguments…)`.
    func method(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value
    /// `x(arguments…)`; by default an object is not callable.
    func call(_ access: ObjectAccess) throws(Diagnostic) -> Value
    /// The printed form, PyTorch-like: `BatchNorm(3, eps=1e-05, momentum=0.1, training)`.
    var description: String { get }
    /// Objects this one holds (a Sequential's layers, an optimizer's buffers), which rollback and
    /// checkpoints save and restore along with it.
    var children: [any Object] { get }
    /// Everything a statement can change in this object itself (not its children), to put back
    /// after a failed statement or when a lesson's REPL closes.
    func snapshot() -> ObjectState
    /// Puts back a state taken by `snapshot()` of this same object.
    func restore(_ state: ObjectState)
    /// The parameters this object holds itself, not through `children` (a module's own weights, an
    /// optimizer's list), which `zero_grad` and optimizers collect; none by default.
    var heldParameters: [Tensor] { get }
    /// `x[i]`, with a negative i already counted from the end (`Interpreter.objectElement`);
    /// by default an object cannot be indexed.
    func element(at index: Int, _ access: ObjectAccess) throws(Diagnostic) -> Value
    /// `len(x)` and `for v in x`: the number of elements, or nil when the object has none.
    var length: Int? { get }
}

/// A module, as PyTorch's `nn.Module`: an object with parameters and a training mode that
/// `.train()` and `.eval()` switch on it and every module below it.
public protocol Module: Object {
    /// Whether the module is in training mode (batch statistics, dropout) or eval mode.
    var training: Bool { get set }
    /// The module's own learnable tensors, named as its fields (children's are not included).
    var parameters: [(name: String, value: Tensor)] { get }
}

/// The saved state of one object: plain values (tensors are copy-on-write, so this is cheap and
/// later changes to the object do not reach it). Objects inside compare by identity.
public struct ObjectState {
    public var values: [Value]

    public init(_ values: [Value]) {
        self.values = values
    }
}

/// Where an object's member or call is written, with the interpreter's conversions and errors.
public struct ObjectAccess {
    let interpreter: Interpreter
    /// The member's name (or, for a call, the callee expression).
    public let nameRange: SourceRange
    /// The whole expression: `bn.eval()`, `bn(x)`; the name alone for a field.
    public let range: SourceRange
    /// The evaluated arguments of a call or method call; empty for a field.
    public let arguments: [EvaluatedArgument]

    init(_ interpreter: Interpreter, nameRange: SourceRange, range: SourceRange, arguments: [EvaluatedArgument] = []) {
        self.interpreter = interpreter
        self.nameRange = nameRange
        self.range = range
        self.arguments = arguments
    }

    /// An error at the member's name (or the callee).
    public func error(_ message: String) -> Diagnostic {
        interpreter.error(message, nameRange)
    }

    /// An error at a range of the file being run.
    public func error(_ message: String, at range: SourceRange) -> Diagnostic {
        interpreter.error(message, range)
    }

    /// The value as a tensor, or an error at the name saying what was expected.
    public func tensor(_ value: Value, what: String) throws(Diagnostic) -> Tensor {
        try interpreter.tensor(value, nameRange, what: what)
    }

    /// A call's argument as a tensor, or an error at that argument.
    public func tensor(_ argument: EvaluatedArgument, what: String) throws(Diagnostic) -> Tensor {
        try interpreter.tensor(argument.value, argument.range, what: what)
    }

    /// The value as an integer, or an error at the name.
    public func integer(_ value: Value, what: String) throws(Diagnostic) -> Int {
        try interpreter.integer(value, nameRange, what: what)
    }

    /// The value as a truth value (every element non-zero), or an error at the name.
    public func truth(_ value: Value) throws(Diagnostic) -> Bool {
        try interpreter.truth(value, nameRange)
    }

    /// Runs tensor code; its error becomes a diagnostic at `range`.
    public func attempt<T>(at range: SourceRange, _ body: () throws(TensorError) -> T) throws(Diagnostic) -> T {
        do { return try body() } catch { throw interpreter.error(error, range) }
    }

    /// Refuses arguments to a method that takes none, pointing at the first one.
    public func expectNoArguments(_ method: String) throws(Diagnostic) {
        if let extra = arguments.first {
            throw error("\(method)() takes no arguments", at: extra.range)
        }
    }
}

extension Object {
    public static var exampleName: String { typeName.lowercased() }
    public static var methodNames: [String] { [] }
    public var children: [any Object] { [] }
    public var heldParameters: [Tensor] { [] }
    public var length: Int? { nil }

    public func element(at index: Int, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        throw access.error("\(Self.typeDescription) cannot be indexed")
    }

    public func call(_ access: ObjectAccess) throws(Diagnostic) -> Value {
        throw access.error("\(Self.typeDescription) is not callable")
    }

    public func setField(_ name: String, to value: Value, _ access: ObjectAccess) throws(Diagnostic) {
        _ = try field(name, access)
        throw access.error("'\(name)' of \(Self.typeDescription) cannot be assigned")
    }

    public func method(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        throw noMethod(name, access)
    }

    /// "a BatchNorm layer has no field 'x'", with the nearest name and the list of fields.
    public func noField(_ name: String, _ access: ObjectAccess) -> Diagnostic {
        var diagnostic = access.error("\(Self.typeDescription) has no field '\(name)'")
        if let near = Suggestions.closest(to: name, in: Self.fieldNames + Self.methodNames) {
            diagnostic = diagnostic.adding(.help, "did you mean '\(near)'?")
        }
        return diagnostic.adding(.note, "the fields are " + Self.fieldNames.joined(separator: ", "))
    }

    /// "a BatchNorm layer has no method 'x'", with `note` and the nearest method.
    public func noMethod(_ name: String, _ access: ObjectAccess, note: String? = nil) -> Diagnostic {
        var diagnostic = access.error("\(Self.typeDescription) has no method '\(name)'")
        if let note { diagnostic = diagnostic.adding(.note, note) }
        if let near = Suggestions.closest(to: name, in: Self.methodNames) {
            diagnostic = diagnostic.adding(.help, "did you mean '\(near)'?")
        }
        return diagnostic
    }
}

extension Module {
    public var heldParameters: [Tensor] { parameters.map(\.value) }

    /// `.train()` and `.eval()`: the mode of this module and every module below it; returns the module.
    public func switchMode(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        try access.expectNoArguments(name)
        let training = name == "train"
        for object in ObjectGraph.reachable(from: [self]) {
            if let module = object as? any Module { module.training = training }
        }
        return .object(self)
    }
}

/// Walks the objects that values hold, children included, each once.
enum ObjectGraph {
    /// Every object held by `roots` or below them, depth first, each once (a shared child or a
    /// cycle is visited once).
    static func reachable(from roots: [any Object]) -> [any Object] {
        var seen: Set<ObjectIdentifier> = []
        var found: [any Object] = []
        var pending = Array(roots.reversed())
        while let object = pending.popLast() {
            guard seen.insert(ObjectIdentifier(object)).inserted else { continue }
            found.append(object)
            pending.append(contentsOf: object.children.reversed())
        }
        return found
    }

    /// Every parameter held by `roots` or the objects below them, each leaf once, in the order
    /// met (a module's own before its children's, as PyTorch's `.parameters()`).
    static func parameters(from roots: [any Object]) -> [Tensor] {
        var seen: Set<ObjectIdentifier> = []
        var found: [Tensor] = []
        for object in reachable(from: roots) {
            for p in object.heldParameters {
                guard let node = p.node, seen.insert(ObjectIdentifier(node)).inserted else { continue }
                found.append(p)
            }
        }
        return found
    }

    /// The objects among (and below) some values, such as the globals.
    static func reachable(from values: [Value?]) -> [any Object] {
        reachable(from: values.compactMap { value -> (any Object)? in
            if case .object(let object)? = value { return object }
            return nil
        })
    }

    /// Every parameter among `values` (a leaf bound to a name) or held by their objects, each once.
    static func parameters(among values: [Value?]) -> [Tensor] {
        var seen: Set<ObjectIdentifier> = []
        var found: [Tensor] = []
        for value in values {
            guard case .tensor(let t)? = value, let node = t.node, node.isLeaf,
                  seen.insert(ObjectIdentifier(node)).inserted else { continue }
            found.append(t)
        }
        for p in parameters(from: reachable(from: values)) where seen.insert(ObjectIdentifier(p.node!)).inserted {
            found.append(p)
        }
        return found
    }

    /// The state of every object among (and below) `values`, to restore later.
    static func snapshot(of values: [Value?]) -> [(object: any Object, state: ObjectState)] {
        reachable(from: values).map { ($0, $0.snapshot()) }
    }
}

extension Session {
    /// Adds a builtin (such as an object's constructor) to this session, as if it were one of
    /// `Builtins.all`: it is bound now and again after `reset()`, and `?name` and completion
    /// know it and the members of the objects it makes.
    public func register(_ builtin: Builtin) {
        interpreter.registeredBuiltins.removeAll { $0.name == builtin.name }
        interpreter.registeredBuiltins.append(builtin)
        interpreter.globals.set(builtin.name, .function(.builtin(builtin)))
    }
}
