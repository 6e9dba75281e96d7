/// A failure to report to the person at the terminal: one clear sentence, then exit status 1.
struct CommandError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
