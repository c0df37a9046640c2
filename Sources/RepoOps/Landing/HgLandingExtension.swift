/// The Mercurial extension that writes landing commits without a work tree: one command,
/// `hg wptsync-commit PLAN`, that reads a file of commits (parent, then per commit the user, date,
/// message and the files to write or remove) and commits them in one transaction with Mercurial's
/// in-memory changesets (`memctx`), printing one node per line. Fields are framed by lengths as in
/// `wptsync-export`.
enum HgLandingExtension {
    /// The plan file's first field; bumped whenever the format changes.
    static let formatField = "wptsync-commit 1"

    /// The extension file (written on first use), for `--config extensions.wptsynclanding=<path>`.
    static let installed: Result<String, ImportError> = EmbeddedExtension.install(name: "wptsynclanding", source: source)
        .mapError { ImportError.extensionUnavailable(path: $0.path, reason: $0.reason) }

    /// The Python source (Mercurial 6.x).
    static let source = #"""
# wptsync: commit a series of changesets from a plan file, in memory, in one transaction.
from mercurial import context, error, node as nodemod, registrar

cmdtable = {}
command = registrar.command(cmdtable)


class _Plan(object):
    def __init__(self, data):
        self.data, self.pos = data, 0

    def field(self):
        nl = self.data.index(b"\n", self.pos)
        length = int(self.data[self.pos:nl])
        start = nl + 1
        self.pos = start + length
        if self.pos > len(self.data):
            raise error.Abort(b"truncated wptsync plan")
        return self.data[start:self.pos]


@command(b"wptsync-commit", [], b"PLAN")
def wptsynccommit(ui, repo, plan):
    """commit the changesets described in PLAN on top of its parent, printing their nodes"""
    with open(plan, "rb") as fh:
        p = _Plan(fh.read())
    if p.field() != b"wptsync-commit 1":
        raise error.Abort(b"unknown wptsync plan format")
    parent = nodemod.bin(p.field())
    count = int(p.field())
    with repo.wlock(), repo.lock(), repo.transaction(b"wptsync-commit"):
        for _ in range(count):
            user, date, message = p.field(), p.field(), p.field()
            files = {}
            for _ in range(int(p.field())):
                path, action = p.field(), p.field()
                files[path] = None if action == b"r" else (action, p.field())

            def filectxfn(repo, memctx, path, files=files):
                entry = files[path]
                if entry is None:
                    return None
                action, data = entry
                return context.memfilectx(repo, memctx, path, data,
                                          islink=action == b"l", isexec=action == b"x")

            ctx = context.memctx(repo, (parent, None), message, sorted(files), filectxfn,
                                 user=user, date=date)
            parent = ctx.commit()
            ui.write(nodemod.hex(parent) + b"\n")
"""#
}
