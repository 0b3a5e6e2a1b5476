#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif
@preconcurrency import CReadline
import BNLabCore

/// GNU readline driven through its callback interface, so Ctrl-C can discard a half-typed line
/// (blocking `readline()` cannot), the way CPython's `Modules/readline.c` does it.
final class LineReader {
    /// What one read produced.
    enum Event: Equatable {
        case line(String)
        /// Ctrl-D on an empty line.
        case endOfInput
        /// Ctrl-C; `hadText` when something was typed on the line.
        case interrupted(hadText: Bool)
    }

    /// Sets readline up for the REPL: no signal handlers of its own, completion from `completer`,
    /// and the in-memory history from `history` (oldest first).
    init(history: [String], capacity: Int, completer: ReplCompleter, promptsToStandardError: Bool) {
        rl_readline_name = UnsafePointer(LineReaderState.readlineName)
        // Ctrl-C stays with our SIGINT handler; readline must not install its own.
        rl_catch_signals = 0
        // Readline would otherwise export LINES and COLUMNS into our environment.
        rl_change_environment = 0
        if promptsToStandardError { rl_outstream = stderr }
        LineReaderState.completer = completer
        rl_attempted_completion_function = attemptCompletion
        rl_completion_word_break_hook = wordBreakCharacters
        rl_basic_word_break_characters = UnsafePointer(LineReaderState.codeBreaks)
        rl_completer_word_break_characters = UnsafePointer(LineReaderState.codeBreaks)
        // Read ~/.inputrc first, so our Tab binding wins over a default one.
        rl_initialize()
        rl_bind_key(9, tabKey)
        using_history()
        stifle_history(Int32(clamping: capacity))
        for entry in history { add_history(entry) }
    }

    /// Adds an entry to what Up and Ctrl-R find.
    func addHistory(_ entry: String) {
        add_history(entry)
    }

    /// Reads one line after showing `prompt` (which may hold `\u{1}…\u{2}`-wrapped colour codes).
    func read(prompt: String) -> Event {
        LineReaderState.finished = false
        LineReaderState.line = nil
        rl_callback_handler_install(prompt, lineHandler)
        while !LineReaderState.finished {
            if Interrupts.flag.isRaised {
                return interrupt()
            }
            var descriptor = pollfd(fd: fileno(rl_instream ?? stdin), events: Int16(POLLIN), revents: 0)
            // A bounded wait: a Ctrl-C that lands outside poll() is still seen within 0.1 s.
            let ready = poll(&descriptor, 1, 100)
            if ready > 0 {
                if descriptor.revents & Int16(POLLIN) != 0 {
                    rl_callback_read_char()
                } else {
                    // Hang-up or error without data: the terminal is gone.
                    rl_callback_handler_remove()
                    return .endOfInput
                }
            } else if ready < 0 && errno != EINTR {
                rl_callback_handler_remove()
                return .endOfInput
            }
        }
        guard let line = LineReaderState.line else { return .endOfInput }
        return .line(line)
    }

    /// Abandons the line being edited after Ctrl-C, as the facts file and CPython do it.
    private func interrupt() -> Event {
        Interrupts.flag.clear()
        // Leave any incremental search first: ending it redraws the line, which must happen
        // before `^C` and the newline, not on the fresh line after them.
        let hadTextBefore = rl_end > 0
        rl_callback_sigcleanup()
        let hadText = hadTextBefore || rl_end > 0
        // Show `^C` after everything typed, then leave the line for good.
        rl_point = rl_end
        rl_redisplay()
        let out = rl_outstream ?? stdout
        fflush(out)
        Terminal.write("^C\n", fd: fileno(out))
        rl_free_line_state()
        rl_cleanup_after_signal()
        rl_callback_handler_remove()
        return .interrupted(hadText: hadText)
    }
}

/// State the C callbacks share with `LineReader`: readline calls plain functions, not closures.
enum LineReaderState {
    nonisolated(unsafe) static var finished = false
    nonisolated(unsafe) static var line: String?
    nonisolated(unsafe) static var completer: ReplCompleter?
    /// The line and cursor a Tab left behind, and whether it left several candidates.
    nonisolated(unsafe) static var lastTab: (line: String, point: Int32, ambiguous: Bool)?
    /// How many candidates the last completion offered; nil when readline completed file names.
    nonisolated(unsafe) static var lastMatchCount: Int?
    /// Kept for the life of the process: readline holds on to these pointers.
    nonisolated(unsafe) static let readlineName: UnsafeMutablePointer<CChar> = strdup("bnlab")
    nonisolated(unsafe) static let codeBreaks: UnsafeMutablePointer<CChar> = strdup(ReplCompleter.wordBreakCharacters)
    nonisolated(unsafe) static let fileBreaks: UnsafeMutablePointer<CChar> = strdup(" \t\n\"'")
}

/// Called by readline with the finished line (nil at end of input).
private func lineHandler(_ text: UnsafeMutablePointer<CChar>?) {
    if let text {
        LineReaderState.line = String(decoding: UnsafeRawBufferPointer(start: text, count: strlen(text)), as: UTF8.self)
        free(text)
    } else {
        LineReaderState.line = nil
    }
    LineReaderState.finished = true
    // Evaluation happens outside readline, with the terminal back in its normal mode.
    rl_callback_handler_remove()
}

/// Tab: completes; a second Tab right after one that stopped at a shared prefix lists the candidates.
///
/// Readline alone needs a third Tab in that case (the first one changed the line), which feels broken
/// next to bash, IPython and Julia.
private func tabKey(_ count: Int32, _ key: Int32) -> Int32 {
    let line = lineBytes(upTo: Int(rl_end))
    let tabFunction: @convention(c) (Int32, Int32) -> Int32 = tabKey
    let lastFunction: (@convention(c) (Int32, Int32) -> Int32)? = rl_last_func
    let previousWasTab = lastFunction.map { unsafeBitCast($0, to: UnsafeRawPointer.self) }
        == unsafeBitCast(tabFunction, to: UnsafeRawPointer.self)
    if previousWasTab, let last = LineReaderState.lastTab, last.ambiguous, last.line == line, last.point == rl_point {
        return rl_possible_completions(count, key)
    }
    LineReaderState.lastMatchCount = nil
    let result = rl_complete(count, key)
    let ambiguous = LineReaderState.lastMatchCount.map { $0 > 1 } ?? true
    LineReaderState.lastTab = (lineBytes(upTo: Int(rl_end)), rl_point, ambiguous)
    return result
}

/// The characters that split words: names in code, whole paths after `:load`.
private func wordBreakCharacters() -> UnsafeMutablePointer<CChar>? {
    let before = lineBytes(upTo: Int(rl_point))
    return ReplCompleter.completesFileName(before: before) ? LineReaderState.fileBreaks : LineReaderState.codeBreaks
}

/// The line's text from its start up to a byte offset.
private func lineBytes(upTo end: Int) -> String {
    guard let buffer = rl_line_buffer, end > 0 else { return "" }
    let count = min(end, Int(rl_end))
    return String(decoding: UnsafeRawBufferPointer(start: buffer, count: max(0, count)), as: UTF8.self)
}

/// Readline's completion entry: our candidates, or readline's own file names after `:load`.
private func attemptCompletion(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    let before = lineBytes(upTo: Int(start))
    if ReplCompleter.completesFileName(before: before) {
        // Falling through to readline's filename completion.
        return nil
    }
    rl_attempted_completion_over = 1
    guard let completer = LineReaderState.completer else { return nil }
    let word = String(lineBytes(upTo: Int(end)).utf8.dropFirst(Int(start))) ?? ""
    let completion = completer.complete(before: before, word: word)
    var candidates = completion.candidates
    if completion.indents {
        candidates = ["    "]
    }
    LineReaderState.lastMatchCount = candidates.count
    guard !candidates.isEmpty else { return nil }
    rl_completion_append_character = completion.appendsSpace ? 32 : 0
    return makeMatches(candidates)
}

/// The NULL-terminated, malloc'd array readline expects: the common prefix first, then every candidate.
private func makeMatches(_ candidates: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    let count = candidates.count == 1 ? 1 : candidates.count + 1
    guard let raw = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (count + 1)) else { return nil }
    let matches = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: count + 1)
    matches[0] = strdup(commonPrefix(candidates))
    if candidates.count > 1 {
        for (i, candidate) in candidates.enumerated() { matches[i + 1] = strdup(candidate) }
    }
    matches[count] = nil
    return matches
}

private func commonPrefix(_ words: [String]) -> String {
    guard var prefix = words.first.map(Array.init) else { return "" }
    for word in words.dropFirst() {
        let characters = Array(word)
        var n = 0
        while n < prefix.count && n < characters.count && prefix[n] == characters[n] { n += 1 }
        prefix.removeSubrange(n...)
    }
    return String(prefix)
}
