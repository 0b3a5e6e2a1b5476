/// A list of strings, as `["train", "val"]`: the labels of a plot's series. Indexed as `names[0]`,
/// counted by `len(names)`, looped over by `for name in names`; it holds nothing but strings.
final class StringList: Object {
    static let typeName = "list"
    static let typeDescription = "a list of strings"
    static let kind = "strings"
    static let exampleName = "names"
    static let fieldNames: [String] = []

    let strings: [String]

    init(_ strings: [String]) {
        self.strings = strings
    }

    var length: Int? { strings.count }

    func element(at index: Int, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        .string(strings[index])
    }

    func field(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        throw access.error("a list of strings has no field '\(name)'")
            .adding(.help, "index it, as in names[0], or loop over it: for name in names { … }")
    }

    /// The list never changes once made.
    func snapshot() -> ObjectState { ObjectState([]) }
    func restore(_ state: ObjectState) {}

    /// `["train", "val"]`.
    var description: String {
        "[" + strings.map(Interpreter.quoted).joined(separator: ", ") + "]"
    }
}
