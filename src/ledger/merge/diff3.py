"""The line-wise three-way merge: diff3 over any sequences, and lines merged as git merges them.

`diff3` splits base, ours and theirs into stable runs (the same on all sides) and unstable
regions. `LineMerger.lines` takes what one side changed, and what both sides changed differently
becomes a conflict with `<<<<<<< ours` / `=======` / `>>>>>>> theirs` markers around the smallest
region, after three rules a person would apply: rows added to the same table on both sides are
all kept, edits to adjacent lines of an equal-length region both apply, and of two
`**Last Updated:**` values the later one wins (the line is pinned while the lines around it are
merged, so a bullet added under the header does not conflict with the date).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from ..tables import is_row
from ..timestamps import parse_timestamp

_LAST_UPDATED = re.compile(
    r"\s*(?:[-*]\s+)?\*\*Last Updated\s*:?\*\*\s*:?\s*(?P<value>.*?)\s*$", re.IGNORECASE
)
_BLANK = re.compile(r"\s*$")
# Stands for the `Last Updated` line while the lines around it are merged.
_PIN = "\x00ledger: last updated\x00\n"


@dataclass(frozen=True, slots=True)
class Stable:
    """A run that is the same in base, ours and theirs."""

    items: list


@dataclass(frozen=True, slots=True)
class Unstable:
    """A region where at least one side differs from the base."""

    base: list
    ours: list
    theirs: list


def is_blank(line: str) -> bool:
    """Whether a line (ending included) holds only whitespace."""
    return _BLANK.match(line) is not None


def _matches(a: Sequence[Hashable], b: Sequence[Hashable]) -> dict[int, int]:
    """Index in `a` -> index in `b` of the items SequenceMatcher pairs up (monotone)."""
    pairs: dict[int, int] = {}
    for i, j, n in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for k in range(n):
            pairs[i + k] = j + k
    return pairs


def diff3(
    base: Sequence[Hashable], ours: Sequence[Hashable], theirs: Sequence[Hashable]
) -> list[Stable | Unstable]:
    """Split three sequences into stable runs (same on all sides) and unstable regions."""
    to_ours, to_theirs = _matches(base, ours), _matches(base, theirs)
    anchors = [b for b in range(len(base)) if b in to_ours and b in to_theirs]
    regions: list[Stable | Unstable] = []
    i = j = k = 0
    for b in anchors:
        o, t = to_ours[b], to_theirs[b]
        if o < j or t < k:  # cannot happen with monotone matches; be safe anyway
            continue
        if (i, j, k) != (b, o, t):
            regions.append(Unstable(list(base[i:b]), list(ours[j:o]), list(theirs[k:t])))
        if regions and isinstance(regions[-1], Stable):
            regions[-1].items.append(base[b])
        else:
            regions.append(Stable([base[b]]))
        i, j, k = b + 1, o + 1, t + 1
    if i < len(base) or j < len(ours) or k < len(theirs):
        regions.append(Unstable(list(base[i:]), list(ours[j:]), list(theirs[k:])))
    return regions


def append_lines(out: list[str], lines: Sequence[str], newline: str) -> None:
    """Extend `out`, first ending its last line if it has no newline (a missing final newline)."""
    if lines and out and not out[-1].endswith("\n"):
        out[-1] += newline
    out.extend(lines)


class LineMerger:
    """Merges lines; holds what every level of a merge shares: newline, labels, conflict count."""

    def __init__(self, newline: str, ours_label: str, theirs_label: str) -> None:
        self.newline = newline
        self.ours_label = ours_label
        self.theirs_label = theirs_label
        self.conflicts = 0

    def lines(self, base: list[str], ours: list[str], theirs: list[str]) -> list[str]:
        """diff3 on lines; regions both sides changed differently become conflicts."""
        pinned = _pin_last_updated(base, ours, theirs)
        if pinned is not None:
            merged = self.lines(pinned.base, pinned.ours, pinned.theirs)
            chosen = pinned.chosen
            for i, line in enumerate(merged):
                if line == _PIN:
                    last = i == len(merged) - 1
                    merged[i] = chosen if last or chosen.endswith("\n") else chosen + self.newline
            return merged
        out: list[str] = []
        for region in diff3(base, ours, theirs):
            if isinstance(region, Stable):
                append_lines(out, region.items, self.newline)
                continue
            b, o, t = region.base, region.ours, region.theirs
            if o == b:
                append_lines(out, t, self.newline)
            elif t == b or o == t:
                append_lines(out, o, self.newline)
            elif not b and _table_rows(o) and _table_rows(t):
                # Rows added to the same table on both sides (the index of two new focus items).
                append_lines(out, o + [row for row in t if row not in o], self.newline)
            else:
                resolved = _line_by_line(b, o, t)
                if resolved is not None:
                    append_lines(out, resolved, self.newline)
                else:
                    append_lines(out, self._trimmed_conflict(o, t), self.newline)
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
        append_lines(out, ours, nl)
        append_lines(out, [f"======={nl}"], nl)
        append_lines(out, theirs, nl)
        append_lines(out, [f">>>>>>> {self.theirs_label}{nl}"], nl)
        return out


def _table_rows(lines: list[str]) -> bool:
    return bool(lines) and all(is_row(line) for line in lines)


def _line_by_line(b: list[str], o: list[str], t: list[str]) -> list[str] | None:
    """Resolve a region of equal length line by line (adjacent edits, `Last Updated`), or None."""
    if not (len(b) == len(o) == len(t)):
        return None
    out = []
    for bl, ol, tl in zip(b, o, t):
        if ol in (bl, tl):
            out.append(tl)
        elif tl == bl:
            out.append(ol)
        else:
            later = _later_last_updated(ol, tl)
            if later is None:
                return None
            out.append(later)
    return out


@dataclass(frozen=True, slots=True)
class _Pinned:
    """The three sides with their `Last Updated` line replaced by a pin, and the line chosen."""

    base: list[str]
    ours: list[str]
    theirs: list[str]
    chosen: str


def _pin_last_updated(base: list[str], ours: list[str], theirs: list[str]) -> _Pinned | None:
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
    if o in (b, t):
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
    return _Pinned(sides[0], sides[1], sides[2], chosen)


def _later_last_updated(ours: str, theirs: str) -> str | None:
    """Of two `**Last Updated:**` lines the later one (ties: the larger text), else None."""
    mo, mt = _LAST_UPDATED.match(ours), _LAST_UPDATED.match(theirs)
    if not mo or not mt:
        return None
    floor = datetime.min
    ko = (_naive(parse_timestamp(mo.group("value"))) or floor, mo.group("value"))
    kt = (_naive(parse_timestamp(mt.group("value"))) or floor, mt.group("value"))
    return ours if ko >= kt else theirs


def _naive(when: datetime | None) -> datetime | None:
    return when.replace(tzinfo=None) if when is not None else None
