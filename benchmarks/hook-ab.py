#!/usr/bin/env python3
"""Two builds of `wptsync-hook` run in turn against one journal, each push paired with a `sqlite3`
durable insert (see docs/PERFORMANCE.md): alternating the builds run by run leaves both the same
machine load, which separate runs of hook-intake.py on a shared machine do not.

Usage: benchmarks/hook-ab.py BEFORE_DIR AFTER_DIR [--runs N] [--worker]
       (each DIR holds a release build's wptsync-hook; --worker: a connection holds the journal open)
"""
import argparse, importlib.util, os, sqlite3, statistics, tempfile

spec = importlib.util.spec_from_file_location("intake", os.path.join(os.path.dirname(os.path.abspath(__file__)), "hook-intake.py"))
intake = importlib.util.module_from_spec(spec)
spec.loader.exec_module(intake)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("before"), parser.add_argument("after")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--worker", action="store_true", help="a connection holds the journal open, as a worker does")
    options = parser.parse_args()
    builds = {"before": os.path.abspath(options.before), "after": os.path.abspath(options.after)}
    with tempfile.TemporaryDirectory(prefix="wptsync-ab-") as tmp:
        repo = os.path.join(tmp, "autoland")
        intake.run(["hg", "init", repo])
        intake.run(["hg", "debugbuilddag", f"+{2 * options.runs + 1}"], cwd=repo)
        nodes = intake.run(["hg", "log", "-r", "0:tip", "-T", "{node}\n"], cwd=repo).stdout.decode().split()
        config = os.path.join(tmp, "wptsync.toml")
        with open(config, "w") as f:
            f.write(f'[store]\npath = "state/wptsync.sqlite"\n\n[[gecko]]\nname = "autoland"\npath = "{repo}"\nrole = "integration"\n')
        intake.BIN = builds["before"]
        intake.time_hook(repo, config, nodes[-1], nodes[-1])  # creates and migrates the journal
        journal = os.path.join(tmp, "state", "wptsync.sqlite")
        worker = sqlite3.connect(journal) if options.worker else None
        if worker:
            worker.execute("SELECT COUNT(*) FROM events").fetchone()
        samples = {name: ([], []) for name in (*builds, "sqlite3")}
        for i in range(options.runs):
            for n, (name, folder) in enumerate(builds.items()):
                intake.BIN = folder
                node = nodes[2 * i + n]
                for sample, value in zip(samples[name], intake.time_hook(repo, config, node, node)):
                    sample.append(value)
            for sample, value in zip(samples["sqlite3"], intake.time_sqlite3(journal, i)):
                sample.append(value)
        median = statistics.median
        base_wall, base_cpu = (median(s) for s in samples["sqlite3"])
        print(f"{options.runs} runs each, {'a worker holds the journal open' if worker else 'no worker running'} (ms):")
        for name, (wall, cpu) in samples.items():
            print(f"  {name:8} wall median {median(wall):5.1f}   p99 {intake.percentile(wall, 99):5.1f}   cpu median {median(cpu):5.2f}"
                  f"   -> / sqlite3: wall {median(wall) / base_wall:.2f}, cpu {median(cpu) / base_cpu:.2f}")
        if worker:
            worker.close()


if __name__ == "__main__":
    main()
