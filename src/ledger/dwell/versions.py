"""Every version of the ledger, rebuilt from its patches, summarized a few sections at a time.

A history holds hundreds of versions of a ledger that grows to megabytes, but each commit changes
a few lines. Reading every version whole (`git cat-file`) and cutting each into sections costs
far more than the change itself; `git log -p` hands over just the changes. `VersionTracker`
keeps the current version as a list of lines, applies each commit's hunks, and knows which of
its pieces (the text between two section starts, see `parse.blocks.section_starts`) a hunk
touched: only those are summarized again (`Summarizer.chunk`, memoized by content), the others
keep their facts. Where a change could move a section start (a heading or a fence line changed)
the starts are found again. Nothing here runs git.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .summaries import LedgerSummary, Summarizer, _Chunk, needs_whole_text

if TYPE_CHECKING:  # pragma: no cover
    from ..history import Hunk, LedgerChange

# Lines that can open a section or a fence, or begin front matter: only these move starts.
_STRUCTURAL = re.compile(rb" {0,3}(?:#|```|~~~)|---")


def split_lines(data: bytes) -> list[bytes]:
    """Lines as git's patches count them: ended by `\\n` only, each keeping its ending."""
    parts = data.split(b"\n")
    last = parts.pop()
    return [p + b"\n" for p in parts] + ([last] if last else [])


def blob_id(data: bytes) -> str:
    """The id git gives a blob with these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class VersionTracker:
    """The ledger's current version (as lines) and its summary, kept up to date change by
    change."""

    def __init__(self, base: bytes | None = None, summarizer: Summarizer | None = None) -> None:
        self.lines: list[bytes] = split_lines(base) if base else []
        self._summarizer = summarizer or Summarizer()
        self._starts: list[int] | None = None  # section start lines; None: find them again
        self._chunks: list[_Chunk | None] = []

    def apply(self, change: LedgerChange) -> None:
        """Move to the version `change` makes (deleting the file empties it)."""
        if change.blob is None:
            self.lines = []
            self._starts = None
            return
        lines = self.lines
        new: list[bytes] = []
        pos = 0
        structural = False
        touched: list[tuple[int, int]] = []  # changed ranges, in the new version's lines
        for h in change.hunks:
            new.extend(lines[pos : h.start])
            at = len(new)
            new.extend(h.lines)
            touched.append((at, at + len(h.lines)))
            if not structural:
                structural = _moves_starts(lines[h.start : h.start + h.count]) or _moves_starts(
                    h.lines
                )
            pos = h.start + h.count
        new.extend(lines[pos:])
        if structural or self._starts is None:
            self._starts = None
        else:
            self._shift(change.hunks, touched)
        self.lines = new

    def text(self) -> str:
        from ..fileio import decode

        return decode(b"".join(self.lines))

    def data(self) -> bytes:
        return b"".join(self.lines)

    def summary(self) -> LedgerSummary:
        """The summary of the current version."""
        lines = self.lines
        if self._summarizer.plan_next or (
            lines and needs_whole_text(lines[0].decode("utf-8", "surrogateescape"))
        ):
            return self._summarizer.whole(self.text())
        if self._starts is None:
            self._starts = _section_starts(lines)
            self._chunks = [None] * (len(self._starts) + 1)
        bounds = [0, *self._starts, len(lines)]
        from ..fileio import decode

        for k, chunk in enumerate(self._chunks):
            if chunk is None:
                piece = decode(b"".join(lines[bounds[k] : bounds[k + 1]]))
                self._chunks[k] = self._summarizer.chunk(piece, k == 0)
        summary = self._summarizer.combine(self._chunks)  # type: ignore[arg-type]
        return summary if summary is not None else self._summarizer.whole(self.text())

    def _shift(self, hunks: Sequence[Hunk], touched: list[tuple[int, int]]) -> None:
        """Section starts move with the lines around them; pieces a hunk touched are dirty."""
        assert self._starts is not None
        starts = self._starts
        # New position of each start: shifted by the net lines added before it (no start lies
        # inside a hunk, or the change would have been structural).
        shifted = []
        k = 0
        delta = 0
        for start in starts:
            while k < len(hunks) and hunks[k].start + hunks[k].count <= start:
                delta += len(hunks[k].lines) - hunks[k].count
                k += 1
            shifted.append(start + delta)
        self._starts = shifted
        bounds = [0, *shifted]
        for lo, hi in touched:
            # every piece the changed range reaches into, and the one before it (a deletion at
            # the end of a piece leaves its next piece's first line where the change was)
            first = bisect_right(bounds, max(lo - 1, 0)) - 1
            last = bisect_right(bounds, max(lo, hi - 1)) - 1
            for piece in range(max(first, 0), last + 1):
                self._chunks[piece] = None


def _moves_starts(lines: Sequence[bytes]) -> bool:
    return any(_STRUCTURAL.match(line) for line in lines)


def _section_starts(lines: list[bytes]) -> list[int]:
    """Lines where the parser opens a focus section (not line 0), fences respected: the line
    form of `parse.blocks.section_starts`."""
    from ..parse.blocks import section_starts

    candidates = [i for i, line in enumerate(lines) if _STRUCTURAL.match(line)]
    if not candidates:
        return []
    text = b"".join(lines[i] for i in candidates).decode("utf-8", "surrogateescape")
    # The candidate lines alone decide fences and headings: run the text scanner on them and
    # map its offsets back to line numbers.
    offsets = []
    pos = 0
    for i in candidates:
        offsets.append(pos)
        pos += len(lines[i].decode("utf-8", "surrogateescape"))
    found = set(section_starts("\n" + text))
    by_offset = {off + 1: i for off, i in zip(offsets, candidates)}
    return sorted(by_offset[o] for o in found if o in by_offset and by_offset[o] > 0)
