#!/usr/bin/env python3
"""Downstream benchmark of issue 12 (see docs/PERFORMANCE.md): from an upstream PR's opening to its
bug, and from its approval to its try push, on the local services, and where the time goes.

Builds a Gecko (hg: mozilla-central and a non-publishing try, FILES wpt files and a moz.build of
BLOCKS `with Files()` blocks), its wpt mirror and an upstream repository holding each PR's head at
`refs/pull/<n>/head` (git), starts the local Bugzilla and Taskcluster (`DownstreamServer`),
`wptsync serve` and `wptsync worker` (release build), then for each of RUNS PRs adding one test:
  1. posts its signed `pull_request` (opened) delivery and waits for its bug (`POST /rest/bug`);
  2. posts its signed `pull_request_review` (approved) delivery and waits for the try push's bug
     comment.
Phases, from clocks outside wptsync (medians and maxima in ms):
  webhook  request sent -> the event's `received_at` in the journal (answer: -> 202 received);
  pickup   recorded -> claimed by the worker (an SQLite trigger added to the journal notes it);
  read     claimed -> Bugzilla's bug search answered: the PR head fetched into the mirror, its
           changes diffed, mozilla-central pulled into wptsync's clone, moz.build read and matched;
  bug      search answered -> `POST /rest/bug` answered;
  build    claimed -> the try repository's `prechangegroup` hook: changes, pull, the try commit
           built in memory, and `hg push` started (up to its data arriving);
  push     `prechangegroup` -> `changegroup` (the push applied and committed);
  comment  -> the try push's bug comment answered.
Also the worker's and its hg command servers' peak resident memory (VmHWM).

Usage: benchmarks/downstream.py [--runs 10] [--files 5000] [--blocks 300] [--pr-files 1]
       (after `swift build -c release --product wptsync` and `--product DownstreamServer`)
"""
import argparse, hashlib, hmac, http.client, json, os, queue, shutil, socket, sqlite3, statistics, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = dict(os.environ, HGPLAIN="1", HGRCPATH="", HGUSER="Bench <bench@example.com>",
           GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
           GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com",
           GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")
SECRET = "bench-webhook-secret"


def run(args, **kw):
    return subprocess.run(args, check=True, env=kw.pop("env", ENV), stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw).stdout.decode()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def folder(n):
    return f"css/css-grid/g{n % 50}" if n % 3 == 0 else f"area{n % 40}/sub{n % 7}"


def build_world(tmp, files, blocks):
    gecko, central, tryrepo = (os.path.join(tmp, n) for n in ("gecko", "central", "try"))
    wpt, mirror, upstream = (os.path.join(tmp, n) for n in ("wpt", "wpt.git", "upstream.git"))
    run(["git", "init", "-q", "-b", "master", wpt])
    for n in range(files):
        write(os.path.join(wpt, folder(n), f"t{n}.html"), f"<title>{n}</title>\n")
    run(["git", "add", "-A"], cwd=wpt)
    run(["git", "commit", "-q", "-m", "wpt"], cwd=wpt)
    run(["hg", "init", gecko])
    shutil.copytree(wpt, os.path.join(gecko, "testing/web-platform/tests"), ignore=shutil.ignore_patterns(".git"))
    moz = "".join(f'with Files("tests/area{n % 40}/sub{n // 40}/**"):\n    BUG_COMPONENT = ("Core", "Area {n}")\n\n' for n in range(blocks))
    write(os.path.join(gecko, "testing/web-platform/moz.build"),
          moz + 'with Files("tests/css/css-grid/**"):\n    BUG_COMPONENT = ("Core", "Layout: Grid")\n')
    write(os.path.join(gecko, "dom/base/Document.cpp"), "int x;\n")
    run(["hg", "commit", "-A", "-q", "-m", "Initial import", "-d", "0 0"], cwd=gecko)
    for repo in (central, tryrepo):
        run(["hg", "clone", "-q", "-U", gecko, repo])
    hooks = os.path.join(tmp, "try-pushes")
    write(os.path.join(tryrepo, ".hg/hgrc"), "[phases]\npublish = False\n[hooks]\n"
          f"prechangegroup.bench = echo pre $(date +%s.%N) >> {hooks}\nchangegroup.bench = echo post $(date +%s.%N) >> {hooks}\n")
    for bare in (mirror, upstream):
        run(["git", "init", "-q", "--bare", "-b", "master", bare])
        run(["git", "push", "-q", bare, "master"], cwd=wpt)
    return dict(gecko=gecko, central=central, tryrepo=tryrepo, wpt=wpt, mirror=mirror, upstream=upstream, hooks=hooks)


def pull_request_head(world, number, pr_files):
    run(["git", "checkout", "-q", "-B", f"pr-{number}", "master"], cwd=world["wpt"])
    for k in range(pr_files):
        write(os.path.join(world["wpt"], f"css/css-grid/bench/pr{number}-{k}.html"), f"<title>PR {number} {k}</title>\n")
    run(["git", "add", "-A"], cwd=world["wpt"])
    run(["git", "commit", "-q", "-m", f"PR {number}"], cwd=world["wpt"])
    head = run(["git", "rev-parse", "HEAD"], cwd=world["wpt"]).strip()
    run(["git", "push", "-q", world["upstream"], f"HEAD:refs/pull/{number}/head"], cwd=world["wpt"])
    return head


def delivery(event, number, head, updated, review=None):
    pr = {"number": number, "html_url": f"https://github.com/web-platform-tests/wpt/pull/{number}", "state": "open",
          "title": f"Bench PR {number}", "user": {"login": "alice"}, "body": "A benchmark PR.\n", "labels": [],
          "updated_at": updated, "merged_at": None, "merged_by": None,
          "head": {"ref": f"pr-{number}", "sha": head, "repo": {"full_name": "alice/wpt"}},
          "base": {"ref": "master", "sha": "b" * 40, "repo": {"full_name": "web-platform-tests/wpt"}}}
    body = {"action": "submitted" if review else "opened", "pull_request": pr,
            "repository": {"full_name": "web-platform-tests/wpt"}, "sender": {"login": "alice"}}
    if review:
        body["review"] = {"user": {"login": "bob"}, "state": "approved", "commit_id": head, "submitted_at": updated}
    return json.dumps(body).encode()


def post(port, event, body):
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    began = time.time()
    connection.request("POST", "/github/webhook", body=body, headers={
        "Content-Type": "application/json", "X-GitHub-Event": event, "X-GitHub-Delivery": os.urandom(16).hex(),
        "X-Hub-Signature-256": signature})
    response = connection.getresponse()
    answer = json.loads(response.read())
    assert response.status == 202, (response.status, answer)
    return began, time.time(), int(answer["event"])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--blocks", type=int, default=300)
    parser.add_argument("--pr-files", type=int, default=1)
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release"))
    options = parser.parse_args()
    for exe in ("wptsync", "DownstreamServer"):
        if not os.path.exists(os.path.join(options.bin, exe)):
            sys.exit(f"build first: swift build -c release --product {exe}")
    with tempfile.TemporaryDirectory(prefix="wptsync-downstream-") as tmp:
        world = build_world(tmp, options.files, options.blocks)
        services = subprocess.Popen([os.path.join(options.bin, "DownstreamServer")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=ENV)
        urls = dict(services.stdout.readline().decode().split() for _ in range(2))
        bugzilla_lines = queue.Queue()
        threading.Thread(target=lambda: [bugzilla_lines.put(line.decode().split()) for line in services.stdout], daemon=True).start()
        port, store = free_port(), os.path.join(tmp, "state", "wptsync.sqlite")
        config = os.path.join(tmp, "wptsync.toml")
        write(config, f'[store]\npath = "{store}"\n\n'
                      f'[[gecko]]\nname = "mozilla-central"\npath = "{world["central"]}"\nrole = "central"\n\n'
                      f'[wpt]\npath = "{world["mirror"]}"\nupstream_push_url = "{world["upstream"]}"\n\n'
                      f'[serve]\nlisten = "127.0.0.1:{port}"\nsecret_env = "BENCH_WEBHOOK_SECRET"\n\n'
                      f'[downstream]\nbugzilla_url = "{urls["bugzilla"]}"\nbugzilla_api_key_env = "BENCH_BUGZILLA_KEY"\n'
                      f'taskcluster_url = "{urls["taskcluster"]}"\ntry_repository = "{world["tryrepo"]}"\n'
                      f'poll_seconds = 3600\nreconcile_seconds = 0\n')
        env = dict(ENV, BENCH_WEBHOOK_SECRET=SECRET, BENCH_BUGZILLA_KEY="bench-key")
        wptsync = os.path.join(options.bin, "wptsync")
        run([wptsync, "process", "--config", config], env=env)
        db = sqlite3.connect(store)
        with db:
            db.execute("CREATE TABLE bench_claims (event INTEGER, claimed_at REAL)")
            db.execute("CREATE TRIGGER bench_claim AFTER UPDATE OF state ON events WHEN NEW.state = 'running'"
                       " BEGIN INSERT INTO bench_claims VALUES (NEW.id, NEW.lease_until - 600); END")
        db.close()
        serve = subprocess.Popen([wptsync, "serve", "--config", config], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        serve.stdout.readline()
        worker = subprocess.Popen([wptsync, "worker", "--config", config], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(2)

        def bugzilla(method, suffix, deadline=120):
            """The first Bugzilla request answered from now on with `method` and a path ending in `suffix`."""
            seen = []
            end = time.time() + deadline
            while time.time() < end:
                try:
                    line = bugzilla_lines.get(timeout=1)
                except queue.Empty:
                    continue
                seen.append(line)
                if line[1] == method and line[2].endswith(suffix):
                    return seen, float(line[3])
            sys.exit(f"no {method} {suffix} from wptsync within {deadline} s (saw {seen})")

        def claim(event):
            """When the event was recorded, and when the worker claimed it."""
            for _ in range(1000):
                row = sqlite3.connect(store).execute("SELECT received_at, claimed_at FROM events JOIN bench_claims"
                                                     " ON bench_claims.event = events.id WHERE id = ?", (event,)).fetchone()
                if row:
                    return row
                time.sleep(0.01)
            sys.exit(f"event {event} was never claimed")

        def peak_rss(process):
            """The process's and its children's (hg command servers) peak resident sizes, in MB."""
            def hwm(pid):
                with open(f"/proc/{pid}/status") as f:
                    return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) / 1024
            children = open(f"/proc/{process.pid}/task/{process.pid}/children").read().split()
            return hwm(process.pid), sum(hwm(child) for child in children)

        opened, approved = [], []
        try:
            for n in range(1, options.runs + 1):
                head = pull_request_head(world, n, options.pr_files)
                t0, t1, event = post(port, "pull_request", delivery("pull_request", n, head, "2026-11-20T10:00:00Z"))
                seen, filed = bugzilla("POST", "/rest/bug")
                search = next(float(line[3]) for line in seen if line[1] == "GET")
                recorded, claimed = claim(event)
                opened.append(dict(webhook=recorded - t0, answer=t1 - t0, pickup=claimed - recorded, read=search - claimed,
                                   bug=filed - search, total=filed - t0))
                time.sleep(0.5)
                t0, t1, event = post(port, "pull_request_review", delivery("pull_request_review", n, head, "2026-11-20T10:05:00Z", review=True))
                _, commented = bugzilla("POST", "/comment")
                recorded, claimed = claim(event)
                with open(world["hooks"]) as f:
                    marks = [line.split() for line in f][-2:]
                pre, post_ = float(marks[0][1]), float(marks[1][1])
                approved.append(dict(webhook=recorded - t0, answer=t1 - t0, pickup=claimed - recorded, build=pre - claimed, push=post_ - pre,
                                     comment=commented - post_, total=commented - t0))
                time.sleep(0.5)
            rss = peak_rss(worker)
        finally:
            worker.terminate(); worker.wait()
            serve.terminate(); serve.wait()
            services.stdin.close(); services.wait()
        tries = int(run(["hg", "log", "-R", world["tryrepo"], "-r", "draft()", "-T", "x"]).count("x"))
        assert tries == options.runs, f"{tries} try pushes for {options.runs} PRs"
        print(f"{options.runs} PRs of {options.pr_files} file(s), Gecko with {options.files} wpt files and {options.blocks + 1} moz.build blocks;"
              f" load average {os.getloadavg()[0]:.1f}; medians in ms (max):")
        for name, samples, phases in (("opened -> bug filed", opened, ("webhook", "answer", "pickup", "read", "bug")),
                                      ("approved -> try pushed", approved, ("webhook", "answer", "pickup", "build", "push", "comment"))):
            parts = ", ".join(f"{p} {statistics.median(s[p] for s in samples) * 1000:.0f} ({max(s[p] for s in samples) * 1000:.0f})" for p in phases)
            total = [s["total"] * 1000 for s in samples]
            print(f"  {name}: total {statistics.median(total):.0f} ({max(total):.0f}): {parts}")
        print(f"  peak resident memory: worker {rss[0]:.0f} MB, its hg command servers {rss[1]:.0f} MB")


if __name__ == "__main__":
    main()
