"""Three-way merge of ledgers: by focus item and by attempt, line-wise for everything else.

`merge_ledgers(base, ours, theirs)` is what the git merge driver runs. It works on text and uses
the parsed ledgers only to cut each version into chunks with a stable identity (`merge.chunks`):
focus sections by ID, groups by heading, attempts by timestamp and label, fields by name, and
in the other forms items by ID (with their notes, steps and nested items); an item one side
moved to another group is first moved alike on the other sides (`merge.moves`).

The order of the chunks is merged like lines (the diff3 of `merge.diff3` over the keys), the
content of each chunk present on several sides is merged three-way, and the rules a person would
apply decide the rest: attempts added on both sides are both kept, in the order the section uses
(two new entries with one `Attempt #N`: the later is renumbered, `merge.numbers`); focus items
added on both sides are both kept; the header's `Last Updated` takes the later value.
Text that is not understood is merged line-wise like git's own merge (`merge_lines`), and what
both sides changed differently becomes a conflict with `<<<<<<< ours` / `=======` /
`>>>>>>> theirs` markers around the smallest region.

Lossless: a version that equals the base is never looked at, so a change made on one side only
comes back byte for byte; the same holds chunk by chunk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..document import dominant_newline, split_lines
from ..model import Ledger
from ..parse import loads
from .chunks import Chunk, Key, item_parts, rekey, section_parts, top_chunks
from .diff3 import LineMerger, Stable, Unstable, append_lines, diff3, is_blank
from .moves import follow_moves
from .numbers import Renumbered, Unnumbered, renumber

__all__ = [
    "MergeResult",
    "Renumbered",
    "Stable",
    "Unnumbered",
    "Unstable",
    "diff3",
    "merge_ledgers",
    "merge_lines",
]


@dataclass(frozen=True)
class MergeResult:
    """The merged text, how many conflict regions (marked in the text) it holds, the attempts it
    renumbered, and the duplicate numbers it could not renumber."""

    text: str
    conflicts: int
    renumbered: tuple[Renumbered, ...] = ()
    unresolved: tuple[Unnumbered, ...] = ()

    @property
    def clean(self) -> bool:
        """True when nothing was left for a person to decide."""
        return self.conflicts == 0 and not self.unresolved

    @property
    def notes(self) -> list[str]:
        """What the merge did or left beyond the text: one sentence each."""
        return [r.message() for r in self.renumbered] + [u.message() for u in self.unresolved]


def merge_ledgers(
    base: str, ours: str, theirs: str, *, ours_label: str = "ours", theirs_label: str = "theirs"
) -> MergeResult:
    """Merge two ledgers that both descend from `base` (by focus and attempt, then line-wise);
    the later of two attempts both sides added with one number is renumbered."""
    if (settled := _one_sided(base, ours, theirs)) is not None:
        return settled
    merger = _ChunkMerger(dominant_newline(ours), ours_label, theirs_label)
    try:
        parsed = loads(base), loads(ours), loads(theirs)
    except Exception:  # a merge driver must not crash on odd input: merge lines
        lines = merger.lines(*(split_lines(t) for t in (base, ours, theirs)))
        return MergeResult("".join(lines), merger.conflicts)
    parsed = follow_moves(*parsed)
    text = "".join(merger.document(list(parsed)))
    text, renumbered, unresolved = renumber(*parsed, text, (ours_label, theirs_label))
    return MergeResult(text, merger.conflicts, tuple(renumbered), tuple(unresolved))


def merge_lines(
    base: str, ours: str, theirs: str, *, ours_label: str = "ours", theirs_label: str = "theirs"
) -> MergeResult:
    """Line-wise three-way merge, as git does, with the `Last Updated` and adjacent-line rules."""
    if (settled := _one_sided(base, ours, theirs)) is not None:
        return settled
    merger = LineMerger(dominant_newline(ours), ours_label, theirs_label)
    out = merger.lines(split_lines(base), split_lines(ours), split_lines(theirs))
    return MergeResult("".join(out), merger.conflicts)


def _one_sided(base: str, ours: str, theirs: str) -> MergeResult | None:
    """The result when at most one side changed anything: that side, byte for byte."""
    if ours == theirs or theirs == base:
        return MergeResult(ours, 0)
    if ours == base:
        return MergeResult(theirs, 0)
    return None


# --- what to write next --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Put:
    """Write the merged content of the chunk with this key."""

    key: Key


@dataclass(frozen=True, slots=True)
class _Covered:
    """The chunk with this key was already written as part of a woven run."""

    key: Key


@dataclass(frozen=True, slots=True)
class _Lines:
    """Write these lines as they are."""

    lines: list[str]


_Emit = _Put | _Covered | _Lines
Content = Callable[[Chunk | None, Chunk, Chunk], list[str]]


class _ChunkMerger(LineMerger):
    """Merges the chunk sequences of whole ledgers and of their sections, then lines."""

    def document(self, ledgers: list[Ledger]) -> list[str]:
        versions = [ledger.document.lines for ledger in ledgers]
        try:
            chunks = [top_chunks(ledger) for ledger in ledgers]
        except Exception:  # a merge driver must not crash on odd input: merge lines
            return self.lines(*(list(v) for v in versions))
        for lines, cs in zip(versions, chunks):
            if [line for c in cs for line in c.lines] != lines:  # chunks must cover every line
                return self.lines(*(list(v) for v in versions))
        base_chunks, our_chunks, their_chunks = chunks
        return self.sequence(base_chunks, our_chunks, their_chunks, self.content)

    # ordered chunk sequences ----------------------------------------------------------------

    def sequence(
        self, base: list[Chunk], ours: list[Chunk], theirs: list[Chunk], content: Content
    ) -> list[str]:
        """Merge the order of keyed chunks, then each chunk's content; return the lines."""
        ours, theirs = rekey(base, ours), rekey(base, theirs)
        by = [{c.key: c for c in side} for side in (base, ours, theirs)]
        newest_first = _newest_first(base) or (not _dated(base) and _newest_first(ours))
        order: list[_Emit] = []
        keys = [[c.key for c in side] for side in (base, ours, theirs)]
        for region in diff3(*keys):
            if isinstance(region, Stable):
                order.extend(_Put(k) for k in region.items)
                continue
            bk, ok, tk = region.base, region.ours, region.theirs
            if ok == bk:
                order.extend(_Put(k) for k in tk)
            elif tk == bk or ok == tk:
                order.extend(_Put(k) for k in ok)
            else:
                order.extend(self._both_inserted(region, by, newest_first))
        order = _place_missing(order, ours, theirs)
        out: list[str] = []
        seen: set[Key] = set()
        for emit in order:
            if isinstance(emit, _Lines):
                append_lines(out, emit.lines, self.newline)
                continue
            if isinstance(emit, _Covered):  # already written as part of a woven run
                seen.add(emit.key)
                continue
            if emit.key in seen:
                continue
            seen.add(emit.key)
            b, o, t = (side.get(emit.key) for side in by)
            append_lines(out, self._resolve(b, o, t, content), self.newline)
        return out

    def _both_inserted(self, region: Unstable, by: list[dict], newest_first: bool) -> list[_Emit]:
        """Both sides changed the same stretch of the order: keep both sides' chunks."""
        base, ours, theirs = by
        bk, ok, tk = region.base, region.ours, region.theirs
        contained = _self_contained((bk, ok, tk), by)  # else writing lines here could repeat one
        # Pure insertions, or both sides replaced the same entries (a `Latest Attempt` line).
        if contained and (not bk or not set(bk) & (set(ours) | set(theirs))):
            runs = _attempt_runs(
                [ours[k] for k in ok], [theirs[k] for k in tk], newest_first, self.newline
            )
            if runs is not None:
                return runs
        if contained and _has_text([ours[k] for k in ok] + [theirs[k] for k in tk]):
            # Unnamed text (prose) changed on both sides: its identity is only its place, so
            # merge the stretch line-wise as git would instead of keeping two near-copies.
            lines = self.lines(
                [x for k in bk for x in base[k].lines],
                [x for k in ok for x in ours[k].lines],
                [x for k in tk for x in theirs[k].lines],
            )
            return [*(_Covered(k) for k in (*bk, *ok, *tk)), _Lines(lines)]
        emitted: list[_Emit] = [_Put(k) for k in ok]
        extra = [k for k in tk if k not in ok]
        if not bk and extra and ok:
            last, first = ours[ok[-1]].lines, theirs[extra[0]].lines
            # Two focus sections appended at the same place: keep a blank line between them.
            if last and not is_blank(last[-1]) and first and first[0].startswith("#"):
                emitted.append(_Lines([self.newline]))
        emitted.extend(_Put(k) for k in extra)
        return emitted

    def _resolve(
        self, b: Chunk | None, o: Chunk | None, t: Chunk | None, content: Content
    ) -> list[str]:
        """One key's lines: presence rules first, then a three-way merge of the content."""
        if o is not None and t is not None:
            if o.lines == t.lines:
                return list(o.lines)
            if b is not None and o.lines == b.lines:
                return list(t.lines)
            if b is not None and t.lines == b.lines:
                return list(o.lines)
            return content(b, o, t)
        if o is None and t is None:
            return []
        side = o if o is not None else t
        assert side is not None
        if b is None:
            return list(side.lines)  # added on one side
        if side.lines == b.lines:
            return []  # deleted on the other side, untouched here
        # Changed on one side, deleted on the other: a person decides.
        ours_lines = list(o.lines) if o is not None else []
        theirs_lines = list(t.lines) if t is not None else []
        return self.conflict(ours_lines, theirs_lines)

    def content(self, b: Chunk | None, o: Chunk, t: Chunk) -> list[str]:
        """Merge one chunk changed on both sides: a section by its parts, a group of the other
        forms by its items (and an item by its fields, notes and nested items), else by lines."""
        if o.kind == "section" and t.kind == "section" and (b is None or b.kind == "section"):
            return self.sequence(
                section_parts(b) if b is not None else [],
                section_parts(o),
                section_parts(t),
                self.body_and_blanks,
            )
        if any(c is not None and (c.items or c.item is not None) for c in (b, o, t)):
            # A group (or item) of the other forms: merged by item, then inside the item.
            return self.sequence(
                item_parts(b) if b is not None else [],
                item_parts(o),
                item_parts(t),
                self.content,
            )
        return self.body_and_blanks(b, o, t)

    def body_and_blanks(self, b: Chunk | None, o: Chunk, t: Chunk) -> list[str]:
        """Merge a chunk's text and its trailing blank lines separately.

        A blank line added after a chunk (to separate an entry appended after it) must not
        conflict with text added at the end of the same chunk on the other side.
        """
        (bb, bt), (ob, ot), (tb, tt) = (_split_blanks(c.lines if c else ()) for c in (b, o, t))
        body = self.lines(bb, ob, tb)
        tail = tt if ot == bt else ot if (tt == bt or len(ot) >= len(tt)) else tt
        out = list(body)
        append_lines(out, tail, self.newline)
        return out


def _split_blanks(lines: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(lines up to the last non-blank one, the blank lines after it)."""
    end = len(lines)
    while end and is_blank(lines[end - 1]):
        end -= 1
    return list(lines[:end]), list(lines[end:])


def _has_text(chunks: list[Chunk]) -> bool:
    """True when some unnamed chunk holds more than blank lines and thematic breaks."""
    return any(
        not c.named and c.kind != "break" and not all(is_blank(x) for x in c.lines) for c in chunks
    )


def _self_contained(regions: tuple[list, list, list], by: list[dict]) -> bool:
    """True when no key of these regions (base, ours, theirs) sits elsewhere on another side."""
    for mine, keys in enumerate(regions):
        for other, region in enumerate(regions):
            if other != mine and any(k in by[other] and k not in region for k in keys):
                return False
    return True


def _place_missing(order: list[_Emit], ours: list[Chunk], theirs: list[Chunk]) -> list[_Emit]:
    """Chunks no region emitted (kept on one side, moved on the other) go after their
    predecessor."""
    listed = {e.key for e in order if not isinstance(e, _Lines)}
    for side in (ours, theirs):
        for idx, chunk in enumerate(side):
            if chunk.key in listed:
                continue
            prev = side[idx - 1].key if idx else None
            at = 0
            if prev is not None:
                at = next(
                    (p + 1 for p, e in enumerate(order) if isinstance(e, _Put) and e.key == prev),
                    len(order),
                )
            order.insert(at, _Put(chunk.key))
            listed.add(chunk.key)
    return order


# --- attempts added on both sides --------------------------------------------------------------


def _dated(chunks: list[Chunk]) -> list:
    return [c.when for c in chunks if c.kind == "attempt" and c.when is not None]


def _newest_first(chunks: list[Chunk]) -> bool:
    """True when the attempts of this container are written newest first."""
    dated = _dated(chunks)
    return len(dated) >= 2 and dated[0] > dated[-1]


@dataclass(frozen=True, slots=True)
class _RunShape:
    """A run of new attempts: the attempts, the blank separator lines, whether those lead."""

    attempts: list[Chunk]
    separator: tuple[str, ...]
    leads: bool


def _attempt_runs(
    ours: list[Chunk], theirs: list[Chunk], newest_first: bool, newline: str
) -> list[_Emit] | None:
    """Two runs of new attempts (with blank separators) woven into one, in the section's order.

    Returns None when the runs hold anything but attempts and blank lines, or when their
    layouts differ (separator before vs after each attempt), so the caller keeps both as is.
    """
    o_shape, t_shape = _run_shape(ours), _run_shape(theirs)
    if o_shape is None or t_shape is None:
        return None
    if o_shape.separator and t_shape.separator and o_shape.leads != t_shape.leads:
        return None
    sep = o_shape.separator or t_shape.separator
    lead = o_shape.leads if o_shape.separator else t_shape.leads
    known = {a.key for a in o_shape.attempts}
    # The same entry added on both sides is written once.
    attempts = o_shape.attempts + [a for a in t_shape.attempts if a.key not in known]
    if all(a.when is not None for a in attempts):
        attempts.sort(key=lambda a: a.when.timestamp() if a.when else 0.0, reverse=newest_first)
    out: list[_Emit] = [_Covered(c.key) for c in ours + theirs]
    previous: tuple[str, ...] = ()
    for att in attempts:
        if sep and lead:
            out.append(_Lines(list(sep)))
        elif not sep and previous and not is_blank(previous[-1]) and att.lines[0].startswith("#"):
            out.append(_Lines([newline]))  # heading entries need a blank line between them
        out.append(_Lines(list(att.lines)))
        previous = att.lines
        if sep and not lead:
            out.append(_Lines(list(sep)))
    return out


def _run_shape(run: list[Chunk]) -> _RunShape | None:
    """The shape of a run alternating attempts and blank separators, else None."""
    attempts = [c for c in run if c.kind == "attempt"]
    others = [c for c in run if c.kind != "attempt"]
    if not attempts or any(not all(is_blank(x) for x in c.lines) for c in others):
        return None
    if not others:
        return _RunShape(attempts, (), False)
    if len(others) != len(attempts) or len({c.lines for c in others}) != 1:
        return None
    lead = run[0].kind != "attempt"
    expected = [("other" if (i % 2 == 0) == lead else "attempt") for i in range(len(run))]
    if [("attempt" if c.kind == "attempt" else "other") for c in run] != expected:
        return None
    return _RunShape(attempts, others[0].lines, lead)
