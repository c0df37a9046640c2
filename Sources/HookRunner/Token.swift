import ArgumentParser
import Foundation
import WebhookService
import WPTSyncKit

struct SheriffToken: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Personal tokens for signing in on the sheriff page (`wptsync serve`, /autoland).",
        subcommands: [TokenIssue.self, TokenRevoke.self])
}

struct TokenIssue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Print a new personal token for USER, once; only its hash is stored. An earlier token of USER stops working, and so do its sessions.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The person, as the access backend names them (login or e-mail address).") var user: String

    func run() throws {
        let (config, _) = try options.load()
        let (token, replaced) = try SheriffCredentials.issueToken(for: user, store: Application(config: config).journal)
        FileHandle.standardError.write(Data("token for \(user) (shown only now\(replaced ? "; the previous one no longer works" : "")):\n".utf8))
        print(token)
    }
}

struct TokenRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke USER's personal token and end their sessions.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The person whose token stops working.") var user: String

    func run() throws {
        let (config, _) = try options.load()
        try SheriffCredentials.revokeToken(for: user, store: Application(config: config, journalMustExist: true).journal)
        print("revoked the token of \(user); their sessions are ended")
    }
}
