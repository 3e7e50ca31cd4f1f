"""Three-way merge of ledgers: by focus item and by attempt, line-wise for everything else.

`merge_ledgers(base, ours, theirs)` is what the git merge driver runs. It works on text and uses
the parsed model only to cut each version into *chunks* with a stable identity:

* top level: front matter, the preamble, each focus section by ID (plus an occurrence index for
  duplicated IDs), each group by heading text, heading-style attempts by their heading line;
  breaks and prose have no name of their own and are keyed by the keyed chunk that follows them;
* inside a focus section: the heading line, each field (by name), each attempt (by timestamp,
  label and text), and the lines in between (keyed by what follows them).

The order of the chunks is merged like lines (a small diff3 over the keys), the content of each
chunk present on several sides is merged three-way, and the rules a person would apply decide
the rest: attempts added on both sides are both kept, in the order the section uses; focus items
added on both sides are both kept; the header's `Last Updated` takes the later value. Text that
is not understood is merged line-wise like git's own merge, and what both sides changed
differently becomes a conflict with `<<<<<<< ours` / `=======` / `>>>>>>> theirs` markers around
the smallest region.

Lossless: a version that equals the base is never looked at, so a change made on one side only
comes back byte for byte; the same holds chunk by chunk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from difflib import SequenceMatcher
from itertools import groupby
from typing import Any, Callable, Hashable, Optional, Sequence

from .document import dominant_newline, split_lines
from .model import FocusItem, Ledger
from .parse import loads
from .timestamps import parse_timestamp

__all__ = ["MergeResult", "diff3", "merge_ledgers", "merge_lines"]

_LAST_UPDATED = re.compile(
    r"\s*(?:[-*]\s+)?\*\*Last Updated\s*:?\*\*\s*:?\s*(?P<value>.*?)\s*$", re.IGNORECASE
)
_BLANK = re.compile(r"\s*$")


@dataclass(frozen=True)
class MergeResult:
    """The merged text and how many conflict regions (marked in the text) it holds."""

    text: str
    conflicts: int

    @property
    def clean(self) -> bool:
        """True when nothing was left for a person to decide."""
        return self.conflicts == 0


def merge_ledgers(
    base: str, ours: str, theirs: str, *, ours_label: str = "ours", theirs_label: str = "theirs"
) -> MergeResult:
    """Merge two ledgers that both descend from `base` (by focus and attempt, then line-wise)."""
    if (settled := _one_sided(base, ours, theirs)) is not None:
        return settled
    merger = _Merger(dominant_newline(ours), ours_label, theirs_label)
    lines = merger.document(base, ours, theirs)
    return MergeResult("".join(lines), merger.conflicts)


def merge_lines(
    base: str, ours: str, theirs: str, *, ours_label: str = "ours", theirs_label: str = "theirs"
) -> MergeResult:
    """Line-wise three-way merge, as git does, with the `Last Updated` and adjacent-line rules."""
    if (settled := _one_sided(base, ours, theirs)) is not None:
        return settled
    merger = _Merger(dominant_newline(ours), ours_label, theirs_label)
    out = merger.lines(split_lines(base), split_lines(ours), split_lines(theirs))
    return MergeResult("".join(out), merger.conflicts)


def _one_sided(base: str, ours: str, theirs: str) -> Optional[MergeResult]:
    """The result when at most one side changed anything: that side, byte for byte."""
    if ours == theirs or theirs == base:
        return MergeResult(ours, 0)
    if ours == base:
        return MergeResult(theirs, 0)
    return None


# --- diff3 over any sequence of hashable items -------------------------------------------------


def _matches(a: Sequence[Hashable], b: Sequence[Hashable]) -> dict[int, int]:
    """Index in `a` -> index in `b` of the lines SequenceMatcher pairs up (monotone)."""
    pairs: dict[int, int] = {}
    for i, j, n in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for k in range(n):
            pairs[i + k] = j + k
    return pairs


def diff3(base: Sequence[Hashable], ours: Sequence[Hashable], theirs: Sequence[Hashable]) -> list:
    """Split three sequences into stable runs (same on all sides) and unstable regions."""
    to_ours, to_theirs = _matches(base, ours), _matches(base, theirs)
    anchors = [b for b in range(len(base)) if b in to_ours and b in to_theirs]
    regions: list = []
    i = j = k = 0
    for b in anchors:
        o, t = to_ours[b], to_theirs[b]
        if o < j or t < k:  # cannot happen with monotone matches; be safe anyway
            continue
        if (i, j, k) != (b, o, t):
            regions.append(("unstable", list(base[i:b]), list(ours[j:o]), list(theirs[k:t])))
        if regions and regions[-1][0] == "stable":
            regions[-1][1].append(base[b])
        else:
            regions.append(("stable", [base[b]]))
        i, j, k = b + 1, o + 1, t + 1
    if i < len(base) or j < len(ours) or k < len(theirs):
        regions.append(("unstable", list(base[i:]), list(ours[j:]), list(theirs[k:])))
    return regions


# --- chunks ------------------------------------------------------------------------------------

Key = tuple


@dataclass(frozen=True)
class _Chunk:
    """A run of whole lines with an identity; sections also keep their parsed focus item."""

    key: Key
    kind: str
    lines: tuple[str, ...]
    start: int = 1  # 1-based line number of the first line in its document
    when: Optional[datetime] = None  # attempts: their timestamp
    item: Optional[FocusItem] = None  # sections: the parsed focus item
    named: bool = True  # False: keyed by the chunk that follows it


def _keyed(
    runs: list[tuple[str, Hashable, int, int]], lines: Sequence[str], meta: dict[int, dict]
) -> list[_Chunk]:
    """Turn (kind, name, first line, last line) runs into chunks with unique keys.

    Named runs are keyed by (kind, name, occurrence); unnamed runs (name None) by the key of the
    next named run, so inserting something before a blank line does not move the blank line.
    `meta` adds fields to the chunk starting at a given line.
    """
    seen: dict[tuple, int] = {}
    keys: list[Optional[Key]] = []
    for kind, name, _first, _last in runs:
        if name is None:
            keys.append(None)
            continue
        n = seen.get((kind, name), 0)
        seen[(kind, name)] = n + 1
        keys.append((kind, name, n))
    following: Key = ("end",)
    for idx in range(len(runs) - 1, -1, -1):
        key = keys[idx]
        if key is None:
            key = keys[idx] = (runs[idx][0], "before", following)
        following = key
    return [
        _Chunk(
            key=key,
            kind=kind,
            lines=tuple(lines[s - 1 : e]),
            start=s,
            named=name is not None,
            **meta.get(s, {}),
        )
        for (kind, name, s, e), key in zip(runs, keys)
        if key is not None
    ]


def _top_chunks(doc: Ledger, lines: list[str]) -> list[_Chunk]:
    """Top-level chunks of a parsed document, covering every line in order."""
    items = {(f.id, f.line): f for f in doc.focus_items if f.has_section}
    attempts = {a.line: a for f in doc.focus_items for a in f.attempts}
    attempts.update({a.line: a for a in doc.orphan_attempts})
    runs: list[tuple[str, Hashable, int, int]] = []
    meta: dict[int, dict] = {}
    for block in doc.blocks:
        name: Hashable
        if block.kind == "section":
            name = block.focus_id
            meta[block.line] = {"item": items.get((block.focus_id, block.line))}
        elif block.kind == "group":
            name = lines[block.line - 1].strip()
        elif block.kind == "attempt":
            name = lines[block.line - 1].strip()  # the heading names it; the body may be edited
            found = attempts.get(block.line)
            meta[block.line] = {"when": found.timestamp if found else None}
        elif block.kind in ("preamble", "front_matter"):
            name = block.kind
        else:  # break, prose: positional
            name = None
        runs.append((block.kind, name, block.line, block.end_line))
    return _keyed(runs, lines, meta)


def _section_parts(chunk: _Chunk) -> list[_Chunk]:
    """A section chunk cut into heading, fields, attempts and the lines in between."""
    first = chunk.start
    owner: list[tuple[str, int]] = [("other", -1)] * len(chunk.lines)
    owner[0] = ("heading", 0)
    item = chunk.item
    fields = item.fields if item is not None else []
    attempts = item.attempts if item is not None else []
    # Fields first, then attempts: an attempt nested under `- Attempts History:` is its own part.
    for kind, entries in (("field", fields), ("attempt", attempts)):
        for idx, entry in enumerate(entries):
            for n in range(max(entry.line, first + 1), min(entry.end_line, first + len(owner) - 1) + 1):
                owner[n - first] = (kind, idx)
    runs: list[tuple[str, Hashable, int, int]] = []
    meta: dict[int, dict] = {}
    field_parts: dict[int, int] = {}
    n = first
    for (kind, idx), group in groupby(owner):
        size = len(list(group))
        name: Hashable = None
        if kind == "heading":
            name = "heading"
        elif kind == "field":
            part = field_parts[idx] = field_parts.get(idx, -1) + 1
            name = (fields[idx].key, part)  # a field cut by nested attempts: head, tail, ...
        elif kind == "attempt":
            att = attempts[idx]
            name = (att.timestamp_text, att.label, att.text)
            meta[n] = {"when": att.timestamp}
        runs.append((kind, name, n, n + size - 1))
        n += size
    return _keyed(runs, [""] * (first - 1) + list(chunk.lines), meta)


# --- the merger --------------------------------------------------------------------------------

# What to write next: ("key", key), ("lines", lines) or ("covered", key) (written in a run).
Emit = tuple[str, Any]


class _Merger:
    """Holds what every level of the merge shares: newline, conflict labels and count."""

    def __init__(self, newline: str, ours_label: str, theirs_label: str) -> None:
        self.newline = newline
        self.ours_label = ours_label
        self.theirs_label = theirs_label
        self.conflicts = 0

    # whole documents ------------------------------------------------------------------------

    def document(self, base: str, ours: str, theirs: str) -> list[str]:
        versions = [split_lines(t) for t in (base, ours, theirs)]
        try:
            chunks = [_top_chunks(loads(t), lines) for t, lines in zip((base, ours, theirs), versions)]
        except Exception:  # a merge driver must not crash on odd input: merge lines instead
            return self.lines(*versions)
        for lines, cs in zip(versions, chunks):
            if [line for c in cs for line in c.lines] != lines:  # chunks must cover every line
                return self.lines(*versions)
        return self.sequence(*chunks, self.content)

    # ordered chunk sequences ----------------------------------------------------------------

    def sequence(
        self,
        base: list[_Chunk],
        ours: list[_Chunk],
        theirs: list[_Chunk],
        content: Callable[[Optional[_Chunk], _Chunk, _Chunk], list[str]],
    ) -> list[str]:
        """Merge the order of keyed chunks, then each chunk's content; return the lines."""
        ours, theirs = _rekey(base, ours), _rekey(base, theirs)
        by = [{c.key: c for c in side} for side in (base, ours, theirs)]
        newest_first = _newest_first(base) or (not _dated(base) and _newest_first(ours))
        order: list[Emit] = []
        for region in diff3([c.key for c in base], [c.key for c in ours], [c.key for c in theirs]):
            if region[0] == "stable":
                order.extend(("key", k) for k in region[1])
                continue
            _, bk, ok, tk = region
            if ok == bk:
                order.extend(("key", k) for k in tk)
            elif tk == bk or ok == tk:
                order.extend(("key", k) for k in ok)
            else:
                order.extend(self._both_inserted(bk, ok, tk, by, newest_first))
        order = _place_missing(order, ours, theirs)
        out: list[str] = []
        seen: set[Key] = set()
        for what, value in order:
            if what == "lines":
                _append(out, value, self.newline)
                continue
            if what == "covered":  # already written as part of a woven run
                seen.add(value)
                continue
            key = value
            if key in seen:
                continue
            seen.add(key)
            b, o, t = (side.get(key) for side in by)
            _append(out, self._resolve(b, o, t, content), self.newline)
        return out

    def _both_inserted(self, bk, ok, tk, by: list[dict], newest_first: bool) -> list[Emit]:
        """Both sides changed the same stretch of the order: keep both sides' chunks."""
        base, ours, theirs = by
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
            return [("covered", k) for k in (*bk, *ok, *tk)] + [("lines", lines)]
        emitted: list[Emit] = [("key", k) for k in ok]
        extra = [k for k in tk if k not in ok]
        if not bk and extra and ok:
            last, first = ours[ok[-1]].lines, theirs[extra[0]].lines
            # Two focus sections appended at the same place: keep a blank line between them.
            if last and not _BLANK.match(last[-1]) and first and first[0].startswith("#"):
                emitted.append(("lines", [self.newline]))
        emitted.extend(("key", k) for k in extra)
        return emitted

    def _resolve(self, b, o, t, content) -> list[str]:
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
        if b is None:
            return list(side.lines)  # added on one side
        if side.lines == b.lines:
            return []  # deleted on the other side, untouched here
        # Changed on one side, deleted on the other: a person decides.
        ours_lines = list(o.lines) if o is not None else []
        theirs_lines = list(t.lines) if t is not None else []
        return self.conflict(ours_lines, theirs_lines)

    def content(self, b: Optional[_Chunk], o: _Chunk, t: _Chunk) -> list[str]:
        """Merge one top-level chunk changed on both sides."""
        if o.kind == "section" and t.kind == "section" and (b is None or b.kind == "section"):
            return self.sequence(
                _section_parts(b) if b is not None else [],
                _section_parts(o),
                _section_parts(t),
                self.part,
            )
        return self.body_and_blanks(b, o, t)

    def part(self, b: Optional[_Chunk], o: _Chunk, t: _Chunk) -> list[str]:
        """Merge one part of a section (a field, the heading, text between) changed on both sides."""
        return self.body_and_blanks(b, o, t)

    def body_and_blanks(self, b: Optional[_Chunk], o: _Chunk, t: _Chunk) -> list[str]:
        """Merge a chunk's text and its trailing blank lines separately.

        A blank line added after a chunk (to separate an entry appended after it) must not
        conflict with text added at the end of the same chunk on the other side.
        """
        (bb, bt), (ob, ot), (tb, tt) = (_split_blanks(c.lines if c else ()) for c in (b, o, t))
        body = self.lines(bb, ob, tb)
        tail = tt if ot == bt else ot if (tt == bt or len(ot) >= len(tt)) else tt
        out = list(body)
        _append(out, tail, self.newline)
        return out

    # lines --------------------------------------------------------------------------------------

    def lines(self, base: list[str], ours: list[str], theirs: list[str]) -> list[str]:
        """diff3 on lines; regions both sides changed differently become conflicts."""
        pinned = _pin_last_updated(base, ours, theirs)
        if pinned is not None:
            (base, ours, theirs), chosen = pinned
            merged = self.lines(base, ours, theirs)
            for i, line in enumerate(merged):
                if line == _PIN:
                    last = i == len(merged) - 1
                    merged[i] = chosen if last or chosen.endswith("\n") else chosen + self.newline
            return merged
        out: list[str] = []
        for region in diff3(base, ours, theirs):
            if region[0] == "stable":
                _append(out, region[1], self.newline)
                continue
            _, b, o, t = region
            if o == b:
                _append(out, t, self.newline)
            elif t == b or o == t:
                _append(out, o, self.newline)
            elif not b and _table_rows(o) and _table_rows(t):
                # Rows added to the same table on both sides (the index of two new focus items).
                _append(out, o + [row for row in t if row not in o], self.newline)
            else:
                resolved = _line_by_line(b, o, t)
                if resolved is not None:
                    _append(out, resolved, self.newline)
                else:
                    _append(out, self._trimmed_conflict(o, t), self.newline)
        return out

    def _trimmed_conflict(self, o: list[str], t: list[str]) -> list[str]:
        """Markers around the smallest region: lines both sides agree on stay outside."""
        head = 0
        while head < min(len(o), len(t)) and o[head] == t[head]:
            head += 1
        tail = 0
        while tail < min(len(o), len(t)) - head and o[-1 - tail] == t[-1 - tail]:
            tail += 1
        middle = self.conflict(o[head : len(o) - tail], t[head : len(t) - tail])
        return o[:head] + middle + o[len(o) - tail :]

    def conflict(self, ours: list[str], theirs: list[str]) -> list[str]:
        """A standard conflict block; every line ends with a newline so markers stay alone."""
        self.conflicts += 1
        nl = self.newline
        out = [f"<<<<<<< {self.ours_label}{nl}"]
        _append(out, ours, nl)
        _append(out, [f"======={nl}"], nl)
        _append(out, theirs, nl)
        _append(out, [f">>>>>>> {self.theirs_label}{nl}"], nl)
        return out


def _append(out: list[str], lines: Sequence[str], newline: str) -> None:
    """Extend `out`, first ending its last line if it has no newline (a missing final newline)."""
    if lines and out and not out[-1].endswith("\n"):
        out[-1] += newline
    out.extend(lines)


def _split_blanks(lines: Sequence[str]) -> tuple[list[str], list[str]]:
    """(lines up to the last non-blank one, the blank lines after it)."""
    end = len(lines)
    while end and _BLANK.match(lines[end - 1]):
        end -= 1
    return list(lines[:end]), list(lines[end:])


def _has_text(chunks: list[_Chunk]) -> bool:
    """True when some unnamed chunk holds more than blank lines and thematic breaks."""
    return any(
        not c.named and c.kind != "break" and not all(_BLANK.match(x) for x in c.lines)
        for c in chunks
    )


def _self_contained(regions: tuple[list, list, list], by: list[dict]) -> bool:
    """True when no key of these regions (base, ours, theirs) sits elsewhere on another side."""
    for mine, keys in enumerate(regions):
        for other, region in enumerate(regions):
            if other != mine and any(k in by[other] and k not in region for k in keys):
                return False
    return True


def _table_rows(lines: list[str]) -> bool:
    return bool(lines) and all(line.lstrip().startswith("|") for line in lines)


def _line_by_line(b: list[str], o: list[str], t: list[str]) -> Optional[list[str]]:
    """Resolve a region of equal length line by line (adjacent edits, `Last Updated`), or None."""
    if not (len(b) == len(o) == len(t)):
        return None
    out = []
    for bl, ol, tl in zip(b, o, t):
        if ol == bl or ol == tl:
            out.append(tl)
        elif tl == bl:
            out.append(ol)
        else:
            later = _later_last_updated(ol, tl)
            if later is None:
                return None
            out.append(later)
    return out


# Stands for the `Last Updated` line while the lines around it are merged.
_PIN = "\x00ledger: last updated\x00\n"


def _pin_last_updated(
    base: list[str], ours: list[str], theirs: list[str]
) -> Optional[tuple[tuple[list[str], list[str], list[str]], str]]:
    """Replace the one `Last Updated` line of each side by a pin, and choose the line it stands for.

    Pinned, the line is the same on all sides, so edits next to it (a bullet added under the
    header) merge as if the date had not changed; None when a side has no such line, or several.
    """
    found = []
    for side in (base, ours, theirs):
        at = [i for i, line in enumerate(side) if _LAST_UPDATED.match(line)]
        if len(at) != 1:
            return None
        found.append(at[0])
    b, o, t = (side[i] for side, i in zip((base, ours, theirs), found))
    if b == o == t:
        return None
    if o == b or o == t:
        chosen = t
    elif t == b:
        chosen = o
    else:
        chosen = _later_last_updated(o, t) or o
    sides = []
    for side, i in zip((base, ours, theirs), found):
        copy = list(side)
        copy[i] = _PIN
        sides.append(copy)
    return (sides[0], sides[1], sides[2]), chosen


def _later_last_updated(ours: str, theirs: str) -> Optional[str]:
    """Of two `**Last Updated:**` lines the later one (ties: the larger text), else None."""
    mo, mt = _LAST_UPDATED.match(ours), _LAST_UPDATED.match(theirs)
    if not mo or not mt:
        return None
    floor = datetime.min
    ko = (_naive(parse_timestamp(mo.group("value"))) or floor, mo.group("value"))
    kt = (_naive(parse_timestamp(mt.group("value"))) or floor, mt.group("value"))
    return ours if ko >= kt else theirs


def _naive(when: Optional[datetime]) -> Optional[datetime]:
    return when.replace(tzinfo=None) if when is not None else None


# --- attempts added on both sides --------------------------------------------------------------


def _dated(chunks: list[_Chunk]) -> list[datetime]:
    return [c.when for c in chunks if c.kind == "attempt" and c.when is not None]


def _newest_first(chunks: list[_Chunk]) -> bool:
    """True when the attempts of this container are written newest first."""
    dated = _dated(chunks)
    return len(dated) >= 2 and dated[0] > dated[-1]


def _attempt_runs(
    ours: list[_Chunk], theirs: list[_Chunk], newest_first: bool, newline: str
) -> Optional[list[Emit]]:
    """Two runs of new attempts (with blank separators) woven into one, in the section's order.

    Returns None when the runs hold anything but attempts and blank lines, or when their
    layouts differ (separator before vs after each attempt), so the caller keeps both as is.
    """
    o_shape, t_shape = _run_shape(ours), _run_shape(theirs)
    if o_shape is None or t_shape is None:
        return None
    (o_atts, o_sep, o_lead), (t_atts, t_sep, t_lead) = o_shape, t_shape
    if o_sep and t_sep and o_lead != t_lead:
        return None
    sep = o_sep or t_sep
    lead = o_lead if o_sep else t_lead
    known = {a.key for a in o_atts}
    attempts = o_atts + [a for a in t_atts if a.key not in known]  # the same entry added twice: once
    if all(a.when is not None for a in attempts):
        attempts.sort(key=lambda a: a.when.timestamp() if a.when else 0.0, reverse=newest_first)
    out: list[Emit] = [("covered", c.key) for c in ours + theirs]
    previous: tuple[str, ...] = ()
    for att in attempts:
        if sep and lead:
            out.append(("lines", list(sep)))
        elif not sep and previous and not _BLANK.match(previous[-1]) and att.lines[0].startswith("#"):
            out.append(("lines", [newline]))  # heading entries need a blank line between them
        out.append(("lines", list(att.lines)))
        previous = att.lines
        if sep and not lead:
            out.append(("lines", list(sep)))
    return out


def _run_shape(run: list[_Chunk]) -> Optional[tuple[list[_Chunk], tuple[str, ...], bool]]:
    """(attempts, separator lines, separator leads) of a run alternating attempts and blanks."""
    attempts = [c for c in run if c.kind == "attempt"]
    others = [c for c in run if c.kind != "attempt"]
    if not attempts or any(not all(_BLANK.match(x) for x in c.lines) for c in others):
        return None
    if not others:
        return attempts, (), False
    if len(others) != len(attempts) or len({c.lines for c in others}) != 1:
        return None
    lead = run[0].kind != "attempt"
    expected = [("other" if (i % 2 == 0) == lead else "attempt") for i in range(len(run))]
    if [("attempt" if c.kind == "attempt" else "other") for c in run] != expected:
        return None
    return attempts, others[0].lines, lead


def _rekey(base: list[_Chunk], side: list[_Chunk]) -> list[_Chunk]:
    """Give a side's chunks the identity of the base chunks they are (see the two rules below)."""
    return _reanchor(_rekey_edited(base, _match_duplicates(base, side)))


def _match_duplicates(base: list[_Chunk], side: list[_Chunk]) -> list[_Chunk]:
    """Chunks sharing a name (two `Next Actions` fields) are matched by content, not by position.

    Keys count occurrences, so a second `- Next Actions:` inserted above the first one would
    otherwise take the first one's identity. When a name occurs a different number of times in
    the base and on this side, an unchanged chunk keeps its base identity, the remaining ones are
    paired in order, and any left over are new.
    """
    def name(chunk: _Chunk) -> tuple:
        return (chunk.kind, chunk.key[1])

    counts_base: dict[tuple, list[_Chunk]] = {}
    for chunk in base:
        if chunk.named:
            counts_base.setdefault(name(chunk), []).append(chunk)
    counts_side: dict[tuple, list[_Chunk]] = {}
    for chunk in side:
        if chunk.named:
            counts_side.setdefault(name(chunk), []).append(chunk)
    renamed: dict[int, Key] = {}
    for label, mine in counts_side.items():
        theirs_ = counts_base.get(label, [])
        if not theirs_ or len(theirs_) == len(mine):
            continue
        unclaimed = list(theirs_)
        rest = []
        for chunk in mine:
            same = next((b for b in unclaimed if b.lines == chunk.lines), None)
            if same is not None:
                unclaimed.remove(same)
                renamed[id(chunk)] = same.key
            else:
                rest.append(chunk)
        for n, chunk in enumerate(rest):
            renamed[id(chunk)] = unclaimed.pop(0).key if unclaimed else (*label, ("new", n))
    if not renamed:
        return side
    return [replace(c, key=renamed[id(c)]) if id(c) in renamed else c for c in side]


def _reanchor(side: list[_Chunk]) -> list[_Chunk]:
    """Recompute the keys of unnamed chunks from the (possibly renamed) chunk that follows."""
    out: list[_Chunk] = []
    following: Key = ("end",)
    for chunk in reversed(side):
        if not chunk.named:
            chunk = replace(chunk, key=(chunk.kind, "before", following))
        out.append(chunk)
        following = chunk.key
    return out[::-1]


def _rekey_edited(base: list[_Chunk], side: list[_Chunk]) -> list[_Chunk]:
    """An attempt whose text changed but whose timestamp and label did not is the same attempt.

    Attempts are keyed by (timestamp, label, text), so an edited entry would look like a new one;
    giving it its base key back makes an edit on both sides a content merge (and a conflict when
    the edits differ) instead of two copies of the entry.
    """
    keys = {c.key for c in side}
    gone: dict[tuple, list[_Chunk]] = {}
    for chunk in base:
        stamp = _stamp(chunk)
        if stamp is not None and chunk.key not in keys:
            gone.setdefault(stamp, []).append(chunk)
    if not gone:
        return side
    base_keys = {c.key for c in base}
    out = []
    for chunk in side:
        candidates = gone.get(_stamp(chunk), [])
        if chunk.key not in base_keys and len(candidates) == 1:
            chunk = replace(chunk, key=candidates.pop().key)
        out.append(chunk)
    return out


def _stamp(chunk: _Chunk) -> Optional[tuple]:
    """(timestamp text, label) of a dated attempt inside a section, else None."""
    name = chunk.key[1]
    if chunk.kind != "attempt" or not isinstance(name, tuple) or name[0] is None:
        return None
    return (name[0], name[1])


def _place_missing(order: list[Emit], ours: list[_Chunk], theirs: list[_Chunk]) -> list[Emit]:
    """Chunks no region emitted (kept on one side, moved on the other) go after their predecessor."""
    listed = {v for w, v in order if w in ("key", "covered")}
    for side in (ours, theirs):
        for idx, chunk in enumerate(side):
            if chunk.key in listed:
                continue
            prev = side[idx - 1].key if idx else None
            at = 0
            if prev is not None:
                at = next((p + 1 for p, (w, v) in enumerate(order) if w == "key" and v == prev), len(order))
            order.insert(at, ("key", chunk.key))
            listed.add(chunk.key)
    return order
