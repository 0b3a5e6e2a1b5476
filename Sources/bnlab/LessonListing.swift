import BNLabCore

/// The table `bnlab lesson` prints: number, title, cells and exercises.
enum LessonListing {
    /// The listing, ending with a hint on how to start. `isExerciseDone` says whether an
    /// exercise is done (nil: not known); with a grader the listing shows `done/total` instead
    /// of how many exercises there are.
    static func render(_ catalog: LessonCatalog, isExerciseDone: (Exercise) -> Bool? = { _ in nil }) -> String {
        let entries = catalog.entries()
        guard !entries.isEmpty else {
            return "There are no lessons in \(LessonLibrary.displayPath(catalog.directory)) yet.\n"
        }
        var rows: [[String]] = [["#", "lesson", "cells", "exercises"]]
        for entry in entries {
            let exercises = catalog.exercises(forLesson: entry.number)
            let status = exerciseStatus(exercises, isExerciseDone)
            do {
                let lesson = try catalog.load(entry)
                rows.append([String(entry.number), LessonLibrary.shortTitle(lesson), String(lesson.cells.count), status])
            } catch {
                rows.append([String(entry.number), "(\(error.reason))", "-", status])
            }
        }
        let widths = (0..<4).map { k in rows.map { $0[k].count }.max() ?? 0 }
        var out = ""
        for row in rows {
            let number = String(repeating: " ", count: widths[0] - row[0].count) + row[0]
            let title = row[1] + String(repeating: " ", count: widths[1] - row[1].count)
            let cells = String(repeating: " ", count: widths[2] - row[2].count) + row[2]
            out += "\(number)  \(title)  \(cells)  \(row[3])".trimmingTrailingSpaces() + "\n"
        }
        out += "\n" + closingLine(catalog, first: entries[0].number, isExerciseDone)
        return out
    }

    /// What to do next: start, go on at the first unfinished exercise's lesson, or nothing left.
    private static func closingLine(_ catalog: LessonCatalog, first: Int, _ isExerciseDone: (Exercise) -> Bool?) -> String {
        let exercises = catalog.allExercises()
        let done = exercises.map(isExerciseDone)
        guard !exercises.isEmpty, done.allSatisfy({ $0 != nil }), done.contains(true) else {
            return "Start with `bnlab lesson \(first)`; `bnlab lesson \(first) --all` runs it straight through.\n"
        }
        guard let next = zip(exercises, done).first(where: { $0.1 != true })?.0 else {
            return "All \(exercises.count) exercises are done. Any lesson can be read again with "
                + "`bnlab lesson N`, and `bnlab repl` is there for your own experiments.\n"
        }
        let count = done.filter { $0 == true }.count
        return "\(count)/\(exercises.count) exercises done; next is \(next.id) (lesson \(next.lesson)): "
            + "`bnlab lesson \(next.lesson)`, then `bnlab check exercises \(next.lesson)`.\n"
    }

    private static func exerciseStatus(_ exercises: [Exercise], _ isExerciseDone: (Exercise) -> Bool?) -> String {
        guard !exercises.isEmpty else { return "-" }
        let known = exercises.map(isExerciseDone)
        if known.allSatisfy({ $0 != nil }) {
            let done = known.filter { $0 == true }.count
            return "\(done)/\(exercises.count) done"
        }
        return String(exercises.count)
    }
}
