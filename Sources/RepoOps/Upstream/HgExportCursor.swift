extension HgExportExtension {
    /// The second part of the extension's Python source: the cursor that keeps the lines below the prefix
    /// of one manifest revision, moved along the manifest revlog's stored delta chains.
    static let cursorSource = #"""
def _chunks(rl, revs):
    """The stored deltas of `revs` (ascending), as rl._chunks gives them; a run of adjacent revisions is
    read as one segment, and small zstd and zlib chunks are decompressed directly."""
    if rl._inline or revs[-1] - revs[0] + 1 != len(revs):
        return rl._chunks(revs)
    index, (offset, data) = rl.index, rl._getsegmentforrevs(revs[0], revs[-1])
    try:
        zstd = rl._get_decompressor(b"(")._dctx.decompress
    except Exception:
        zstd = rl.decompress
    chunks = []
    for r in revs:
        e = index[r]
        at = (e[0] >> 16) - offset
        c = data[at:at + e[1]]
        if e[10] == 2 and c:  # the chunk names its compression in its first byte
            t = c[0]
            if t == 0:
                pass
            elif t == 40:
                try:
                    c = zstd(c)
                except Exception:  # no content size in the frame header
                    c = rl.decompress(c)
            elif t == 120:
                c = zlib.decompress(c)
            else:
                c = rl.decompress(c)
        elif e[10] == 1:
            c = rl._decompressor(c)
        elif e[10] != 0:
            raise _Unverifiable()
        chunks.append(c)
    return chunks


class _Cursor:
    """The lines below a prefix (a contiguous run, the manifest being sorted) of one manifest revision,
    kept along the revision's stored delta chain: each entry (rev, node, start of the run in the full
    text, full length, how to undo its splices) lets the cursor move back to a shared chain revision
    and forward again with the stored deltas, which only ever shift the run or splice lines into it."""

    def __init__(self, prefix):
        self.low, self.high = prefix, prefix[:-1] + b"0"  # paths below the prefix: low <= path < high
        self.lines = _Lines(b"")
        self.chain = []

    def moveto(self, rl, rev):
        chain, mine = rl._deltachain(rev)[0], self.chain
        lo, hi = 0, min(len(chain), len(mine))
        while lo < hi:  # the longest shared start (sharing a revision means sharing the chain before it)
            mid = (lo + hi + 1) // 2
            if chain[mid - 1] == mine[mid - 1][0]:
                lo = mid
            else:
                hi = mid - 1
        keep = lo
        while keep and (chain[keep - 1] != mine[keep - 1][0] or rl.node(mine[keep - 1][0]) != mine[keep - 1][1]):
            keep -= 1  # stripped since
        for entry in reversed(mine[keep:]):
            for at, removed, added in reversed(entry[4]):
                self.lines.splice(at, at + added, removed)
        _stats[b"undone"] += len(mine) - keep
        del mine[keep:]
        if not keep:
            self._start(rl, chain[0])
            keep = 1
        if keep < len(chain):
            self._walk(rl, chain[keep:])

    def _start(self, rl, rev):
        _stats[b"cold"] += 1
        if rl.index[rev][0] & 0xFFFF:
            raise _Unverifiable()  # revision flags (censored, ...): let Mercurial read it
        text = bytes(rl._chunk(rev))
        if len(text) != rl.rawsize(rev):
            raise _Unverifiable()
        start = _bisect(text, self.low, 0, len(text))
        end = _bisect(text, self.high, start, len(text))
        self.lines = _Lines(text, start, end)
        self.chain = [(rev, rl.node(rev), start, len(text), ())]

    def _walk(self, rl, revs):
        """Applies the stored deltas of `revs`, each against the one before it, the first against the
        current revision. A delta that only changes lines before or after the run costs a few header
        reads: only one that touches the run goes through `_step`."""
        index, unpack, chain, lines = rl.index, _header.unpack_from, self.chain, self.lines
        _, _, start, length, _ = chain[-1]
        end = start + lines.length
        for r, delta in zip(revs, _chunks(rl, revs)):
            e = index[r]  # offset and flags, lengths, base, linkrev, parents, node, ...
            if e[0] & 0xFFFF:
                raise _Unverifiable()  # revision flags (censored, ...): let Mercurial read it
            total, pos, last, shift, after = len(delta), 0, 0, 0, 0
            while pos < total:
                a, b, size = unpack(delta, pos)
                if not last <= a <= b or size < 0:
                    raise _Unverifiable()
                if b < start:
                    shift += size - b + a
                elif a > end:
                    after += size - b + a
                else:
                    self._step(rl, r, e, delta, pos, last, shift + after, shift)
                    _, _, start, length, _ = chain[-1]
                    end = start + lines.length
                    break
                last = b
                pos += 12 + size
            else:
                length += shift + after
                if pos != total or last > length - shift - after or length != (e[2] if e[2] >= 0 else rl.rawsize(r)):
                    raise _Unverifiable()
                start += shift
                end += shift
                chain.append((r, e[7], start, length, ()))
        _stats[b"steps"] += len(revs)

    def _step(self, rl, rev, entry, delta, pos, last, grown, shift):
        """Goes on applying the delta of `rev` from `pos`, its first hunk that touches the run."""
        _, _, start, length, _ = self.chain[-1]
        lines, unpack, total = self.lines, _header.unpack_from, len(delta)
        end, newstart, splices = start + lines.length, start + shift, []
        while pos < total:
            a, b, size = unpack(delta, pos)
            pos += 12
            if a < last or b < a or size < 0 or pos + size > total:
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
                at, to = min(max(a - start, 0), lines.length), min(max(b - start, 0), lines.length)
                if not (lines.boundary(at) and lines.boundary(to)):
                    raise _Unverifiable()
                splices.append((at, to, data[first:beyond]))
            pos += size
        if last > length or length + grown != (entry[2] if entry[2] >= 0 else rl.rawsize(rev)):
            raise _Unverifiable()
        undo = [(at, lines.splice(at, to, new), len(new)) for at, to, new in reversed(splices)]
        self.chain.append((rev, entry[7], newstart, length + grown, undo))

    def find(self, path):
        """(filenode, flags) of `path` in the current revision, or None."""
        return self.lines.find(path)


"""#
}
