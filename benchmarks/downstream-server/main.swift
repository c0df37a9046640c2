// Serves a local Bugzilla and Taskcluster (LocalServices) on loopback for benchmarks/downstream.py:
// prints `bugzilla <REST URL>` and `taskcluster <root URL>`, then a line
// `bugzilla <METHOD> <path> <epoch seconds>` as each Bugzilla request is answered (looked at every
// millisecond), until standard input closes.
import Foundation
import LocalServices

let bugzilla = try LocalBugzilla(users: ["bench-key": "wptsync@mozilla.bugs"])
let taskcluster = try LocalTaskcluster()
FileHandle.standardOutput.write(Data("bugzilla \(bugzilla.restURL)\ntaskcluster \(taskcluster.rootURL)\n".utf8))
Thread.detachNewThread {
    var seen = 0
    while true {
        let requests = bugzilla.requests
        let now = Date().timeIntervalSince1970
        for request in requests.dropFirst(seen) {
            FileHandle.standardOutput.write(Data("bugzilla \(request.method) \(request.path) \(now)\n".utf8))
        }
        seen = requests.count
        usleep(1000)
    }
}
while readLine() != nil {}
bugzilla.stop()
taskcluster.stop()
