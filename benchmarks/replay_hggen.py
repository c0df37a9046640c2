"""Mercurial extension used by benchmarks/replay.py to build its repository in one process.

`hg --config extensions.gen=benchmarks/replay_hggen.py wptsync-bench-pushes PUSHES WPT_EVERY`
commits PUSHES pushes of 1 to 3 changesets on top of tip, without a working directory; in every
WPT_EVERY-th push one changeset touches `testing/web-platform/tests/`. Each push is appended to
`.hg/localpushlog` as the local pushlog's hook would (`<first> <last> <epoch> <user>`).
"""
from mercurial import context, registrar

cmdtable = {}
command = registrar.command(cmdtable)


@command(b"wptsync-bench-pushes", [], b"PUSHES WPT_EVERY")
def benchpushes(ui, repo, pushes, every):
    pushes, every = int(pushes), int(every)
    with repo.wlock(), repo.lock(), open(repo.vfs.join(b"localpushlog"), "a") as log:
        for push in range(1, pushes + 1):
            nodes = []
            for n in range(push % 3 + 1):
                wpt = push % every == 0 and n == 0
                path = (b"testing/web-platform/tests/bench/test-%d.html" if wpt else b"dom/bench/file-%d.cpp") % push
                message = (b"Bug %d - Change %d. r=bench" % (100000 + push, n))

                def filectx(repo, mctx, path, content=b"push %d changeset %d\n" % (push, n)):
                    return context.memfilectx(repo, mctx, path, content)

                ctx = context.memctx(repo, (repo[b"tip"].node(), None), message, [path], filectx,
                                     user=b"Bench <bench@example.com>", date=b"%d 0" % (1700000000 + push))
                nodes.append(repo[ctx.commit()].hex())
            log.write("%s %s %d bench@example.com\n" % (nodes[0].decode(), nodes[-1].decode(), 1700000000 + push))
