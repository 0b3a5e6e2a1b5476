/// The `:vars` listing: each variable with its shape (or kind) and a one-line preview.
public enum ReplVariableList {
    /// One line per variable, in binding order, fitted to `width` columns.
    public static func render(session: Session, width: Int = 80) -> String {
        let variables = session.variables
        guard !variables.isEmpty else { return "no variables yet: bind one with x = ..." }
        let rows = variables.map { (name: $0.name, kind: kind(of: $0.value), value: $0.value) }
        let nameWidth = rows.map(\.name.count).max() ?? 0
        let kindWidth = rows.map(\.kind.count).max() ?? 0
        let previewWidth = max(12, width - nameWidth - kindWidth - 5)
        return rows.map { row in
            let preview = self.preview(row.value, session: session, width: previewWidth)
            let line = row.name.padded(to: nameWidth) + "  " + row.kind.padded(to: kindWidth) + "  " + preview
            return line.trimmingTrailingSpaces()
        }.joined(separator: "\n")
    }

    /// A tensor's shape, or what kind of value it is.
    static func kind(of value: Value) -> String {
        switch value {
        case .number: return "number"
        case .tensor(let t):
            let kind = t.rank == 0 ? "number" : Value.shapeText(t.shape)
            guard let node = t.node else { return kind }
            // PyTorch shows requires_grad=True or grad_fn; here a parameter or the step that made it.
            return kind + (node.isLeaf ? " param" : " grad:" + node.name)
        case .string: return "string"
        case .function: return "function"
        case .object(let object): return type(of: object).kind
        case .none: return "none"
        }
    }

    /// The value on one line, cut with `…` to `width` characters.
    static func preview(_ value: Value, session: Session, width: Int) -> String {
        let text: String
        switch value {
        case .tensor(let t) where t.rank > 0:
            // Only what fits is formatted: a preview of a huge tensor costs what it shows.
            text = TensorFormatter.prefix(t, precision: session.interpreter.precision, visibleCharacters: width + 2)
        case .number, .tensor:
            text = session.interpreter.printed(value)
        case .string(let s) where s.utf8.count > 4 * (width + 2):
            text = session.interpreter.display(.string(String(s.prefix(width + 2)))) + "…"
        default:
            text = session.interpreter.display(value)
        }
        var line = ""
        var lastWasSpace = false
        for c in text {
            // Rows of a matrix become one line: `[[1, 2], [3, 4]]`.
            if c.isWhitespace {
                if !lastWasSpace { line.append(" ") }
                lastWasSpace = true
            } else {
                line.append(c)
                lastWasSpace = false
            }
            if line.count > width + 1 { break }
        }
        return line.count > width ? String(line.prefix(max(1, width - 1))) + "…" : line
    }

    /// `a tensor of shape [2, 3]: [[0, 1, 2], [3, 4, 5]]`, as `?x` shows a variable.
    static func describe(_ value: Value, session: Session, width: Int) -> String {
        let head: String
        switch value {
        case .object(let object):
            let type = type(of: object)
            head = type.typeDescription + " with fields " + type.fieldNames.joined(separator: ", ")
        default: head = value.typeDescription
        }
        return head + "\n    " + preview(value, session: session, width: width)
    }
}
