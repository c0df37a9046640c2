"""The export benchmark's Gecko as a git repository (`benchmarks/export.py --git`): the same
changesets, in the same order, with the same trees, authors, dates and messages, written by
`git fast-import` from the `wptsync-bench-fast-export` stream of export_hggen.py."""
import os, subprocess, time


def convert(hgrepo, target, env, hggen):
    """Builds (or reuses, when its marker names hg's tip) the bare git Gecko `target` of `hgrepo`;
    returns {hg node: git commit}."""
    marker = os.path.join(target, "wptsync-bench-nodes")
    tip = subprocess.run(["hg", "-R", hgrepo, "log", "-r", "tip", "-T", "{node}"], env=env, check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    if not (os.path.exists(marker) and open(marker).readline().strip() == tip):
        start = time.perf_counter()
        subprocess.run(["rm", "-rf", target], check=True)
        subprocess.run(["git", "init", "-q", "--bare", "-b", "master", target], env=env, check=True)
        marks = os.path.join(target, "marks")
        hg = subprocess.Popen(["hg", "-R", hgrepo, "--config", f"extensions.gen={hggen}", "wptsync-bench-fast-export"],
                              env=env, stdout=subprocess.PIPE)
        subprocess.run(["git", "-C", target, "fast-import", "--quiet", f"--export-marks={marks}"], env=env,
                       stdin=hg.stdout, check=True)
        hg.stdout.close()
        if hg.wait() != 0:
            raise SystemExit(f"hg fast-export of {hgrepo} failed")
        subprocess.run(["git", "-C", target, "gc", "-q"], env=env, check=True)
        nodes = subprocess.run(["hg", "-R", hgrepo, "log", "-r", "0:", "-T", "{node}\n"], env=env, check=True,
                               stdout=subprocess.PIPE, text=True).stdout.split()
        commits = dict(line.split() for line in open(marks).read().splitlines())
        with open(marker, "w") as f:
            f.write(tip + "\n" + "".join(f"{node} {commits[f':{rev + 1}']}\n" for rev, node in enumerate(nodes)))
        print(f"git Gecko: {len(nodes)} commits written in {time.perf_counter() - start:.1f} s")
    return dict(line.split() for line in open(marker).read().splitlines()[1:])
