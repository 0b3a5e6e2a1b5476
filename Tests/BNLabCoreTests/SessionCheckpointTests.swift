import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite("A checkpoint of a session, for the REPL opened in a lesson")
struct SessionCheckpointTests {
    private func session() -> Session {
        let session = Session(output: { _ in })
        session.run("cars = [[3, 40000], [30, 40500]]\nbn = BatchNorm(2)\nfn f(v) = v + 1\nlabel = \"km\"")
        return session
    }

    private func shown(_ session: Session, _ code: String) -> String {
        var text = ""
        session.interpreter.output = { text += $0 }
        session.run(code)
        return text
    }

    @Test("variables come back, new ones go, and the change is reported")
    func variables() {
        let s = session()
        let checkpoint = SessionCheckpoint(of: s)
        s.run("cars = cars * 0\nextra = 5\nlabel = \"miles\"")
        #expect(checkpoint.restore())
        #expect(shown(s, "print(sum(cars), label)") == "80533 km\n")  // 3 + 40000 + 30 + 40500
        #expect(s.value(of: "extra") == nil)
    }

    @Test("an index assignment does not reach the checkpoint's copy")
    func indexAssignment() {
        let s = session()
        let checkpoint = SessionCheckpoint(of: s)
        s.run("cars[0, 0] = 100")
        #expect(checkpoint.restore())
        #expect(shown(s, "print(cars[0, 0])") == "3\n")
    }

    @Test(":reset (every variable forgotten) is undone, and later code runs")
    func reset() {
        let s = session()
        let checkpoint = SessionCheckpoint(of: s)
        s.reset()
        #expect(s.value(of: "cars") == nil)
        #expect(checkpoint.restore())
        #expect(shown(s, "print(f(cars[1, 0]), label)") == "31 km\n")
    }

    @Test("a layer's running statistics and mode come back")
    func layerState() {
        let s = session()
        let checkpoint = SessionCheckpoint(of: s)
        s.run("bn(cars)\nbn.eval()")
        #expect(checkpoint.restore())
        // Fresh layer: running mean 0, variance 1, training mode.
        #expect(shown(s, "print(bn.running_mean, bn.running_var, bn.training)") == "[0, 0] [1, 1] 1\n")
    }

    @Test("only looking (which binds ans) or running nothing reports no change")
    func noChange() {
        let s = session()
        let checkpoint = SessionCheckpoint(of: s)
        s.interpreter.bindsAnswer = true
        s.run("cars + 1")
        #expect(!checkpoint.restore())
        #expect(!SessionCheckpoint(of: s).restore())
    }

    @Test("the display precision comes back")
    func precision() {
        let s = session()
        let checkpoint = SessionCheckpoint(of: s)
        s.interpreter.precision = 8
        #expect(checkpoint.restore())
        #expect(s.interpreter.precision == 4)
    }

    @Test("random draws in the REPL do not shift the lesson's next random numbers")
    func generator() {
        let s = session()
        let expected = shown(s, "print(randn(3))")  // what the lesson's next cell would draw
        let replay = session()
        let checkpoint = SessionCheckpoint(of: replay)
        _ = shown(replay, "print(randn(5))")
        #expect(checkpoint.restore())
        #expect(shown(replay, "print(randn(3))") == expected)
    }
}
