#!/usr/bin/env python3
"""Webhook intake benchmark (see docs/PERFORMANCE.md).

Starts `wptsync serve` on loopback with a fresh journal and sends it signed `pull_request` deliveries
(a 21 KB body like GitHub's, HMAC-SHA256 computed here with Python's `hmac`), each with its own
`X-GitHub-Delivery`, at a constant RATE requests/s for SECONDS seconds. The client is open-loop
(as wrk2's `-R`, which Debian's wrk lacks): request i is due at start + i/RATE whatever the answers
before it, on a keep-alive connection that is free (a new one when none is), and its latency is
counted from when it was due to its 2xx, so a stall delays every request behind it in the figures
too. Then it checks the journal (every delivery answered 2xx is recorded exactly once) and sends the
first deliveries again (same ids): acknowledged, nothing new recorded.

By default the journal already holds many finished deliveries when the timing starts (`--prefill`,
100,000, as a production journal is not empty: rows with random delivery ids written straight into
it after the warm-up, like `hook-postgres.py --prefill`); `--prefill 0` is the friendlier pattern of
an empty journal.

With several --bin (e.g. the build before a change and after it), the runs alternate between them
ROUNDS times, each with its own service and journal, so that both see the same machine load.

Usage: benchmarks/webhook.py [--rate 200] [--seconds 60] [--prefill 100000] [--rounds 1] [--bin .build/release ...] [--journal-dir /dev/shm]
       (after `swift build -c release --product wptsync`)
"""
import argparse, asyncio, hashlib, hmac, json, os, socket, sqlite3, statistics, subprocess, sys, tempfile, time, uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def body():
    """A pull_request `opened` delivery about the size of GitHub's (about 21 KB)."""
    user = {"login": "alice", "id": 1, "avatar_url": "https://avatars.githubusercontent.com/u/1?v=4", "type": "User"}
    repo = {"full_name": "web-platform-tests/wpt", "name": "wpt", "owner": user, "description": "Test suites for Web platform specs" * 4}
    pr = {"number": 1, "html_url": "https://github.com/web-platform-tests/wpt/pull/1", "state": "open", "title": "Fix a flexbox test",
          "user": user, "body": "A change to the flexbox tests.\n" * 600, "labels": [{"name": "css", "color": "ededed"}],
          "updated_at": "2026-11-20T10:00:00Z", "merged_at": None, "merged_by": None,
          "head": {"ref": "fix-flexbox", "sha": "a" * 40, "repo": repo, "user": user},
          "base": {"ref": "master", "sha": "b" * 40, "repo": repo, "user": user}}
    return json.dumps({"action": "opened", "number": 1, "pull_request": pr, "repository": repo, "sender": user}).encode()


class Client:
    """Sends deliveries over a pool of keep-alive connections, one request at a time on each."""

    def __init__(self, port, payload, signature):
        self.port, self.payload, self.signature = port, payload, signature
        self.idle = []
        self.statuses = {}

    def request(self, delivery):
        return (f"POST /github/webhook HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nContent-Type: application/json\r\n"
                f"User-Agent: GitHub-Hookshot/bench\r\nX-GitHub-Event: pull_request\r\nX-GitHub-Delivery: {delivery}\r\n"
                f"X-Hub-Signature-256: {self.signature}\r\nContent-Length: {len(self.payload)}\r\n\r\n").encode() + self.payload

    async def post(self, delivery, due, latencies):
        """Posts one delivery; records its status and its latency from `due` (loop time) to the answer."""
        reader, writer = self.idle.pop() if self.idle else await asyncio.open_connection("127.0.0.1", self.port)
        writer.write(self.request(delivery))
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        length = next(int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:"))
        await reader.readexactly(length)
        latencies.append(asyncio.get_running_loop().time() - due)
        self.statuses[delivery] = int(lines[0].split()[1])
        self.idle.append((reader, writer))

    async def run(self, deliveries, rate):
        """Sends `deliveries` at `rate` per second, open-loop; the latencies in seconds, in order of answer."""
        loop = asyncio.get_running_loop()
        latencies, tasks = [], []
        start = loop.time() + 0.05
        for index, delivery in enumerate(deliveries):
            due = start + index / rate
            await asyncio.sleep(max(0, due - loop.time()))
            tasks.append(asyncio.ensure_future(self.post(delivery, due, latencies)))
        await asyncio.gather(*tasks)
        return latencies, loop.time() - start

    def close(self):
        for _, writer in self.idle:
            writer.close()


def prefill(path, count):
    """`count` finished deliveries in the journal at `path`, one a second up to now, with random ids (never the
    `00000000-` and `ffffffff-` ones the run sends) and small payloads, in one transaction, then checkpointed."""
    if count == 0:
        return
    now = time.time()

    def rows():
        for n in range(count):
            delivery = str(uuid.uuid4())
            while delivery.startswith(("00000000-", "ffffffff-")):
                delivery = str(uuid.uuid4())
            at = now - (count - n)
            payload = json.dumps({"event": "pull_request", "delivery": delivery, "repository": "web-platform-tests/wpt"})
            yield ("github-webhook", "web-platform-tests/wpt", f"github-delivery:{delivery}", payload, "done", 1, at, at + 0.5)

    db = sqlite3.connect(path, timeout=30)
    with db:
        db.executemany("INSERT INTO events (kind, repository, dedupe_key, payload, state, attempts, received_at, finished_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows())
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def cpu_seconds(pid):
    """User + system CPU time of process `pid` so far (load-independent, unlike latency)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(wptsync, options, label):
    """One run against a fresh `wptsync serve`: a dict of figures, or raises on a mismatch."""
    with tempfile.TemporaryDirectory(prefix="wptsync-webhook-") as tmp:
        secret = os.urandom(20).hex()
        with open(os.path.join(tmp, "secret"), "w") as f:
            f.write(secret + "\n")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        state = tempfile.mkdtemp(prefix="wptsync-webhook-", dir=options.journal_dir or tmp)
        config = os.path.join(tmp, "wptsync.toml")
        with open(config, "w") as f:
            f.write(f'[store]\npath = "{state}/wptsync.sqlite"\n\n[serve]\nlisten = "127.0.0.1:{port}"\nsecret_file = "secret"\n\n'
                    f'[log]\nlevel = "warning"\n')
        server = subprocess.Popen([wptsync, "serve", "--config", config], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=tmp)
        try:
            if "listening" not in server.stdout.readline().decode():
                raise SystemExit(f"{wptsync} serve did not start")
            payload = body()
            client = Client(port, payload, "sha256=" + hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest())
            # Warm-up: connections opened, the journal created, the code paged in.
            asyncio.run(client.run([f"ffffffff-0000-4000-8000-{i:012x}" for i in range(2 * int(options.rate))], options.rate))
            client.idle = []
            prefill(os.path.join(state, "wptsync.sqlite"), options.prefill)
            deliveries = [f"00000000-0000-4000-8000-{i:012x}" for i in range(int(options.rate * options.seconds))]
            load = os.getloadavg()[0]
            cpu = cpu_seconds(server.pid)
            latencies, duration = asyncio.run(client.run(deliveries, options.rate))
            cpu = cpu_seconds(server.pid) - cpu
            client.idle = []
            statuses = [client.statuses[d] for d in deliveries]
            db = sqlite3.connect(os.path.join(state, "wptsync.sqlite"))
            query = "SELECT COUNT(*), COUNT(DISTINCT dedupe_key) FROM events WHERE kind = 'github-webhook' AND dedupe_key LIKE 'github-delivery:00000000-%'"
            recorded, distinct = db.execute(query).fetchone()
            total = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
            again = [f"00000000-0000-4000-8000-{i:012x}" for i in range(min(len(deliveries), int(options.rate) * 5))]
            asyncio.run(client.run(again, options.rate))
            redelivered = [client.statuses[d] for d in again]
            after = db.execute(query).fetchone()[0]
            ms = [x * 1000 for x in latencies]
            result = {"bin": label, "sent": len(deliveries), "rate": len(deliveries) / duration, "load": load,
                      "p50": percentile(ms, 50), "p90": percentile(ms, 90), "p99": percentile(ms, 99), "p99.9": percentile(ms, 99.9),
                      "max": max(ms), "cpu_ms": cpu * 1000 / len(deliveries), "recorded": recorded,
                      "once": recorded == distinct == len(deliveries) and all(s == 202 for s in statuses)
                      and after == recorded and all(s == 200 for s in redelivered)}
            print(f"{label}: {result['sent']} deliveries at {result['rate']:.0f}/s, {options.prefill} finished before, load average {load:.1f}: "
                  + ", ".join(f"{k} {result[k]:.2f} ms" for k in ("p50", "p90", "p99", "p99.9", "max"))
                  + f"; CPU {result['cpu_ms']:.2f} ms per delivery; journal {recorded} events, {distinct} distinct ({total} in all);"
                  f" {sum(s != 202 for s in statuses)} not 202; {len(again)} redelivered, {after - recorded} new events"
                  + ("" if result["once"] else "  MISMATCH"), flush=True)
            return result
        finally:
            server.terminate()
            server.wait(timeout=30)
            if options.journal_dir:
                subprocess.run(["rm", "-rf", state])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--prefill", type=int, default=100_000, help="finished deliveries in the journal before timing (0: empty)")
    parser.add_argument("--rounds", type=int, default=1, help="runs per --bin, alternating between them")
    parser.add_argument("--bin", action="append", help="a folder holding a release wptsync (default .build/release); repeat to compare")
    parser.add_argument("--journal-dir", help="where the journal lives (default: the temporary folder); "
                        "/dev/shm (tmpfs, fsync free) separates the service's own time from the disk's")
    options = parser.parse_args()
    folders = options.bin or [os.path.join(ROOT, ".build", "release")]
    binaries = [os.path.join(os.path.abspath(folder), "wptsync") for folder in folders]
    for binary in binaries:
        if not os.path.exists(binary):
            sys.exit(f"build first: swift build -c release --product wptsync (missing {binary})")
    results = [measure(binary, options, folder) for _ in range(options.rounds) for binary, folder in zip(binaries, folders)]
    if options.rounds > 1:
        for folder in folders:
            mine = [r for r in results if r["bin"] == folder]
            print(f"{folder}: medians of {len(mine)} runs: "
                  + ", ".join(f"{k} {statistics.median(r[k] for r in mine):.2f}" for k in ("p50", "p99", "p99.9", "cpu_ms", "load")))
    ok = all(r["once"] for r in results)
    print("every delivery recorded once" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
