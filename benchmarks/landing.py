#!/usr/bin/env python3
"""Landing benchmark (issue 4; see docs/PERFORMANCE.md).

Builds (with export.py's generator) a Gecko-like Mercurial repository whose
`testing/web-platform/tests` holds a wpt-sized tree and a bare git wpt mirror whose master holds the
same tree, then 100 squash-style upstream commits on master (`Title (#N)`) touching 2,000 files in
all: modifications (text, binary, an exec bit now and then), additions and a few deletions, some
files touched by several PRs. Then, per run, it imports them all into Gecko:

  ours:     `LandingBenchmark`: ImportBuilder.apply of the 100 changes on Gecko's tip, then
            LandingClone.commit of the 100 commits and the landing commit, in a fresh `hg clone -U`
            (not timed); it reports the wall time and the time spent inside hg command-server calls;
  baseline: what the production service does: in a Gecko work tree (cloned once, not timed), per PR
            `git diff` of the upstream change with paths under testing/web-platform/tests, then
            `hg import` of that patch (100 `hg import` runs); stripping afterwards is not timed.

Both results must be the same Gecko tree (`hg manifest --debug`, the landing's sync-point file
aside), and the wpt part must match upstream master; the script fails loudly otherwise.

Usage: benchmarks/landing.py [--files N] [--prs N] [--touched N] [--runs N] [--keep DIR]
       (after `swift build -c release --product LandingBenchmark`)
"""
import argparse, os, random, shutil, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export as gen  # noqa: E402  (the tree generator and helpers)

ROOT, ENV, WPT, run = gen.ROOT, gen.ENV, gen.WPT, gen.run
SYNC_POINT = b"testing/web-platform/meta/mozilla-sync"
MODES = {b"": b"100644", b"x": b"100755", b"l": b"120000"}


def pr_sizes(rng, prs, touched):
    """`prs` sizes of at least 1 summing to `touched`, mostly small, a few large."""
    weights = [rng.lognormvariate(0, 1.1) for _ in range(prs)]
    sizes = [max(1, int(touched * w / sum(weights))) for w in weights]
    sizes[sizes.index(max(sizes))] += touched - sum(sizes)
    return sizes


def edit(rng, path, flag, data, pr):
    """A new version of an existing file."""
    if path.endswith(b".png"):
        return flag, data[:len(data) // 2] + rng.randbytes(64)
    if path.endswith(b".py") and rng.random() < 0.3:
        return (b"" if flag == b"x" else b"x"), data
    lines = data.split(b"\n")
    at = rng.randrange(len(lines))
    lines[at:at + 1] = [lines[at] + f" <!-- PR {pr} -->".encode(), f"<p>edited by PR {pr}</p>".encode()]
    return flag, b"\n".join(lines)


def upstream_commits(mirror, tree, prs, touched):
    """Writes `prs` commits on the mirror's master; returns (base sha, touched paths)."""
    rng = random.Random(11)
    base = run(["git", "-C", mirror, "rev-parse", "refs/heads/master"]).stdout.decode().strip()
    # Symlinks stay as they are; so do non-ASCII names, which `git diff` quotes and `hg import` cannot read.
    paths = sorted(p for p in tree if tree[p][0] != b"l" and p.isascii())
    recent, everything = [], set()
    stream = []
    for index, size in enumerate(pr_sizes(rng, prs, touched)):
        number = 40000 + index * 7
        chosen, ops = set(), []
        while len(ops) < size:
            kind = rng.random()
            if kind < 0.12:
                directory = rng.choice(paths).rsplit(b"/", 1)[0]
                path = directory + f"/new-{number}-{len(ops)}.html".encode()
                if path in tree or path in chosen:
                    continue
                tree[path] = (b"", gen.content(rng, path))
                paths.append(path)
            else:
                path = rng.choice(recent) if recent and rng.random() < 0.1 else rng.choice(paths)
                if path in chosen or path not in tree:
                    continue
                if kind < 0.15:
                    del tree[path]
                    paths.remove(path)
                    chosen.add(path)
                    ops.append(b"D %s\n" % path)
                    continue
                tree[path] = edit(rng, path, *tree[path], number)
            chosen.add(path)
            flag, data = tree[path]
            ops.append(b"M %s inline %s\ndata %d\n%s\n" % (MODES[flag], path, len(data), data))
        recent += sorted(chosen)
        everything |= chosen
        title = f"[{gen.words(rng, 1)}] {gen.words(rng, 3).replace('-', ' ')} ({len(ops)} files)"
        message = f"{title} (#{number})\n\nCo-authored-by: Someone <someone@example.com>\n".encode()
        when = 1700100000 + index * 600
        stream.append(b"commit refs/heads/master\nauthor Upstream Author %d <a%d@example.com> %d +0100\n"
                      b"committer GitHub <noreply@github.com> %d +0000\ndata %d\n%s"
                      % (index % 13, index % 13, when, when, len(message), message))
        if index == 0:
            stream.append(b"from %s\n" % base.encode())
        stream += ops
        stream.append(b"\n")
    run(["git", "-C", mirror, "fast-import", "--quiet"], input=b"".join(stream))
    return base, sorted(everything)


def build(tmp, files, others, prs, touched):
    hgrepo, mirror, tree = gen.build_trees(tmp, files, others)
    base, paths = upstream_commits(mirror, tree, prs, touched)
    return hgrepo, mirror, base, paths


def patches(mirror, base):
    """Per upstream commit on master after `base`: (sha, author, date, subject)."""
    log = run(["git", "-C", mirror, "log", "--first-parent", "--reverse", "--format=%H%x00%an <%ae>%x00%at%x00%s",
               f"{base}..refs/heads/master"]).stdout.decode()
    return [line.split("\0") for line in log.splitlines()]


def baseline(hgrepo, mirror, work, base, runs):
    """Times `git diff` + `hg import` per PR in a Gecko work tree, `runs` times; returns times and manifest."""
    if not os.path.isdir(work):
        t0 = time.perf_counter()
        run(["hg", "clone", "-q", hgrepo, work])
        print(f"baseline work tree cloned in {time.perf_counter() - t0:.0f} s (not timed)")
    commits = patches(mirror, base)
    prefix = WPT.decode()
    times, diff_times = [], []
    manifest = None
    for index in range(runs):
        if run(["hg", "-R", work, "log", "-r", "draft()", "-T", "x"]).stdout:
            run(["hg", "-R", work, "debugstrip", "-q", "--no-backup", "-r", "draft()"])
        run(["hg", "-R", work, "update", "-q", "-C", "tip"])
        run(["hg", "-R", work, "status", "-q"])  # settles the dirstate, so no run pays for the clone's
        diffing = 0.0
        start = time.perf_counter()
        for sha, author, date, subject in commits:
            d0 = time.perf_counter()
            patch = run(["git", "-C", mirror, "diff", "--binary", "--full-index", "--no-renames",
                         f"--src-prefix=a/{prefix}", f"--dst-prefix=b/{prefix}", f"{sha}^", sha]).stdout
            diffing += time.perf_counter() - d0
            number = subject.rsplit("(#", 1)[1].rstrip(")")
            message = f"Bug 1900000 [wpt PR {number}] - {subject.rsplit(' (#', 1)[0]}, a=testonly\n\nwpt-commits: {sha}\n"
            run(["hg", "import", "-q", "-u", author, "-d", f"{date} 0", "-m", message, "-"], cwd=work, input=patch)
        times.append(time.perf_counter() - start)
        diff_times.append(diffing)
        print(f"baseline run {index + 1}: total {times[-1] * 1000:.0f} ms (git diff {diffing * 1000:.0f} ms)")
        manifest = run(["hg", "-R", work, "manifest", "--debug", "-r", "tip"]).stdout
    return times, diff_times, manifest


def verify(ours_repo, ours_node, base_manifest, mirror, work):
    """Fails unless both paths gave the same Gecko tree and its wpt part is upstream master."""
    ours_manifest = run(["hg", "-R", ours_repo, "manifest", "--debug", "-r", ours_node]).stdout
    strip = lambda m: sorted(l for l in m.split(b"\n") if l and not l.endswith(b" " + SYNC_POINT))
    ours, theirs = strip(ours_manifest), strip(base_manifest)
    if ours != theirs:
        only_ours, only_theirs = sorted(set(ours) - set(theirs)), sorted(set(theirs) - set(ours))
        sys.exit(f"MISMATCH: the two paths give different Gecko trees ({len(only_ours)} entries only in ours, "
                 f"{len(only_theirs)} only in the baseline), e.g.\n  ours:     {only_ours[:3]}\n  baseline: {only_theirs[:3]}")
    upstream = {}
    for line in run(["git", "-C", mirror, "ls-tree", "-r", "-z", "refs/heads/master"]).stdout.split(b"\0"):
        if line:
            meta, path = line.split(b"\t", 1)
            mode, _, blob = meta.split(b" ")
            upstream[WPT + path] = (mode, blob)
    hg_wpt = {}
    for line in theirs:  # `<filenode> <644|755> <' '|*|@> <path>`
        path = line[47:]
        if path.startswith(WPT):
            hg_wpt[path] = {b"*": b"100755", b"@": b"120000"}.get(line[45:46], b"100644")
    if set(hg_wpt) != set(upstream):
        sys.exit(f"MISMATCH: Gecko's wpt files differ from upstream master: {len(set(hg_wpt) - set(upstream))} extra, "
                 f"{len(set(upstream) - set(hg_wpt))} missing")
    # Contents: the baseline's work tree is at its result; hash every wpt file there as git would.
    regular = sorted(p for p in hg_wpt if upstream[p][0] != b"120000")
    listing = b"\n".join(os.path.join(work.encode(), p) for p in regular) + b"\n"
    hashes = run(["git", "hash-object", "--no-filters", "--stdin-paths"], input=listing).stdout.split()
    wrong = [p for p, h in zip(regular, hashes) if h != upstream[p][1] or hg_wpt[p] != upstream[p][0]]
    if wrong:
        sys.exit(f"MISMATCH: {len(wrong)} wpt files differ from upstream master, e.g. {wrong[:3]}")
    print(f"verified: both paths give the same Gecko tree ({len(ours)} files); its {len(hg_wpt)} wpt files match upstream master")


def median_ms(values):
    return statistics.median(values) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--others", type=int, default=30_000, help="Gecko files outside wpt")
    parser.add_argument("--prs", type=int, default=100)
    parser.add_argument("--touched", type=int, default=2_000, help="files touched by the PRs in all")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="build (or reuse) the repositories in this folder")
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "LandingBenchmark"))
    options = parser.parse_args()
    if not os.path.exists(options.bin):
        sys.exit(f"build first: swift build -c release --product LandingBenchmark (missing {options.bin})")
    tmp = options.keep or tempfile.mkdtemp(prefix="wptsync-landing-bench-")
    try:
        marker = os.path.join(tmp, "landing-base")
        hgrepo, mirror = os.path.join(tmp, "gecko"), os.path.join(tmp, "wpt.git")
        if options.keep and os.path.exists(marker):
            base = open(marker).read().strip()
        else:
            os.makedirs(tmp, exist_ok=True)
            t0 = time.perf_counter()
            hgrepo, mirror, base, _ = build(tmp, options.files, options.others, options.prs, options.touched)
            open(marker, "w").write(base)
            print(f"built in {time.perf_counter() - t0:.0f} s")
        scratch = os.path.join(tmp, "runs")
        shutil.rmtree(scratch, ignore_errors=True)
        os.makedirs(scratch)
        ours = subprocess.run([options.bin, hgrepo, mirror, base, str(options.runs), scratch], env=ENV,
                              stdout=subprocess.PIPE, text=True)
        print(ours.stdout, end="")
        if ours.returncode != 0:
            sys.exit("LandingBenchmark failed")
        lines = ours.stdout.splitlines()
        figure = lambda name: float(next(l for l in lines if l.startswith(f"median {name} ")).split()[2])
        final_node, final_repo = next(l for l in lines if l.startswith("final ")).split()[1:3]
        base_times, diff_times, manifest = baseline(hgrepo, mirror, os.path.join(tmp, "work"), base, options.runs)
        verify(final_repo, final_node, manifest, mirror, os.path.join(tmp, "work"))
        print(f"ours:     median {figure('total'):9.0f} ms, of which in hg {figure('hg'):.0f} ms ({figure('hg-share'):.0f}%)")
        print(f"baseline: median {median_ms(base_times):9.0f} ms (git diff + hg import; of which git diff {median_ms(diff_times):.0f} ms)")
        print(f"speed-up (median baseline / median ours): {median_ms(base_times) / figure('total'):.1f}x")
    finally:
        shutil.rmtree(os.path.join(tmp, "runs"), ignore_errors=True)
        if not options.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
