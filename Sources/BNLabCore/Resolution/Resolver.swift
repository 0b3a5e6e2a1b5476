/// The names a body can see, as the resolver decided them: its function's local slots (none at
/// the top level, where every name is global) and the functions declared in it.
///
/// This is the resolver's side table (the tree itself is never rewritten): the compiler reads
/// each name's slot from the scope of the body it compiles.
struct Scope {
    /// Local slots by name; nil at the top level.
    var locals: [String: Int]?
    /// The `fn` statements written directly in this body, by declaration.
    var functions: [ObjectIdentifier: ResolvedFunction] = [:]
}

/// A name use bound to its slot, keeping the name so messages never re-read the source.
struct Variable {
    enum Slot {
        case local(Int)
        case global(Int)
    }

    var name: String
    var range: SourceRange
    var slot: Slot

    init(_ ref: NameRef, _ slot: Slot) {
        name = ref.name
        range = ref.range
        self.slot = slot
    }
}

/// A `fn` declaration after resolution: the slots of its locals, how arguments bind to its
/// parameters and, from its first call on, its compiled body.
final class ResolvedFunction {
    let decl: FunctionDecl
    /// Parameters first, then every other name the body assigns, in order of first assignment.
    let localNames: [String]
    /// The scope the body is compiled in.
    let scope: Scope
    /// The parameters as argument binding sees them (see `BindingPlan`).
    let parameters: ParameterList
    /// The body compiled when the `fn` statement first runs, shared by every definition after it.
    private var compiledBody: CompiledCode?

    init(decl: FunctionDecl, localNames: [String], functions: [ObjectIdentifier: ResolvedFunction]) {
        self.decl = decl
        self.localNames = localNames
        localCount = localNames.count
        parameterCount = decl.parameters.count
        scope = Scope(locals: Dictionary(uniqueKeysWithValues: localNames.enumerated().map { ($1, $0) }), functions: functions)
        parameters = ParameterList(
            calleeName: decl.name, signature: decl.signature, names: decl.parameters.map(\.name),
            hasDefault: decl.parameters.map { $0.defaultValue != nil }, variadic: nil)
    }

    /// Slots a call needs for parameters and locals (stored: a call reads it twice).
    let localCount: Int
    /// How many parameters there are: a call with as many unlabelled arguments fills them in order.
    let parameterCount: Int

    /// The compiled body, compiled now unless an earlier definition did.
    func body(globals: GlobalTable) -> Code {
        if let compiledBody { return compiledBody.code }
        let body = Compiler(globals: globals, scope: scope).functionBody(decl)
        compiledBody = CompiledCode(code: body)
        return body
    }
}

/// Decides, before a program runs, which names are local to which function and gives every
/// other name its global slot, walking the program in order so slots are made in the order
/// names first appear.
struct Resolver {
    let globals: GlobalTable
    /// Local slots of the function being resolved; nil at the top level.
    private var locals: [String: Int]?
    /// The functions declared in the body being resolved.
    private var functions: [ObjectIdentifier: ResolvedFunction] = [:]

    init(globals: GlobalTable) {
        self.globals = globals
    }

    /// Resolves top-level statements: the scope to compile them in.
    mutating func resolveProgram(_ statements: [Stmt]) -> Scope {
        for statement in statements { resolve(statement) }
        return Scope(locals: nil, functions: functions)
    }

    /// Resolves one declaration on its own (its defaults belong to the enclosing scope).
    static func resolveFunction(_ decl: FunctionDecl, globals: GlobalTable) -> ResolvedFunction {
        var names: [String] = decl.parameters.map(\.name)
        var seen = Set(names)
        func declare(_ name: String) {
            if seen.insert(name).inserted { names.append(name) }
        }
        func collect(_ statements: [Stmt]) {
            for statement in statements {
                switch statement.kind {
                case .assign(.name(let ref), _): declare(ref.name)
                case .function(_, let ref): declare(ref.name)
                case .forLoop(let ref, _, let body):
                    declare(ref.name)
                    collect(body)
                case .ifElse(let branches, let elseBody):
                    for branch in branches { collect(branch.body) }
                    if let elseBody { collect(elseBody) }
                case .noGrad(let body):
                    collect(body)
                default: break
                }
            }
        }
        collect(decl.body)
        var inner = Resolver(globals: globals)
        inner.locals = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        for statement in decl.body { inner.resolve(statement) }
        return ResolvedFunction(decl: decl, localNames: names, functions: inner.functions)
    }

    /// A name that is not local gets its global slot now, made unbound on first use.
    private func use(_ ref: NameRef) {
        if locals?[ref.name] == nil { _ = globals.slot(for: ref.name) }
    }

    private mutating func resolve(_ statement: Stmt) {
        switch statement.kind {
        case .expression(let expr, _):
            resolve(expr)
        case .assign(let target, let value):
            resolve(value)
            switch target {
            case .name(let ref):
                use(ref)
            case .field(let base, _, _):
                resolve(base)
            case .index(let ref, let items, _):
                use(ref)
                for item in items { resolve(item) }
            }
        case .function(let decl, let ref):
            // Defaults are evaluated where the function is defined, so they resolve in this scope.
            for parameter in decl.parameters {
                if let value = parameter.defaultValue { resolve(value) }
            }
            functions[ObjectIdentifier(decl)] = Resolver.resolveFunction(decl, globals: globals)
            use(ref)
        case .forLoop(let ref, let iterable, let body):
            for statement in body { resolve(statement) }
            use(ref)
            resolve(iterable)
        case .ifElse(let branches, let elseBody):
            for branch in branches {
                for statement in branch.body { resolve(statement) }
                resolve(branch.condition)
            }
            for statement in elseBody ?? [] { resolve(statement) }
        case .check(let condition, let message):
            resolve(condition)
            if let message { resolve(message) }
        case .returnValue(let value):
            if let value { resolve(value) }
        case .noGrad(let body):
            for statement in body { resolve(statement) }
        }
    }

    private mutating func resolve(_ item: IndexItem) {
        switch item {
        case .expr(let e): resolve(e)
        case .slice(let start, let stop, let step, _):
            for bound in [start, stop, step] {
                if let bound { resolve(bound) }
            }
        }
    }

    private mutating func resolve(_ expr: Expr) {
        switch expr.kind {
        case .number, .string, .boolean, .none, .unfinished:
            break
        case .name(let ref): use(ref)
        case .list(let elements): for e in elements { resolve(e) }
        case .negate(let e), .not(let e): resolve(e)
        case .binary(_, let a, let b), .and(let a, let b), .or(let a, let b), .range(let a, let b):
            resolve(a)
            resolve(b)
        case .call(let callee, let args):
            resolve(callee)
            for argument in args { resolve(argument.value) }
        case .member(let base, _, _): resolve(base)
        case .methodCall(let base, _, _, let args):
            resolve(base)
            for argument in args { resolve(argument.value) }
        case .index(let base, let items):
            resolve(base)
            for item in items { resolve(item) }
        }
    }
}
