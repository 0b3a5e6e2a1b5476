/// Tab-completion candidates for the REPL, from the session's current state.
///
/// The terminal side splits the line into the text before the word being completed and the
/// word itself (at `wordBreakCharacters`); this type only decides what may go there.
public struct ReplCompleter {
    /// What completing a word offers.
    public struct Completion: Equatable, Sendable {
        /// Full words that start with the typed word, sorted and without repeats.
        public var candidates: [String]
        /// Whether a unique match is followed by a space (commands) or not (names, before `(` or `.`).
        public var appendsSpace: Bool
        /// Whether Tab should indent instead (nothing typed on the line yet).
        public var indents: Bool

        public init(candidates: [String], appendsSpace: Bool = false, indents: Bool = false) {
            self.candidates = candidates
            self.appendsSpace = appendsSpace
            self.indents = indents
        }

        static let none = Completion(candidates: [])
    }

    /// Every printable ASCII character that cannot be part of a name: words are names.
    public static let wordBreakCharacters: String = {
        var characters = " \t\n"
        for byte in UInt8(33)...UInt8(126) {
            let c = Character(Unicode.Scalar(byte))
            if !(c.isLetter || c.isNumber || c == "_") { characters.append(c) }
        }
        return characters
    }()

    public let session: Session

    public init(session: Session) {
        self.session = session
    }

    /// Whether the word being completed is a file name (`:load FILE`), which the terminal completes from disk.
    public static func completesFileName(before: String) -> Bool {
        let text = Substring(before).trimming(.leading)
        return ["load", "run"].contains { text.hasPrefix(":" + $0 + " ") || text.hasPrefix(":" + $0 + "\t") }
    }

    /// Candidates for `word`, which follows `before` on the current line.
    public func complete(before: String, word: String) -> Completion {
        let line = Substring(before).trimming(.leading)
        if line.hasPrefix(":") { return completeCommand(line.dropFirst(), word: word) }
        if line.hasPrefix("?") { return matching(helpTopics, word, appendsSpace: false) }
        if line.isEmpty && word.isEmpty { return Completion(candidates: [], indents: true) }
        return completeCode(before: line, word: word)
    }

    // MARK: - Commands

    private func completeCommand(_ rest: Substring, word: String) -> Completion {
        if rest.isEmpty {
            return matching(ReplDirective.commands.map(\.name), word, appendsSpace: true)
        }
        let nameEnd = rest.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? rest.endIndex
        let typed = String(rest[..<nameEnd])
        let name = ReplDirective.aliases[typed] ?? typed
        let argument = rest[nameEnd...].trimming(.leading)
        guard nameEnd < rest.endIndex else { return .none }
        switch name {
        case "help":
            return argument.isEmpty ? matching(helpTopics, word, appendsSpace: false) : .none
        case "set":
            return argument.isEmpty ? matching(["precision"], word, appendsSpace: true) : .none
        case "time":
            if argument.isEmpty && word.isEmpty { return .none }
            return completeCode(before: argument, word: word)
        default:
            return .none
        }
    }

    /// What `:help` and `?` know about: builtins, keywords, commands and your own names.
    private var helpTopics: [String] {
        Builtins.all.map(\.name) + Array(Token.keywords.keys) + ["no_grad"] + ReplDirective.commands.map(\.name)
            + session.variables.map(\.name)
    }

    // MARK: - Code

    private func completeCode(before: Substring, word: String) -> Completion {
        let scan = CodeScan(before)
        if scan.inStringOrComment { return .none }
        if before.last == "." {
            return matching(members(before: before.dropLast()), word, appendsSpace: false)
        }
        // Inside brackets only expressions go: no `fn`, `for`, `return` and the like.
        // `no_grad` is a block statement but not a reserved word (it only means a block before `{`).
        let keywords = scan.insideBrackets ? CodeScan.expressionKeywords : Array(Token.keywords.keys) + ["no_grad"]
        var names = keywords + session.interpreter.globals.boundNames
        if let callee = scan.calleeAcceptingArgumentName {
            names += parameterNames(of: callee).filter { !scan.namedArguments.contains($0) }.map { $0 + "=" }
        }
        return matching(names, word, appendsSpace: false)
    }

    /// Members that apply to what stands before the dot.
    private func members(before text: Substring) -> [String] {
        var start = text.endIndex
        while start > text.startIndex {
            let previous = text[text.index(before: start)]
            guard previous.isLetter || previous.isNumber || previous == "_" else { break }
            start = text.index(before: start)
        }
        let name = text[start...]
        // Constructors and output functions make no sense as `x.f()`.
        let methods = Builtins.all.filter { $0.group != "construct" && $0.group != "output" && $0.makes == nil }.map(\.name)
        let tensorMembers = Interpreter.tensorMembers + methods + userFunctionNames
        if name.isEmpty {
            // `f(x).` or `x[0].`: most likely a tensor.
            return text.last == ")" || text.last == "]" ? tensorMembers : []
        }
        if let first = name.first, first.isNumber { return [] }
        switch session.value(of: String(name)) {
        case .object(let object)?:
            return type(of: object).fieldNames + type(of: object).methodNames
        case .number?, .tensor?:
            return tensorMembers
        default:
            return []
        }
    }

    private var userFunctionNames: [String] {
        session.variables.compactMap { variable in
            if case .function(.user) = variable.value { return variable.name }
            return nil
        }
    }

    /// The named parameters of a function or method, for `name=` completion.
    private func parameterNames(of callee: String) -> [String] {
        var names: [String] = []
        let value = session.value(of: callee) ?? Builtins.named[callee].map { .function(.builtin($0)) }
        switch value {
        // Parameters with defaults are the ones people name; the others go by position.
        case .function(.builtin(let builtin))?:
            names = builtin.parameters.filter { !$0.isVariadic && $0.defaultValue != nil }.map(\.name)
        case .function(.user(let function))?:
            names = function.decl.parameters.filter { $0.defaultValue != nil }.map(\.name)
        default:
            return []
        }
        return names
    }

    private func matching(_ names: [String], _ word: String, appendsSpace: Bool) -> Completion {
        let found = Set(names.filter { $0.hasPrefix(word) })
        return Completion(candidates: found.sorted(), appendsSpace: appendsSpace)
    }
}

/// What a scan of the code before the cursor tells completion: whether the cursor is in a string or
/// comment, and which call's argument list it is in.
struct CodeScan {
    /// Keywords that can appear inside an expression.
    static let expressionKeywords = ["true", "false", "none", "and", "or", "not"]

    private(set) var inStringOrComment = false
    /// Whether a `(` or `[` is open before the cursor.
    private(set) var insideBrackets = false
    /// Names already given as `name=` in the call the cursor is in.
    private(set) var namedArguments: Set<String> = []
    /// The function whose argument list the cursor is in, when a new argument starts there.
    private(set) var calleeAcceptingArgumentName: String?

    init(_ text: Substring) {
        let characters = Array(text)
        var open: [Int] = []
        var inString = false
        var index = 0
        while index < characters.count {
            let c = characters[index]
            if inString {
                if c == "\\" { index += 1 } else if c == "\"" { inString = false }
            } else {
                switch c {
                case "\"": inString = true
                case "#":
                    inStringOrComment = true
                    return
                case "(", "[", "{": open.append(index)
                case ")", "]", "}": if !open.isEmpty { open.removeLast() }
                default: break
                }
            }
            index += 1
        }
        if inString {
            inStringOrComment = true
            return
        }
        insideBrackets = open.contains { characters[$0] != "{" }
        guard let paren = open.last, characters[paren] == "(" else { return }
        namedArguments = CodeScan.namedArguments(in: characters[(paren + 1)...])
        // Only where an argument starts: right after `(` or `,`.
        var last = characters.count - 1
        while last > paren, characters[last].isWhitespace { last -= 1 }
        guard last == paren || characters[last] == "," else { return }
        var end = paren
        while end > 0, characters[end - 1] == " " { end -= 1 }
        var start = end
        while start > 0, characters[start - 1].isLetter || characters[start - 1].isNumber || characters[start - 1] == "_" {
            start -= 1
        }
        guard start < end, !characters[start].isNumber else { return }
        let name = String(characters[start..<end])
        // `fn f(` declares parameters rather than passing arguments.
        let head = String(characters[..<start]).split(whereSeparator: { $0 == " " || $0 == "\t" }).last
        if head == "fn" { return }
        calleeAcceptingArgumentName = name
    }

    /// The `name=` labels at the top level of an argument list (not inside nested brackets).
    private static func namedArguments(in arguments: ArraySlice<Character>) -> Set<String> {
        var names: Set<String> = []
        var depth = 0
        var word = ""
        var previous: Character = " "
        for c in arguments {
            switch c {
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth -= 1
            default: break
            }
            if depth == 0 && (c.isLetter || c.isNumber || c == "_") {
                word.append(c)
            } else {
                if depth == 0 && c == "=" && previous != "=" && !word.isEmpty { names.insert(word) }
                if !c.isWhitespace { word = "" }
            }
            previous = c
        }
        return names
    }
}
