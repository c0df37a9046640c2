#!/usr/bin/env python3
"""Worker benchmarks of issue 11 (see docs/PERFORMANCE.md), each run on this tree's release build
and, with --before DIR, on another checkout's release build in the same run:

  backlog  `wptsync process` draining N pending no-op events (git pushes whose handler only
           describes them), for N = 1,000 and 10,000; the events are one hook-recorded event
           cloned in SQL with new ref values, so the journal holds exactly what hooks write;
  recheck  an empty `wptsync process` (upstreaming configured, nothing to do) with 0 and with 500
           open syncs waiting for mozilla-central, median of --runs runs after one warm-up: once with
           central still (the re-check's remembered mark holds), once with a new Gecko-only
           changeset pushed to central before every run (untimed, no hook: the periodic safety net
           asks central about every waiting changeset, as after each central push it missed);
  latency  with `wptsync worker` running at the default 1 s poll: from `hg push` to autoland
           returning (and starting) to the pull request existing on a local GitHub
           (`GitHubServer`), --pushes pushes, each a new bug with a wpt change, at random moments.

Usage: benchmarks/worker.py [--before /path/to/other/checkout] [--only backlog,recheck,latency]
(after `swift build -c release` in each checkout)
"""
import argparse, json, os, random, sqlite3, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = dict(os.environ, HGPLAIN="1", HGRCPATH="", HGUSER="Bench <bench@example.com>",
           GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
           GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com")
TOKEN = "test-token"


def run(args, **kw):
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(args, check=True, env=kw.pop("env", ENV), **kw)


def node():
    return "%040x" % random.getrandbits(160)


class World:
    """Gecko (developer clone, autoland, central), the wpt mirror and a configuration, as the
    end-to-end tests' SyncWorld; `upstream` adds a local GitHub and its repository."""

    def __init__(self, tmp, build, upstream=None, hooks=True):
        self.tmp, self.build = tmp, build
        self.gecko, self.autoland, self.central = (os.path.join(tmp, n) for n in ("gecko", "autoland", "central"))
        self.mirror, self.config = os.path.join(tmp, "wpt.git"), os.path.join(tmp, "wptsync.toml")
        self.store = os.path.join(tmp, "state", "wptsync.sqlite")
        run(["hg", "init", self.gecko])
        for path, text in (("testing/web-platform/tests/README.md", "wpt\n"), ("dom/base/Document.cpp", "int x;\n")):
            self.write(path, text)
        run(["hg", "commit", "-A", "-q", "-m", "Initial import", "-d", "0 0"], cwd=self.gecko)
        for repo in (self.autoland, self.central):
            run(["hg", "init", repo])
            run(["hg", "push", "-q", repo], cwd=self.gecko)
        run(["git", "init", "-q", "--bare", "-b", "master", self.mirror])
        text = (f'[store]\npath = "{self.store}"\n\n'
                f'[[gecko]]\nname = "autoland"\npath = "{self.autoland}"\nrole = "integration"\n\n'
                f'[[gecko]]\nname = "mozilla-central"\npath = "{self.central}"\nrole = "central"\n\n'
                f'[wpt]\npath = "{self.mirror}"\nrefs = ["refs/heads/master"]\n')
        if upstream:
            text += (f'upstream_push_url = "{upstream[1]}"\n\n[github]\napi = "{upstream[0]}"\n'
                     f'repo = "web-platform-tests/wpt"\ntoken_env = "WPTSYNC_BENCH_TOKEN"\n')
        with open(self.config, "w") as f:
            f.write(text)
        if hooks:
            self.wptsync("install-hooks", self.autoland, self.central, self.mirror)

    def write(self, path, text):
        full = os.path.join(self.gecko, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)

    def wptsync(self, *args):
        return run([os.path.join(self.build, "wptsync"), *args, "--config", self.config],
                   env=dict(ENV, WPTSYNC_BENCH_TOKEN=TOKEN), cwd=self.tmp)


def timed(function):
    began = time.perf_counter()
    function()
    return time.perf_counter() - began


def backlog(build, sizes):
    """Seconds `wptsync process` takes to drain each backlog size, less an empty run."""
    results = {}
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="wptsync-backlog-") as tmp:
            world = World(tmp, build, hooks=False)
            hook_env = dict(ENV, WPTSYNC_CONFIG=world.config, GIT_DIR=world.mirror)
            first = node()
            run([os.path.join(build, "wptsync-hook"), "git-post-receive"], env=hook_env,
                input=f"{'0' * 40} {first} refs/heads/master\n".encode())
            db = sqlite3.connect(world.store)
            row = db.execute("SELECT kind, repository, dedupe_key, payload, received_at FROM events").fetchone()
            with db:
                for _ in range(size - 1):
                    new = node()
                    db.execute("INSERT INTO events (kind, repository, dedupe_key, payload, received_at, next_attempt_at)"
                               " VALUES (?, ?, ?, ?, ?, ?)",
                               (row[0], row[1], row[2].replace(first, new), row[3].replace(first, new), row[4], row[4]))
            db.close()
            busy = timed(lambda: world.wptsync("process"))
            idle = timed(lambda: world.wptsync("process"))
            done = sqlite3.connect(world.store).execute("SELECT COUNT(*) FROM events WHERE state = 'done'").fetchone()[0]
            assert done == size, f"{done} of {size} events done"
            results[size] = busy - idle
    return results


def open_syncs(store, count):
    """`count` open syncs, one pending (not yet in central) changeset each, as the worker stores them."""
    db = sqlite3.connect(store)
    with db:
        for n in range(count):
            change = node()
            record = {"id": 0, "version": 1, "bug": 100000 + n, "sequence": 0, "status": "open",
                      "changesets": [{"node": change, "backedOut": False, "inCentral": False, "skipped": False}],
                      "exportedNodes": [change], "failingChecks": [], "pullRequest": n + 1,
                      "waitingFor": "landing on mozilla-central"}
            cursor = db.execute("INSERT INTO upstream_syncs (bug, sequence, status, record) VALUES (?, 0, 'open', '{}')",
                                (100000 + n,))
            record["id"] = cursor.lastrowid
            db.execute("UPDATE upstream_syncs SET record = ? WHERE id = ?", (json.dumps(record, sort_keys=True), cursor.lastrowid))
            db.execute("INSERT INTO upstream_sync_nodes (node, sync_id) VALUES (?, ?)", (change, cursor.lastrowid))
    db.close()


def recheck(build, counts, runs, moving):
    """Median seconds of an empty `wptsync process` with each number of open syncs; with `moving`,
    central gets a new changeset before each run."""
    results = {}
    for count in counts:
        with tempfile.TemporaryDirectory(prefix="wptsync-recheck-") as tmp:
            # No request reaches GitHub: nothing is landed, so nothing is reconciled.
            world = World(tmp, build, upstream=("http://127.0.0.1:9", os.path.join(tmp, "upstream.git")), hooks=False)
            run(["git", "init", "-q", "--bare", os.path.join(tmp, "upstream.git")])
            world.wptsync("process")
            open_syncs(world.store, count)
            world.wptsync("process")  # warm-up (and the first re-check, which asks central)
            samples = []
            for n in range(runs):
                if moving:
                    world.write("dom/base/Document.cpp", f"int x = {n};\n")
                    run(["hg", "commit", "-q", "-m", f"Bug {n} - Gecko only", "-d", "0 0"], cwd=world.gecko)
                    run(["hg", "push", "-q", world.central], cwd=world.gecko)
                samples.append(timed(lambda: world.wptsync("process")))
            results[count] = statistics.median(samples)
            still = world.wptsync("list").stdout.decode().count(" open ")
            assert still == count, f"{still} of {count} syncs open"
    return results


def latency(build, server, pushes):
    """Per push, milliseconds from `hg push` returning, and from it starting, to the pull request
    existing. The first can be below 0: the worker may open the PR while `hg push` is exiting."""
    with tempfile.TemporaryDirectory(prefix="wptsync-latency-") as tmp:
        upstream, seed = os.path.join(tmp, "upstream.git"), os.path.join(tmp, "seed")
        run(["git", "init", "-q", "--bare", "-b", "master", upstream])
        run(["git", "init", "-q", "-b", "master", seed])
        with open(os.path.join(seed, "README.md"), "w") as f:
            f.write("wpt\n")
        run(["git", "add", "-A"], cwd=seed)
        run(["git", "commit", "-q", "-m", "Initial upstream"], cwd=seed)
        run(["git", "push", "-q", upstream, "master"], cwd=seed)
        github = subprocess.Popen([server, upstream], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=ENV)
        base = github.stdout.readline().decode().strip()
        world = World(tmp, build, upstream=(base, upstream))
        worker = subprocess.Popen([os.path.join(build, "wptsync"), "worker", "--config", world.config],
                                  env=dict(ENV, WPTSYNC_BENCH_TOKEN=TOKEN), cwd=tmp,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples = []
        try:
            time.sleep(2)  # the worker starts and goes idle
            for n in range(pushes):
                world.write(f"testing/web-platform/tests/bench/{n}.html", f"<p>{n}</p>\n")
                run(["hg", "commit", "-A", "-q", "-m", f"Bug {n + 1} - Add bench test {n}. r=me", "-d", "0 0"], cwd=world.gecko)
                started = time.monotonic()
                run(["hg", "push", "-q", "-r", "tip", world.autoland], cwd=world.gecko)
                pushed = time.monotonic()
                line = github.stdout.readline().decode().split()
                assert line[:2] == ["pr", str(n + 1)], line
                samples.append(((float(line[2]) - pushed) * 1000, (float(line[2]) - started) * 1000))
                time.sleep(random.uniform(0.3, 1.3))  # pushes do not come in step with the poll
        finally:
            worker.terminate()
            worker.wait()
            github.stdin.close()
            github.wait()
    return samples


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", help="another checkout whose .build/release to measure first")
    parser.add_argument("--only", default="backlog,recheck,latency")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pushes", type=int, default=20)
    options = parser.parse_args()
    builds = ([("before", os.path.join(options.before, ".build", "release"))] if options.before else []) \
        + [("after", os.path.join(ROOT, ".build", "release"))]
    server = os.path.join(ROOT, ".build", "release", "GitHubServer")
    for _, build in builds:
        for exe in ("wptsync", "wptsync-hook"):
            if not os.path.exists(os.path.join(build, exe)):
                sys.exit(f"build first: swift build -c release (missing {build}/{exe})")
    only = options.only.split(",")
    for label, build in builds:
        if "backlog" in only:
            drained = backlog(build, (1000, 10000))
            print(f"{label}: backlog: 1,000 events {drained[1000]:.2f} s, 10,000 events {drained[10000]:.2f} s"
                  f" -> ratio {drained[10000] / drained[1000]:.1f}", flush=True)
        if "recheck" in only:
            for moving, pattern in ((False, "central still"), (True, "central moved before each run")):
                empty = recheck(build, (0, 500), options.runs, moving)
                print(f"{label}: empty process, {pattern}: 0 open syncs {empty[0] * 1000:.0f} ms,"
                      f" 500 open syncs {empty[500] * 1000:.0f} ms -> {empty[500] / empty[0]:.2f}x", flush=True)
        if "latency" in only:
            samples = latency(build, server, options.pushes)
            for name, values in (("`hg push` returning", [s[0] for s in samples]), ("`hg push` starting", [s[1] for s in samples])):
                print(f"{label}: from {name} to the PR, {len(values)} pushes: median {statistics.median(values):.0f} ms,"
                      f" p90 {sorted(values)[int(0.9 * (len(values) - 1))]:.0f}, min {min(values):.0f}, max {max(values):.0f}", flush=True)


if __name__ == "__main__":
    main()
