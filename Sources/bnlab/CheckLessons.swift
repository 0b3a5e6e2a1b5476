import ArgumentParser
import BNLabCore
import Foundation

/// `bnlab check lessons [N] [--bless]`: runs lessons and compares or rewrites their recorded outputs.
struct CheckLessons {
    let number: Int?
    let bless: Bool

    /// Checks (or blesses) and returns the exit code: 0 all agree, 1 any difference, 130 Ctrl-C.
    func run() throws -> Int32 {
        guard let catalog = try LessonLibrary.catalog(for: "check lessons") else {
            // No lessons at all is nothing to disagree with; say so and pass.
            Terminal.write("no lessons to check\n")
            return 0
        }
        var entries = catalog.entries()
        if let number {
            entries = entries.filter { $0.number == number }
            guard !entries.isEmpty else {
                Terminal.writeError("bnlab check lessons: there is no lesson \(number)\n\n" + LessonListing.render(catalog))
                throw ExitCode(64)
            }
        }
        guard !entries.isEmpty else {
            Terminal.write("no lessons to check in \(LessonLibrary.displayPath(catalog.directory))\n")
            return 0
        }
        Interrupts.install()
        var failedLessons: [Int] = []
        var findingCount = 0
        var cellCount = 0
        for entry in entries {
            let path = LessonLibrary.displayPath(entry.path)
            let text: String, lesson: Lesson
            do {
                text = try catalog.text(of: entry)
                lesson = try catalog.load(entry)
            } catch {
                Terminal.write("lesson \(entry.number): \(error.description)\n")
                failedLessons.append(entry.number)
                findingCount += 1
                continue
            }
            let report = LessonChecker.check(lesson, interruptFlag: Interrupts.flag)
            cellCount += report.runs.count
            if report.interrupted {
                Terminal.write("lesson \(lesson.number): interrupted\n")
                return 130
            }
            let outcome = bless ? blessLesson(report, text: text, path: path) : report.findings
            for finding in outcome { Terminal.write(finding.rendered(path: path) + "\n") }
            findingCount += outcome.count
            if !outcome.isEmpty { failedLessons.append(lesson.number) }
        }
        let lessons = entries.count == 1 ? "1 lesson" : "\(entries.count) lessons"
        if failedLessons.isEmpty {
            Terminal.write(bless ? "blessed \(lessons) (\(cellCount) cells)\n"
                                 : "checked \(lessons) (\(cellCount) cells): all outputs agree\n")
            return 0
        }
        let which = failedLessons.map(String.init).joined(separator: ", ")
        let problems = findingCount == 1 ? "1 problem" : "\(findingCount) problems"
        Terminal.write("checked \(lessons) (\(cellCount) cells): \(problems) in lesson\(failedLessons.count == 1 ? "" : "s") \(which)\n")
        return 1
    }

    /// Rewrites the lesson's output blocks; returns what prevented it, if anything.
    private func blessLesson(_ report: LessonCheckReport, text: String, path: String) -> [CheckFinding] {
        let blessed: String
        do {
            blessed = try LessonBlesser.blessedText(of: report.lesson, originalText: text, runs: report.runs)
        } catch {
            Terminal.write("lesson \(report.lesson.number): not blessed, fix these first\n")
            return error.findings
        }
        guard blessed != text else {
            Terminal.write("lesson \(report.lesson.number): up to date\n")
            return []
        }
        do {
            try Data(blessed.utf8).write(to: URL(fileURLWithPath: report.lesson.path), options: .atomic)
        } catch {
            Terminal.write("lesson \(report.lesson.number): cannot write \(path): \(error.localizedDescription)\n")
            return [CheckFinding(kind: .structure, lesson: report.lesson.number, cell: nil, line: nil, fileLine: 1,
                                 message: "cannot write the lesson file")]
        }
        let changed = report.findings.count
        Terminal.write("lesson \(report.lesson.number): rewrote its outputs (\(changed) difference\(changed == 1 ? "" : "s"))\n")
        return []
    }
}
