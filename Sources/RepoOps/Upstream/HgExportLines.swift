extension HgExportExtension {
    /// The start of the extension's Python source: the module's state and the store of the manifest lines
    /// below the prefix, in pieces so that splicing lines in or out stays cheap.
    static let linesSource = #"""
# wptsync: one command that lists what a changeset did below a path prefix, with contents, reading
# only the prefix's part of two manifests (loaded per command with --config extensions.wptsync=FILE).
import bisect, struct, zlib
from mercurial import node as nodemod, registrar, scmutil

cmdtable = {}
command = registrar.command(cmdtable)
_cursors = {}  # (repository, prefix) -> _Cursor, kept by the command server's process
_stats = {b"cold": 0, b"steps": 0, b"undone": 0, b"fallbacks": 0, b"advances": 0}
_header = struct.Struct(b">lll")


class _Unverifiable(Exception):
    pass


def _bisect(text, key, lo, hi):
    """The start of the first line in text[lo:hi] (whole, sorted lines) whose path is >= key, else hi."""
    while lo < hi:
        mid = text.rfind(b"\n", lo, (lo + hi) // 2) + 1 or lo
        if text[mid:text.index(b"\0", mid)] < key:
            lo = text.index(b"\n", mid) + 1
        else:
            hi = mid
    return lo


class _Lines:
    """Sorted manifest lines kept as pieces of whole lines, about 64 KiB each, so that a splice moves
    the bytes of one piece, not of the whole run (10 MB at 100,000 files)."""

    piece = 1 << 16

    def __init__(self, data, lo=0, hi=None):
        """The lines of data[lo:hi]."""
        hi = len(data) if hi is None else hi
        self.pieces, self.starts, self.length, pos = [], [], hi - lo, lo
        with memoryview(data) as view:
            while pos < hi or not self.pieces:
                cut = data.find(b"\n", pos + self.piece - 1, hi) + 1 or hi
                self.pieces.append(bytearray(view[pos:cut]))
                self.starts.append(pos - lo)
                pos = cut

    def boundary(self, at):
        """Whether `at` is the start of a line (or the end)."""
        if at == 0 or at == self.length:
            return True
        i = bisect.bisect_right(self.starts, at - 1) - 1
        return self.pieces[i][at - 1 - self.starts[i]] == 10

    def splice(self, at, to, new):
        """Replaces the lines in [at, to) by `new` (whole lines); returns what was there."""
        starts, pieces = self.starts, self.pieces
        i = bisect.bisect_right(starts, at) - 1
        j = bisect.bisect_right(starts, to - 1) - 1 if to > at else i
        if j > i:
            pieces[i:j + 1] = [bytearray(b"".join(pieces[i:j + 1]))]
            del starts[i + 1:j + 1]
        p, o = pieces[i], starts[i]
        removed = bytes(p[at - o:to - o])
        p[at - o:to - o] = new
        grown = len(new) - (to - at)
        if grown:
            starts[i + 1:] = [s + grown for s in starts[i + 1:]]
            self.length += grown
        if len(p) > 4 * self.piece:
            parts = _Lines(p)
            pieces[i:i + 1] = parts.pieces
            starts[i:i + 1] = [o + s for s in parts.starts]
        elif not p and len(pieces) > 1:
            del pieces[i], starts[i]
        return removed

    def find(self, path):
        """(filenode, flags) of `path`, or None."""
        pieces = self.pieces
        if not self.length:
            return None
        lo, hi = 0, len(pieces)
        while lo < hi:  # the last piece whose first path is <= path
            mid = (lo + hi) // 2
            p = pieces[mid]
            if p[:p.index(b"\0")] <= path:
                lo = mid + 1
            else:
                hi = mid
        if not lo:
            return None
        lines = pieces[lo - 1]
        at = _bisect(lines, path, 0, len(lines))
        if lines[at:at + len(path) + 1] != path + b"\0":
            return None
        end = lines.index(b"\n", at)
        return nodemod.bin(bytes(lines[at + len(path) + 1:at + len(path) + 41])), bytes(lines[at + len(path) + 41:end])


"""#
}
