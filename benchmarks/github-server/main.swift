// Serves a local GitHub (LocalServices' `LocalGitHub`) on loopback for benchmarks/worker.py: prints
// its base URL, then a line `pr <count> <CLOCK_MONOTONIC seconds>` each time a pull request is
// opened (looked at every millisecond), until standard input closes.
import Foundation
import LocalServices

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: GitHubServer UPSTREAM_BARE_REPOSITORY\n".utf8))
    exit(2)
}
let github = try LocalGitHub(repositoryPath: CommandLine.arguments[1])
FileHandle.standardOutput.write(Data((github.baseURL + "\n").utf8))
Thread.detachNewThread {
    var seen = 0
    while true {
        let count = github.pullRequests.count
        if count > seen {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            seen = count
            FileHandle.standardOutput.write(Data("pr \(count) \(Double(now.tv_sec) + Double(now.tv_nsec) / 1e9)\n".utf8))
        }
        usleep(1000)
    }
}
while readLine() != nil {}
github.stop()
