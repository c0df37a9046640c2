#!/usr/bin/env python3
"""In-process cost of the `wptsync-export` extension's reads over an export benchmark world (see
docs/PERFORMANCE.md), without the command server, git or timing noise from other processes:
CPU time (process_time, min over --reps) of each first-seen export in order, per gap, and a digest of
all outputs (must not change between versions). For a count that ignores the machine's load, run it
under `valgrind --tool=callgrind` with --reps 1, once with --upto K and once without, and subtract.

With --advance, the cursor is first advanced over each Gecko-only changeset before an export, one
at a time, as the worker does per push (`wptsync-export-advance`): the exports and the advances are
then reported separately.

usage: benchmarks/export_cursor.py WORLD SOURCES [--reps N] [--upto K] [--profile GAP] [--advance]
  WORLD    a folder made by `benchmarks/export.py --keep WORLD`
  SOURCES  a wptsync checkout (or `git worktree`) whose extension to measure
Run with the Python that runs hg (e.g. /usr/bin/python3).
"""
import os, re, sys, tempfile

world, sources = sys.argv[1:3]
parts = []
for name in ("HgExportLines.swift", "HgExportCursor.swift", "HgExportExtension.swift"):
    path = os.path.join(sources, "Sources/RepoOps/Upstream", name)
    if os.path.exists(path):
        parts += re.findall(r'#"""\n(.*?)"""#', open(path).read(), re.S)
ext_path = os.path.join(tempfile.mkdtemp(prefix="wptsync-cursor-"), "ext.py")
open(ext_path, "w").write("".join(parts))
repo_path, series_path = os.path.join(world, "gecko"), os.path.join(world, "series")
import cProfile, importlib.util, io, pstats, statistics, sys, time
from mercurial import hg, ui as uimod

reps = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else 3
profile_gap = sys.argv[sys.argv.index("--profile") + 1] if "--profile" in sys.argv else None
series = [tuple(l.split()) for l in open(series_path).read().splitlines()[1:]]

u = uimod.ui.load()
u.setconfig(b"ui", b"quiet", b"true")
repo = hg.repository(u, repo_path.encode())
PREFIX = b"testing/web-platform/tests"


def load():
    spec = importlib.util.spec_from_file_location("wptsync_bench_ext", ext_path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def export(mod, node):
    u.pushbuffer()
    mod.wptsyncexport(u, repo, node.encode(), PREFIX)
    return u.popbuffer()


advance = "--advance" in sys.argv
pushes = {}  # wpt node -> the Gecko-only changesets since the wpt changeset before it
for (_, before), (_, node) in zip(series, series[1:]):
    revs = repo.revs(b"%s::%s - %s - %s", before.encode(), node.encode(), before.encode(), node.encode())
    pushes[node] = [repo[r].hex() for r in revs] if advance else []
advances = []
best = {}
outputs = {}
for rep in range(reps):
    mod = load()
    export(mod, series[0][1])
    if "--only-warm" in sys.argv:
        sys.exit(0)
    prof = cProfile.Profile(time.process_time) if profile_gap and rep == 0 else None
    upto = int(sys.argv[sys.argv.index("--upto") + 1]) if "--upto" in sys.argv else len(series)
    for gap, node in series[1:upto]:
        for push in pushes[node]:
            u.pushbuffer()
            t = time.process_time()
            mod.wptsyncexportadvance(u, repo, push, PREFIX)
            advances.append((time.process_time() - t) * 1000)
            u.popbuffer()
        if prof and gap == profile_gap:
            prof.enable()
        t = time.process_time()
        out = export(mod, node)
        dt = (time.process_time() - t) * 1000
        if prof:
            prof.disable()
        if outputs.setdefault(node, out) != out:
            print("DIFFERENT OUTPUT", node)
        best[node] = min(best.get(node, 1e9), dt)
    if prof:
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(25)
        print(s.getvalue())
    print("rep", rep, "stats", dict(mod._stats))
for g in dict.fromkeys(g for g, n in series[1:] if n in best):
    ts = [best[n] for gg, n in series[1:] if gg == g and n in best]
    print(f"gap {g}: median {statistics.median(ts):.2f} ms  all {' '.join(f'{t:.2f}' for t in ts)}")
if advances:
    ordered = sorted(advances)
    print(f"advances: {len(advances)}, median {statistics.median(advances):.3f} ms  p90 {ordered[int(0.9 * (len(ordered) - 1))]:.3f} ms"
          f"  max {ordered[-1]:.2f} ms  total {sum(advances):.0f} ms (all reps)")
import hashlib
print("outputs digest", hashlib.sha1(b"".join(outputs[n] for _, n in series[1:] if n in outputs)).hexdigest())
