/// What every module of training.md §3 shares, so that each module's file holds only its own
/// parameters, settings, forward pass and printed form.
///
/// Parameters are leaves made once, when the module is made, and never replaced: assigning
/// `lin.weight = w` and restoring a snapshot write their values IN PLACE, so an optimizer or a
/// variable holding the parameter keeps seeing the module's values (PyTorch's parameters are
/// shared objects too).
protocol StandardModule: Module {
    /// A setting beyond the parameters and `training` (`in_features`, `p`): read-only, fixed when
    /// the module is made; nil for a name that is not one.
    func setting(_ name: String) -> Value?
}

/// A module applied to one tensor: `lin(x)`.
protocol TensorModule: StandardModule {
    /// The module applied to its input, every step through `ops` so gradients flow.
    func forward(_ x: Tensor, _ ops: Ops) throws(Diagnostic) -> Tensor
}

/// The names shared by every module.
enum Modules {
    /// The methods of every module, in the order completion lists them.
    static let methodNames = ["train", "eval", "parameters", "zero_grad"]

    /// PyTorch's default initialisation of Linear and Conv2d: U(−b, b) with b = 1/√fan_in for the
    /// weight (kaiming_uniform with a = √5 reduces to this bound) and for the bias. Drawn from the
    /// session's generator, which is left advanced, as `from + (to − from)·u` (PyTorch's uniform_),
    /// row-major; a module draws its weight, then its bias.
    static func uniform(_ shape: [Int], fanIn: Double, _ a: inout BoundArguments) throws(Diagnostic) -> Tensor {
        let bound = 1 / fanIn.squareRoot()
        var generator = a.interpreter.generator
        let u = try a.attempt { () throws(TensorError) in try Tensor.rand(shape, generator: &generator) }
        let values = try a.attempt { () throws(TensorError) in
            try Tensor(shape: shape, elements: u.elements.map { $0 * (bound - -bound) + -bound })
        }
        a.interpreter.generator = generator
        return a.ops.parameter(values)
    }

    /// A parameter of constant values (LayerNorm's ones and zeros).
    static func constant(_ shape: [Int], _ value: Double, _ a: inout BoundArguments) throws(Diagnostic) -> Tensor {
        a.ops.parameter(try a.attempt { () throws(TensorError) in try Tensor.full(shape, value) })
    }

    /// A size argument that must be a positive integer.
    static func positive(_ a: inout BoundArguments, _ name: String) throws(Diagnostic) -> Int {
        let n = try a.int(name)
        guard n > 0 else { throw a.error("'\(name)' must be a positive integer, got \(n)", at: name) }
        return n
    }

    /// `module.weight = v`: the values of `v` (exactly the parameter's shape, or one number that
    /// fills it, as for a BatchNorm's γ) written into the parameter in place, so every holder of it sees them.
    static func assign(_ parameter: Tensor, _ name: String, of owner: String, _ value: Value,
                       _ access: ObjectAccess) throws(Diagnostic) {
        let v = try access.tensor(value, what: "'\(name)'")
        guard v.shape == parameter.shape || v.rank == 0 else {
            throw access.error("'\(name)' of \(owner) must have shape \(Value.shapeText(parameter.shape)), got \(Value.shapeText(v.shape))")
        }
        try access.attempt(at: access.nameRange) { () throws(TensorError) in try parameter.overwrite(with: v) }
    }

    /// The saved state of a module's mode and parameters: copies of the values (parameters are
    /// written in place, so sharing their buffers would save nothing) and their gradients.
    static func snapshot(_ module: some Module, extra: [Value] = []) -> ObjectState {
        var values: [Value] = [.number(module.training ? 1 : 0)]
        for (_, p) in module.parameters {
            values.append(.tensor(p.copied()))
            values.append(p.node?.grad.map { .tensor($0) } ?? .none)
        }
        return ObjectState(values + extra)
    }

    /// Puts back a state from `snapshot`, writing parameter values in place; returns the extra values.
    @discardableResult
    static func restore(_ module: some Module, _ state: ObjectState) -> ArraySlice<Value> {
        let v = state.values
        let parameters = module.parameters
        guard v.count >= 1 + 2 * parameters.count, case .number(let training) = v[0] else { return [] }
        module.training = training != 0
        for (k, (_, p)) in parameters.enumerated() {
            if case .tensor(let saved) = v[1 + 2 * k] { try? p.overwrite(with: saved) }
            if case .tensor(let grad) = v[2 + 2 * k] { p.node?.grad = grad } else { p.node?.grad = nil }
        }
        return v[(1 + 2 * parameters.count)...]
    }

    /// A module's parameters with PyTorch's qualified names (`0.weight`), its own first, then
    /// each child's in order, each leaf once.
    static func namedParameters(of object: any Object) -> [(name: String, value: Tensor)] {
        var seen: Set<ObjectIdentifier> = []
        var found: [(name: String, value: Tensor)] = []
        var visited: Set<ObjectIdentifier> = []
        func walk(_ object: any Object, _ prefix: String) {
            guard visited.insert(ObjectIdentifier(object)).inserted else { return }
            let own: [(name: String, value: Tensor)] = (object as? any Module)?.parameters
                ?? object.heldParameters.enumerated().map { (String($0.offset), $0.element) }
            for (name, p) in own {
                guard let node = p.node, seen.insert(ObjectIdentifier(node)).inserted else { continue }
                found.append((prefix + name, p))
            }
            if let sequential = object as? SequentialModule {
                for (i, item) in sequential.items.enumerated() {
                    if case .object(let child) = item { walk(child, prefix + "\(i).") }
                }
            } else {
                for (i, child) in object.children.enumerated() { walk(child, prefix + "\(i).") }
            }
        }
        walk(object, "")
        return found
    }

    /// `.train()`, `.eval()`, `.parameters()`, `.zero_grad()`, the methods of every module.
    static func method<M: Module>(_ module: M, _ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        switch name {
        case "train", "eval":
            return try module.switchMode(name, access)
        case "parameters":
            try access.expectNoArguments(name)
            return .object(ModuleParameters(namedParameters(of: module)))
        case "zero_grad":
            try access.expectNoArguments(name)
            for p in ObjectGraph.parameters(from: [module]) { p.node?.grad = nil }
            return .none
        default:
            throw module.noMethod(name, access, note: "a layer has .train(), .eval(), .parameters() and .zero_grad(); call the layer itself to apply it, as in \(M.exampleName)(x)")
        }
    }

    /// A size given as one integer or a pair `[h, w]` (kernel_size, stride, padding), as [h, w];
    /// each at least `minimum`.
    static func pair(_ a: inout BoundArguments, _ name: String, minimum: Int) throws(Diagnostic) -> [Int] {
        let t = try a.tensor(name)
        let values = t.elements.map(Interpreter.exactInt)
        // Capped at the element limit, so sizes and paddings add up without overflow.
        guard t.rank <= 1, [1, 2].contains(values.count),
              values.allSatisfy({ ($0 ?? Int.min) >= minimum && ($0 ?? 0) <= Tensor.elementLimit }) else {
            throw a.error("'\(name)' must be an integer from \(minimum) to \(Tensor.elementLimit) or a pair of them, as in 3 or [3, 2]", at: name)
        }
        let sizes = values.compactMap { $0 }
        return sizes.count == 1 ? [sizes[0], sizes[0]] : sizes
    }

    /// `(3, 3)`, a pair as PyTorch prints it.
    static func tuple(_ pair: [Int]) -> String { "(" + pair.map(String.init).joined(separator: ", ") + ")" }

    /// An integer setting as a value.
    static func number(_ n: Int) -> Value { .number(Double(n)) }
}

extension StandardModule {
    func field(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        if name == "training" { return .number(training ? 1 : 0) }
        if let p = parameters.first(where: { $0.name == name }) { return .tensor(p.value) }
        if let value = setting(name) { return value }
        throw noField(name, access)
    }

    func setField(_ name: String, to value: Value, _ access: ObjectAccess) throws(Diagnostic) {
        if name == "training" {
            training = try access.truth(value)
            return
        }
        if let p = parameters.first(where: { $0.name == name }) {
            return try Modules.assign(p.value, name, of: "this \(Self.typeName) layer", value, access)
        }
        guard let current = setting(name) else { throw noField(name, access) }
        if case .none = current {
            // Linear(…, bias=false): PyTorch's module has no bias then; a stored one would be ignored.
            throw access.error("this \(Self.typeName) layer was made with \(name)=false: it has no '\(name)' to set")
        }
        throw access.error("'\(name)' is fixed when the layer is made")
            .adding(.help, "make a new layer: \(Self.typeName)(…)")
    }

    func method(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        try Modules.method(self, name, access)
    }

    func snapshot() -> ObjectState { Modules.snapshot(self) }

    func restore(_ state: ObjectState) { Modules.restore(self, state) }
}

extension TensorModule {
    /// `m(x)`: the module applied to one tensor.
    func call(_ access: ObjectAccess) throws(Diagnostic) -> Value {
        let arguments = access.arguments
        guard arguments.count == 1, arguments[0].label == nil else {
            throw access.error("\(Self.typeDescription) is called with one tensor, as in \(Self.exampleName)(x)", at: access.range)
        }
        let x = try access.tensor(arguments[0], what: "the input of \(Self.typeName)")
        return Interpreter.wrap(try forward(x, access.ops(at: access.range)))
    }
}
