/// Runs resolved programs, compiled into closures by `Compiler`: the evaluating core of a session.
public final class Interpreter {
    /// Deepest chain of user function calls before "recursion too deep".
    public static let callDepthLimit = 1000
    /// Deepest evaluation nesting (the depths of the calls in progress, summed) before the stack is at risk.
    static let evaluationDepthLimit = 60_000

    public let globals: GlobalTable
    /// Where `print` and displayed values go, one complete chunk of text per call.
    public var output: (String) -> Void
    /// Decimals shown for non-integral tensors (`:set precision N`).
    public var precision = 4
    /// Columns a tensor's rows may fill (numpy's `linewidth`): 75, or a narrower terminal's width.
    public var lineWidth = TensorFormatter.lineWidth
    /// Raised by Ctrl-C; polled between statements, loop iterations and calls.
    public var interruptFlag: InterruptFlag? {
        get { interruptFlagStorage }
        set {
            interruptFlagStorage = newValue
            polledFlag = newValue.map { Unmanaged.passUnretained($0) }
        }
    }
    /// `interruptFlag` itself: a public stored property is read through a dynamic exclusivity
    /// check, and `poll` reads it on every step; a private one the optimizer proves safe.
    private var interruptFlagStorage: InterruptFlag?
    /// The same flag, read by `poll` without a retain and release around every step;
    /// `interruptFlagStorage` keeps it alive.
    private var polledFlag: Unmanaged<InterruptFlag>?
    /// A time limit (exercises); reported as "timed out".
    public var deadline: ContinuousClock.Instant? {
        get { deadlineBox?.instant }
        set { deadlineBox = newValue.map(DeadlineBox.init) }
    }
    /// `deadline`, boxed: a stored `ContinuousClock.Instant` (a resilient standard-library type)
    /// would make the class's layout known only at run time, so that every field the evaluator
    /// touches would be reached through an offset loaded from memory first.
    private var deadlineBox: DeadlineBox?
    /// How much of a failed check's operands to show (the grader's `--full` shows every value).
    public var checkValueDetail = CheckValueDetail()
    /// When set, each displayed value is also bound to `ans` (the REPL).
    public var bindsAnswer = false
    /// The session's random generator (training.md §2): seeded 0 at the start, re-seeded by
    /// `manual_seed`, advanced by every random call without `seed=`.
    public var generator = RandomGenerator(seed: 0)
    /// Whether tensor operations record themselves for gradients; off inside `no_grad { … }`.
    public var gradEnabled = true
    /// Hears the name of every tensor operation run through `Ops`: a test hook, nil otherwise.
    var opsObserver: ((String) -> Void)?
    /// Builtins added to this session only (`Session.register`), bound again by `installBuiltins`.
    var registeredBuiltins: [Builtin] = []

    /// The file of the program being executed, where top-level statements are.
    private(set) var programFile: SourceFile
    /// The file being evaluated: the running function's, else the program's. Derived rather
    /// than swapped on every call, since copying a SourceFile costs several retains.
    var file: SourceFile { function?.decl.file ?? programFile }
    /// The running call's local slots: a window of `frames` (see `pushFrame`).
    var locals: UnsafeMutablePointer<Value?>
    /// The running function. Unowned: the call in progress holds its `UserFunction`, so swapping
    /// it on every call and return costs no reference counting.
    unowned(unsafe) var function: ResolvedFunction?
    var callDepth = 0
    /// The depths, within their statements or bodies, of the user calls in progress, summed.
    var evaluationDepth = 0
    /// The locals of the calls in progress, one window per call, pushed and popped in order, so a
    /// call allocates nothing and swaps a pointer rather than a reference-counted frame. Every
    /// slot from `frameTop` on is unbound.
    private let frames: UnsafeMutablePointer<Value?>
    private var frameTop: UnsafeMutablePointer<Value?>
    private let frameEnd: UnsafeMutablePointer<Value?>
    /// Slots on the frame stack; a frame that does not fit gets its own allocation.
    static let frameStackSize = 8192
    /// The value of the `return` statement that just ran, until its function takes it.
    var returnValue = Value.none
    private var pollCount = 0
    // Declared last, so the fields the evaluator reads on every step keep their places.
    /// Whether plots may use ANSI colour: set by `bnlab` on a terminal without NO_COLOR, never
    /// for recorded outputs.
    public var plotColor = false
    /// Where `progress(…)` draws its bar; nil (silent) unless stderr is a terminal.
    public var progressDisplay: ProgressDisplay?
    /// Whether a progress bar is being drawn (a nested `progress` stays silent).
    var progressShown = false

    public init(output: @escaping (String) -> Void) {
        globals = GlobalTable()
        self.output = output
        programFile = SourceFile(origin: .named("<none>"), text: "")
        frames = .allocate(capacity: Interpreter.frameStackSize)
        frames.initialize(repeating: nil, count: Interpreter.frameStackSize)
        frameTop = frames
        frameEnd = frames + Interpreter.frameStackSize
        locals = frames
        installBuiltins()
    }

    /// Binds every builtin as a global, so a learner may shadow one as in Python.
    public func installBuiltins() {
        for builtin in Builtins.all {
            globals.set(builtin.name, .function(.builtin(builtin)))
        }
        for builtin in registeredBuiltins { globals.set(builtin.name, .function(.builtin(builtin))) }
        for (name, value) in Interpreter.constants { globals.set(name, .number(value)) }
    }

    /// The builtin of that name, the session's own included, whether or not a variable shadows it.
    func builtin(named name: String) -> Builtin? {
        registeredBuiltins.last { $0.name == name } ?? Builtins.named[name]
    }

    /// Every builtin of this session: `Builtins.all`, then those registered.
    var allBuiltins: [Builtin] { Builtins.all + registeredBuiltins }

    /// Named constants, as numpy has them.
    public static let constants: [(String, Double)] = [("nan", .nan), ("inf", .infinity), ("pi", .pi), ("e", 2.718281828459045)]

    /// Resolves and runs a parsed program at the top level, showing bare expressions' values.
    public func execute(_ program: [Stmt], in file: SourceFile) throws(Diagnostic) {
        var resolver = Resolver(globals: globals)
        let scope = resolver.resolveProgram(program)
        programFile = file
        locals = frameTop
        function = nil
        callDepth = 0
        evaluationDepth = 0
        returnValue = .none
        // Each statement is compiled just before it runs: REPL entries and lesson cells are small,
        // and a statement's code is dropped once it has run (function bodies keep theirs).
        let compiler = Compiler(globals: globals, scope: scope)
        // Long kernels poll the same flag and deadline (see `KernelStop`).
        try KernelStop.with(KernelStop(flag: interruptFlag, deadline: deadline)) { () throws(Diagnostic) in
            for statement in program {
                try checkStop(statement.range)
                _ = try compiler.statement(statement, depth: 0, topLevel: true)(self)
            }
        }
    }

    deinit {
        // Every call has popped its frame, so every slot is unbound and trivial.
        frames.deallocate()
    }

    /// Slots of the frame stack in use by calls in progress: 0 between statements (a test hook).
    var framesInUse: Int { frameTop - frames }

    /// Reserves `count` unbound slots for a call's locals; `popFrame` gives them back.
    @inline(__always)
    func pushFrame(count: Int) -> UnsafeMutablePointer<Value?> {
        let base = frameTop
        guard count <= frameEnd - base else { return Interpreter.separateFrame(count: count) }
        frameTop = base + count
        return base
    }

    /// A frame too large for what is left of the stack (deep recursion with many locals).
    @inline(never)
    private static func separateFrame(count: Int) -> UnsafeMutablePointer<Value?> {
        let frame = UnsafeMutablePointer<Value?>.allocate(capacity: count)
        frame.initialize(repeating: nil, count: count)
        return frame
    }

    /// Unbinds the frame of a call that has returned (or failed), releasing its values now.
    @inline(__always)
    func popFrame(_ frame: UnsafeMutablePointer<Value?>, count: Int) {
        // A concrete loop releases only what needs it, where deinitialize(count:) would call the
        // runtime's generic destroy, a witness call per slot. Every slot goes back to nil, numbers
        // too: the next frame here must find its locals unassigned, not the last call's values.
        for i in 0..<count {
            switch frame[i] {
            case nil: break
            case .some(.number): (frame + i).initialize(to: nil)  // nothing to release
            default: frame[i] = nil
            }
        }
        // `<=`: an empty frame may sit at the very end of the stack.
        if frame >= frames && frame <= frameEnd {
            frameTop = frame
        } else {
            frame.deallocate()
        }
    }

    // MARK: - Errors and polling

    /// A diagnostic at a range of the file being evaluated.
    public func error(_ message: String, _ range: SourceRange, kind: Diagnostic.Kind = .error) -> Diagnostic {
        Diagnostic(message, kind: kind, file: file, range: range)
    }

    /// A tensor operation's failure as a diagnostic; a kernel stopped by Ctrl-C or the
    /// deadline becomes the same `interrupted` or `timed out` that `checkStop` reports.
    func error(_ failure: TensorError, _ range: SourceRange) -> Diagnostic {
        switch failure.kind {
        case .failure:
            return error(failure.message, range)
        case .interrupted:
            interruptFlag?.clear()
            return error(failure.message, range, kind: .interrupted)
        case .timedOut:
            return error(failure.message, range, kind: .timedOut)
        }
    }

    /// Checks for Ctrl-C at every step (one relaxed atomic load, so a loop whose body is one
    /// heavy tensor call still stops at once) and for the deadline every 256 steps (a clock read).
    @inline(__always)
    func poll(_ range: SourceRange) throws(Diagnostic) {
        pollCount &+= 1
        if pollCount & 255 == 0 || polledFlag?._withUnsafeGuaranteedRef({ $0.isRaised }) == true { try checkStop(range) }
    }

    /// Kept out of line: inlined into `poll`, its clock read would weigh on every loop that polls.
    @inline(never)
    func checkStop(_ range: SourceRange) throws(Diagnostic) {
        if let flag = interruptFlag, flag.isRaised {
            flag.clear()
            throw error("interrupted", range, kind: .interrupted)
        }
        if let deadline, ContinuousClock.now > deadline {
            throw error("timed out", range, kind: .timedOut)
        }
    }

    // MARK: - Conversions

    /// The value as a tensor, or an error naming what was expected.
    /// `what` is only built for the error, so callers on hot paths pay nothing for it.
    func tensor(_ value: Value, _ range: SourceRange, what: @autoclosure () -> String) throws(Diagnostic) -> Tensor {
        switch value {
        case .number(let v): return Tensor(v)
        case .tensor(let t): return t
        default: throw error(DiagnosticMessages.wrongType(what(), expected: "a tensor", got: value.typeDescription), range)
        }
    }

    /// The value as an exact integer.
    func integer(_ value: Value, _ range: SourceRange, what: @autoclosure () -> String) throws(Diagnostic) -> Int {
        if case .number(let v) = value, let i = Interpreter.exactInt(v) { return i }
        let t = try tensor(value, range, what: what())
        guard t.rank == 0, let v = t.scalarValue else {
            throw error(DiagnosticMessages.wrongType(what(), expected: "an integer", got: value.typeDescription), range)
        }
        guard let i = Interpreter.exactInt(v) else {
            throw error(DiagnosticMessages.wrongType(what(), expected: "an integer", got: Interpreter.integerMismatch(v)), range)
        }
        return i
    }

    /// What a number that is not an exact integer is, for "expected an integer, got …":
    /// a whole number past ±2^53 is "too large" rather than "not an integer".
    static func integerMismatch(_ v: Double) -> String {
        let text = numberText(v)
        return v.isFinite && v == v.rounded() ? "\(text), which is too large (the limit is ±2^53)" : text
    }

    /// The Int equal to v, when v is integral and within ±2^53.
    static func exactInt(_ v: Double) -> Int? {
        guard v.isFinite, v == v.rounded(), abs(v) <= 9_007_199_254_740_992 else { return nil }
        return Int(v)
    }

    /// A number as it appears in messages.
    static func numberText(_ v: Double) -> String {
        TensorFormatter.format(Tensor(v), precision: 4)
    }

    /// A result tensor as a value, with scalars unboxed.
    static func wrap(_ t: Tensor) -> Value {
        // A number that requires a gradient stays a tensor, keeping its history.
        if t.rank == 0, t.node == nil, let v = t.scalarValue { return .number(v) }
        return .tensor(t)
    }

    /// A condition's truth: every element non-zero and none NaN.
    func truth(_ value: Value, _ range: SourceRange) throws(Diagnostic) -> Bool {
        switch value {
        case .number(let v): return v != 0 && !v.isNaN
        case .tensor(let t):
            if let v = t.scalarValue { return v != 0 && !v.isNaN }
            return t.allTrue
        default:
            throw error(DiagnosticMessages.wrongType("a condition", expected: "a tensor", got: value.typeDescription), range)
        }
    }
}

/// A deadline in a box of fixed size (see `Interpreter.deadline`).
private final class DeadlineBox {
    let instant: ContinuousClock.Instant

    init(_ instant: ContinuousClock.Instant) {
        self.instant = instant
    }
}
