import ArgumentParser
import BNLabCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension BNLab {
    /// Checks `BNLAB_MEMORY` before any command runs: a budget the learner set but mistyped
    /// is a usage error, not silently the default.
    static func main() {
        let name = MemoryBudget.environmentVariable
        if let raw = getenv(name) {
            let text = String(cString: raw)
            guard MemoryBudget.parse(text) != nil else {
                Terminal.writeError("error: \(name) must be a size such as 2G or 512M, got '\(text)'\n")
                Glibc.exit(64)
            }
        }
        main(nil)
    }
}
