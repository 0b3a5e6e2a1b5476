import Testing
@testable import BNLabCore
@testable import BNLabTensor

@Suite("A finished session frees what it held")
struct SessionLifetimeTests {
    /// A weak reference to the user function `f` and the layer `bn` of a session that has ended.
    private func leftovers(_ code: String) -> (function: UserFunction?, layer: BatchNormLayer?) {
        weak var function: UserFunction?
        weak var layer: BatchNormLayer?
        do {
            let session = Session(output: { _ in })
            #expect(session.run(code) == nil)
            if case .function(.user(let f))? = session.value(of: "f") { function = f }
            if case .object(let o)? = session.value(of: "bn") { layer = o as? BatchNormLayer }
            #expect(function != nil && layer != nil)
        }
        return (function, layer)
    }

    @Test("a function that reads a global (itself, a variable, a builtin) does not keep the session's globals alive")
    func functionReadingGlobals() {
        let recursive = leftovers("bn = BatchNorm(2)\nx = 1\nfn f(n) {\n  if n > 0 { return f(n - 1) + x }\n  mean([1, 2])\n}\nf(3)")
        #expect(recursive.function == nil)
        #expect(recursive.layer == nil)
    }
}
