import Testing
@testable import BNLabCore

/// Every builtin checked against its own help: a new builtin with a broken example, a default
/// that does not parse or a misspelt group fails here instead of in front of a learner.
@Suite("Builtins, each against its own help")
struct BuiltinSelfTests {
    static let names = Builtins.all.map(\.name)

    @Test("every builtin is listed once, and help finds it")
    func listedOnce() {
        #expect(Set(Self.names).count == Self.names.count)
        for builtin in Builtins.all {
            #expect(Builtins.named[builtin.name]?.signature == builtin.signature)
            #expect(ReplHelp.topic(builtin.name, session: Session(output: { _ in }))?.contains(builtin.example) == true)
        }
    }

    @Test("its group is a known group, so help lists it", arguments: names)
    func group(_ name: String) throws {
        let builtin = try #require(Builtins.named[name])
        #expect(BuiltinGroup(rawValue: builtin.group) != nil, "\(name) is in unknown group '\(builtin.group)'")
        #expect(Builtins.overview.contains(name))
    }

    @Test("its signature's defaults parse", arguments: names)
    func defaults(_ name: String) throws {
        let builtin = try #require(Builtins.named[name])
        #expect(builtin.signature.hasPrefix(name + "("))
        #expect(builtin.signature.hasSuffix(")"))
        for parameter in builtin.parameters {
            #expect(!parameter.name.isEmpty && parameter.name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" },
                    "\(name) has a parameter named '\(parameter.name)'")
            guard let text = parameter.defaultText else { continue }
            let value = try #require(parameter.defaultValue, "default '\(text)' of \(name)'s '\(parameter.name)' does not parse")
            if case .number(let v) = value { #expect(v.isFinite) }
        }
    }

    @Test("its help example runs without an error", arguments: names)
    func example(_ name: String) throws {
        let builtin = try #require(Builtins.named[name])
        #expect(builtin.example.contains(name), "the example of \(name) does not call it")
        var output = ""
        let session = Session(output: { output += $0 })
        // A few examples use `x` as a stand-in for the learner's data (`mean(x, axis=[0, 2, 3])`):
        // an image batch of shape [N, C, H, W] fits every one of them.
        if builtin.example.contains("(x") || builtin.example.contains("x.") {
            #expect(session.run(SourceFile(origin: .named("setup"), text: "x = randn(2, 3, 4, 4, seed=0)")) == nil)
        }
        let diagnostic = session.run(SourceFile(origin: .named("example"), text: builtin.example))
        #expect(diagnostic == nil, "\(builtin.example): \(diagnostic.map { DiagnosticRenderer.render($0) } ?? "")")
    }
}
