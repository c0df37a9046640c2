#!/usr/bin/env python3
"""Metadata update benchmark (issue 13; see docs/PERFORMANCE.md).

Generates, with a fixed seed, the wptreport.json files of 10 configurations (debug and opt builds
of linux, windows, mac, android, and 32-bit windows) for 5,000 tests of 10 subtests each (a tenth
are `.any.js` tests, whose window and worker variants share a metadata file), and Gecko metadata
for a third of the tests (expectations, conditions, a `bug` key, comments). Statuses mostly pass;
some fail everywhere, some on one platform or in debug only, a few differ between configurations
without a pattern, some subtests start passing (their entries go). Each result carries wptreport's
`expected` field where its status is not the one the metadata expects (wptrunner updates only files
with such unexpected results).

Then, per run, `MetadataBenchmark` decodes the reports, reads and parses the metadata files they
name, updates them (MetadataPlan.apply) and renders the changed ones (`--write`: writes them too), under `/usr/bin/time -v` for
the peak memory (maximum resident set size).

With `--wptrunner TOOLS` (the `tools/` folder of a web-platform-tests checkout, fetched separately:
none of wpt's code is in this repository) and `--python PY` (a Python with wptrunner's requirements:
mozlog, mozinfo, six, html5lib, requests), it also writes the tests as files and their MANIFEST.json
(not timed), writes wptsync's changed files (to compare them; as wptrunner writes its own), runs
wptrunner's own update on the same reports and a copy of the same metadata
(benchmarks/metadata_wptrunner.py, each run under `/usr/bin/time -v`), and compares the two results
configuration by configuration (benchmarks/metadata_compare.py): every difference, grouped by kind.

With `--baseline BIN` (another build of MetadataBenchmark, such as one from before a change), each
run also runs BIN on the same data, alternating with this build's, and prints both medians.

Usage: benchmarks/metadata.py [--tests N] [--subtests N] [--configurations N] [--runs N] [--keep DIR]
                              [--baseline BIN] [--wptrunner TOOLS --python PY [--wptrunner-runs N]]
       (after `swift build -c release --product MetadataBenchmark`)
"""
import argparse, json, os, random, re, shutil, statistics, subprocess, sys, tempfile, zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metadata_compare  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELPER = os.path.join(ROOT, "benchmarks/metadata_wptrunner.py")
META = "testing/web-platform/meta"
TESTS = "testing/web-platform/tests"
PROPERTIES = "debug,os,version,processor,bits"
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


def expected_status(has_metadata, subtest, kind, configuration):
    """What the Gecko metadata written below expects of a subtest in a configuration."""
    if has_metadata and (kind in ("fail", "pass") and subtest % 3 == 0 or kind == "fail-on-win" and configuration["os"] == "win"):
        return "FAIL"
    return "PASS"


def result(entry, expected):
    """A wptreport.json result: `expected` is there when the status was not the expected one."""
    return {**entry, "expected": expected} if entry["status"] != expected else entry


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
        for i, test in enumerate(ids):
            timeout = configuration["os"] == "mac" and zlib.crc32(test.encode()) % 50 == 0
            results.append(result({"test": test, "status": "TIMEOUT" if timeout else "OK", "subtests": [
                result({"name": f"subtest {s} of {test.rsplit('/', 1)[1]}", "status": status_of(f"{test}{s}", configuration, kind)},
                       expected_status(i % 3 == 0, s, kind, configuration))
                for s, kind in enumerate(kinds[test])]}, "OK"))
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


def write_tests(folder, tests):
    """The test files of the generated ids under Gecko's tests folder, so that wpt can build a manifest."""
    harness = '<script src="/resources/testharness.js"></script><script src="/resources/testharnessreport.js"></script>\n'
    for test in test_ids(tests):
        path, _, variant = test.partition("?")
        if ".any." in path:
            path, body = re.sub(r"\.any\.(worker\.)?html$", ".any.js", path), "// META: global=window,dedicatedworker\ntest(() => {});\n"
        else:
            body = (f'<meta name="variant" content="?{variant}">\n' if variant else "") + harness
        target = f"{folder}/gecko/{TESTS}{path}"
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w") as out:
            out.write(body)


def timed(command, what):
    """Runs `command` under `/usr/bin/time -v`: its standard output and its wall, CPU and peak memory figures."""
    proc = subprocess.run(["/usr/bin/time", "-v"] + command, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"{what} failed:\n{proc.stderr[-4000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
    figures = {"peak_rss_mb": int(peak.group(1)) / 1024,
               "cpu_s": sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", proc.stderr).group(1)) for kind in ("User", "System")),
               "wall_s": int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))}
    return proc.stdout, figures


def measure(binary, folder, run, write):
    out = f"{folder}/out{run}" if write else "-"
    shutil.rmtree(out, ignore_errors=True)
    stdout, figures = timed([binary, f"{folder}/reports", f"{folder}/gecko", out], "MetadataBenchmark")
    return {**json.loads(stdout), **figures}


def measure_wptrunner(args, folder, run):
    """wptrunner's update of a fresh copy of Gecko's metadata (in place) from the same reports."""
    meta = f"{folder}/wptrunner{run}"
    shutil.rmtree(meta, ignore_errors=True)
    shutil.copytree(f"{folder}/gecko/{META}", meta)
    reports = sorted(f"{folder}/reports/{name}" for name in os.listdir(f"{folder}/reports"))
    _, figures = timed([args.python, HELPER, args.wptrunner, "update", f"{folder}/gecko/{TESTS}", meta,
                        f"{folder}/MANIFEST.json", PROPERTIES] + reports, "wptrunner's update")
    return figures


def ours_tree(folder, out):
    """Gecko's metadata with MetadataBenchmark's changes (written to `out`) applied."""
    tree = f"{folder}/ours"
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(f"{folder}/gecko/{META}", tree)
    for parent, _, names in os.walk(f"{out}/{META}"):
        for name in names:
            source = os.path.join(parent, name)
            target = os.path.join(tree, os.path.relpath(source, f"{out}/{META}"))
            if name.endswith(".deleted"):
                os.remove(target[:-len(".deleted")])
            else:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copyfile(source, target)
    return tree


def dump(args, folder, meta):
    proc = subprocess.run([args.python, HELPER, args.wptrunner, "dump", meta, f"{folder}/configurations.json"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"reading {meta} with wptrunner's parser failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout)


def median_line(label, runs, keys):
    return f"{label}: " + ", ".join(f"{key} {statistics.median(r[key] for r in runs):.2f}" for key in keys)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tests", type=int, default=5000)
    parser.add_argument("--subtests", type=int, default=10)
    parser.add_argument("--configurations", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="generate into this folder and keep it")
    parser.add_argument("--write", action="store_true", help="also write the changed files (to compare them)")
    parser.add_argument("--wptrunner", metavar="TOOLS", help="wpt's tools/ folder: run wptrunner's update side by side")
    parser.add_argument("--python", default=sys.executable, help="the Python to run wptrunner with")
    parser.add_argument("--wptrunner-runs", type=int, default=1)
    parser.add_argument("--baseline", metavar="BIN", help="another MetadataBenchmark binary to time in the same runs")
    args = parser.parse_args()
    binary = os.path.join(ROOT, ".build/release/MetadataBenchmark")
    if not os.access(binary, os.X_OK):
        sys.exit("build it first: swift build -c release --product MetadataBenchmark")
    if args.baseline and not os.access(args.baseline, os.X_OK):
        sys.exit(f"--baseline {args.baseline}: not an executable")
    if args.wptrunner and not os.path.isfile(os.path.join(args.wptrunner, "wptrunner/wptrunner/metadata.py")):
        sys.exit(f"--wptrunner {args.wptrunner}: not wpt's tools/ folder (no wptrunner/wptrunner/metadata.py in it)")
    folder = args.keep or tempfile.mkdtemp(prefix="metadata-bench-")
    try:
        if args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        configurations = CONFIGURATIONS[:args.configurations]
        files = generate(folder, args.tests, args.subtests, configurations)
        print(f"{args.configurations} configurations x {args.tests} tests x {args.subtests} subtests; "
              f"{files} metadata files in Gecko")
        write = args.write or bool(args.wptrunner)
        runs, baseline = [], []
        for run in range(args.runs):
            if args.baseline:
                baseline.append(measure(args.baseline, folder, f"-baseline{run}", write))
                print("baseline: " + json.dumps(baseline[-1]))
            runs.append(measure(binary, folder, run, write))
            print(json.dumps(runs[-1]))
        for key in ("wall_s", "cpu_s", "decode_ms", "read_ms", "update_ms", "render_ms", "write_ms", "peak_rss_mb"):
            print(f"median {key}: {statistics.median(r[key] for r in runs):.1f}"
                  + (f" (baseline {statistics.median(r[key] for r in baseline):.1f})" if baseline else ""))
        if not args.wptrunner:
            return
        write_tests(folder, args.tests)
        subprocess.run([args.python, HELPER, args.wptrunner, "manifest", f"{folder}/gecko/{TESTS}",
                        f"{folder}/MANIFEST.json"], check=True)
        with open(f"{folder}/configurations.json", "w") as out:
            json.dump(configurations, out)
        theirs = [measure_wptrunner(args, folder, run) for run in range(args.wptrunner_runs)]
        for figures in theirs:
            print("wptrunner: " + json.dumps(figures))
        keys = ("wall_s", "cpu_s", "peak_rss_mb")
        print(median_line("median wptsync", runs, keys))
        if baseline:
            print(median_line("median baseline", baseline, keys))
        print(median_line("median wptrunner", theirs, keys))
        for label, ours in [("wptsync", runs)] + ([("baseline", baseline)] if baseline else []):
            print(f"wptrunner / {label}: " + ", ".join(
                f"{key} {statistics.median(r[key] for r in theirs) / statistics.median(r[key] for r in ours):.1f}x" for key in keys))
        before = dump(args, folder, f"{folder}/gecko/{META}")
        ours = dump(args, folder, ours_tree(folder, f"{folder}/out{args.runs - 1}"))
        wptrunner = dump(args, folder, f"{folder}/wptrunner{args.wptrunner_runs - 1}")
        print(metadata_compare.report(before, ours, wptrunner, configurations))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
