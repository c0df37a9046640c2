import ArgumentParser

struct ParseMessage: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parse-message", abstract: "Parse a commit message from stdin and print it as JSON.")
    func run() throws { print("{}") }
}
