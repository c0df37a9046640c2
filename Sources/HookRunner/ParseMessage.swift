import ArgumentParser
import Foundation
import SyncCore

struct ParseMessage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse-message",
        abstract: "Read one commit message on stdin and print how wptsync understands it, as one JSON object.",
        discussion: """
            Prints {"bugs": [int], "reviewers": [string], "backout": null | {"nodes": [string], "bugs": [int]},
            "reverts": null | {"commits": [string], "bugs": [int]}, "is_merge": bool, "metadata": {string: string}}.
            """)

    func run() throws {
        let input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        print(CommitMessage.parse(bytes: input).json)
    }
}
