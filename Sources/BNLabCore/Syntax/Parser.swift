/// Recursive-descent parser for the bnlab language (precedence table of language.md §4).
public struct Parser {
    /// Deepest bracket, block or prefix nesting accepted.
    public static let nestingLimit = 256
    /// Tallest expression tree accepted (long operator chains grow trees without nesting).
    public static let treeDepthLimit = 2000

    private let file: SourceFile
    private let tokens: [Token]
    private var index = 0
    private var nesting = 0
    private var functionDepth = 0

    private init(file: SourceFile, tokens: [Token]) {
        self.file = file
        self.tokens = tokens
    }

    /// Parses a whole program (script, REPL entry or lesson cell).
    public static func parse(_ file: SourceFile) throws(Diagnostic) -> [Stmt] {
        if let tooLarge = SourceLimits.check(file) { throw tooLarge }
        var parser = Parser(file: file, tokens: try Lexer.tokenize(file))
        return try parser.parseProgram()
    }

    // MARK: - Tokens

    private var current: Token { tokens[index] }
    private var previous: Token { tokens[max(0, index - 1)] }

    private func peekKind(_ ahead: Int = 1) -> Token.Kind {
        tokens[min(index + ahead, tokens.count - 1)].kind
    }

    @discardableResult
    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private mutating func match(_ kind: Token.Kind) -> Bool {
        guard current.kind == kind else { return false }
        advance()
        return true
    }

    private mutating func skipNewlines() {
        while current.kind == .newline { advance() }
    }

    private func error(_ message: String, at range: SourceRange, help: String? = nil) -> Diagnostic {
        var diagnostic = Diagnostic(message, file: file, range: range)
        if let help { diagnostic.notes.append(.init(.help, help)) }
        return diagnostic
    }

    private func unexpected(_ expected: String, help: String? = nil) -> Diagnostic {
        let token = current
        var help = help
        if help == nil, token.kind == .eof || token.kind == .newline {
            help = nil
        }
        if help == nil, token.kind == .identifier, ["def", "function", "func", "lambda"].contains(token.text) {
            help = "functions are declared with 'fn'"
        }
        if help == nil, token.kind == .slashSlash {
            help = "comments start with '#'; '//' is floor division"
        }
        if help == nil, token.kind == .identifier, ["while", "elif", "elseif", "then", "end", "do"].contains(token.text) {
            help = "bnlab has 'for … in' loops and 'if … else if … else' with braces"
        }
        return error("expected \(expected), found \(token.description)", at: token.range, help: help)
    }

    private mutating func expect(_ kind: Token.Kind, _ what: String, help: String? = nil) throws(Diagnostic) -> Token {
        guard current.kind == kind else { throw unexpected(what, help: help) }
        return advance()
    }

    /// The closing bracket of `open`; when it is missing and the parse ran on past a line end,
    /// the error also shows where the bracket was opened and which line probably lacks the closer.
    private mutating func expectClosing(_ kind: Token.Kind, _ what: String, open: Token) throws(Diagnostic) -> Token {
        guard current.kind == kind else {
            var diagnostic = unexpected(what)
            let openLine = file.location(of: open.range.start).line
            let lastLine = file.location(of: previous.range.start).line
            if file.location(of: current.range.start).line > lastLine || current.kind == .eof {
                diagnostic.notes.append(.init(.help, "is a '\(kind.rawValue)' missing at the end of line \(lastLine)?"))
            }
            if file.location(of: current.range.start).line != openLine {
                diagnostic.notes.append(.init(.note, "'\(open.kind.rawValue)' opened here", range: open.range))
            }
            throw diagnostic
        }
        return advance()
    }

    /// Python's `[v^2 for v in x]` and `sum(v for v in x)`: a `for` right after an element.
    private func comprehension(from open: Token) -> Diagnostic {
        // Caret from the opening bracket to its partner, when the partner is there.
        var depth = 0, end = current.range.end
        for token in tokens[index...] {
            switch token.kind {
            case .leftParen, .leftBracket, .leftBrace: depth += 1
            case .rightParen, .rightBracket, .rightBrace: depth -= 1
            default: break
            }
            if depth < 0 { end = token.range.end; break }
            if token.kind == .eof || token.kind == .newline { break }
        }
        return error("bnlab has no comprehensions", at: SourceRange(open.range.start, end),
                     help: "operators work on whole tensors ([v^2 for v in x] is x^2); otherwise fill a tensor in a for loop, as in y[i] = …")
    }

    private mutating func enter() throws(Diagnostic) {
        nesting += 1
        if nesting > Parser.nestingLimit {
            // Point at the opener that went one level too deep.
            throw error("too deeply nested: more than \(Parser.nestingLimit) levels of brackets, blocks or prefix operators",
                        at: previous.range)
        }
    }

    private mutating func leave() { nesting -= 1 }

    private func node(_ kind: ExprKind, _ range: SourceRange, children: [Expr]) throws(Diagnostic) -> Expr {
        let depth = 1 + children.reduce(0) { max($0, $1.depth) }
        if depth > Parser.treeDepthLimit {
            throw error("expression too long: more than \(Parser.treeDepthLimit) operations in one chain", at: range,
                        help: "split it into several statements")
        }
        return Expr(kind, range, depth: depth)
    }

    // MARK: - Statements

    private mutating func parseProgram() throws(Diagnostic) -> [Stmt] {
        var statements: [Stmt] = []
        while true {
            while current.kind == .newline || current.kind == .semicolon { advance() }
            if current.kind == .eof { return statements }
            if current.kind == .rightBrace || current.kind == .rightParen || current.kind == .rightBracket {
                throw error("unmatched '\(current.kind.rawValue)'", at: current.range)
            }
            statements.append(try parseStatementWithTerminator())
        }
    }

    private mutating func parseBlock() throws(Diagnostic) -> [Stmt] {
        let open = try expect(.leftBrace, "'{'")
        try enter()
        defer { leave() }
        var statements: [Stmt] = []
        while true {
            while current.kind == .newline || current.kind == .semicolon { advance() }
            if current.kind == .rightBrace {
                advance()
                return statements
            }
            if current.kind == .eof {
                throw error(DiagnosticMessages.unclosed("{"), at: open.range, help: "close the block with '}'")
            }
            statements.append(try parseStatementWithTerminator())
        }
    }

    /// A statement and what ends it: a newline, `;` (which silences a bare expression), `}` or the end.
    private mutating func parseStatementWithTerminator() throws(Diagnostic) -> Stmt {
        var statement = try parseStatement()
        switch current.kind {
        case .semicolon:
            if case .expression(let expr, _) = statement.kind { statement.kind = .expression(expr, silent: true) }
            advance()
        case .newline:
            advance()
        case .eof, .rightBrace:
            break
        default:
            if previous.kind == .rightBrace { break }
            var help: String?
            if current.kind == .leftBrace { help = "a block needs 'if', 'for', 'fn' or 'no_grad' before it" }
            throw unexpected("end of statement", help: help)
        }
        return statement
    }

    private mutating func parseStatement() throws(Diagnostic) -> Stmt {
        let start = current.range.start
        switch current.kind {
        case .kwFn:
            return try parseFunction()
        case .kwFor:
            advance()
            let variableToken = try expect(.identifier, "a loop variable name")
            _ = try expect(.kwIn, "'in'")
            let iterable = try parseExpression()
            let body = try parseBlock()
            return Stmt(.forLoop(NameRef(variableToken.text, variableToken.range), iterable, body), SourceRange(start, previous.range.end))
        case .kwIf:
            return try parseIf()
        case .kwCheck:
            advance()
            let condition = try parseExpression()
            var message: Expr?
            if match(.comma) {
                skipNewlines()
                message = try parseExpression()
            }
            return Stmt(.check(condition, message: message), SourceRange(start, previous.range.end))
        case .kwReturn:
            let keyword = advance()
            guard functionDepth > 0 else {
                throw error("'return' outside a function", at: keyword.range)
            }
            var value: Expr?
            if ![.newline, .semicolon, .rightBrace, .eof].contains(current.kind) {
                value = try parseExpression()
            }
            return Stmt(.returnValue(value), SourceRange(start, previous.range.end))
        case .kwElse:
            throw error("'else' without 'if'", at: current.range)
        case .identifier where current.text == "no_grad" && peekKind() == .leftBrace:
            advance()
            let body = try parseBlock()
            return Stmt(.noGrad(body), SourceRange(start, previous.range.end))
        default:
            try rejectPythonStatement()
            let expr = try parseExpression()
            if let op = Parser.compoundAssignments[current.kind] {
                // `x += v` is `x = x + v`; an indexed or field target is read, then written.
                let equals = advance()
                skipNewlines()
                let operand = try parseExpression()
                let value = try node(.binary(op, expr, operand), expr.range.union(operand.range), children: [expr, operand])
                return try assignment(to: expr, value, equals: equals, start: start)
            }
            guard current.kind == .assign else {
                return Stmt(.expression(expr, silent: false), expr.range)
            }
            let equals = advance()
            skipNewlines()
            let value = try parseExpression()
            return try assignment(to: expr, value, equals: equals, start: start)
        }
    }

    private static let compoundAssignments: [Token.Kind: BinaryOperator] = [
        .plusAssign: .add, .minusAssign: .subtract, .starAssign: .multiply, .slashAssign: .divide,
    ]

    /// `import numpy as np`, `from torch import nn`, `def f(x): …`: pointed answers, not a bare syntax error.
    private func rejectPythonStatement() throws(Diagnostic) {
        guard current.kind == .identifier, peekKind() == .identifier else { return }
        switch current.text {
        case "import", "from":
            var end = current.range.end
            for token in tokens[index...] {
                if token.kind == .newline || token.kind == .eof || token.kind == .semicolon { break }
                end = token.range.end
            }
            throw error("bnlab has no import: its functions are built in", at: SourceRange(current.range.start, end),
                        help: "write mean(x), batchnorm(x), BatchNorm(3) directly; help() lists every builtin")
        case "def":
            throw error("bnlab declares functions with 'fn', not 'def'", at: current.range,
                        help: "fn f(x) = x^2 for one line, or fn f(x) { … } with braces for a block (no ':')")
        default:
            return
        }
    }

    /// The statement assigning `value` to `expr`, or an error when `expr` cannot be assigned to.
    private func assignment(to expr: Expr, _ value: Expr, equals: Token, start: Int) throws(Diagnostic) -> Stmt {
        let range = SourceRange(start, value.range.end)
        switch expr.kind {
        case .name(let ref):
            return Stmt(.assign(.name(ref), value), range)
        case .member(let base, let field, let fieldRange):
            return Stmt(.assign(.field(base, field, fieldRange), value), range)
        case .index(let base, let items):
            guard case .name(let ref) = base.kind else {
                throw error("cannot assign into this expression", at: base.range, help: "assign into a variable, as in x[0] = 1")
            }
            return Stmt(.assign(.index(ref, items, expr.range), value), range)
        default:
            throw error("cannot assign to this expression", at: expr.range,
                        help: equals.kind == .assign && equals.range.start > expr.range.start ? "to compare, write '=='" : nil)
        }
    }

    private mutating func parseIf() throws(Diagnostic) -> Stmt {
        let start = current.range.start
        var branches: [(condition: Expr, body: [Stmt])] = []
        var elseBody: [Stmt]?
        _ = try expect(.kwIf, "'if'")
        while true {
            let condition = try parseExpression()
            if current.kind == .assign {
                throw error("expected '{' after the condition, found '='", at: current.range, help: "comparison is written '=='")
            }
            branches.append((condition, try parseBlock()))
            let save = index
            skipNewlines()
            guard match(.kwElse) else {
                index = save
                break
            }
            if match(.kwIf) { continue }
            elseBody = try parseBlock()
            break
        }
        return Stmt(.ifElse(branches, elseBody: elseBody), SourceRange(start, previous.range.end))
    }

    private mutating func parseFunction() throws(Diagnostic) -> Stmt {
        let start = advance().range.start
        let nameToken = try expect(.identifier, "a function name")
        let open = try expect(.leftParen, "'(' after the function name")
        var parameters: [Parameter] = []
        var seenDefault = false
        while current.kind != .rightParen {
            let token = try expect(.identifier, "a parameter name")
            if parameters.contains(where: { $0.name == token.text }) {
                throw error("parameter '\(token.text)' appears twice", at: token.range)
            }
            var defaultValue: Expr?
            if match(.assign) {
                defaultValue = try parseExpression()
                seenDefault = true
            } else if seenDefault {
                throw error("parameter '\(token.text)' needs a default, as the ones before it have", at: token.range)
            }
            parameters.append(Parameter(name: token.text, range: token.range, defaultValue: defaultValue))
            if !match(.comma) { break }
        }
        _ = try expectClosing(.rightParen, "',' or ')' in the parameter list", open: open)
        functionDepth += 1
        defer { functionDepth -= 1 }
        let body: [Stmt]
        if match(.assign) {
            skipNewlines()
            let expr = try parseExpression()
            body = [Stmt(.returnValue(expr), expr.range)]
        } else if current.kind == .leftBrace {
            body = try parseBlock()
        } else {
            throw unexpected("'=' or '{' after the parameters")
        }
        let range = SourceRange(start, previous.range.end)
        let decl = FunctionDecl(name: nameToken.text, nameRange: nameToken.range, parameters: parameters, body: body,
                                range: range, file: file)
        return Stmt(.function(decl, NameRef(nameToken.text, nameToken.range)), range)
    }

    // MARK: - Expressions

    public mutating func parseExpression() throws(Diagnostic) -> Expr {
        try parseOr()
    }

    private mutating func parseOr() throws(Diagnostic) -> Expr {
        var left = try parseAnd()
        while match(.kwOr) {
            skipNewlines()
            let right = try parseAnd()
            left = try node(.or(left, right), left.range.union(right.range), children: [left, right])
        }
        return left
    }

    private mutating func parseAnd() throws(Diagnostic) -> Expr {
        var left = try parseNot()
        while match(.kwAnd) {
            skipNewlines()
            let right = try parseNot()
            left = try node(.and(left, right), left.range.union(right.range), children: [left, right])
        }
        return left
    }

    private mutating func parseNot() throws(Diagnostic) -> Expr {
        guard current.kind == .kwNot else { return try parseComparison() }
        let keyword = advance()
        try enter()
        defer { leave() }
        let operand = try parseNot()
        return try node(.not(operand), keyword.range.union(operand.range), children: [operand])
    }

    private static let comparisons: [Token.Kind: BinaryOperator] = [
        .equalEqual: .equal, .notEqual: .notEqual, .less: .less, .lessEqual: .lessEqual,
        .greater: .greater, .greaterEqual: .greaterEqual,
    ]

    private mutating func parseComparison() throws(Diagnostic) -> Expr {
        let left = try parseRange()
        guard let op = Parser.comparisons[current.kind] else { return left }
        advance()
        skipNewlines()
        let right = try parseRange()
        if Parser.comparisons[current.kind] != nil {
            throw error("comparisons cannot be chained", at: current.range,
                        help: "write 'a < b and b < c'")
        }
        return try node(.binary(op, left, right), left.range.union(right.range), children: [left, right])
    }

    private mutating func parseRange() throws(Diagnostic) -> Expr {
        let left = try parseAdditive()
        guard match(.dotDot) else { return left }
        skipNewlines()
        let right = try parseAdditive()
        if current.kind == .dotDot {
            throw error("ranges cannot be chained", at: current.range, help: "a range is written a..b; use arange(a, b, step) for a step")
        }
        return try node(.range(left, right), left.range.union(right.range), children: [left, right])
    }

    private mutating func parseAdditive() throws(Diagnostic) -> Expr {
        var left = try parseMultiplicative()
        while current.kind == .plus || current.kind == .minus {
            let op: BinaryOperator = advance().kind == .plus ? .add : .subtract
            skipNewlines()
            let right = try parseMultiplicative()
            left = try node(.binary(op, left, right), left.range.union(right.range), children: [left, right])
        }
        return left
    }

    private mutating func parseMultiplicative() throws(Diagnostic) -> Expr {
        var left = try parseUnary()
        while let op = Parser.multiplicative[current.kind] {
            advance()
            skipNewlines()
            let right = try parseUnary()
            left = try node(.binary(op, left, right), left.range.union(right.range), children: [left, right])
        }
        return left
    }

    private static let multiplicative: [Token.Kind: BinaryOperator] = [
        .star: .multiply, .slash: .divide, .at: .matmul, .slashSlash: .floorDivide, .percent: .remainder,
    ]

    private mutating func parseUnary() throws(Diagnostic) -> Expr {
        guard current.kind == .minus || current.kind == .plus else { return try parsePower() }
        let sign = advance()
        try enter()
        defer { leave() }
        let operand = try parseUnary()
        if sign.kind == .plus { return operand }
        // Fold literal negation so `-3` is a constant, as numpy users read it.
        if case .number(let value) = operand.kind {
            return Expr(.number(-value), sign.range.union(operand.range))
        }
        return try node(.negate(operand), sign.range.union(operand.range), children: [operand])
    }

    private mutating func parsePower() throws(Diagnostic) -> Expr {
        let base = try parsePostfix()
        guard match(.caret) else { return base }
        skipNewlines()
        try enter()
        defer { leave() }
        // Right-associative, and the exponent may carry a sign: 2^-1, 2^3^2 = 2^9.
        let exponent = try parseUnary()
        return try node(.binary(.power, base, exponent), base.range.union(exponent.range), children: [base, exponent])
    }

    private mutating func parsePostfix() throws(Diagnostic) -> Expr {
        var expr = try parsePrimary()
        while true {
            switch current.kind {
            case .leftParen:
                let (arguments, end) = try parseArguments()
                expr = try node(.call(expr, arguments), SourceRange(expr.range.start, end),
                                children: [expr] + arguments.map(\.value))
            case .leftBracket:
                let open = advance()
                try enter()
                var items: [IndexItem] = []
                var children = [expr]
                if current.kind == .rightBracket {
                    throw error("an index needs at least one component", at: current.range)
                }
                while true {
                    let item = try parseIndexItem()
                    items.append(item)
                    switch item {
                    case .expr(let e): children.append(e)
                    case .slice(let a, let b, let c, _): children += [a, b, c].compactMap { $0 }
                    }
                    if !match(.comma) { break }
                }
                if current.kind == .eof {
                    throw error(DiagnosticMessages.unclosed("["), at: open.range, help: "close the index with ']'")
                }
                let close = try expectClosing(.rightBracket, "',' or ']' in the index", open: open)
                leave()
                expr = try node(.index(expr, items), SourceRange(expr.range.start, close.range.end), children: children)
            case .dot:
                advance()
                let nameToken = try expect(.identifier, "a member name after '.'")
                if current.kind == .leftParen {
                    let (arguments, end) = try parseArguments()
                    expr = try node(.methodCall(expr, nameToken.text, nameToken.range, arguments),
                                    SourceRange(expr.range.start, end), children: [expr] + arguments.map(\.value))
                } else {
                    expr = try node(.member(expr, nameToken.text, nameToken.range),
                                    SourceRange(expr.range.start, nameToken.range.end), children: [expr])
                }
            default:
                return expr
            }
        }
    }

    private mutating func parseIndexItem() throws(Diagnostic) -> IndexItem {
        let start = current.range.start
        var parts: [Expr?] = []
        var part: Expr? = current.kind == .colon ? nil : try parseExpression()
        guard current.kind == .colon else {
            if let part { return .expr(part) }
            throw unexpected("an index")
        }
        while match(.colon) {
            parts.append(part)
            part = [.colon, .comma, .rightBracket].contains(current.kind) ? nil : try parseExpression()
            if parts.count == 2 { break }
        }
        parts.append(part)
        if current.kind == .colon {
            throw error("a slice has at most three parts, start:stop:step", at: current.range)
        }
        while parts.count < 3 { parts.append(nil) }
        return .slice(start: parts[0], stop: parts[1], step: parts[2], range: SourceRange(start, previous.range.end))
    }

    private mutating func parseArguments() throws(Diagnostic) -> ([CallArgument], Int) {
        let open = advance()
        try enter()
        defer { leave() }
        var arguments: [CallArgument] = []
        var seenNamed = false
        while current.kind != .rightParen {
            if current.kind == .eof {
                throw error(DiagnosticMessages.unclosed("("), at: open.range, help: "close the argument list with ')'")
            }
            if current.kind == .identifier, peekKind() == .assign {
                let label = advance()
                advance()
                if arguments.contains(where: { $0.label == label.text }) {
                    throw error("argument '\(label.text)' is given twice", at: label.range)
                }
                arguments.append(CallArgument(label: label.text, labelRange: label.range, value: try parseExpression()))
                seenNamed = true
            } else {
                let value = try parseExpression()
                if current.kind == .kwFor { throw comprehension(from: open) }
                if seenNamed {
                    throw error("a positional argument cannot follow a named one", at: value.range)
                }
                arguments.append(CallArgument(label: nil, labelRange: nil, value: value))
            }
            if !match(.comma) { break }
        }
        if current.kind == .eof {
            throw error(DiagnosticMessages.unclosed("("), at: open.range, help: "close the argument list with ')'")
        }
        let close = try expectClosing(.rightParen, "',' or ')' in the argument list", open: open)
        return (arguments, close.range.end)
    }

    private mutating func parsePrimary() throws(Diagnostic) -> Expr {
        let token = current
        switch token.kind {
        case .number:
            advance()
            return Expr(.number(token.number), token.range)
        case .string:
            advance()
            return Expr(.string(token.text), token.range)
        case .kwTrue, .kwFalse:
            advance()
            return Expr(.boolean(token.kind == .kwTrue), token.range)
        case .kwNone:
            advance()
            return Expr(.none, token.range)
        case .unfinished:
            advance()
            return Expr(.unfinished, token.range)
        case .identifier:
            if token.text == "lambda", peekKind() == .identifier || peekKind() == .colon {
                throw error("bnlab has no lambda", at: token.range,
                            help: "name the function and pass the name: fn square(x) = x^2, then f(square)")
            }
            advance()
            return Expr(.name(NameRef(token.text, token.range)), token.range)
        case .leftParen:
            advance()
            try enter()
            defer { leave() }
            if current.kind == .rightParen {
                throw error("empty parentheses", at: token.range.union(current.range), help: "bnlab has no tuples; use a list [a, b]")
            }
            var inner = try parseExpression()
            if current.kind == .comma {
                throw error("bnlab has no tuples", at: current.range, help: "use a list [a, b]")
            }
            let close = try expectClosing(.rightParen, "')'", open: token)
            inner.range = SourceRange(token.range.start, close.range.end)
            return inner
        case .leftBracket:
            advance()
            try enter()
            defer { leave() }
            var elements: [Expr] = []
            while current.kind != .rightBracket {
                if current.kind == .eof {
                    throw error(DiagnosticMessages.unclosed("["), at: token.range, help: "close the list with ']'")
                }
                elements.append(try parseExpression())
                if current.kind == .kwFor { throw comprehension(from: token) }
                if !match(.comma) { break }
            }
            if current.kind == .eof {
                throw error(DiagnosticMessages.unclosed("["), at: token.range, help: "close the list with ']'")
            }
            let close = try expectClosing(.rightBracket, "',' or ']' in the list", open: token)
            return try node(.list(elements), SourceRange(token.range.start, close.range.end), children: elements)
        default:
            throw unexpected("an expression")
        }
    }
}
