"""Items of the other forms moved to another group on one side, followed on the other sides.

`ledger set --status done --move-to-completed` (or a person) moves a checkbox from
`## High Priority` to `## Completed`; meanwhile the other side adds a note under it where it
was. Merged group by group, that is a deletion in one group against a change there, which a
person would have to settle. Before the merge, `follow_moves` puts the item, as the base and the
other side have it, where the moving side put it: after the same item of the new group (or
right under its heading), in the base and the other side's text. The item then has one place
on every side and its changes merge like any item's (the move's tick, the other side's note).

Only outermost items of a group, with an ID that occurs once on every side, are followed; an
item moved on both sides, or to a group one of the others lacks, is left to the merge.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from ..document import Splice
from ..model import BlockKind, FocusItem, Ledger
from ..parse import loads
from .chunks import outermost


@dataclass(frozen=True, slots=True)
class _Place:
    """Where an item sits: its group (the heading text), the item and the item before it."""

    group: str
    item: FocusItem
    after: str | None  # the ID of the outermost item before it in the group, if any


@dataclass(frozen=True, slots=True)
class _Layout:
    """One side's items by ID and its group headings (text -> 1-based line; the first of
    groups sharing a heading)."""

    places: dict[str, _Place]
    headings: dict[str, int]


def follow_moves(base: Ledger, ours: Ledger, theirs: Ledger) -> tuple[Ledger, Ledger, Ledger]:
    """The three ledgers with every item one side moved to another group moved there in the
    base and the other side too (re-parsed only when something moved)."""
    sides = [base, ours, theirs]
    layouts = [_layout(ledger) for ledger in sides]
    places = [layout.places for layout in layouts]
    deletions: list[list[Splice]] = [[], [], []]
    insertions: list[dict[int, list[tuple[int, FocusItem]]]] = [{}, {}, {}]
    for mover, other in ((1, 2), (2, 1)):
        moved = places[mover]
        for item_id, there in moved.items():
            was, kept = places[0].get(item_id), places[other].get(item_id)
            if was is None or kept is None or there.group == was.group or kept.group != was.group:
                continue  # not moved, or moved on both sides: the merge decides
            targets = (0, other)
            # Into ours, theirs' item goes after what ours itself put at that place, as the
            # merge keeps ours before theirs where both sides added something.
            anchors = [
                _anchor(moved, layouts[side], there, layouts[0] if side == 1 else None)
                for side in targets
            ]
            if any(anchor is None for anchor in anchors):
                continue
            for side, anchor in zip(targets, anchors):
                assert anchor is not None
                item = places[side][item_id].item
                deletions[side].append(Splice.delete(item.line - 1, item.end_line))
                insertions[side].setdefault(anchor, []).append((mover, there.item))
    changes = [list(d) for d in deletions]
    for side, by_anchor in enumerate(insertions):
        contents = sides[side].document.contents
        for anchor, items in by_anchor.items():
            lines: list[str] = []
            # Ours' items before theirs, each side's in its own order.
            for _mover, moved_item in sorted(items, key=lambda m: (m[0], m[1].line)):
                own = places[side][moved_item.id].item
                lines += contents[own.line - 1 : own.end_line]
            changes[side].append(Splice.insert(anchor, lines))
    if not any(changes):
        return base, ours, theirs
    out = [
        loads(ledger.document.splice(edits)) if edits else ledger
        for ledger, edits in zip(sides, changes)
    ]
    return out[0], out[1], out[2]


def _anchor(
    moved: dict[str, _Place], target: _Layout, there: _Place, base: _Layout | None
) -> int | None:
    """The 0-based line in the target before which the moved item goes: after the nearest item
    before it (on the moving side) that the target has in the same group, else right under the
    group's heading; None when the target has no such group. With `base`, also after the items
    the target has there that the base has not (what the target itself added or moved there)."""
    group = there.group
    after = there.after
    while after is not None:
        found = target.places.get(after)
        if found is not None and found.group == group:
            break
        after = moved[after].after if after in moved else None
    if after is None and group not in target.headings:
        return None
    end = target.places[after].item.end_line if after is not None else target.headings[group]
    if base is not None:
        following = {p.after: p.item for p in target.places.values() if p.group == group}
        while after in following:
            nxt = following[after]
            known = base.places.get(nxt.id)
            if known is not None and known.group == group:
                break
            after, end = nxt.id, nxt.end_line
    return end  # a 1-based last line (or heading line) is the 0-based index after it


def _layout(ledger: Ledger) -> _Layout:
    """The outermost items of the other forms in each group, by ID (IDs that occur once only),
    and the group headings."""
    doc = ledger.document
    groups = [b for b in ledger.blocks if b.kind == BlockKind.group]
    headings: dict[str, int] = {}
    for block in groups:
        headings.setdefault(doc.contents[block.line - 1].strip(), block.line)
    starts = [b.line for b in groups]
    members: dict[int, list[FocusItem]] = {}
    for item in ledger.focus_items:
        if not item.has_section or item.form.is_ledger_section:
            continue
        at = bisect_right(starts, item.line) - 1
        if at >= 0 and groups[at].line <= item.line <= groups[at].end_line:
            members.setdefault(at, []).append(item)
    places: dict[str, _Place] = {}
    seen: set[str] = set()
    for at, items in members.items():
        block = groups[at]
        if any(item.line == block.line for item in items):
            continue  # a heading item: its nested items stay where it keeps them
        group = doc.contents[block.line - 1].strip()
        previous: str | None = None
        for item in outermost(tuple(items), block.line + 1, block.end_line):
            if item.id in seen:
                places.pop(item.id, None)
            else:
                places[item.id] = _Place(group, item, previous)
            seen.add(item.id)
            previous = item.id
    return _Layout(places, headings)
