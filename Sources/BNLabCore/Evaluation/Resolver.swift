/// Binds every name to a local or global slot before a program runs.
struct Resolver {
    let globals: GlobalTable
    /// Local slots of the function being resolved; nil at the top level.
    private var locals: [String: Int]?

    init(globals: GlobalTable) {
        self.globals = globals
    }

    /// Resolves top-level statements in place.
    mutating func resolveProgram(_ statements: inout [Stmt]) {
        for i in statements.indices { resolve(&statements[i]) }
    }

    private func lookup(_ ref: NameRef) -> NameRef {
        var ref = ref
        if let slot = locals?[ref.name] {
            ref.slot = .local(slot)
        } else {
            ref.slot = .global(globals.slot(for: ref.name))
        }
        return ref
    }

    private func resolveFunction(_ decl: FunctionDecl) {
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
                default: break
                }
            }
        }
        collect(decl.body)
        var inner = Resolver(globals: globals)
        inner.locals = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        for i in decl.body.indices { inner.resolve(&decl.body[i]) }
        decl.localCount = names.count
        decl.localNames = names
    }

    private func resolve(_ statement: inout Stmt) {
        switch statement.kind {
        case .expression(let expr, let silent):
            statement.kind = .expression(resolve(expr), silent: silent)
        case .assign(let target, let value):
            let value = resolve(value)
            switch target {
            case .name(let ref):
                switch lookup(ref).slot {
                case .local(let i): statement.kind = .assign(.local(i), value)
                case .global(let i): statement.kind = .assign(.global(i), value)
                case .unresolved: statement.kind = .assign(.name(ref), value)
                }
            case .local, .global:
                statement.kind = .assign(target, value)
            case .field(let base, let name, let range):
                statement.kind = .assign(.field(resolve(base), name, range), value)
            case .index(let ref, let items, let range):
                statement.kind = .assign(.index(lookup(ref), items.map(resolve), range), value)
            }
        case .function(let decl, let ref):
            // Defaults are evaluated where the function is defined, so they resolve in this scope.
            let resolvedDefaults = decl.parameters.map { $0.defaultValue.map(resolve) }
            let copy = FunctionDecl(
                name: decl.name, nameRange: decl.nameRange,
                parameters: zip(decl.parameters, resolvedDefaults).map { p, d in
                    Parameter(name: p.name, range: p.range, defaultValue: d)
                },
                body: decl.body, range: decl.range, file: decl.file)
            resolveFunction(copy)
            statement.kind = .function(copy, lookup(ref))
        case .forLoop(let ref, let iterable, var body):
            for i in body.indices { resolve(&body[i]) }
            statement.kind = .forLoop(lookup(ref), resolve(iterable), body)
        case .ifElse(let branches, let elseBody):
            let resolvedBranches = branches.map { branch -> (condition: Expr, body: [Stmt]) in
                var body = branch.body
                for i in body.indices { resolve(&body[i]) }
                return (resolve(branch.condition), body)
            }
            var resolvedElse = elseBody
            if var body = resolvedElse {
                for i in body.indices { resolve(&body[i]) }
                resolvedElse = body
            }
            statement.kind = .ifElse(resolvedBranches, elseBody: resolvedElse)
        case .check(let condition, let message):
            statement.kind = .check(resolve(condition), message: message.map(resolve))
        case .returnValue(let value):
            statement.kind = .returnValue(value.map(resolve))
        }
    }

    private func resolve(_ item: IndexItem) -> IndexItem {
        switch item {
        case .expr(let e): return .expr(resolve(e))
        case .slice(let a, let b, let c, let range): return .slice(start: a.map(resolve), stop: b.map(resolve), step: c.map(resolve), range: range)
        }
    }

    private func resolve(_ argument: CallArgument) -> CallArgument {
        CallArgument(label: argument.label, labelRange: argument.labelRange, value: resolve(argument.value))
    }

    private func resolve(_ expr: Expr) -> Expr {
        var expr = expr
        switch expr.kind {
        case .number, .string, .boolean, .none, .unfinished:
            return expr
        case .name(let ref):
            switch lookup(ref).slot {
            case .local(let i): expr.kind = .local(i)
            case .global(let i): expr.kind = .global(i)
            case .unresolved: break
            }
        case .local, .global: break
        case .list(let elements): expr.kind = .list(elements.map(resolve))
        case .negate(let e): expr.kind = .negate(resolve(e))
        case .not(let e): expr.kind = .not(resolve(e))
        case .binary(let op, let a, let b): expr.kind = .binary(op, resolve(a), resolve(b))
        case .and(let a, let b): expr.kind = .and(resolve(a), resolve(b))
        case .or(let a, let b): expr.kind = .or(resolve(a), resolve(b))
        case .range(let a, let b): expr.kind = .range(resolve(a), resolve(b))
        case .call(let callee, let args): expr.kind = .call(resolve(callee), args.map(resolve))
        case .member(let base, let name, let range): expr.kind = .member(resolve(base), name, range)
        case .methodCall(let base, let name, let range, let args):
            expr.kind = .methodCall(resolve(base), name, range, args.map(resolve))
        case .index(let base, let items): expr.kind = .index(resolve(base), items.map(resolve))
        }
        return expr
    }
}
