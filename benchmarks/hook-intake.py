#!/usr/bin/env python3
"""Hook intake benchmark (see docs/PERFORMANCE.md).

Measures, with the release build:
  1. the wall time of `wptsync-hook hg-changegroup`, from process start to exit, for pushes of
     1 changeset and of 1,000 changesets, with no worker running and with a worker holding the
     journal open (as in production). Every run records a new event, so every run writes and
     fsyncs the journal;
  2. the time `wptsync process` needs per event for events that do nothing (git pushes whose
     handler only describes them).

  3. with --baseline, each hook run paired with a `sqlite3` command-line durable insert into the same
     journal (synchronous = FULL), and the ratio of the medians; with --busy, all of it while another
     process keeps one core busy. Beside the wall time, each row gives the CPU time (user + system) of
     the processes: on a machine whose disk is shared, fsync waits swamp the wall times, not the CPU.

Usage: benchmarks/hook-intake.py [--runs N] [--events N] [--baseline] [--busy] [--bin DIR]
       (after `swift build -c release`, or with --bin pointing at another build's folder)
"""
import argparse, os, resource, sqlite3, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release")
SQLITE_INSERT = ("PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; INSERT INTO events(kind, repository, dedupe_key, payload, received_at, state)"
                 " VALUES ('hg-push', 'autoland', 'baseline:{n}', '{{}}', julianday('now'), 'done');")
ENV = dict(os.environ, HGPLAIN="1", HGRCPATH="", HGUSER="Bench <bench@example.com>")


def run(args, **kw):
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(args, check=True, env=kw.pop("env", ENV), **kw)


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def time_hook(repo, config, first, last):
    env = dict(ENV, WPTSYNC_CONFIG=config, HG_NODE=first, HG_NODE_LAST=last, HG_SOURCE="push", HG_HOOKTYPE="changegroup")
    return timed([os.path.join(BIN, "wptsync-hook"), "hg-changegroup"], cwd=repo, env=env)


def timed(args, **kw):
    """Wall and CPU (user + system) milliseconds of one process."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(args, check=True, **kw)
    wall, after = (time.perf_counter() - start) * 1000, resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000


def time_sqlite3(journal, n):
    return timed(["sqlite3", journal, SQLITE_INSERT.format(n=n)], stdout=subprocess.DEVNULL)


def main():
    global BIN
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--baseline", action="store_true", help="pair each hook with a sqlite3 command-line insert")
    parser.add_argument("--busy", action="store_true", help="keep one core busy meanwhile")
    parser.add_argument("--bin", help="the folder holding wptsync and wptsync-hook (default .build/release)")
    options = parser.parse_args()
    BIN = os.path.abspath(options.bin or BIN)
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if options.busy else None
    for exe in ("wptsync", "wptsync-hook"):
        if not os.path.exists(os.path.join(BIN, exe)):
            sys.exit(f"build first: swift build -c release (missing {exe})")

    with tempfile.TemporaryDirectory(prefix="wptsync-bench-") as tmp:
        repo = os.path.join(tmp, "autoland")
        run(["hg", "init", repo])
        run(["hg", "debugbuilddag", f"+{4 * options.runs + 1000}"], cwd=repo)
        nodes = run(["hg", "log", "-r", "0:tip", "-T", "{node}\n"], cwd=repo).stdout.decode().split()
        config = os.path.join(tmp, "wptsync.toml")
        with open(config, "w") as f:
            f.write(f'[store]\npath = "state/wptsync.sqlite"\n\n[[gecko]]\nname = "autoland"\npath = "{repo}"\n'
                    f'role = "integration"\n\n[wpt]\npath = "{tmp}/wpt.git"\n')
        run(["git", "init", "-q", "--bare", os.path.join(tmp, "wpt.git")])

        print(f"hook wall time, {options.runs} runs each (ms):")
        worker = None
        start = 0
        for situation in ("no worker running", "a worker holds the journal open"):
            if situation.startswith("a worker"):
                worker = sqlite3.connect(os.path.join(tmp, "state", "wptsync.sqlite"))
                worker.execute("SELECT COUNT(*) FROM events").fetchone()
            for label, span in (("1 changeset", 1), ("1,000 changesets", 1000)):
                samples, cpu, baseline, baseline_cpu = [], [], [], []
                for i in range(options.runs):
                    wall, used = time_hook(repo, config, nodes[start + i], nodes[start + i + span - 1])
                    samples.append(wall), cpu.append(used)
                    if options.baseline:
                        wall, used = time_sqlite3(os.path.join(tmp, "state", "wptsync.sqlite"), start + i)
                        baseline.append(wall), baseline_cpu.append(used)
                start += options.runs
                median = statistics.median
                print(f"  {situation:32} {label:17} median {median(samples):5.1f}   p99 {percentile(samples, 99):5.1f}"
                      f"   min {min(samples):5.1f}   max {max(samples):5.1f}   cpu median {median(cpu):5.2f}")
                if baseline:
                    print(f"  {'':32} {'sqlite3 insert':17} median {median(baseline):5.1f}   p99 {percentile(baseline, 99):5.1f}"
                          f"   -> hook / sqlite3 medians {median(samples) / median(baseline):.2f}"
                          f"   cpu median {median(baseline_cpu):5.2f} -> {median(cpu) / median(baseline_cpu):.2f}")
        worker.close()
        if spinner:
            spinner.kill()

        wptsync = os.path.join(BIN, "wptsync")
        run([wptsync, "process", "--config", config])  # the hg events recorded above
        env = dict(ENV, WPTSYNC_CONFIG=config, GIT_DIR=os.path.join(tmp, "wpt.git"))
        for n in range(options.events):
            subprocess.run([os.path.join(BIN, "wptsync-hook"), "git-post-receive"], env=env, check=True,
                           input=f"{n:040x} {n + 1:040x} refs/heads/master\n".encode())
        began = time.perf_counter()
        run([wptsync, "process", "--config", config])
        busy = time.perf_counter() - began
        began = time.perf_counter()
        run([wptsync, "process", "--config", config])
        idle = time.perf_counter() - began
        print(f"wptsync process: {options.events} no-op events in {busy * 1000:.0f} ms, an empty run {idle * 1000:.0f} ms"
              f" -> {(busy - idle) / options.events * 1000:.2f} ms per event")


if __name__ == "__main__":
    main()
