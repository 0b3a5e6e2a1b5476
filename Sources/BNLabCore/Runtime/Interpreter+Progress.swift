/// `progress(x)`: what `for v in progress(x)` loops over, the elements of x, with a progress bar
/// on the terminal (training.md §8).
final class ProgressLoop: Object {
    static let typeName = "progress"
    static let typeDescription = "a progress loop"
    static let kind = "progress"
    static let fieldNames: [String] = []

    /// A tensor of rank ≥ 1 or an object with a length; none for a range counted natively.
    let wrapped: Value
    /// The first number of a range `progress(a..b)` in a for loop, which is never built as a tensor.
    let rangeStart: Int?
    let count: Int

    init(wrapping value: Value, count: Int) {
        wrapped = value
        rangeStart = nil
        self.count = count
    }

    init(range start: Int, count: Int) {
        wrapped = .none
        rangeStart = start
        self.count = count
    }

    var length: Int? { count }

    func element(at index: Int, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        try access.interpreter.progressElement(of: self, at: index, access.range)
    }

    func field(_ name: String, _ access: ObjectAccess) throws(Diagnostic) -> Value {
        throw access.error("a progress loop has no field '\(name)'")
            .adding(.help, "loop over it: for i in progress(0..n) { … }")
    }

    func snapshot() -> ObjectState { ObjectState([]) }
    func restore(_ state: ObjectState) {}

    var description: String { "progress(\(count) steps)" }
}

/// Draws one loop's bar: at once, then at most every `ProgressBar.interval` seconds; taken off its
/// line when the program writes and back at the next redraw; finished with a new line however
/// the loop ends.
final class ProgressDrawer {
    private let display: ProgressDisplay
    private let total: Int
    private let start = ContinuousClock.now
    private var lastDraw: ContinuousClock.Instant?
    private var visible = false
    private(set) var done = 0

    init(_ display: ProgressDisplay, total: Int) {
        self.display = display
        self.total = total
    }

    func update(done: Int) {
        self.done = done
        let now = ContinuousClock.now
        // At most ten draws a second, even when the program's output has taken the bar away.
        if lastDraw.map({ SecondsText.seconds(now - $0) >= ProgressBar.interval }) ?? true { draw(now) }
    }

    private func draw(_ now: ContinuousClock.Instant, finished: Bool = false) {
        let line = ProgressBar.line(done: done, total: total, elapsed: SecondsText.seconds(now - start),
                                    width: display.width(), finished: finished)
        display.write(ProgressDisplay.eraseLine + line)
        visible = true
        lastDraw = now
    }

    /// Takes the bar off its line so the program's own output starts at the left margin.
    func hide() {
        guard visible else { return }
        display.write(ProgressDisplay.eraseLine)
        visible = false
    }

    /// The last state, kept on its own line, so what follows (a diagnostic too) starts on a fresh one.
    func finish() {
        draw(ContinuousClock.now, finished: done == total)
        display.write("\n")
    }
}

extension Interpreter {
    /// `for v in progress(x)`: the loop over x, drawing a bar when a display is set and no other bar is.
    func loop(progress p: ProgressLoop, _ iterableRange: SourceRange, _ range: SourceRange, _ variable: Variable,
              _ body: Exec) throws(Diagnostic) -> Bool {
        guard let display = progressDisplay, !progressShown else {
            guard let start = p.rangeStart else { return try loop(over: p.wrapped, iterableRange, range, variable, body) }
            for i in 0..<p.count {
                try poll(range)
                write(variable, .number(Double(start + i)))
                if try body(self) { return true }
            }
            return false
        }
        let drawer = ProgressDrawer(display, total: p.count)
        let programOutput = output
        progressShown = true
        output = { text in
            drawer.hide()
            programOutput(text)
        }
        defer {
            output = programOutput
            progressShown = false
            drawer.finish()
        }
        for i in 0..<p.count {
            try poll(range)
            drawer.update(done: i)
            write(variable, try progressElement(of: p, at: i, iterableRange))
            if try body(self) { return true }
        }
        drawer.update(done: p.count)
        return false
    }

    /// Element i of what a progress loop wraps.
    func progressElement(of p: ProgressLoop, at i: Int, _ range: SourceRange) throws(Diagnostic) -> Value {
        if let start = p.rangeStart { return .number(Double(start + i)) }
        switch p.wrapped {
        case .object(let object):
            return try object.element(at: i, ObjectAccess(self, nameRange: range, range: range))
        default:
            let t = try tensor(p.wrapped, range, what: "what progress loops over")
            return Interpreter.wrap(try ops(at: range).index(t, [.at(i)]))
        }
    }
}
