#!/usr/bin/env python3
"""Replay benchmark (see docs/PERFORMANCE.md).

Builds an autoland repository with PUSHES pushes of 1 to 3 changesets, one in ten touching wpt
(`benchmarks/replay_hggen.py`), serves its pushlog on loopback (`PushlogServer`, the local pushlog),
and times, with the release build and no GitHub configured (upstreaming off, so the worker reads
and classifies each push's changesets):
  1. `wptsync replay --pushes 1:PUSHES --dry-run`;
  2. `wptsync replay --pushes 1:PUSHES`: every push recorded and processed, one at a time;
  3. the same replay again: every push already recorded.
Peak memory is `/usr/bin/time -v`'s maximum resident set size of the `wptsync` process.

Usage: benchmarks/replay.py [--pushes N] [--wpt-every N]   (after `swift build -c release`)
"""
import argparse, os, re, sqlite3, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release")
ENV = dict(os.environ, HGPLAIN="1", HGRCPATH="", HGUSER="Bench <bench@example.com>")


def run(args, **kw):
    return subprocess.run(args, check=True, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def timed(args):
    """Wall seconds, max RSS in MB, and stdout of one run under /usr/bin/time -v."""
    began = time.perf_counter()
    result = run(["/usr/bin/time", "-v"] + args)
    seconds = time.perf_counter() - began
    rss = int(re.search(rb"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1)) / 1024
    return seconds, rss, result.stdout.decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pushes", type=int, default=1000)
    parser.add_argument("--wpt-every", type=int, default=10)
    options = parser.parse_args()
    for exe in ("wptsync", "PushlogServer"):
        if not os.path.exists(os.path.join(BIN, exe)):
            sys.exit(f"build first: swift build -c release (missing {exe})")

    with tempfile.TemporaryDirectory(prefix="wptsync-replay-") as tmp:
        repo = os.path.join(tmp, "autoland")
        run(["hg", "init", repo])
        began = time.perf_counter()
        run(["hg", "--config", f"extensions.gen={ROOT}/benchmarks/replay_hggen.py",
             "wptsync-bench-pushes", str(options.pushes), str(options.wpt_every)], cwd=repo)
        changesets = len(run(["hg", "log", "-r", "all()", "-T", "x\n"], cwd=repo).stdout.split())
        print(f"repository: {options.pushes} pushes, {changesets} changesets, "
              f"{options.pushes // options.wpt_every} pushes touching wpt (built in {time.perf_counter() - began:.1f} s)")
        run(["git", "init", "-q", "--bare", os.path.join(tmp, "wpt.git")])

        server = subprocess.Popen([os.path.join(BIN, "PushlogServer"), repo], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=ENV)
        try:
            url = server.stdout.readline().decode().strip()
            config = os.path.join(tmp, "wptsync.toml")
            with open(config, "w") as f:
                f.write(f'[store]\npath = "state/wptsync.sqlite"\n\n[[gecko]]\nname = "autoland"\npath = "{repo}"\n'
                        f'role = "integration"\nurl = "{url}"\n\n[wpt]\npath = "{tmp}/wpt.git"\n\n[log]\nlevel = "warning"\n')
            wptsync = [os.path.join(BIN, "wptsync"), "replay", "--config", config, "--repository", "autoland",
                       "--pushes", f"1:{options.pushes}"]
            run([os.path.join(BIN, "wptsync"), "process", "--config", config])  # creates the journal

            for label, args in (("dry run", wptsync + ["--dry-run"]), ("replay", wptsync), ("replay again (all duplicates)", wptsync)):
                seconds, rss, out = timed(args)
                print(f"  {label:30} {seconds:6.2f} s  {options.pushes / seconds:7.1f} pushes/s   max RSS {rss:6.1f} MB")
                if label == "replay":
                    summary = [line for line in out.splitlines() if line.startswith("replay:")]
                    print(f"    {summary[-1] if summary else out[-300:]}")
            db = sqlite3.connect(os.path.join(tmp, "state", "wptsync.sqlite"))
            print("  events by state:", dict(db.execute("SELECT state, COUNT(*) FROM events GROUP BY state").fetchall()))
        finally:
            server.stdin.close()
            server.wait()


if __name__ == "__main__":
    main()
