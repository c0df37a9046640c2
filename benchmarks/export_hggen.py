"""Mercurial extension used by benchmarks/export.py to build the benchmark repository quickly.

`hg --config extensions.gen=benchmarks/export_hggen.py wptsync-bench-commit DATA -m MSG -u USER -d DATE`
commits the operations in DATA on top of tip (or as the root) without a working directory, through
an in-memory changeset, and prints the new node.

DATA holds records `op NUL path NUL flag NUL copysource NUL length NUL content`: op `W` writes a
file (flag '', 'x' or 'l'; a copy source marks a copy or, with a `D` of that source, a rename), op
`D` removes one.

`hg --config extensions.gen=benchmarks/export_hggen.py wptsync-bench-gecko COUNT SEED` commits COUNT
Gecko-only changesets on top of tip (the gaps between wpt changes on autoland): each changes one to
three files outside `testing/web-platform/tests/` (Gecko code, wpt metadata, which sorts just before
it, and `toolkit/`, just after it), and every fifth adds one; it prints the last node.
"""
import random

from mercurial import context, registrar, revlog

cmdtable = {}
command = registrar.command(cmdtable)


def parse(data):
    records, i = [], 0
    while i < len(data):
        fields = []
        for _ in range(5):
            j = data.index(b"\0", i)
            fields.append(data[i:j])
            i = j + 1
        length = int(fields[4])
        records.append((fields[0], fields[1], fields[2], fields[3] or None, data[i:i + length]))
        i += length
    return records


@command(b"wptsync-bench-commit",
         [(b"m", b"message", b"", b"message"), (b"u", b"user", b"", b"user"), (b"d", b"date", b"", b"date")],
         b"DATA")
def benchcommit(ui, repo, datafile, **opts):
    with open(datafile, "rb") as f:
        records = parse(f.read())
    writes = {path: (flag, source, content) for op, path, flag, source, content in records if op == b"W"}
    removals = {path for op, path, _, _, _ in records if op == b"D"}

    def filectx(repo, mctx, path):
        if path in removals and path not in writes:
            return None
        flag, source, content = writes[path]
        return context.memfilectx(repo, mctx, path, content, islink=flag == b"l", isexec=flag == b"x",
                                  copysource=source)

    with repo.wlock(), repo.lock():
        parent = repo[b"tip"].node()
        ctx = context.memctx(repo, (parent, None), opts["message"], sorted(set(writes) | removals), filectx,
                             user=opts["user"], date=opts["date"])
        node = ctx.commit()
    ui.write(repo[node].hex() + b"\n")


WPT = b"testing/web-platform/tests/"


@command(b"wptsync-bench-gecko", [], b"COUNT SEED")
def benchgecko(ui, repo, count, seed):
    rng = random.Random(int(seed))
    revlog.revlog.checkhash = lambda *args, **kwargs: None  # it re-hashes the 15 MB manifest it just hashed
    with repo.wlock(), repo.lock(), repo.transaction(b"bench-gecko"):
        paths = sorted(p for p in repo[b"tip"].manifest() if not p.startswith(WPT))
        for i in range(int(count)):
            changed = {rng.choice(paths): b"// change %d of %s\n" % (i, seed) for _ in range(rng.randint(1, 3))}
            if i % 5 == 4:
                added = rng.choice([b"toolkit/components/bench/g%s-%d.cpp", b"testing/web-platform/meta/bench/g%s-%d.ini",
                                    b"dom/bench/g%s-%d.cpp"]) % (seed, i)
                changed[added] = b"// added\n"
                paths.append(added)

            def filectx(repo, mctx, path):
                return context.memfilectx(repo, mctx, path, changed[path])

            ctx = context.memctx(repo, (repo[b"tip"].node(), None), b"Bug 1 - Gecko change %d" % i, sorted(changed),
                                 filectx, user=b"Gecko Dev <dev@example.com>", date=b"1700000000 0")
            node = ctx.commit()
    ui.write(repo[node].hex() + b"\n")


@command(b"wptsync-bench-fast-export", [], b"")
def benchfastexport(ui, repo):
    """Writes the repository (one line of development) as a `git fast-import` stream on stdout, onto
    `refs/heads/master`: changeset `rev` becomes mark `rev + 1`, with the same author, date, message
    and files (copies are left to git's rename detection)."""
    modes = {b"l": b"120000", b"x": b"100755", b"": b"100644"}
    out = ui.fout
    for rev in repo:
        ctx = repo[rev]
        name, _, email = ctx.user().partition(b" <")
        seconds, offset = ctx.date()
        zone = b"%s%02d%02d" % (b"-" if offset > 0 else b"+", abs(offset) // 3600, abs(offset) % 3600 // 60)
        who = b"%s <%s %d %s\n" % (name, email.rstrip(b">") + b">", seconds, zone)
        message = ctx.description()
        out.write(b"commit refs/heads/master\nmark :%d\nauthor %scommitter %sdata %d\n%s\n" % (
            rev + 1, who, who, len(message), message))
        if rev > 0:
            out.write(b"from :%d\n" % rev)
        changed = ctx.manifestctx().readfast()  # the delta against p1 when stored so: no 15 MB manifest per changeset
        for path in ctx.files():
            if path not in changed:
                out.write(b"D %s\n" % path)
                continue
            data = repo.file(path).read(changed[path])
            out.write(b"M %s inline %s\ndata %d\n%s\n" % (modes[changed.flags(path)], path, len(data), data))
        out.write(b"\n")
