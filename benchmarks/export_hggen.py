"""Mercurial extension used by benchmarks/export.py to build the benchmark repository quickly.

`hg --config extensions.gen=benchmarks/export_hggen.py wptsync-bench-commit DATA -m MSG -u USER -d DATE`
commits the operations in DATA on top of tip (or as the root) without a working directory, through
an in-memory changeset, and prints the new node.

DATA holds records `op NUL path NUL flag NUL copysource NUL length NUL content`: op `W` writes a
file (flag '', 'x' or 'l'; a copy source marks a copy or, with a `D` of that source, a rename), op
`D` removes one.
"""
from mercurial import context, registrar

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
