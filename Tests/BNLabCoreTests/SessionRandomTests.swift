import Foundation
import Testing
@testable import BNLabCore
@testable import BNLabTensor

/// An independent reference of the generator spec'd in RandomGenerator.swift (SplitMix64 seeding,
/// xoshiro256**, 53-bit uniforms, Box–Muller using both outputs), written without its code.
private struct ReferenceGenerator {
    var s: [UInt64]

    init(seed: UInt64) {
        var x = seed
        s = (0..<4).map { _ in
            x = x &+ 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    mutating func word() -> UInt64 {
        func rotl(_ v: UInt64, _ k: UInt64) -> UInt64 { (v << k) | (v >> (64 - k)) }
        let result = rotl(s[1] &* 5, 7) &* 9
        let t = s[1] << 17
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45)
        return result
    }

    mutating func uniform() -> Double { Double(word() >> 11) / 9_007_199_254_740_992.0 }

    /// `count` normals; an odd count still consumes a whole pair of uniforms.
    mutating func normals(_ count: Int) -> [Double] {
        var out: [Double] = []
        while out.count < count {
            let u1 = uniform(), u2 = uniform()
            let r = sqrt(-2 * log(1 - u1))
            out.append(r * cos(2 * Double.pi * u2))
            if out.count < count { out.append(r * sin(2 * Double.pi * u2)) }
        }
        return out
    }
}

@Suite("The session's random generator (training.md §2)")
struct SessionRandomTests {
    private func values(_ session: Session, _ name: String) -> [Double] {
        session.value(of: name)?.tensorValue?.elements ?? []
    }

    private func session(_ text: String, rollback: Bool = false) -> Session {
        let s = Session(output: { _ in })
        s.rollsBackFailedStatements = rollback
        let diagnostic = s.run(text)
        #expect(diagnostic == nil, "\(diagnostic.map { DiagnosticRenderer.render($0) } ?? "")")
        return s
    }

    @Test("the reference agrees with the generator's published first word for seed 0")
    func referenceIsTheSpecdAlgorithm() {
        var r = ReferenceGenerator(seed: 0)
        #expect(r.word() == 0x99EC_5F36_CB75_F2B4)
    }

    @Test("two unseeded randn(3) differ, and the stream is that of manual_seed(0)")
    func unseededCallsAdvance() {
        let s = session("a = randn(3)\nb = randn(3)\nc = rand(2)")
        let a = values(s, "a"), b = values(s, "b")
        #expect(a.count == 3 && b.count == 3 && a != b)
        var r = ReferenceGenerator(seed: 0)
        #expect(a == r.normals(3))
        #expect(b == r.normals(3))
        #expect(values(s, "c") == [r.uniform(), r.uniform()])
    }

    @Test("manual_seed(5) makes the sequence repeat; seed=k neither uses nor advances the session's generator")
    func manualSeedRepeats() {
        let s = session("""
            manual_seed(5)
            a = randn(4); b = rand(3); c = randint(0, 10, 6); d = perm(5)
            manual_seed(5)
            a2 = randn(4); fixed = randn(2, seed=7); b2 = rand(3); c2 = randint(0, 10, 6); d2 = perm(5)
            again = randn(2, seed=7)
            """)
        for name in ["a", "b", "c", "d"] { #expect(values(s, name) == values(s, name + "2"), "\(name)") }
        var r = ReferenceGenerator(seed: 5)
        #expect(values(s, "a") == r.normals(4))
        var seven = ReferenceGenerator(seed: 7)
        #expect(values(s, "fixed") == seven.normals(2))
        #expect(values(s, "again") == values(s, "fixed"))
    }

    @Test("randint and perm follow the documented rules (numbers from a Python reference)")
    func integerDraws() {
        let s = session("manual_seed(3)\na = randint(2, 9, 8)\nb = perm(6)\nc = perm(10, seed=11)\nd = randint(0, 100, [5], seed=0)")
        #expect(values(s, "a") == [6, 6, 3, 5, 4, 4, 3, 7])
        #expect(values(s, "b") == [4, 1, 2, 3, 0, 5])
        #expect(values(s, "c") == [5, 4, 6, 9, 7, 8, 3, 1, 0, 2])
        #expect(values(s, "d") == [60, 74, 10, 41, 73])
        #expect(s.value(of: "a")?.tensorValue?.shape == [8])
    }

    @Test("a failed statement rolls the generator back with the rest of the session")
    func failureRollsBack() {
        let s = session("a = randn(2)", rollback: true)
        #expect(s.run("b = randn(2) + [1, 2, 3]") != nil)
        #expect(s.run("c = randn(2)") == nil)
        var r = ReferenceGenerator(seed: 0)
        #expect(values(s, "a") == r.normals(2))
        #expect(values(s, "c") == r.normals(2))
    }

    @Test("reset re-seeds 0")
    func resetReseeds() {
        let s = session("manual_seed(9)\na = randn(3)\nb = randn(3)")
        s.reset()
        #expect(s.run("c = randn(3)") == nil)
        var r = ReferenceGenerator(seed: 0)
        #expect(values(s, "c") == r.normals(3))
        #expect(s.interpreter.generator == RandomGenerator(seed: 0).advanced(uniforms: 4))
    }
}

extension SessionRandomTests {
    @Test("in the REPL, :reset re-seeds 0 and an interrupted or failed entry leaves the generator as it was")
    func replResetAndRollback() {
        let engine = ReplEngine(write: { _ in }, report: { _ in }, remark: { _ in })
        _ = engine.handle("manual_seed(3)")
        _ = engine.handle("a = randn(2)")
        _ = engine.handle("b = randn(2) @ zeros(3)")
        _ = engine.handle("c = randn(2)")
        var three = ReferenceGenerator(seed: 3)
        #expect(values(engine.session, "a") == three.normals(2))
        #expect(values(engine.session, "c") == three.normals(2), "the failed entry's draw was rolled back")
        #expect(engine.handle(":reset") == .succeeded)
        _ = engine.handle("d = randn(2)")
        var zero = ReferenceGenerator(seed: 0)
        #expect(values(engine.session, "d") == zero.normals(2))
    }
}

extension RandomGenerator {
    /// The generator after `n` uniforms, for comparing states.
    fileprivate func advanced(uniforms n: Int) -> RandomGenerator {
        var g = self
        for _ in 0..<n { _ = g.nextUniform() }
        return g
    }
}
