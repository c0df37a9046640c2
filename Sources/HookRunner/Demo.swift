import ArgumentParser

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build a small world in a temporary folder and show the sync at work.")
    func run() throws { print("demo: not yet") }
}
