#!/usr/bin/env python3
"""Metadata update benchmark (issue 13; see docs/PERFORMANCE.md).

Generates, with a fixed seed, the wptreport.json files of 10 configurations (debug and opt builds
of linux, windows, mac, android, and 32-bit windows) for 5,000 tests of 10 subtests each (a tenth
are `.any.js` tests, whose window and worker variants share a metadata file), and Gecko metadata
for a third of the tests (expectations, conditions, a `bug` key, comments). Statuses mostly pass;
some fail everywhere, some on one platform or in debug only, a few differ between configurations
without a pattern, some subtests start passing (their entries go).

Then, per run, `MetadataBenchmark` decodes the reports, reads and parses the metadata files they
name, updates them (MetadataPlan.apply) and renders the changed ones (`--write`: writes them too), under `/usr/bin/time -v` for
the peak memory (maximum resident set size).

wptrunner's own update (`wpt update-expectations`) is not run side by side: it needs a wpt checkout
with its manifest (about 900 MB), which this machine cannot fetch.

Usage: benchmarks/metadata.py [--tests N] [--subtests N] [--configurations N] [--runs N] [--keep DIR]
       (after `swift build -c release --product MetadataBenchmark`)
"""
import argparse, json, os, random, re, shutil, statistics, subprocess, sys, tempfile, zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
META = "testing/web-platform/meta"
CONFIGURATIONS = [
    dict(os=os_, debug=debug, processor=processor, bits=bits, version=version)
    for os_, processor, bits, version in [("linux", "x86_64", 64, "Ubuntu 22.04"), ("win", "x86_64", 64, "10.2009"),
                                          ("mac", "aarch64", 64, "14.70"), ("android", "x86_64", 64, "14"),
                                          ("win", "x86", 32, "10.2009")]
    for debug in (False, True)
]


def test_ids(count):
    """`count` test ids in 50 folders; every tenth test is an `.any.js` test with two variants."""
    ids = []
    for i in range(count):
        folder = f"/bench/folder{i % 50}"
        if i % 10 == 9:
            ids.append(f"{folder}/script{i}.any.{'worker.' if i % 20 == 19 else ''}html")
        else:
            ids.append(f"{folder}/test{i}.html" + ("?variant=1" if i % 25 == 3 else ""))
    return ids


def status_of(rng_seed, configuration, kind):
    """A subtest's status in one configuration, for one of the behaviours below."""
    if kind == "pass":
        return "PASS"
    if kind == "fail":
        return "FAIL"
    if kind == "fail-on-win":
        return "FAIL" if configuration["os"] == "win" else "PASS"
    if kind == "fail-in-debug":
        return "FAIL" if configuration["debug"] else "PASS"
    return random.Random(rng_seed + configuration["os"] + str(configuration["debug"]) + str(configuration["bits"])).choice(["PASS", "FAIL", "TIMEOUT"])


def generate(folder, tests, subtests, configurations):
    rng = random.Random(13)
    ids = test_ids(tests)
    kinds = {}
    for test in ids:
        kinds[test] = [rng.choices(["pass", "fail", "fail-on-win", "fail-in-debug", "mixed"], [80, 8, 5, 5, 2])[0]
                       for _ in range(subtests)]
    os.makedirs(f"{folder}/reports")
    for index, configuration in enumerate(configurations):
        results = []
        for test in ids:
            timeout = configuration["os"] == "mac" and zlib.crc32(test.encode()) % 50 == 0
            results.append({"test": test, "status": "TIMEOUT" if timeout else "OK", "subtests": [
                {"name": f"subtest {s} of {test.rsplit('/', 1)[1]}", "status": status_of(f"{test}{s}", configuration, kind)}
                for s, kind in enumerate(kinds[test])]})
        with open(f"{folder}/reports/{index:02d}.json", "w") as out:
            json.dump({"run_info": configuration, "time_start": 0, "time_end": 1, "results": results}, out)
    # Existing metadata for a third of the tests: some still right, some now passing, comments and bugs.
    files = {}
    for i, test in enumerate(ids):
        if i % 3:
            continue
        path = test.split("?")[0]
        name = path.rsplit("/", 1)[1]
        source = re.sub(r"\.any\.(worker\.)?html$", ".any.js", path)
        section = [f"[{name}{test[len(path):]}]", "  bug: 1234567  # tracked"]
        for s, kind in enumerate(kinds[test]):
            if kind in ("fail", "pass") and s % 3 == 0:
                section += [f"  [subtest {s} of {name}]", "    expected: FAIL"]
            elif kind == "fail-on-win":
                section += [f"  [subtest {s} of {name}]", "    expected:", '      if os == "win": FAIL']
        files.setdefault(f"{folder}/gecko/{META}{source}.ini", []).append("\n".join(section) + "\n")
    for path, sections in files.items():
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as out:
            out.write("\n".join(sections))
    return len(files)


def measure(binary, folder, run, write):
    out = f"{folder}/out{run}" if write else "-"
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.run(["/usr/bin/time", "-v", binary, f"{folder}/reports", f"{folder}/gecko", out],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"MetadataBenchmark failed:\n{proc.stderr}")
    figures = json.loads(proc.stdout)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
    figures["peak_rss_mb"] = int(peak.group(1)) / 1024
    figures["cpu_s"] = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", proc.stderr).group(1)) for kind in ("User", "System"))
    figures["wall_s"] = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tests", type=int, default=5000)
    parser.add_argument("--subtests", type=int, default=10)
    parser.add_argument("--configurations", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="generate into this folder and keep it")
    parser.add_argument("--write", action="store_true", help="also write the changed files (to compare them)")
    args = parser.parse_args()
    binary = os.path.join(ROOT, ".build/release/MetadataBenchmark")
    if not os.access(binary, os.X_OK):
        sys.exit("build it first: swift build -c release --product MetadataBenchmark")
    folder = args.keep or tempfile.mkdtemp(prefix="metadata-bench-")
    try:
        if args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        files = generate(folder, args.tests, args.subtests, CONFIGURATIONS[:args.configurations])
        print(f"{args.configurations} configurations x {args.tests} tests x {args.subtests} subtests; "
              f"{files} metadata files in Gecko")
        runs = [measure(binary, folder, run, args.write) for run in range(args.runs)]
        for figures in runs:
            print(json.dumps(figures))
        for key in ("wall_s", "cpu_s", "decode_ms", "read_ms", "update_ms", "render_ms", "write_ms", "peak_rss_mb"):
            print(f"median {key}: {statistics.median(r[key] for r in runs):.1f}")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
