#!/usr/bin/env python3
"""Export benchmark (issue 3; see docs/PERFORMANCE.md).

Builds a Gecko-like Mercurial repository whose `testing/web-platform/tests` holds a generated
wpt-sized tree (100,000+ files by default, in a realistic directory shape, plus Gecko files and
wpt metadata outside it), a bare git "wpt mirror" whose master holds the same tree, and wpt
changesets touching a few files each (modify, add, delete, rename, exec bit, binary, files outside
wpt), `--per-gap` of them after each gap of Gecko-only changesets (`--gaps`, as on autoland). Then:

  ours:     `ExportBenchmark` (UpstreamExporter, through one long-lived hg command server), from
            reading the changeset to the wpt commit written, in the same process: each changeset
            exported once, in commit order (a row per gap), as the worker meets them (the cursor
            advanced after each Gecko-only changeset, as per push; the advances are their own row)
            and without advancing (the export walks the whole gap), the first export after a server
            start, and, labelled, the issue-3 pattern (6 changesets cycled, mostly repeats);
  git:      with `--git`, the same Gecko as a git repository (export_gitgecko.py: same trees and
            commits, the import commit then the gap and wpt commits), the same changesets exported from
            it (UpstreamExporter over GitGecko), first seen in order and first after opening it; they
            must give the wpt trees of the hg path;
  baseline: what the production service does: in a git work tree of the mirror at master,
            `git apply --index -p4` of the changeset's `hg export --git` patch (limited to wpt
            paths beforehand, not timed), then `git commit`; the reset afterwards is not timed.

Generating the default world takes long (each Gecko-only changeset rewrites a 15 MB manifest):
use `--keep DIR` to reuse it.

Usage: benchmarks/export.py [--files N] [--gaps 0,10,100,1000] [--per-gap N] [--runs N] [--keep DIR] [--git]
       (after `swift build -c release --product ExportBenchmark`)
"""
import argparse, os, random, shutil, statistics, subprocess, sys, tempfile, time
import export_gitgecko

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HGGEN = os.path.join(ROOT, "benchmarks", "export_hggen.py")
WPT = b"testing/web-platform/tests/"
META = b"testing/web-platform/meta/"
ENV = dict(os.environ, HGPLAIN="1", HGRCPATH="", HGUSER="Bench <bench@example.com>",
           GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null",
           GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
           GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com")

TOP = [("css", 30), ("html", 16), ("dom", 3), ("fetch", 3), ("service-workers", 2), ("webrtc", 2),
       ("webdriver", 2), ("IndexedDB", 2), ("streams", 1), ("webaudio", 2), ("svg", 2), ("url", 1),
       ("workers", 1), ("websockets", 1), ("xhr", 1), ("editing", 1), ("encoding", 1), ("mathml", 1),
       ("webcodecs", 1), ("wasm", 1), ("cookies", 1), ("resources", 1), ("tools", 3), ("infrastructure", 1),
       ("custom-elements", 1), ("shadow-dom", 1), ("selection", 1), ("pointerevents", 1), ("uievents", 1),
       ("web-animations", 1), ("scroll-animations", 1), ("preload", 1), ("navigation-api", 1),
       ("trusted-types", 1), ("content-security-policy", 2), ("permissions-policy", 1), ("referrer-policy", 1),
       ("mixed-content", 1), ("clipboard-apis", 1), ("FileAPI", 1), ("intersection-observer", 1),
       ("resize-observer", 1), ("webxr", 1), ("webgl", 1), ("webgpu", 1), ("screen-orientation", 1)]
WORDS = ("align flex grid box block inline text font color border margin padding layout paint scroll "
         "overflow transform animation transition filter mask clip shape position float table list "
         "counter content selector cascade media query container element attribute event request "
         "response header cache worker fetch stream buffer encode decode parse serialize navigate "
         "history frame document window observer promise timer script style image video audio canvas "
         "form input button select option label focus pointer touch key wheel drag drop").split()
SUBDIRS = ("parsing animation crashtests reference support resources tentative semantics interfaces "
           "idlharness conformance-checkers scripting forms tabular-data rendering dynamic "
           "inheritance computed nested basic api headers security misc").split()


def words(rng, n):
    return "-".join(rng.choice(WORDS) for _ in range(n))


def content(rng, name):
    if name.endswith(b".png"):
        return b"\x89PNG\r\n\x1a\n" + rng.randbytes(rng.randint(200, 3000))
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 250)))
    lines = [f"<!DOCTYPE html>", f"<title>{words(rng, 3)}</title>",
             '<script src="/resources/testharness.js"></script>',
             '<script src="/resources/testharnessreport.js"></script>']
    lines += [f"<div id=t{k}>{body[k * 60:(k + 1) * 60]}</div>" for k in range(rng.randint(2, 20))]
    lines += ["<script>", f"test(() => {{ assert_true(true, '{words(rng, 2)}'); }});", "</script>", ""]
    return "\n".join(lines).encode()


def fill(rng, directory, count, depth, out):
    """Puts `count` files below `directory` (bytes, ending with '/'), wpt style."""
    here = count if depth >= 5 or count <= 40 else rng.randint(5, 40)
    stem = words(rng, 2)
    for k in range(here):
        kind = rng.random()
        if kind < 0.62:
            name, flag = f"{stem}-{k:03d}.html", b""
        elif kind < 0.72:
            name, flag = f"{stem}-{k:03d}-ref.html", b""
        elif kind < 0.86:
            name, flag = f"{words(rng, 2)}.any.js", b""
        elif kind < 0.93:
            name, flag = f"{words(rng, 1)}-{k}.png", b""
        elif kind < 0.98:
            name, flag = f"{words(rng, 1)}-{k}.py", (b"x" if rng.random() < 0.3 else b"")
        else:
            name, flag = f"{stem}-{k:03d}.html.headers", b""
        path = directory + name.encode()
        out[path] = (flag, content(rng, path))
    rest = count - here
    if rest <= 0:
        return
    subdirs = rng.sample(SUBDIRS, min(len(SUBDIRS), max(1, min(12, rest // 25 + 1))))
    shares = [rng.random() + 0.2 for _ in subdirs]
    total = sum(shares)
    left = rest
    for i, sub in enumerate(subdirs):
        n = left if i == len(subdirs) - 1 else int(rest * shares[i] / total)
        left -= n
        name = sub if rng.random() < 0.5 else f"{words(rng, 1)}-{sub}"
        fill(rng, directory + name.encode() + b"/", n, depth + 1, out)


def generate(files, others, seed=1):
    rng = random.Random(seed)
    tree = {}
    weight = sum(w for _, w in TOP)
    for name, w in TOP:
        share = files * w // weight
        if name == "css":
            for i in range(share // 700):
                fill(rng, f"css/css-{words(rng, 1)}-{i}/".encode(), 700, 1, tree)
        else:
            fill(rng, name.encode() + b"/", share, 0, tree)
    while len(tree) < files:
        fill(rng, f"misc-{len(tree)}/".encode(), min(500, files - len(tree)), 1, tree)
    tree[b"common/link-to-testharness.js"] = (b"l", b"../resources/testharness.js")
    tree[b"encoding/legacy-caf\xe9.html"] = (b"", b"caf\xe9 latin-1\n")
    hg = {WPT + path: value for path, value in tree.items()}
    wpt_paths = sorted(tree)
    for path in wpt_paths[::10]:
        hg[META + path + b".ini"] = (b"", b"[" + path.rsplit(b"/", 1)[-1] + b"]\n  expected: FAIL\n")
    for i in range(others):
        hg[f"{rng.choice(['dom', 'layout', 'js/src', 'netwerk', 'gfx'])}/{words(rng, 1)}/f{i}.cpp".encode()] = \
            (b"", f"// gecko file {i}\nint f{i}() {{ return {i}; }}\n".encode())
    return tree, hg


def record(op, path, flag=b"", source=b"", data=b""):
    return b"\0".join([op, path, flag, source, str(len(data)).encode(), b""]) + data


def run(args, **kw):
    kw.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(args, check=True, env=ENV, **kw)


def hg_commit(repo, records, message, user="Bench Author <author@example.com>", date="1700000000 -3600"):
    data = os.path.join(repo, ".hg", "bench-data")
    with open(data, "wb") as f:
        f.write(b"".join(records))
    out = run(["hg", "-R", repo, "--config", f"extensions.gen={HGGEN}", "wptsync-bench-commit", data,
               "-m", message, "-u", user, "-d", date]).stdout
    return out.decode().split()[-1]


def build(tmp, files, others, gaps, per_gap):
    hgrepo, mirror, tree = build_trees(tmp, files, others)
    return hgrepo, mirror, tree, changesets(hgrepo, tree, gaps, per_gap)


def build_trees(tmp, files, others):
    """The Gecko hg repository (one changeset) and the bare wpt mirror (master holds the same wpt tree)."""
    t0 = time.perf_counter()
    tree, hg = generate(files, others)
    hgrepo, mirror = os.path.join(tmp, "gecko"), os.path.join(tmp, "wpt.git")
    run(["hg", "init", hgrepo])
    base = hg_commit(hgrepo, [record(b"W", p, f, b"", d) for p, (f, d) in sorted(hg.items())],
                     "Import a wpt-sized tree")
    t1 = time.perf_counter()
    run(["git", "init", "-q", "--bare", "-b", "master", mirror])
    stream = [b"commit refs/heads/master\ncommitter Bench <bench@example.com> 1700000000 +0000\ndata 7\nimport\n"]
    modes = {b"": b"100644", b"x": b"100755", b"l": b"120000"}
    for path, (flag, data) in sorted(tree.items()):
        stream.append(b"M %s inline %s\ndata %d\n%s\n" % (modes[flag], path, len(data), data))
    run(["git", "-C", mirror, "fast-import", "--quiet"], input=b"".join(stream))
    run(["git", "-C", mirror, "gc", "-q"])
    t2 = time.perf_counter()
    print(f"generated {len(tree)} wpt files, {len(hg)} hg files: hg {t1 - t0:.1f} s, git {t2 - t1:.1f} s")
    return hgrepo, mirror, tree


def changesets(hgrepo, tree, gaps, per_gap):
    """wpt changesets on one line of development, each touching a few files, as (gap, node): first one
    right after the import (`warm`, which warms the command server), then `per_gap` for each gap, each
    after that many Gecko-only changesets."""
    rng = random.Random(7)
    html = sorted(p for p in tree if p.endswith(b".html") and tree[p][0] == b"")
    js = sorted(p for p in tree if p.endswith(b".any.js"))
    png = sorted(p for p in tree if p.endswith(b".png"))
    py = sorted(p for p in tree if p.endswith(b".py") and tree[p][0] == b"")
    pick = lambda pool: pool.pop(rng.randrange(len(pool)))
    mod = lambda p: record(b"W", WPT + p, tree[p][0], b"", tree[p][1].replace(b"</title>", b" (edited)</title>", 1))
    specs = [
        ("Fix grid alignment tests. r=alice", lambda k: [mod(pick(html)), mod(pick(html)),
            record(b"W", META + b"css/grid.ini", b"", b"", b"[grid.html]\n  expected: PASS\n# %d\n" % k)]),
        ("Add fetch tests. r=bob,carol", lambda k: [
            record(b"W", WPT + b"fetch/api/new-test-%d-1.any.js" % k, b"", b"", b"promise_test(async () => {});\n"),
            record(b"W", WPT + b"fetch/api/new-test-%d-2.any.js" % k, b"", b"", b"test(() => {});\n"),
            mod(pick(js)), record(b"W", b"dom/base/nsFoo.cpp", b"", b"", b"// gecko %d\n" % k)]),
        ("Rename a test. r=dave", lambda k: (lambda p: [
            record(b"D", WPT + p), record(b"W", WPT + p[:-5] + b"-renamed.html", b"", WPT + p, tree[p][1]),
            mod(pick(js))])(pick(html))),
        ("Remove an obsolete test. r=erin", lambda k: [record(b"D", WPT + pick(html)),
            mod(pick(html)), mod(pick(html))]),
        ("Update a reference image; make a handler executable. r=frank", lambda k: (lambda p, q: [
            record(b"W", WPT + p, b"", b"", tree[p][1] + b"\x00\xff"),
            record(b"W", WPT + q, b"x", b"", tree[q][1])])(pick(png), pick(py))),
        ("Touch five tests. r=grace", lambda k: [mod(pick(html)) for _ in range(5)]),
    ]
    series, k = [], 0
    for gap in ["warm"] + [g for g in gaps for _ in range(per_gap)]:
        if gap != "warm" and gap > 0:
            run(["hg", "-R", hgrepo, "--config", f"extensions.gen={HGGEN}", "wptsync-bench-gecko", str(gap), str(k)])
        message, make = specs[k % len(specs)]
        series.append((gap, hg_commit(hgrepo, make(k), f"Bug {1800001 + k} - {message}")))
        k += 1
    return series


def baseline(hgrepo, mirror, work, nodes, runs):
    """Times `git apply --index -p4` + `git commit` in a work tree of the mirror, per the production service."""
    run(["git", "clone", "-q", mirror, work])
    patches = {}
    for node in nodes:
        patch = run(["hg", "-R", hgrepo, "export", "--git", "-r", node]).stdout
        patches[node] = wpt_only(patch)
    times = []
    for i in range(runs):
        node = nodes[i % len(nodes)]
        start = time.perf_counter()
        subprocess.run(["git", "apply", "--index", "-p4"], input=patches[node], cwd=work, env=ENV, check=True)
        subprocess.run(["git", "commit", "-q", "-m", f"export {node}"], cwd=work, env=ENV, check=True)
        times.append((time.perf_counter() - start) * 1000)
        run(["git", "reset", "-q", "--hard", "origin/master"], cwd=work)
    return times


def wpt_only(patch):
    """Keeps the header and the file sections of a `hg export --git` patch that lie under wpt."""
    parts = patch.split(b"\ndiff --git ")
    keep = [parts[0]] + [p for p in parts[1:] if p.startswith(b"a/" + WPT)]
    return b"\ndiff --git ".join(keep)


def summary(label, times):
    ordered = sorted(times)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    print(f"{label:<44} median {statistics.median(times):8.2f} ms   p90 {p90:8.2f} ms   min {ordered[0]:8.2f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--others", type=int, default=30_000, help="Gecko files outside wpt")
    parser.add_argument("--gaps", default="0,10,100,1000", help="Gecko-only changesets before each wpt changeset, per row")
    parser.add_argument("--per-gap", type=int, default=5, help="wpt changesets (first-seen exports) per gap")
    parser.add_argument("--runs", type=int, default=60, help="runs of the cycling row and of the baseline")
    parser.add_argument("--keep", help="build (or reuse) the repositories in this folder")
    parser.add_argument("--git", action="store_true", help="also export from a git copy of the Gecko repository")
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "ExportBenchmark"))
    options = parser.parse_args()
    if not os.path.exists(options.bin):
        sys.exit(f"build first: swift build -c release --product ExportBenchmark (missing {options.bin})")
    gaps = [int(g) for g in options.gaps.split(",")]
    tmp = options.keep or tempfile.mkdtemp(prefix="wptsync-export-bench-")
    try:
        marker = os.path.join(tmp, "series")
        expected = f"{options.files} {options.others} {options.gaps} {options.per_gap}"
        if options.keep and os.path.exists(marker):
            if open(marker).readline().strip() != expected:
                sys.exit(f"{tmp} holds a world made with other options ({open(marker).readline().strip()}): "
                         "use another folder")
            hgrepo, mirror = os.path.join(tmp, "gecko"), os.path.join(tmp, "wpt.git")
            series = [tuple(line.split()) for line in open(marker).read().splitlines()[1:]]
        else:
            for leftover in ("gecko", "wpt.git", "gecko.git"):
                shutil.rmtree(os.path.join(tmp, leftover), ignore_errors=True)
            os.makedirs(tmp, exist_ok=True)
            hgrepo, mirror, _, series = build(tmp, options.files, options.others, gaps, options.per_gap)
            open(marker, "w").write(expected + "\n" + "".join(f"{gap} {node}\n" for gap, node in series))
        items, git = [f"{gap}:{node}" for gap, node in series], []
        if options.git:
            commits = export_gitgecko.convert(hgrepo, os.path.join(tmp, "gecko.git"), ENV, HGGEN)
            items, git = [f"{gap}:{node}:{commits[node]}" for gap, node in series], ["--git-gecko", os.path.join(tmp, "gecko.git")]
        ours = subprocess.run([options.bin, hgrepo, mirror, str(options.runs)] + git + items,
                              env=ENV, check=True, stdout=subprocess.PIPE, text=True).stdout
        print(ours, end="")
        medians = [(line.split()[1], float(line.split()[2])) for line in ours.splitlines() if line.startswith("median ")]
        work = os.path.join(tmp, "work")
        shutil.rmtree(work, ignore_errors=True)
        base = baseline(hgrepo, mirror, work, [node for _, node in series], options.runs)
        summary("baseline (git apply --index -p4 + commit)", base)
        for key, median in medians:
            print(f"speed-up, {key}: {statistics.median(base) / median:.1f}x (median baseline / median ours)")
    finally:
        if not options.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
