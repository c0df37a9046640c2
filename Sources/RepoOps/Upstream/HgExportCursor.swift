extension HgExportExtension {
    /// The first half of the extension's Python source: the module's state and the cursor that keeps the
    /// lines below the prefix of one manifest revision, moved along the manifest revlog's stored delta chains.
    static let cursorSource = #"""
# wptsync: one command that lists what a changeset did below a path prefix, with contents, reading
# only the prefix's part of two manifests (loaded per command with --config extensions.wptsync=FILE).
import struct
from mercurial import node as nodemod, registrar, scmutil

cmdtable = {}
command = registrar.command(cmdtable)
_cursors = {}  # (repository, prefix) -> _Cursor, kept by the command server's process
_stats = {b"cold": 0, b"steps": 0, b"undone": 0, b"fallbacks": 0}
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


def _boundary(text, at):
    return at == 0 or at == len(text) or text[at - 1] == 10


class _Cursor:
    """The lines below a prefix (a contiguous run, the manifest being sorted) of one manifest revision,
    kept along the revision's stored delta chain: each entry (rev, node, start of the run in the full
    text, full length, how to undo its splices) lets the cursor move back to a shared chain revision
    and forward again with the stored deltas, which only ever shift the run or splice lines into it."""

    def __init__(self, prefix):
        self.low, self.high = prefix, prefix[:-1] + b"0"  # paths below the prefix: low <= path < high
        self.lines = bytearray()
        self.chain = []

    def moveto(self, rl, rev):
        chain = rl._deltachain(rev)[0]
        keep = 0
        while keep < min(len(chain), len(self.chain)) and chain[keep] == self.chain[keep][0]:
            keep += 1
        while keep and rl.node(self.chain[keep - 1][0]) != self.chain[keep - 1][1]:
            keep -= 1  # stripped since
        for entry in reversed(self.chain[keep:]):
            for at, removed, added in reversed(entry[4]):
                self.lines[at:at + added] = removed
            _stats[b"undone"] += 1
        del self.chain[keep:]
        if not keep:
            self._start(rl, chain[0])
            keep = 1
        if keep < len(chain):
            todo = chain[keep:]
            for r, delta in zip(todo, rl._chunks(todo)):
                self._step(rl, r, delta)

    def _start(self, rl, rev):
        _stats[b"cold"] += 1
        if rl.index[rev][0] & 0xFFFF:
            raise _Unverifiable()  # revision flags (censored, ...): let Mercurial read it
        text = bytes(rl._chunk(rev))
        if len(text) != rl.rawsize(rev):
            raise _Unverifiable()
        start = _bisect(text, self.low, 0, len(text))
        end = _bisect(text, self.high, start, len(text))
        self.lines = bytearray(text[start:end])
        self.chain = [(rev, rl.node(rev), start, len(text), ())]

    def _step(self, rl, rev, delta):
        """Applies the stored delta of `rev` (against the chain's last revision) to the run."""
        entry = rl.index[rev]  # offset and flags, lengths, base, linkrev, parents, node, ...
        if entry[0] & 0xFFFF:
            raise _Unverifiable()  # revision flags (censored, ...): let Mercurial read it
        _, _, start, length, _ = self.chain[-1]
        lines, unpack, total = self.lines, _header.unpack_from, len(delta)
        end = start + len(lines)
        newstart, grown, splices, pos, last = start, 0, [], 0, 0
        while pos < total:
            a, b, size = unpack(delta, pos)
            pos += 12
            if a < last or b < a or pos + size > total:
                raise _Unverifiable()
            last = b
            grown += size - b + a
            if b < start:  # only lines before the run
                newstart += size - b + a
            elif a <= end:  # touches the run: its new lines before, in and after it
                data = bytes(delta[pos:pos + size])
                if data and data[-1] != 10:
                    raise _Unverifiable()
                first = _bisect(data, self.low, 0, len(data))
                beyond = _bisect(data, self.high, first, len(data))
                newstart += first - (min(b, start) - min(a, start))
                at, to = min(max(a - start, 0), len(lines)), min(max(b - start, 0), len(lines))
                if not (_boundary(lines, at) and _boundary(lines, to)):
                    raise _Unverifiable()
                splices.append((at, to, data[first:beyond]))
            pos += size
        if last > length or length + grown != (entry[2] if entry[2] >= 0 else rl.rawsize(rev)):
            raise _Unverifiable()
        undo = []
        for at, to, new in reversed(splices):
            undo.append((at, bytes(lines[at:to]), len(new)))
            lines[at:to] = new
        self.chain.append((rev, entry[7], newstart, length + grown, undo))
        _stats[b"steps"] += 1

    def find(self, path):
        """(filenode, flags) of `path` in the current revision, or None."""
        lines = self.lines
        at = _bisect(lines, path, 0, len(lines))
        if lines[at:at + len(path) + 1] != path + b"\0":
            return None
        end = lines.index(b"\n", at)
        return nodemod.bin(bytes(lines[at + len(path) + 1:at + len(path) + 41])), bytes(lines[at + len(path) + 41:end])


"""#
}
