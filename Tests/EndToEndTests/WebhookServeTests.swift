#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import RepoOps
import Store
import TestSupport

/// Issue 12: `wptsync serve` takes GitHub's webhooks over loopback, checks their signature, records
/// each delivery once in the journal and answers at once; the worker turns it into what wptsync has
/// seen of the PR. Every request is made and signed by Python (`hmac`, `http.client`).
@Suite("wptsync serve: GitHub webhooks", .serialized)
struct WebhookServeTests {
    /// A journal, a secret file, and a running `wptsync serve` on a port the system chose.
    final class World {
        let dir: TempDir
        let config: String
        let secretFile: String
        let serve: RunningProcess
        let port: Int

        convenience init(extraServe: String = "") throws {
            let dir = TempDir("webhooks")
            let config = dir.sub("wptsync.toml"), secretFile = dir.sub("webhook-secret")
            try writeFile(secretFile, "it's a secret to everybody\n")
            try writeFile(config, """
                [store]
                path = "\(dir.sub("state/wptsync.sqlite"))"

                [serve]
                listen = "127.0.0.1:0"
                secret_file = "\(secretFile)"
                \(extraServe)

                [log]
                file = "\(dir.sub("state/wptsync.jsonl"))"

                """)
            try self.init(config: config, secretFile: secretFile, dir: dir)
        }

        /// `wptsync serve` on `config`, whose `[serve]` listens on `127.0.0.1:0` and reads `secretFile`.
        init(config: String, secretFile: String, dir: TempDir = TempDir("webhooks"), environment: [String: String] = [:]) throws {
            self.dir = dir; self.config = config; self.secretFile = secretFile
            try writeFile(dir.sub("client.py"), Self.client)
            serve = try RunningProcess(builtProduct("wptsync"), ["serve", "--config", config], in: dir.path, extraEnvironment: environment)
            let serve = serve
            var port = 0
            waitUntil(limit: 60) {
                let line = serve.output.split(separator: "\n").first { $0.contains("listening on http://127.0.0.1:") }
                port = line.flatMap { Int($0.split(separator: ":").last?.split(separator: "/").first ?? "") } ?? 0
                return port != 0 || !serve.isRunning
            }
            self.port = port
        }

        /// Posts `body` as GitHub would, signed with the secret (`good`), with another secret
        /// (`wrong`) or unsigned (`none`); `chunked` sends it without a length. Status and answer.
        func post(_ event: String, _ body: [UInt8], delivery: String = UUID().uuidString, sign: String = "good",
                  chunked: Bool = false) throws -> (status: Int, answer: String) {
            let file = dir.sub("body-\(UUID().uuidString).json")
            try Data(body).write(to: URL(fileURLWithPath: file))
            let output = try sh("python3", [dir.sub("client.py"), "\(port)", secretFile, event, delivery, sign, chunked ? "chunked" : "length", file])
            let lines = output.split(separator: "\n", maxSplits: 1)
            return (Int(lines.first ?? "") ?? 0, lines.count > 1 ? String(lines[1]) : "")
        }

        /// Sends each of `deliveries` twice, all at once from parallel threads; the statuses, sorted.
        func postConcurrently(_ deliveries: [String], _ body: [UInt8]) throws -> [Int] {
            let file = dir.sub("body-concurrent.json")
            try Data(body).write(to: URL(fileURLWithPath: file))
            let script = dir.sub("parallel-client.py")
            try writeFile(script, Self.concurrent)
            return try sh("python3", [script, "\(port)", secretFile, file] + deliveries).split(separator: "\n").compactMap { Int($0) }.sorted()
        }

        static let concurrent = """
            import concurrent.futures, hashlib, hmac, http.client, sys
            port, secret_file, body_file = sys.argv[1:4]
            body = open(body_file, "rb").read()
            signature = "sha256=" + hmac.new(open(secret_file, "rb").read().strip(), body, hashlib.sha256).hexdigest()
            def post(delivery):
                connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=60)
                connection.request("POST", "/github/webhook", body=body, headers={"X-GitHub-Event": "pull_request",
                    "X-GitHub-Delivery": delivery, "X-Hub-Signature-256": signature, "Content-Type": "application/json"})
                return connection.getresponse().status
            with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
                for status in pool.map(post, sys.argv[4:] * 2):
                    print(status)
            """

        func wptsync(_ arguments: [String]) throws -> String { try sh(builtProduct("wptsync"), arguments + ["--config", config], in: dir.path) }

        /// The recorded events, as `wptsync events --json` lists them.
        func events() throws -> [[String: Any]] {
            try wptsync(["events", "--json"]).split(separator: "\n").compactMap {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }

        func downstreams() throws -> [[String: Any]] {
            try wptsync(["downstreams", "--json"]).split(separator: "\n").compactMap {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }

        static let client = """
            import hashlib, hmac, http.client, sys
            port, secret_file, event, delivery, sign, framing, body_file = sys.argv[1:8]
            body = open(body_file, "rb").read()
            secret = open(secret_file, "rb").read().strip()
            headers = {"Content-Type": "application/json", "User-Agent": "GitHub-Hookshot/test",
                       "X-GitHub-Event": event, "X-GitHub-Delivery": delivery}
            if sign != "none":
                key = secret if sign == "good" else b"not the secret"
                headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
            connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=60)
            if framing == "chunked":
                pieces = [body[i:i + 512] for i in range(0, len(body), 512)]
                connection.request("POST", "/github/webhook", body=iter(pieces), headers=headers, encode_chunked=True)
            else:
                connection.request("POST", "/github/webhook", body=body, headers=headers)
            response = connection.getresponse()
            print(response.status)
            print(response.read().decode())
            """
    }

    static let opened = WebhookBodies.event("opened", WebhookBodies.pullRequest(number: 101, updatedAt: "2026-11-20T10:00:00Z"))

    @Test func aSignedDeliveryIsRecordedOnceEvenWhenDeliveredTwiceAndTheWorkerRecordsThePR() throws {
        let world = try World()
        #expect(world.port != 0, "\(world.serve.output)")
        let delivery = "72d3162e-cc78-11e3-81ab-4c9367dc0958"
        let first = try world.post("pull_request", Self.opened, delivery: delivery)
        #expect(first.status == 202, "\(first.answer)")
        let again = try world.post("pull_request", Self.opened, delivery: delivery)
        #expect(again.status == 200 && again.answer.contains("\"status\":\"duplicate\""), "\(again.answer)")
        let events = try world.events()
        #expect(events.count == 1)
        #expect(events.first?["kind"] as? String == "github-webhook")
        #expect(events.first?["repository"] as? String == "web-platform-tests/wpt")
        #expect(events.first?["detail"] as? String == "pull_request opened #101 (delivery \(delivery))")

        // A newer head, then the old delivery redelivered late: the newer head stays.
        let moved = String(repeating: "c", count: 40)
        let synchronize = WebhookBodies.event("synchronize", WebhookBodies.pullRequest(number: 101, head: moved, updatedAt: "2026-11-20T10:05:00Z"))
        #expect(try world.post("pull_request", synchronize).status == 202)
        let review = WebhookBodies.event("submitted", WebhookBodies.pullRequest(number: 101, head: moved, updatedAt: "2026-11-20T10:06:00Z"), extra: """
            , "review": {"user": {"login": "bob"}, "state": "approved", "commit_id": "\(moved)", "submitted_at": "2026-11-20T10:06:00Z"}
            """)
        #expect(try world.post("pull_request_review", review).status == 202)
        let own = WebhookBodies.event("opened", WebhookBodies.pullRequest(number: 102, branch: "gecko/1234567"))
        #expect(try world.post("pull_request", own).status == 202)
        _ = try world.wptsync(["process"])
        #expect(try world.post("pull_request", Self.opened, delivery: UUID().uuidString).status == 202)
        _ = try world.wptsync(["process"])

        let seen = try world.downstreams()
        #expect(seen.map { $0["pull_request"] as? Int } == [102, 101])
        let pr = seen.last ?? [:]
        #expect(pr["head"] as? String == moved)
        #expect(pr["head_branch"] as? String == "fix-flexbox")
        #expect(pr["state"] as? String == "open")
        #expect(pr["head_approved"] as? Bool == true)
        #expect((pr["approvals"] as? [[String: Any]])?.first?["reviewer"] as? String == "bob")
        #expect(pr["ignored"] == nil)
        #expect(seen.first?["ignored"] as? String == "opened by wptsync's upstream sync (branch gecko/1234567)")
        #expect(try world.events().allSatisfy { $0["state"] as? String == "done" })
    }

    /// `serve` started while its PostgreSQL store is down still takes deliveries: to the spool until
    /// the store answers, then straight into it; the worker imports the spooled ones; each once.
    @Test(.enabled(if: PostgresCluster.binaries != nil)) func aServeStartedWhileItsStoreIsDownSpoolsThenRecords() throws {
        let cluster = try PostgresCluster()
        let url = try cluster.createDatabase()
        let dir = TempDir("webhooks-store-down")
        let config = dir.sub("wptsync.toml"), secretFile = dir.sub("webhook-secret")
        try writeFile(secretFile, "it's a secret to everybody\n")
        try writeFile(config, """
            [store]
            path = "\(dir.sub("state/wptsync.sqlite"))"
            url = "\(url)"

            [serve]
            listen = "127.0.0.1:0"
            secret_file = "\(secretFile)"

            """)
        _ = try sh(builtProduct("wptsync"), ["migrate", "--config", config], in: dir.path)
        cluster.stop()
        let world = try World(config: config, secretFile: secretFile, dir: dir)
        #expect(world.port != 0, "serve starts without its store: \(world.serve.output)")
        let (early, late) = (UUID().uuidString, UUID().uuidString)
        let spooled = try world.post("pull_request", Self.opened, delivery: early)
        #expect(spooled.status == 202 && spooled.answer.contains("\"status\":\"spooled\""), "\(spooled.answer)")
        #expect(SpoolFile(path: dir.sub("state/wptsync.sqlite.spool")).isEmpty == false)

        try cluster.start()
        let synchronize = WebhookBodies.event("synchronize", WebhookBodies.pullRequest(number: 101, head: String(repeating: "d", count: 40),
                                                                                      updatedAt: "2026-11-20T10:05:00Z"))
        let recorded = try world.post("pull_request", synchronize, delivery: late)
        #expect(recorded.status == 202 && recorded.answer.contains("\"status\":\"recorded\""), "\(recorded.answer)")
        // The spool was imported before the delivery that found the store again, as a hook does.
        #expect(SpoolFile(path: dir.sub("state/wptsync.sqlite.spool")).isEmpty)
        let again = try world.post("pull_request", Self.opened, delivery: early)
        #expect(again.status == 200 && again.answer.contains("\"status\":\"duplicate\""), "\(again.answer)")
        let details = try world.events().compactMap { $0["detail"] as? String }.sorted()
        #expect(details == ["pull_request opened #101 (delivery \(early))", "pull_request synchronize #101 (delivery \(late))"], "\(details)")
    }

    @Test func deliveriesArrivingTogetherAreEachRecordedOnce() throws {
        let world = try World()
        let deliveries = (1...24).map { String(format: "00000000-0000-4000-8000-%012d", $0) }
        let statuses = try world.postConcurrently(deliveries, Self.opened)
        #expect(statuses.count == 48 && statuses.allSatisfy { $0 == 200 || $0 == 202 }, "\(statuses)")
        #expect(statuses.filter { $0 == 202 }.count == 24)
        let events = try world.events()
        #expect(events.count == 24)
        #expect(Set(events.compactMap { ($0["detail"] as? String)?.split(separator: " ").last?.dropLast() }.map(String.init)) == Set(deliveries))
    }

    /// The body is kept as it came (a BLOB beside the payload), not re-encoded into the payload's JSON.
    @Test func aDeliveryIsRecordedWithItsBodyByteForByte() throws {
        let world = try World()
        let body = Array(String(decoding: Self.opened, as: UTF8.self).replacingOccurrences(of: "Fixes a test", with: #"Fixes a \"test\" in caf\u00e9"#).utf8)
        #expect(try world.post("pull_request", body).status == 202)
        let journal = world.dir.sub("state/wptsync.sqlite")
        let stored = try sh("sqlite3", [journal, "SELECT hex(body) FROM events"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(stored == body.map { String(format: "%02X", $0) }.joined())
        #expect(try !sh("sqlite3", [journal, "SELECT payload FROM events"]).contains("Fixes a"))
        _ = try world.wptsync(["process"])
        #expect(try world.downstreams().first?["pull_request"] as? Int == 101)
    }

    @Test func unsignedOrWronglySignedDeliveriesAreRefusedAndNotRecorded() throws {
        let world = try World()
        let unsigned = try world.post("pull_request", Self.opened, sign: "none")
        #expect(unsigned.status == 401 && unsigned.answer.contains("not signed"), "\(unsigned.answer)")
        let forged = try world.post("pull_request", Self.opened, sign: "wrong")
        #expect(forged.status == 401 && forged.answer.contains("does not match"), "\(forged.answer)")
        #expect(try world.events().isEmpty)
        let log = (try? String(contentsOfFile: world.dir.sub("state/wptsync.jsonl"), encoding: .utf8)) ?? ""
        #expect(log.components(separatedBy: "\"http_status\":\"401\"").count == 3, "\(log)")
        #expect(!log.contains("it's a secret") && !world.serve.output.contains("it's a secret"))
    }

    @Test func otherEventsAndPingsAreAcknowledgedNotRecorded() throws {
        let world = try World()
        let push = try world.post("push", Array(#"{"ref": "refs/heads/master", "repository": {"full_name": "web-platform-tests/wpt"}}"#.utf8))
        #expect(push.status == 200 && push.answer.contains("ignored"), "\(push.answer)")
        let ping = try world.post("ping", Array(#"{"zen": "Design for failure.", "hook_id": 1}"#.utf8))
        #expect(ping.status == 200 && ping.answer.contains("pong"), "\(ping.answer)")
        let elsewhere = try world.post("pull_request", Array(String(decoding: Self.opened, as: UTF8.self)
            .replacingOccurrences(of: "\"repository\": {\"full_name\": \"web-platform-tests/wpt\"}", with: "\"repository\": {\"full_name\": \"someone/else\"}").utf8))
        #expect(elsewhere.status == 200 && elsewhere.answer.contains("someone/else"), "\(elsewhere.answer)")
        #expect(try world.events().isEmpty)
    }

    @Test func oversizedAndMalformedBodiesAreRefusedNamingWhy() throws {
        let world = try World(extraServe: "max_body_bytes = 2048")
        let huge = Array(String(decoding: Self.opened, as: UTF8.self).replacingOccurrences(of: "Fixes a test", with: String(repeating: "x", count: 4000)).utf8)
        let tooLarge = try world.post("pull_request", huge)
        #expect(tooLarge.status == 413 && tooLarge.answer.contains("larger than 2048 bytes"), "\(tooLarge.answer)")
        #expect(try world.post("pull_request", huge, chunked: true).status == 413)
        let broken = try world.post("pull_request", Array(#"{"action": "opened", "pull_request": "#.utf8))
        #expect(broken.status == 400 && broken.answer.contains("is not a JSON object"), "\(broken.answer)")
        let noHead = try world.post("pull_request", Array(String(decoding: Self.opened, as: UTF8.self)
            .replacingOccurrences(of: "\"sha\": \"\(WebhookBodies.head)\"", with: "\"sha\": 12").utf8))
        #expect(noHead.status == 400 && noHead.answer.contains("`pull_request.head.sha` is a number, not a string"), "\(noHead.answer)")
        #expect(try world.events().isEmpty)
        // The service still takes a good delivery after all that.
        #expect(try world.post("pull_request", Self.opened).status == 202)
    }

    @Test func aBadListenAddressOrAnUnreadableSecretIsAConfigurationError() throws {
        let dir = TempDir("webhooks-config")
        try writeFile(dir.sub("wptsync.toml"), "[serve]\nlisten = \"localhost:8765\"\n")
        let result = try ProcessRunner.run(builtProduct("wptsync"), ["check-config", "--config", dir.sub("wptsync.toml")], in: dir.path,
                                           extraEnvironment: testEnvironment)
        #expect(result.status == 78)
        #expect(result.stderrString.contains("`serve.listen` is \"localhost:8765\", which has \"localhost\" as its address"), "\(result.stderrString)")

        try writeFile(dir.sub("wptsync.toml"), "[store]\npath = \"\(dir.sub("j.sqlite"))\"\n[serve]\nsecret_env = \"HOOK_SECRET_FOR_TEST\"\n")
        let check = try ProcessRunner.run(builtProduct("wptsync"), ["check-config", "--config", dir.sub("wptsync.toml")], in: dir.path,
                                          extraEnvironment: testEnvironment)
        #expect(check.stdoutString.contains("warning: `wptsync serve` cannot start here: the webhook secret (environment variable HOOK_SECRET_FOR_TEST"),
                "\(check.stdoutString)")
        let serve = try ProcessRunner.run(builtProduct("wptsync"), ["serve", "--config", dir.sub("wptsync.toml")], in: dir.path,
                                          extraEnvironment: testEnvironment)
        #expect(serve.status == 78)
        #expect(serve.stderrString.contains("the webhook secret cannot be read") && serve.stderrString.contains("HOOK_SECRET_FOR_TEST"),
                "\(serve.stderrString)")
    }
}
