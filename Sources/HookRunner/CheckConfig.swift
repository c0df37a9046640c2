import ArgumentParser
import Foundation
import WPTSyncKit

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration file and the repositories it names, and print what it configures.")
    @OptionGroup var options: GlobalOptions

    func run() throws {
        let (config, file) = try options.load()
        let problems = ConfigCheck.problems(in: config, file: file)
        if !problems.isEmpty { throw GlobalOptions.configurationFailure(problems.map(\.description)) }
        print("\(file): ok")
        print("store: \(config.store.path) (spool \(config.store.spool))")
        for warning in ConfigCheck.warnings(in: config, file: file) { print(warning) }
        for repo in config.gecko {
            print("gecko \(repo.name): \(repo.path) role=\(repo.role.rawValue) sources=\(repo.sources.joined(separator: ","))\(repo.enabled ? "" : " (disabled)")")
        }
        if let wpt = config.wpt { print("wpt mirror: \(wpt.path) refs=\(wpt.refs.joined(separator: ","))") }
        if let github = config.github { print("github: \(github.apiBaseURL) \(github.repository) token from \(github.token)") }
        if let approval = ConfigCheck.approvalLine(for: config, environment: ProcessInfo.processInfo.environment) { print(approval) }
    }
}
