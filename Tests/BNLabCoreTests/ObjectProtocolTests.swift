import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// A new kind of object (the test-only `Counter`, registered from here) works everywhere an
/// object can appear, with no edit to BNLabCore: the proof that objects are one protocol.
@Suite("Objects: a test-only Counter works without a core edit")
struct ObjectProtocolTests {
    private func session(_ code: String = "c = Counter(2)\nc.child = Counter(2)") -> Session {
        let session = Session(output: { _ in })
        session.register(Counter.constructor)
        if let failure = session.run(code) { Issue.record("setup failed: \(failure.message)") }
        return session
    }

    /// What running `code` prints (values shown and `print`), failing the test on an error.
    private func shown(_ session: Session, _ code: String) -> String {
        var text = ""
        session.interpreter.output = { text += $0 }
        if let failure = session.run(code) { Issue.record("\(code) failed: \(failure.message)") }
        return text
    }

    /// The error of running `code`, and the source text its caret marks.
    private func failure(_ session: Session, _ code: String) -> (message: String, marked: String, notes: [String]) {
        guard let d = session.run(code) else {
            Issue.record("\(code) did not fail")
            return ("", "", [])
        }
        let marked = d.range.flatMap { range in d.file.map { String($0.slice(range)) } } ?? ""
        return (d.message, marked, d.notes.map(\.message))
    }

    @Test("a Value stays one word plus a tag: objects are boxed, so numbers and tensors pay nothing")
    func valueSize() {
        #expect(MemoryLayout<Value>.size <= 9)
        #expect(MemoryLayout<Value>.stride <= 16)
    }

    @Test("fields are read and assigned, with shape and range checks at the field's name")
    func fields() {
        let s = session()
        #expect(shown(s, "print(c.count, c.weights, c.training)") == "0 [0, 0] 1\n")
        #expect(shown(s, "c.weights = [1, 2]\nc.count = 4\nc.count += 3\nprint(c.count, sum(c.weights))") == "7 3\n")
        let shape = failure(s, "c.weights = [1, 2, 3]")
        #expect(shape.message == "'weights' must have shape [2], got [3]")
        #expect(shape.marked == "weights")
        #expect(failure(s, "c.count = -1").message == "'count' cannot be negative")
        #expect(failure(s, "c.child = 5").message == "'child' must be a Counter or none, got a number")
        let unknown = failure(s, "c.cont")
        #expect(unknown.message == "a Counter has no field 'cont'")
        #expect(unknown.notes == ["did you mean 'count'?", "the fields are count, weights, child, training"])
        // A field of a field: the child is reached through its parent.
        #expect(shown(s, "c.child.count = 5\nprint(c.child.count)") == "5\n")
    }

    @Test("methods run and refuse what they do not take; train and eval reach the child")
    func methods() {
        let s = session()
        #expect(shown(s, "c.bump(); c.bump();\nprint(c.count, c.child.count)") == "2 0\n")
        let extra = failure(s, "c.bump(1)")
        #expect(extra.message == "bump() takes no arguments")
        #expect(extra.marked == "1")
        let unknown = failure(s, "c.bumb()")
        #expect(unknown.message == "a Counter has no method 'bumb'")
        #expect(unknown.marked == "bumb")
        #expect(unknown.notes == ["did you mean 'bump'?"])
        #expect(shown(s, "c.eval()") == "Counter(count=2, size=2, child, eval)\n")
        #expect(shown(s, "print(c.training, c.child.training)") == "0 0\n")
        #expect(shown(s, "c.train();\nprint(c.training, c.child.training)") == "1 1\n")
    }

    @Test("calling the object applies it; a wrong call is an error at the call")
    func call() {
        let s = session()
        // First call: count 1, so 10 · 1; second: count 2, so [1, 2] · 2.
        #expect(shown(s, "print(c(10))\nprint(c([1, 2]))\nprint(c.count)") == "10\n[2, 4]\n2\n")
        let wrong = failure(s, "c(1, 2)")
        #expect(wrong.message == "a Counter is called with one value, as in c(x)")
        #expect(wrong.marked == "c(1, 2)")
        let input = failure(s, "c(\"a\")")
        #expect(input.message == "the input of a Counter must be a tensor, got a string")
        #expect(input.marked == "\"a\"")
    }

    @Test("display, print, help(c), ?c, ?member and :vars show the object")
    func display() {
        let s = session("c = Counter(3)")
        #expect(shown(s, "c") == "Counter(count=0, size=3, training)\n")
        #expect(shown(s, "print(c)") == "Counter(count=0, size=3, training)\n")
        #expect(shown(s, "help(c)").hasPrefix("Counter(size=3)\n    a test-only counter\n"))
        #expect(ReplVariableList.render(session: s) == "c  counter  Counter(count=0, size=3, training)")
        #expect(ReplHelp.topic("c", session: s) == "c: a Counter with fields count, weights, child, training\n    Counter(count=0, size=3, training)")
        #expect(ReplHelp.topic("bump", session: s) == "c.bump(): part of a Counter (?Counter)")
        #expect(ReplHelp.topic("Counter", session: s)?.hasPrefix("Counter(size=3)\n") == true)
    }

    @Test("help on a member knows the type from its constructor, before any object exists")
    func memberHelpFromConstructor() {
        let s = Session(output: { _ in })
        #expect(ReplHelp.topic("weights", session: s) == nil)
        s.register(Counter.constructor)
        #expect(ReplHelp.topic("weights", session: s) == "c.weights: part of a Counter (?Counter)")
        // BatchNorm's members are still found first, as before.
        #expect(ReplHelp.topic("training", session: s) == "bn.training: part of a BatchNorm layer (?BatchNorm)")
    }

    @Test("completion after 'c.' offers the Counter's fields and methods; its constructor completes")
    func completion() {
        let s = session()
        let completer = ReplCompleter(session: s)
        #expect(completer.complete(before: "c.", word: "").candidates
            == ["bump", "child", "count", "eval", "train", "training", "weights"])
        #expect(completer.complete(before: "c.", word: "c").candidates == ["child", "count"])
        #expect(completer.complete(before: "", word: "Coun").candidates == ["Counter"])
    }

    @Test("a failed REPL statement is undone in the object and in a child reached only through it")
    func rollback() {
        let s = session()
        s.rollsBackFailedStatements = true
        let failed = failure(s, "for i in 0..3 { c.bump(); c.child.bump(); c.child.weights = [5, 5]; c.eval(); c.count = -1 }")
        #expect(failed.message == "'count' cannot be negative")
        #expect(shown(s, "print(c.count, c.child.count, c.child.weights, c.training, c.child.training)") == "0 0 [0, 0] 1 1\n")
        // A child replaced by the failed statement comes back too.
        _ = failure(s, "if true { c.child = Counter(7); c.count = -1 }")
        #expect(shown(s, "print(c.child.weights.size)") == "2\n")
        // Without rollback (a script), the changes before the error stay, as for BatchNorm.
        s.rollsBackFailedStatements = false
        _ = failure(s, "if true { c.bump(); c.count = -1 }")
        #expect(shown(s, "print(c.count)") == "1\n")
    }

    @Test("a lesson's checkpoint puts back the object and its child, and reports the change")
    func checkpoint() {
        let s = session()
        let checkpoint = SessionCheckpoint(of: s)
        #expect(shown(s, "c.bump(); c.child.bump(); c.child.weights = [7, 7]; c.eval();") == "")
        #expect(checkpoint.restore())
        #expect(shown(s, "print(c.count, c.child.count, c.child.weights, c.training, c.child.training)") == "0 0 [0, 0] 1 1\n")
        _ = shown(s, "print(c.child.count)")
        #expect(!checkpoint.restore(), "reading changes nothing")
    }

    @Test("a shared child and a cycle are each saved once and restored")
    func cycle() {
        let s = session("c = Counter(1)\nc.child = c")
        s.rollsBackFailedStatements = true
        _ = failure(s, "if true { c.bump(); c.child.bump(); c.count = -1 }")
        #expect(shown(s, "print(c.count, c.child.count)") == "0 0\n")
        #expect(shown(s, "c") == "Counter(count=0, size=1, child, training)\n")
    }

    @Test("reset forgets the counters but keeps the registered constructor")
    func reset() {
        let s = session()
        s.reset()
        #expect(s.value(of: "c") == nil)
        #expect(shown(s, "k = Counter(1)\nprint(k.count)") == "0\n")
    }
}

@Suite("Modules: parameters are a module's own learnable tensors")
struct ModuleParameterTests {
    @Test("BatchNorm's parameters are γ and β, and none when made with affine=false")
    func batchNormParameters() throws {
        let affine = try BatchNormLayer(numFeatures: 2, eps: 1e-5, momentum: 0.1, affine: true)
        affine.gamma = Tensor.vector([2, 3])
        #expect(affine.parameters.map(\.name) == ["gamma", "beta"])
        #expect(affine.parameters[0].value.elements == [2, 3])
        let plain = try BatchNormLayer(numFeatures: 2, eps: 1e-5, momentum: 0.1, affine: false)
        #expect(plain.parameters.isEmpty)
    }
}

/// BatchNorm reaches help, rollback and the "not callable" message through the same protocol.
@Suite("Objects: BatchNorm through the protocol")
struct BatchNormObjectTests {
    private func shown(_ session: Session, _ code: String) -> String {
        var text = ""
        session.interpreter.output = { text += $0 }
        if let failure = session.run(code) { Issue.record("\(code) failed: \(failure.message)") }
        return text
    }

    @Test("help(bn) is BatchNorm's help; ?bn lists its fields; ?member names the layer")
    func help() {
        let s = Session(output: { _ in })
        s.run("bn = BatchNorm(2)")
        #expect(shown(s, "help(bn)").hasPrefix("BatchNorm(num_features, eps=1e-5, momentum=0.1, affine=true)\n"))
        #expect(ReplHelp.topic("bn", session: s)?.hasPrefix(
            "bn: a BatchNorm layer with fields gamma, beta, running_mean, running_var, num_batches_tracked, training, eps, momentum, num_features, affine, weight, bias\n") == true)
        #expect(ReplHelp.topic("running_var", session: s) == "bn.running_var: part of a BatchNorm layer (?BatchNorm)")
        #expect(ReplHelp.topic("eval", session: s) == "bn.eval(): part of a BatchNorm layer (?BatchNorm)")
    }

    @Test("a failed REPL statement puts back the running statistics it had updated")
    func rollback() {
        let s = Session(output: { _ in })
        s.rollsBackFailedStatements = true
        s.run("bn = BatchNorm(2)")
        // The first call updates the running mean to 0.1 · [2, 4]; the statement then fails.
        #expect(s.run("if true { bn([[1, 2], [3, 6]]); bn.eval(); bn.eps = 0 }")?.message == "'eps' must be a number > 0")
        #expect(shown(s, "print(bn.running_mean, bn.num_batches_tracked, bn.training)") == "[0, 0] 0 1\n")
    }
}

@Suite("Objects: the defaults of a minimal object")
struct MinimalObjectTests {
    private func failure(_ session: Session, _ code: String) -> (message: String, marked: String) {
        guard let d = session.run(code) else {
            Issue.record("\(code) did not fail")
            return ("", "")
        }
        return (d.message, d.range.flatMap { range in d.file.map { String($0.slice(range)) } } ?? "")
    }

    @Test("a minimal object is read and shown; calls, assignments and methods are refused where written")
    func defaults() {
        let s = Session(output: { _ in })
        s.register(Tally.constructor)
        s.run("t = Tally()")
        #expect(s.interpreter.display(s.value(of: "t") ?? .none) == "Tally(0)")
        let call = failure(s, "t(1)")
        #expect(call.message == "a Tally is not callable")
        #expect(call.marked == "t")
        let assign = failure(s, "t.n = 1")
        #expect(assign.message == "'n' of a Tally cannot be assigned")
        #expect(assign.marked == "n")
        #expect(failure(s, "t.m = 1").message == "a Tally has no field 'm'")
        let method = failure(s, "t.go()")
        #expect(method.message == "a Tally has no method 'go'")
        #expect(method.marked == "go")
        #expect(ReplHelp.topic("n", session: s) == "tally.n: part of a Tally (?Tally)")
        #expect(ReplVariableList.render(session: s) == "t  tally  Tally(0)")
    }
}
