import Foundation

/// The Mercurial extension behind the fast read path of `UpstreamExporter`: one command,
/// `hg wptsync-export REV PREFIX`, that prints the changeset's parents and raw changelog entry
/// and, for each file it touched below PREFIX, the status, copy source (with the source's
/// content), flags and contents before and after, framed by lengths (`-` for absent, else a
/// decimal length, a newline and the bytes).
///
/// It reads no full manifest once a command server has read one: it keeps the manifest lines below
/// PREFIX (in the server's process) and moves them along the manifest revlog's stored delta chains,
/// so Gecko-only changesets in between cost a delta header each. Every step is checked (the text
/// length against the revlog index, splices on line boundaries) and so are the changeset's files
/// against their filelogs; if a check fails it falls back to Mercurial's own manifest read.
/// `hg wptsync-export-advance REV PREFIX` moves the kept lines to REV's manifest ahead of the next
/// export (a worker calls it per push); `hg wptsync-export-stats` prints the process's counts (full
/// texts read, deltas applied and undone, fallbacks, advances). It is loaded per command with
/// `--config extensions.wptsync=<file>`, so any command server can run it.
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

    /// The Python source (Mercurial 6.x): the line store (`HgExportLines.swift`), the manifest cursor
    /// (`HgExportCursor.swift`), then the commands.
    static let source = linesSource + cursorSource + commandSource

    static let commandSource = #"""
def _changeset(repo, rev):
    """The changeset `rev` names: a full hex node straight from the changelog's index (what Mercurial
    tries first for one), anything else through a revset."""
    if len(rev) == 40:
        try:
            return repo[repo.changelog.rev(nodemod.bin(rev))]
        except (ValueError, LookupError):  # not hex, unknown or hidden: Mercurial's lookup says why
            pass
    return scmutil.revsingle(repo, rev)


def _entries(repo, prefix, mnode, files):
    """{path: (filenode, flags) or None} for `files` (below prefix) in the manifest `mnode`."""
    if mnode == repo.nullid:
        return dict.fromkeys(files)
    cursor = _moved(repo, prefix, mnode)
    if cursor is None:
        return _read(repo, mnode, files)
    return {f: cursor.find(f) for f in files}


def _moved(repo, prefix, mnode):
    """The cursor of (repository, prefix) moved to the manifest `mnode`, or None when Mercurial must read it."""
    if b"treemanifest" in repo.requirements:  # lines name directories: let Mercurial read it
        return None
    rl = repo.manifestlog.getstorage(b"")._revlog
    key = (repo.sharedpath, prefix)
    cursor = _cursors.get(key)
    if cursor is None:
        cursor = _cursors[key] = _Cursor(prefix + b"/")
    try:
        cursor.moveto(rl, rl.rev(mnode))
        return cursor
    except Exception:  # malformed data, a failed check, or revlog internals another Mercurial changed
        del _cursors[key]
        _stats[b"fallbacks"] += 1
        return None


def _read(repo, mnode, files):
    m = repo.manifestlog[mnode].read()
    return {f: (m.find(f) if f in m else None) for f in files}


def _consistent(repo, flogs, before, after):
    """Whether each file's entries agree with its filelog (a non-merge changeset's files)."""
    for f, flog in flogs.items():
        old, new = before[f], after[f]
        if new is None:
            if old is None or not flog.hasnode(old[0]):
                return False  # a file listed by a non-merge changeset is in one of the two manifests
            continue
        parents = flog.parents(new[0])
        if old is None:
            if parents[0] != repo.nullid and not flog.renamed(new[0]):
                return False
        elif old[0] != new[0] and old[0] not in parents and not flog.renamed(new[0]):
            return False
    return True


def _field(out, data):
    if data is None:
        out.append(b"-\n")
    else:
        out.append(b"%d\n" % len(data))
        out.append(data)


@command(b"wptsync-export", [], b"REV PREFIX")
def wptsyncexport(ui, repo, rev, prefix):
    """print a changeset and its changes below PREFIX, with contents, framed by lengths"""
    ctx = _changeset(repo, rev)
    cl = repo.changelog
    store = repo.manifestlog.getstorage(b"")
    mnode = ctx.manifestnode()
    if store.linkrev(store.rev(mnode)) == ctx.rev():
        p1mnode = store.parents(mnode)[0]  # the first parent's manifest, without reading its entry
    else:
        p1mnode = ctx.p1().manifestnode()  # a manifest reused from an earlier changeset
    parents = [p.hex() for p in ctx.parents() if p.rev() != nodemod.nullrev]
    files = [f for f in ctx.files() if f.startswith(prefix + b"/")]
    flogs = {f: repo.file(f) for f in files}
    before = _entries(repo, prefix, p1mnode, files)
    after = _entries(repo, prefix, mnode, files)
    if len(parents) < 2 and not _consistent(repo, flogs, before, after):
        _stats[b"fallbacks"] += 1
        _cursors.clear()
        before, after = _read(repo, p1mnode, files), _read(repo, mnode, files)
    out = [b"wptsync-export 1\n"]  # written at once: the command server sends each write as a message
    _field(out, ctx.hex())
    _field(out, b" ".join(parents))
    _field(out, cl.revision(ctx.node()))
    _field(out, b"%d" % len(files))
    for f in files:
        old, new, flog = before[f], after[f], flogs[f]
        source, sourcedata = None, None
        if new is not None:
            renamed = flog.renamed(new[0])
            if renamed and (old is None or flog.linkrev(flog.rev(new[0])) == ctx.rev()):
                source = renamed[0]
                sourcedata = repo.file(source).read(renamed[1])
        status = b"A" if old is None else (b"R" if new is None else b"M")
        _field(out, f)
        _field(out, status)
        _field(out, source)
        _field(out, sourcedata)
        _field(out, None if old is None else old[1])
        _field(out, None if old is None else flog.read(old[0]))
        _field(out, None if new is None else new[1])
        _field(out, None if new is None else flog.read(new[0]))
    ui.write(b"".join(out))


@command(b"wptsync-export-advance", [], b"REV PREFIX")
def wptsyncexportadvance(ui, repo, rev, prefix):
    """move the kept manifest lines below PREFIX to REV's manifest, where the next export starts"""
    mnode = _changeset(repo, rev).manifestnode()
    if mnode != repo.nullid:
        _moved(repo, prefix, mnode)
    _stats[b"advances"] += 1
    ui.write(b"wptsync-export-advance 1\n")


@command(b"wptsync-export-stats", [], b"")
def wptsyncexportstats(ui, repo):
    """print what the export reads cost in this process: full texts read, deltas applied and undone, fallbacks, advances"""
    ui.write(b"".join(b"%s %d\n" % (k, v) for k, v in sorted(_stats.items())))
"""#
}
