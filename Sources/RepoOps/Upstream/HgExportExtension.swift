import Foundation

/// The Mercurial extension behind the fast read path of `UpstreamExporter`: one command,
/// `hg wptsync-export REV PREFIX`, that prints the changeset's parents and raw changelog entry
/// and, for each file it touched below PREFIX, the status, copy source (with the source's
/// content), flags and contents before and after, framed by lengths (`-` for absent, else a
/// decimal length, a newline and the bytes).
///
/// In the steady state it reads no full manifest: manifests are rolled forward from ones it
/// remembers (in the command server's process) with the stored deltas, each step checked against
/// the changelog's file list; otherwise it falls back to Mercurial's own manifest read. It is loaded
/// per command with `--config extensions.wptsync=<file>`, so any command server can run it.
public enum HgExportExtension {
    /// The first line of the command's output; bumped whenever the format changes.
    static let formatLine = Array("wptsync-export 1\n".utf8)

    /// The path of the extension file (written on first use), for `--config extensions.wptsync=<path>`.
    public static func installedPath() throws(ExportError) -> String { try installed.get() }

    /// The extension file, written once per content into a per-user cache folder.
    static let installed: Result<String, ExportError> = install()

    private static func install() -> Result<String, ExportError> {
        EmbeddedExtension.install(name: "wptsync", source: source)
            .mapError { ExportError.extensionUnavailable(path: $0.path, reason: $0.reason) }
    }

    /// The Python source (Mercurial 6.x).
    static let source = #"""
# wptsync: one command that lists what a changeset did below a path prefix, with contents,
# reading only manifest deltas (loaded per command with --config extensions.wptsync=FILE).
import collections, struct
from mercurial import node as nodemod, registrar, scmutil

cmdtable = {}
command = registrar.command(cmdtable)
_manifests = collections.OrderedDict()  # manifest node -> manifestdict, most recent last
_KEEP = 8
_WALK = 300


def _remember(mnode, m):
    _manifests[mnode] = m
    _manifests.move_to_end(mnode)
    while len(_manifests) > _KEEP:
        _manifests.popitem(last=False)


def _step(store, base, prev, mnode, files):
    """The manifest `mnode` from `base` (the manifest `prev`) and the stored delta, or None."""
    rev, prevrev = store.rev(mnode), store.rev(prev)
    if store.deltaparent(rev) != prevrev:
        return None
    delta = bytes(store.revdiff(prevrev, rev))
    new, replaced, pos = {}, 0, 0
    while pos < len(delta):
        start, end, length = struct.unpack(b">lll", delta[pos:pos + 12])
        pos += 12
        for line in delta[pos:pos + length].splitlines():
            path, _, rest = line.partition(b"\0")
            new[path] = (nodemod.bin(rest[:40]), rest[40:])
        pos += length
        replaced += end - start
    gone = [f for f in files if f not in new and f in base]
    old = [f for f in new if f in base] + gone
    if sum(len(f) + 42 + len(base.flags(f)) for f in old) != replaced:
        return None
    m = base.copy()
    for f, (n, flags) in new.items():
        m[f] = n
        m.setflag(f, flags)
    for f in gone:
        del m[f]
    return m


def _manifest(repo, mnode):
    """The manifest `mnode`, rolled forward from a remembered ancestor (manifest parents)."""
    store = repo.manifestlog.getstorage(b"")
    chain, m = [], mnode
    while m != repo.nullid and m not in _manifests and len(chain) < _WALK:
        chain.append(m)
        m = store.parents(m)[0]
    if not chain:
        if m == repo.nullid:
            return repo.manifestlog[m].read()
        _manifests.move_to_end(m)
        return _manifests[m]
    if m not in _manifests:
        found = repo.manifestlog[mnode].read()
        _remember(mnode, found)
        return found
    base, prev = _manifests[m], m
    for mn in reversed(chain):
        files = repo.changelog.changelogrevision(store.linkrev(store.rev(mn))).files
        found = _step(store, base, prev, mn, files)
        if found is None:
            found = repo.manifestlog[mn].read()
        _remember(mn, found)
        base, prev = found, mn
    return base


def _field(ui, data):
    if data is None:
        ui.write(b"-\n")
    else:
        ui.write(b"%d\n" % len(data))
        ui.write(data)


@command(b"wptsync-export", [], b"REV PREFIX")
def wptsyncexport(ui, repo, rev, prefix):
    """print a changeset and its changes below PREFIX, with contents, framed by lengths"""
    ctx = scmutil.revsingle(repo, rev)
    cl = repo.changelog
    store = repo.manifestlog.getstorage(b"")
    mnode = ctx.manifestnode()
    if store.linkrev(store.rev(mnode)) == ctx.rev():
        p1mnode = store.parents(mnode)[0]  # the first parent's manifest, without reading its entry
    else:
        p1mnode = ctx.p1().manifestnode()  # a manifest reused from an earlier changeset
    before = _manifest(repo, p1mnode)
    after = _manifest(repo, mnode)
    parents = [p.hex() for p in ctx.parents() if p.rev() != nodemod.nullrev]
    files = [f for f in ctx.files() if f.startswith(prefix + b"/")]
    ui.write(b"wptsync-export 1\n")
    _field(ui, ctx.hex())
    _field(ui, b" ".join(parents))
    _field(ui, cl.revision(ctx.node()))
    _field(ui, b"%d" % len(files))
    for f in files:
        old = (before.find(f) if f in before else None)
        new = (after.find(f) if f in after else None)
        flog = repo.file(f)
        source, sourcedata = None, None
        if new is not None:
            renamed = flog.renamed(new[0])
            if renamed and (old is None or flog.linkrev(flog.rev(new[0])) == ctx.rev()):
                source = renamed[0]
                sourcedata = repo.file(source).read(renamed[1])
        status = b"A" if old is None else (b"R" if new is None else b"M")
        _field(ui, f)
        _field(ui, status)
        _field(ui, source)
        _field(ui, sourcedata)
        _field(ui, None if old is None else old[1])
        _field(ui, None if old is None else flog.read(old[0]))
        _field(ui, None if new is None else new[1])
        _field(ui, None if new is None else flog.read(new[0]))
"""#
}
