#!/usr/bin/env python3
"""Mercurial reads benchmark (see docs/PERFORMANCE.md, "Mercurial reads").

Times the two reads the worker makes per changeset, `hg debugdata -c REV` (the raw changeset) and
`hg status --change REV` (its file changes), through one `hg serve --cmdserver pipe` (as the worker's
`HgCommandServer`) and as one `hg` process per query, on the last --changesets changesets of REPO,
each read --runs times; prints the medians.

REPO should be a large one: the landing benchmark's `--keep DIR` leaves DIR/work, a Gecko work tree
of 140,000 files (100,000 of them wpt) whose last 100 changesets are imported upstream PRs.

Usage: benchmarks/hg-reads.py REPO [--changesets 20] [--runs 5]
"""
import argparse, os, statistics, struct, subprocess, time

ENV = dict(os.environ, HGPLAIN="1", HGRCPATH="")


class CommandServer:
    """Mercurial's pipe protocol: one `runcommand` at a time, answers on channels o/e/r."""

    def __init__(self, repo):
        self.process = subprocess.Popen(["hg", "serve", "--cmdserver", "pipe"], cwd=repo, env=ENV,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.read()  # the hello message

    def read(self):
        channel, length = struct.unpack(">cI", self.process.stdout.read(5))
        return channel, self.process.stdout.read(4 if channel == b"r" else length) if channel in b"oer" else length

    def run(self, args):
        data = b"\0".join(a.encode() for a in args)
        self.process.stdin.write(b"runcommand\n" + struct.pack(">I", len(data)) + data)
        self.process.stdin.flush()
        output = []
        while True:
            channel, payload = self.read()
            if channel == b"o":
                output.append(payload)
            elif channel == b"r":
                assert struct.unpack(">i", payload)[0] == 0, args
                return b"".join(output)
            elif channel in b"IL":
                raise RuntimeError(f"hg asked for input: {args}")

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def timed(call):
    start = time.perf_counter()
    result = call()
    return (time.perf_counter() - start) * 1000, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("repo")
    parser.add_argument("--changesets", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    repo = os.path.abspath(options.repo)
    files = subprocess.run(["hg", "files", "-r", "tip"], cwd=repo, env=ENV, check=True, stdout=subprocess.PIPE).stdout.count(b"\n")
    revs = subprocess.run(["hg", "log", "-r", f"last(all(), {options.changesets})", "-T", "{rev}\n"], cwd=repo, env=ENV,
                          check=True, stdout=subprocess.PIPE).stdout.decode().split()
    queries = {"raw changeset (debugdata -c)": lambda rev: ["debugdata", "-c", rev],
               "file changes (status --change)": lambda rev: ["status", "--change", rev]}
    server = CommandServer(repo)
    server.run(["log", "-r", "tip", "-T", "{node}"])  # warm-up: the server loads the repository once
    print(f"{repo}: {files} files at tip, {len(revs)} changesets, {options.runs} runs each (median ms)")
    try:
        for label, args in queries.items():
            served, spawned = [], []
            for _ in range(options.runs):
                for rev in revs:  # alternated, so both meet the same load
                    ms, answer = timed(lambda: server.run(args(rev)))
                    served.append(ms)
                    ms, process = timed(lambda: subprocess.run(["hg"] + args(rev), cwd=repo, env=ENV, check=True,
                                                               stdout=subprocess.PIPE))
                    spawned.append(ms)
                    assert process.stdout == answer, (label, rev)
            print(f"  {label:32} command server {statistics.median(served):7.1f}   one hg per query {statistics.median(spawned):7.1f}")
    finally:
        server.close()


if __name__ == "__main__":
    main()
