// Serves a repository's pushlog (its `.hg/localpushlog` file) on loopback for benchmarks/replay.py:
// prints the repository URL, then serves until standard input closes.
import Foundation
import LocalServices

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: PushlogServer REPOSITORY\n".utf8))
    exit(2)
}
let pushlog = try LocalPushlog(repositoryPath: CommandLine.arguments[1], installHook: false)
FileHandle.standardOutput.write(Data((pushlog.repositoryURL + "\n").utf8))
while readLine() != nil {}
pushlog.stop()
