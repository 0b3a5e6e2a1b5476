import ArgumentParser

/// Says a command is planned but not built yet, with the usage exit code.
func notAvailableYet(_ command: String) -> ExitCode {
    Terminal.writeError("bnlab \(command): not available yet\n")
    return ExitCode(64)
}
