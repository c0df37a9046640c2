#!/usr/bin/env python3
"""Webhook intake benchmark (see docs/PERFORMANCE.md).

Starts `wptsync serve` on loopback with a fresh journal and drives it with `wrk` (Debian: `apt-get
install wrk`): signed `pull_request` deliveries (a 20 KB body like GitHub's, HMAC-SHA256 computed
here with Python's `hmac`), each with its own `X-GitHub-Delivery`, at about RATE requests/s for
SECONDS seconds. wrk is closed-loop: CONNECTIONS connections each wait a fixed delay between a
response and the next request, set from a 5-second warm-up's median latency so that the rate comes
out near RATE (the rate reached is printed). Reports wrk's latency percentiles (request sent → 2xx received) and checks the journal:
every delivery answered 2xx is recorded exactly once. Then it redelivers the first deliveries
(same ids) for a few seconds and checks that nothing new is recorded.

Usage: benchmarks/webhook.py [--rate 200] [--seconds 60] [--connections 8] [--bin .build/release] [--journal-dir /dev/shm]
       (after `swift build -c release`)
"""
import argparse, hashlib, hmac, json, os, re, socket, sqlite3, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

LUA = r"""
local counter = FIRST
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function request()
  counter = counter + 1
  local delivery = string.format("%08x-0000-4000-8000-%012x", id, counter)
  return wrk.format("POST", "/github/webhook", {
    ["Content-Type"] = "application/json", ["User-Agent"] = "GitHub-Hookshot/bench",
    ["X-GitHub-Event"] = "pull_request", ["X-GitHub-Delivery"] = delivery,
    ["X-Hub-Signature-256"] = SIGNATURE }, BODY)
end
function delay() return DELAY end
function done(summary, latency, requests)
  io.write(string.format("requests %d\nnon2xx %d\nsocket_errors %d\nduration_us %d\n", summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.duration))
  for _, p in ipairs({50, 90, 99, 99.9}) do io.write(string.format("p%s %d\n", p, latency:percentile(p))) end
  io.write(string.format("max %d\n", latency.max))
end
"""


def body():
    """A pull_request `opened` delivery about the size of GitHub's (about 20 KB)."""
    user = {"login": "alice", "id": 1, "avatar_url": "https://avatars.githubusercontent.com/u/1?v=4", "type": "User"}
    repo = {"full_name": "web-platform-tests/wpt", "name": "wpt", "owner": user, "description": "Test suites for Web platform specs" * 4}
    pr = {"number": 1, "html_url": "https://github.com/web-platform-tests/wpt/pull/1", "state": "open", "title": "Fix a flexbox test",
          "user": user, "body": "A change to the flexbox tests.\n" * 600, "labels": [{"name": "css", "color": "ededed"}],
          "updated_at": "2026-11-20T10:00:00Z", "merged_at": None, "merged_by": None,
          "head": {"ref": "fix-flexbox", "sha": "a" * 40, "repo": repo, "user": user},
          "base": {"ref": "master", "sha": "b" * 40, "repo": repo, "user": user}}
    return json.dumps({"action": "opened", "number": 1, "pull_request": pr, "repository": repo, "sender": user}).encode()


def lua_string(data):
    return "[==[" + data.decode() + "]==]"


def wrk(url, script, seconds, connections):
    threads = min(2, connections)
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", script, url],
                         check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=seconds + 120).stdout.decode()
    return out, dict((k, float(v)) for k, v in re.findall(r"^(\S+) ([\d.]+)$", out, re.M))


def cpu_seconds(pid):
    """User + system CPU time of process `pid` so far (load-independent, unlike latency)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release"))
    parser.add_argument("--journal-dir", help="where the journal lives (default: the temporary folder); "
                        "/dev/shm (tmpfs, fsync free) separates the service's own time from the disk's")
    options = parser.parse_args()
    wptsync = os.path.join(os.path.abspath(options.bin), "wptsync")
    if not os.path.exists(wptsync):
        sys.exit(f"build first: swift build -c release (missing {wptsync})")
    if subprocess.run(["sh", "-c", "command -v wrk"], stdout=subprocess.DEVNULL).returncode != 0:
        sys.exit("needs wrk: apt-get install wrk")

    with tempfile.TemporaryDirectory(prefix="wptsync-webhook-") as tmp:
        secret = os.urandom(20).hex()
        with open(os.path.join(tmp, "secret"), "w") as f:
            f.write(secret + "\n")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        config = os.path.join(tmp, "wptsync.toml")
        with open(config, "w") as f:
            state = tempfile.mkdtemp(prefix="wptsync-webhook-", dir=options.journal_dir) if options.journal_dir else os.path.join(tmp, "state")
            f.write(f'[store]\npath = "{state}/wptsync.sqlite"\n\n[serve]\nlisten = "127.0.0.1:{port}"\nsecret_file = "secret"\n\n'
                    f'[log]\nlevel = "warning"\n')
        server = subprocess.Popen([wptsync, "serve", "--config", config], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=tmp)
        try:
            line = server.stdout.readline().decode()
            if "listening" not in line:
                sys.exit(f"wptsync serve did not start: {line}")
            payload = body()
            signature = "sha256=" + hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()
            url = f"http://127.0.0.1:{port}"
            script = os.path.join(tmp, "deliveries.lua")

            def write_script(delay_ms, first):
                with open(script, "w") as f:
                    f.write(f'BODY = {lua_string(payload)}\nSIGNATURE = "{signature}"\nDELAY = {delay_ms:.3f}\nFIRST = {first}\n' + LUA)

            # Warm-up (its deliveries numbered apart from the measured ones): the median latency sets the delay.
            write_script(options.connections / options.rate * 1000, 1_000_000)
            _, warm = wrk(url, script, 5, options.connections)
            delay_ms = max(0, options.connections / options.rate * 1000 - warm["p50"] / 1000)
            write_script(delay_ms, 0)
            time.sleep(1)
            db = sqlite3.connect(os.path.join(state, "wptsync.sqlite"))
            before = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
            print(f"wptsync serve on {url}, body {len(payload)} bytes, {options.connections} connections, {delay_ms:.1f} ms between requests")
            cpu_before = cpu_seconds(server.pid)
            out, result = wrk(url, script, options.seconds, options.connections)
            cpu = cpu_seconds(server.pid) - cpu_before
            requests = int(result["requests"])
            rate = requests / (result["duration_us"] / 1e6)
            print(f"{requests} deliveries in {result['duration_us'] / 1e6:.1f} s ({rate:.0f}/s), non-2xx {int(result['non2xx'])}, "
                  f"socket errors {int(result['socket_errors'])}")
            print("request → 2xx: " + ", ".join(f"{k} {result[k] / 1000:.2f} ms" for k in ("p50", "p90", "p99", "p99.9", "max")))
            print(f"wptsync serve CPU: {cpu * 1000 / max(requests, 1):.2f} ms per delivery; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            time.sleep(1)
            recorded, distinct = db.execute("SELECT COUNT(*), COUNT(DISTINCT dedupe_key) FROM events WHERE kind = 'github-webhook'").fetchone()
            recorded -= before
            distinct -= before
            # wrk counts answered requests; the few in flight when it stops may be recorded too.
            print(f"journal: {recorded} events ({distinct} distinct deliveries) for {requests} answered deliveries"
                  f" (at most {options.connections} in flight at the end)")
            ok = recorded == distinct and requests <= recorded <= requests + options.connections and result["non2xx"] == 0

            # The same ids again (each wrk thread's counter restarts): acknowledged, nothing recorded.
            out2, again = wrk(url, script, 5, options.connections)
            after = db.execute("SELECT COUNT(*) FROM events WHERE kind = 'github-webhook'").fetchone()[0] - before
            redelivered = int(again["requests"])
            print(f"redelivery: {redelivered} deliveries sent again (same ids), non-2xx {int(again['non2xx'])}, {after - recorded} new events")
            ok = ok and after == recorded and again["non2xx"] == 0
            print("every delivery recorded once" if ok else "MISMATCH")
            return 0 if ok else 1
        finally:
            server.terminate()
            server.wait(timeout=30)
            if options.journal_dir:
                subprocess.run(["rm", "-rf", state])


if __name__ == "__main__":
    sys.exit(main())
