/// A REPL command (`:help`, `:vars`, …, or `?NAME`), parsed from one entry.
public enum ReplDirective: Equatable, Sendable {
    case help(topic: String?)
    case vars
    case reset
    case load(path: String)
    case time(code: String)
    /// `:set precision N`; nil shows the current settings.
    case setPrecision(Int?)
    /// `:set memory 2G`: the budget for live tensors in bytes; nil shows it and what is in use.
    case setMemory(Int?)
    case quit

    /// One command as `:help` lists it.
    public struct Command: Sendable {
        public let name: String
        public let usage: String
        public let summary: String
    }

    /// Every command, in the order `:help` shows them.
    public static let commands: [Command] = [
        Command(name: "help", usage: ":help [NAME]", summary: "this overview, or help on NAME (also ?NAME)"),
        Command(name: "vars", usage: ":vars", summary: "your variables with their shapes and a preview"),
        Command(name: "reset", usage: ":reset", summary: "forget every variable"),
        Command(name: "load", usage: ":load FILE.bn", summary: "run a script in this session"),
        Command(name: "time", usage: ":time EXPR", summary: "run EXPR repeatedly and show mean ± std per run"),
        Command(name: "set", usage: ":set precision N", summary: "decimals shown for non-integral values (or :set memory 2G)"),
        Command(name: "quit", usage: ":quit", summary: "leave (Ctrl-D on an empty line does too)"),
    ]

    /// Other spellings people type out of habit.
    static let aliases = ["q": "quit", "exit": "quit", "h": "help", "?": "help", "who": "vars", "whos": "vars",
                          "run": "load", "timeit": "time"]

    /// Highest `:set precision` accepted; more digits than a Double holds would only show noise.
    public static let maxPrecision = 20

    /// A mistake in a command line, with a hint.
    public struct ParseError: Error, Equatable, Sendable {
        public let message: String
        public let help: String?

        public var diagnostic: Diagnostic {
            var diagnostic = Diagnostic(message)
            if let help { diagnostic.notes.append(.init(.help, help)) }
            return diagnostic
        }
    }

    /// Whether a line is a command rather than code: `:word…`, `?NAME` or `NAME?`.
    public static func isDirective(_ line: Substring) -> Bool {
        let text = line.trimming()
        if text.hasPrefix(":") { return true }
        if text.hasPrefix("?") { return !text.hasPrefix("??") }
        if text.hasSuffix("?"), !text.hasSuffix("??") { return isName(text.dropLast()) }
        return false
    }

    /// The command a line holds; nil when it is code.
    public static func parse(_ line: String) -> Result<ReplDirective, ParseError>? {
        let text = Substring(line).trimming()
        guard isDirective(text) else { return nil }
        if text.hasPrefix("?") { return helpTopic(text.dropFirst()) }
        if !text.hasPrefix(":") { return helpTopic(text.dropLast()) }
        let body = text.dropFirst()
        let nameEnd = body.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? body.endIndex
        let typed = String(body[..<nameEnd])
        let argument = body[nameEnd...].trimming()
        let name = aliases[typed] ?? typed
        switch name {
        case "help":
            return argument.isEmpty ? .success(.help(topic: nil)) : helpTopic(argument)
        case "vars", "reset", "quit":
            guard argument.isEmpty else {
                return .failure(ParseError(message: "':\(name)' takes no argument", help: nil))
            }
            return .success(name == "vars" ? .vars : name == "reset" ? .reset : .quit)
        case "load":
            let path = unquoted(argument)
            guard !path.isEmpty else {
                return .failure(ParseError(message: "':load' needs a file", help: "write :load FILE.bn"))
            }
            return .success(.load(path: path))
        case "time":
            guard !argument.isEmpty else {
                return .failure(ParseError(message: "':time' needs an expression", help: "write :time EXPR, as in :time mean(randn(1000))"))
            }
            return .success(.time(code: String(argument)))
        case "set":
            return parseSet(argument)
        case "":
            return .failure(ParseError(message: "a command name is missing after ':'", help: commandList))
        default:
            var help = commandList
            if let near = Suggestions.closest(to: typed, in: commands.map(\.name)) {
                help = DiagnosticMessages.didYouMean(":\(near)")
            }
            return .failure(ParseError(message: "unknown command ':\(typed)'", help: help))
        }
    }

    private static var commandList: String {
        "the commands are " + commands.map { ":" + $0.name }.joined(separator: ", ")
    }

    private static func helpTopic(_ topic: Substring) -> Result<ReplDirective, ParseError> {
        var topic = topic.trimming()
        // `:help :time` and `:help time` both mean the command.
        while topic.hasPrefix("?") { topic = topic.dropFirst() }
        guard !topic.isEmpty else { return .success(.help(topic: nil)) }
        return .success(.help(topic: String(topic)))
    }

    private static func parseSet(_ argument: Substring) -> Result<ReplDirective, ParseError> {
        let words = argument.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "=" })
        guard let setting = words.first else { return .success(.setPrecision(nil)) }
        if setting == "memory" {
            guard words.count > 1 else { return .success(.setMemory(nil)) }
            let given = words.dropFirst().joined(separator: " ")
            guard words.count == 2, let bytes = MemoryBudget.parse(given) else {
                return .failure(ParseError(message: "memory must be a size such as 2G or 512M, got '\(given)'", help: nil))
            }
            return .success(.setMemory(bytes))
        }
        guard setting == "precision" else {
            return .failure(ParseError(message: "unknown setting '\(setting)'",
                                       help: "the settings are precision and memory, as in :set precision 6 or :set memory 2G"))
        }
        guard words.count > 1 else { return .success(.setPrecision(nil)) }
        guard words.count == 2, let value = Int(words[1]), (0...maxPrecision).contains(value) else {
            let given = words.dropFirst().joined(separator: " ")
            return .failure(ParseError(message: "precision must be a whole number from 0 to \(maxPrecision), got '\(given)'", help: nil))
        }
        return .success(.setPrecision(value))
    }

    private static func unquoted(_ text: Substring) -> String {
        if text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first {
            return String(text.dropFirst().dropLast())
        }
        return String(text)
    }

    /// A name as the lexer reads one (ASCII letters, digits, `_`, Unicode letters; no leading digit).
    static func isName(_ text: Substring) -> Bool {
        guard let first = text.first, !first.isNumber else { return false }
        return text.allSatisfy { $0 == "_" || $0.isLetter || $0.isNumber }
    }
}
