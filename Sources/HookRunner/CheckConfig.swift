import ArgumentParser
import Foundation
import SyncCore
import WPTSyncKit

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration file and the repositories it names, and print what it turns on.",
        discussion: "With --online, also check that the repositories open, the URLs answer, the tokens are accepted (GET /user) and the GitHub repository exists; exit 1 if any of that fails.")
    @OptionGroup var options: GlobalOptions
    @Flag(help: "Also check the tokens, the GitHub repository and that the repositories and URLs answer.") var online = false

    func run() throws {
        let (config, file) = try options.load()
        let problems = ConfigCheck.problems(in: config, file: file)
        if !problems.isEmpty { throw GlobalOptions.configurationFailure(problems.map(\.description)) }
        print("\(file): ok")
        for line in ConfigReport.lines(config) { print(line) }
        let store = StoreCheck.check(config)
        print(store.line)
        let environment = ProcessInfo.processInfo.environment
        if let approval = ConfigCheck.approvalLine(for: config, environment: environment) { print(approval) }
        for warning in ConfigCheck.warnings(in: config, file: file) + ConfigReport.warnings(config)
            + [ConfigCheck.webhookSecretWarning(for: config, environment: environment),
               ConfigCheck.treeherderWarning(for: config, environment: environment)].compactMap({ $0 }) { print(warning) }
        guard online else {
            if !store.ok { throw ExitCode(1) }
            return
        }
        let results = ConfigOnline.check(config, file: file)
        for result in results { print(result.line) }
        if !store.ok || results.contains(where: { !$0.ok }) { throw ExitCode(1) }
    }
}
