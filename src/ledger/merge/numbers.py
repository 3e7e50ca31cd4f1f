"""Attempt numbers after a merge: two sides that each added `Attempt #N` to one focus.

Both loops number their new attempt after the last one they saw, so a merge that keeps both
entries (as it should) would leave two `Attempt #37` in one focus (LDG203). The later entry (by
timestamp; on a tie, theirs) takes the next free number of the focus, and the merge says so. When
that entry cannot be found once, as written, in the merged text (it sits in a conflict, or it was
merged with an edit), nothing is renumbered and the merge reports the duplicate instead: it is
then not clean, so the merge driver exits 1 and git stops for a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from ..document import Splice
from ..model import Attempt, FocusItem, Ledger
from ..parse import loads

_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Renumbered:
    """An attempt the merge renumbered: in which focus, from which side, old and new number, and
    its (1-based) line in the merged text."""

    focus: str
    side: str
    old: int
    new: int
    line: int

    def message(self) -> str:
        return (
            f"both sides added Attempt #{self.old} to {self.focus}; the later one (from "
            f"{self.side}) is now Attempt #{self.new} (line {self.line})"
        )


@dataclass(frozen=True)
class Unnumbered:
    """Two `Attempt #N` added on both sides that the merge could not tell apart."""

    focus: str
    number: int

    def message(self) -> str:
        return (
            f"both sides added Attempt #{self.number} to {self.focus}, and the later one is "
            "inside a conflict (or was changed), so it was not renumbered: renumber it by hand"
        )


def renumber(
    base: Ledger, ours: Ledger, theirs: Ledger, merged_text: str, labels: tuple[str, str]
) -> tuple[str, list[Renumbered], list[Unnumbered]]:
    """The merged text with the later of each pair of same-numbered new attempts renumbered."""
    clashes = _clashes(base, ours, theirs, labels)
    if not clashes:
        return merged_text, [], []
    merged = loads(merged_text)
    in_conflict = _conflict_lines(merged.document.contents)
    changes: list[Splice] = []
    done: list[Renumbered] = []
    failed: list[Unnumbered] = []
    next_free: dict[str, int] = {}
    for focus_id, number, later, side in clashes:
        copies = merged.all_named(focus_id)
        found = [a for f in copies for a in f.attempts if a.text == later.text]
        if (
            len(copies) != 1
            or len(found) != 1
            or found[0].number != number
            or found[0].line in in_conflict
        ):
            failed.append(Unnumbered(focus_id, number))
            continue
        entry = found[0]
        new = next_free.get(focus_id) or _highest(copies[0]) + 1
        next_free[focus_id] = new + 1
        first = merged.document.content(entry.line - 1)
        changes.append(Splice.replace(entry.line - 1, _with_number(first, number, new)))
        done.append(Renumbered(focus_id, side, number, new, entry.line))
    if not changes:
        return merged_text, done, failed
    return merged.document.splice(changes), done, failed


def _clashes(
    base: Ledger, ours: Ledger, theirs: Ledger, labels: tuple[str, str]
) -> list[tuple[str, int, Attempt, str]]:
    """(focus, number, the later entry, its side) for each number both sides gave a new entry of
    one focus (an entry added identically on both sides is merged into one, and an edited entry
    keeps its date and number: neither is new)."""
    out = []
    for focus in ours.focus_items:
        other = theirs.all_named(focus.id)
        if len(other) != 1 or len(ours.all_named(focus.id)) != 1:
            continue  # a duplicated ID: which copy is which is not ours to guess
        known = {(a.timestamp_text, a.number) for f in base.all_named(focus.id) for a in f.attempts}
        added_ours = _added(focus, known, other[0])
        added_theirs = _added(other[0], known, focus)
        for number, mine in added_ours.items():
            yours = added_theirs.get(number)
            if yours is None:
                continue
            # later by timestamp; on a tie (dates only, or none) theirs, the side merged in
            if (yours.timestamp or _EARLIEST) >= (mine.timestamp or _EARLIEST):
                out.append((focus.id, number, yours, labels[1]))
            else:
                out.append((focus.id, number, mine, labels[0]))
    return out


def _added(focus: FocusItem, known: set, other: FocusItem) -> dict[int, Attempt]:
    """The numbered attempts `focus` added (not in the base, not also on the other side), by
    number (the first of each)."""
    same = {a.text for a in other.attempts}
    out: dict[int, Attempt] = {}
    for a in focus.attempts:
        new = a.number is not None and (a.timestamp_text, a.number) not in known
        if new and a.text not in same:
            out.setdefault(a.number, a)  # type: ignore[arg-type]
    return out


def _conflict_lines(lines: list[str]) -> set[int]:
    """The (1-based) lines inside conflict markers: a person decides what stays there."""
    inside: set[int] = set()
    start = None
    for n, line in enumerate(lines, 1):
        if line.startswith("<<<<<<< "):
            start = n
        elif line.startswith(">>>>>>> ") and start is not None:
            inside.update(range(start, n + 1))
            start = None
    return inside


def _highest(focus: FocusItem) -> int:
    return max((a.number or 0 for a in focus.attempts), default=0)


def _with_number(line: str, old: int, new: int) -> str:
    """The entry's first line with `Attempt #old` written as `Attempt #new`."""
    return re.sub(rf"(Attempt\s+#){old}\b", rf"\g<1>{new}", line, count=1)
