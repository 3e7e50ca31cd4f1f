"""Cutting a ledger into chunks with a stable identity, for the merge.

The chunks are cut from the parsed ledger: its document's lines and its blocks, sections, fields
and attempts, so the merge sees the ledger the way every other command does.

* top level (`top_chunks`): front matter, the preamble, each focus section by ID (plus an
  occurrence index for duplicated IDs), each group by heading text, heading-style attempts by
  their heading line; breaks and prose have no name of their own and are keyed by the keyed
  chunk that follows them;
* inside a focus section (`section_parts`): the heading line, each field (by name), each
  attempt (by timestamp, label and text), and the lines in between (keyed by what follows them);
* inside a group of the other forms, and inside one of their items (`item_parts`): the heading
  line, each item by ID (a checkbox, a numbered entry, a table row, a heading item with its
  body: the parser's own items and their line spans), and in an item, like in a section, its
  fields and its dated notes (its attempts), and its sub-steps by their words. A group that is
  a heading item (`### W1: Title`) is named by the item's ID, so a status written into its
  heading does not make it a new group.

A key is an opaque tuple (`(kind, name, occurrence)`, or `(kind, "before", next key)` for an
unnamed chunk): tuples hash fast, and the keys are compared many times by the diff of the order.
`rekey` gives a side's chunks the identity of the base chunks they are, where names alone would
mislead (a second field of the same name, an attempt whose text was edited).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import groupby

from ..model import BlockKind, FocusItem, Ledger
from .diff3 import is_blank

Key = tuple
END: Key = ("end",)


@dataclass(frozen=True)
class Chunk:
    """A run of whole lines with an identity; sections also keep their parsed focus item."""

    key: Key
    kind: str
    lines: tuple[str, ...]
    start: int = 1  # 1-based line number of the first line in its document
    when: datetime | None = None  # attempts: their timestamp
    item: FocusItem | None = None  # sections and items: the parsed focus item
    named: bool = True  # False: keyed by the chunk that follows it
    items: tuple[FocusItem, ...] = ()  # the items of the other forms within these lines


@dataclass(frozen=True, slots=True)
class _Run:
    """Lines `first`..`last` (1-based, inclusive) of one kind; `name` None for unnamed text."""

    kind: str
    name: Hashable
    first: int
    last: int
    extra: dict = field(default_factory=dict)  # more Chunk fields (when, item)


def _keyed(runs: list[_Run], lines: Sequence[str]) -> list[Chunk]:
    """Turn runs into chunks with unique keys.

    Named runs are keyed by (kind, name, occurrence); unnamed runs (name None) by the key of the
    next named run, so inserting something before a blank line does not move the blank line.
    """
    seen: dict[tuple, int] = {}
    keys: list[Key | None] = []
    for run in runs:
        if run.name is None:
            keys.append(None)
            continue
        n = seen.get((run.kind, run.name), 0)
        seen[(run.kind, run.name)] = n + 1
        keys.append((run.kind, run.name, n))
    following: Key = END
    for idx in range(len(runs) - 1, -1, -1):
        key = keys[idx]
        if key is None:
            key = keys[idx] = (runs[idx].kind, "before", following)
        following = key
    return [
        Chunk(
            key=key,
            kind=run.kind,
            lines=tuple(lines[run.first - 1 : run.last]),
            start=run.first,
            named=run.name is not None,
            **run.extra,
        )
        for run, key in zip(runs, keys)
        if key is not None
    ]


def top_chunks(ledger: Ledger) -> list[Chunk]:
    """Top-level chunks of a parsed ledger, one per block, covering every line in order."""
    doc = ledger.document
    # Keyed the way blocks are looked up (a block's focus ID is None outside sections).
    items: dict[tuple[str | None, int], FocusItem] = {
        (f.id, f.line): f for f in ledger.focus_items if f.has_section
    }
    attempts = {a.line: a for f in ledger.focus_items for a in f.attempts}
    attempts.update({a.line: a for a in ledger.orphan_attempts})
    others = sorted(
        (f for f in ledger.focus_items if f.has_section and not f.form.is_ledger_section),
        key=lambda f: f.line,
    )
    starts = [f.line for f in others]
    runs: list[_Run] = []
    for block in ledger.blocks:
        name: Hashable
        extra: dict = {}
        inside = tuple(
            others[bisect_left(starts, block.line) : bisect_right(starts, block.end_line)]
        )
        if inside and block.kind != BlockKind.section:
            extra = {"items": inside}
        if block.kind == BlockKind.section:
            name = block.focus_id
            extra = {"item": items.get((block.focus_id, block.line))}
        elif block.kind == BlockKind.group:
            name = doc.contents[block.line - 1].strip()
            if inside and inside[0].line == block.line:  # a heading item: its ID names it
                name = ("item", inside[0].id)
        elif block.kind == BlockKind.attempt:
            name = doc.contents[block.line - 1].strip()  # the heading names it, not the body
            found = attempts.get(block.line)
            extra = {**extra, "when": found.timestamp if found else None}
        elif block.kind in (BlockKind.preamble, BlockKind.front_matter):
            name = block.kind.value
        else:  # break, prose: positional
            name = None
        runs.append(_Run(block.kind.value, name, block.line, block.end_line, extra))
    return _keyed(runs, doc.lines)


def section_parts(chunk: Chunk) -> list[Chunk]:
    """A section chunk cut into heading, fields, attempts and the lines in between."""
    return _parts(chunk, chunk.item, ())


def item_parts(chunk: Chunk) -> list[Chunk]:
    """A group, prose or item chunk of the other forms cut into its heading, its items (by ID,
    each keeping the items nested in it), the fields and notes of the item it is, and the
    lines in between. A group that is a heading item is cut as that item."""
    item = chunk.item
    nested = chunk.items
    if item is None and nested and nested[0].line == chunk.start and chunk.kind == "group":
        item, nested = nested[0], nested[1:]
    return _parts(chunk, item, nested)


def _parts(chunk: Chunk, item: FocusItem | None, nested: tuple[FocusItem, ...]) -> list[Chunk]:
    """Cut a chunk's lines: the heading line, the fields, attempts and sub-steps of `item`, the
    outermost of the `nested` items (each a part holding the items inside it) and the lines
    between."""
    first = chunk.start
    owner: list[tuple[str, int]] = [("other", -1)] * len(chunk.lines)
    if item is not None or chunk.kind in ("section", "group"):
        owner[0] = ("heading", 0)
    fields = item.fields if item is not None else []
    attempts = item.attempts if item is not None else []
    steps = item.steps if item is not None else []
    last = first + len(owner) - 1
    tops = outermost(nested, first + 1, last)
    # Fields first, then attempts: an attempt nested under `- Attempts History:` is its own part;
    # then sub-steps (one line each: ticked on one side, noted on the other); nested items last:
    # their lines are theirs even when a field of the container runs on.
    spans_by_kind: tuple[tuple[str, list[tuple[int, int]]], ...] = (
        ("field", [(f.line, f.end_line) for f in fields]),
        ("attempt", [(a.line, a.end_line) for a in attempts]),
        ("step", [(s.line, s.line) for s in steps]),
        ("item", [(f.line, f.end_line) for f in tops]),
    )
    for kind, spans in spans_by_kind:
        for idx, (start, end) in enumerate(spans):
            for n in range(max(start, first + 1), min(end, last) + 1):
                owner[n - first] = (kind, idx)
    runs: list[_Run] = []
    field_parts: dict[int, int] = {}
    n = first
    for (kind, idx), group in groupby(owner):
        size = len(list(group))
        name: Hashable = None
        extra: dict = {}
        if kind == "heading":
            name = "heading"
        elif kind == "field":
            part = field_parts[idx] = field_parts.get(idx, -1) + 1
            name = (fields[idx].key, part)  # a field cut by nested attempts: head, tail, ...
        elif kind == "attempt":
            att = attempts[idx]
            name = (att.timestamp_text, att.label, att.text)
            extra = {"when": att.timestamp}
        elif kind == "step":
            name = steps[idx].text  # the box is its content, the words its identity
        elif kind == "item":
            inner = tops[idx]
            name = inner.id
            within = tuple(f for f in nested if inner.line < f.line <= inner.end_line)
            extra = {"item": inner, "items": within}
        runs.append(_Run(kind, name, n, n + size - 1, extra))
        n += size
    return _keyed(runs, [""] * (first - 1) + list(chunk.lines))


def outermost(items: tuple[FocusItem, ...], first: int, last: int) -> list[FocusItem]:
    """The items in lines `first`..`last` that no other of them contains, in line order."""
    out: list[FocusItem] = []
    reach = first - 1
    for found in sorted(items, key=lambda f: f.line):
        if first <= found.line <= last and found.line > reach:
            out.append(found)
            reach = max(reach, found.end_line)
    return out


# --- identity across sides -----------------------------------------------------------------


def rekey(base: list[Chunk], side: list[Chunk]) -> list[Chunk]:
    """Give a side's chunks the identity of the base chunks they are (see the rules below)."""
    side = _rekey_retitled(base, _rekey_edited(base, _match_duplicates(base, side)))
    return _reanchor(base, side)


def _match_duplicates(base: list[Chunk], side: list[Chunk]) -> list[Chunk]:
    """Chunks sharing a name (two `Next Actions` fields) are matched by content, not by position.

    Keys count occurrences, so a second `- Next Actions:` inserted above the first one would
    otherwise take the first one's identity. When a name occurs a different number of times in
    the base and on this side, an unchanged chunk keeps its base identity, the remaining ones are
    paired in order, and any left over are new.
    """

    def name(chunk: Chunk) -> tuple:
        return (chunk.kind, chunk.key[1])

    counts_base: dict[tuple, list[Chunk]] = {}
    for chunk in base:
        if chunk.named:
            counts_base.setdefault(name(chunk), []).append(chunk)
    counts_side: dict[tuple, list[Chunk]] = {}
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


def _reanchor(base: list[Chunk], side: list[Chunk]) -> list[Chunk]:
    """Recompute the keys of unnamed chunks from the (possibly renamed) chunk that follows.

    Text with no name of its own (an item's description lines, a paragraph) that this side did
    not move keeps its base identity when this side put something new right after it (a note
    appended after an item's description): it is the text that follows the same named chunk
    as in the base. Otherwise an edit of that text on the other side would meet a text this
    side seems to have deleted. Blank lines are left keyed by what follows them, which is what
    lets two runs of new attempts with blank separators be woven (0061).
    """
    after_in_base: dict[Key | None, Chunk] = {}
    for previous, chunk in zip([None, *base], base):
        if not chunk.named and (previous is None or previous.named):
            after_in_base[previous.key if previous is not None else None] = chunk
    base_keys = {c.key for c in base}
    out: list[Chunk] = []
    following: Key = END
    for idx in range(len(side) - 1, -1, -1):
        chunk = side[idx]
        if not chunk.named:
            key: Key = (chunk.kind, "before", following)
            previous = side[idx - 1] if idx else None
            if key not in base_keys and (previous is None or previous.named):
                was = after_in_base.get(previous.key if previous is not None else None)
                if was is not None and was.kind == chunk.kind and _has_words(chunk):
                    key = was.key
            chunk = replace(chunk, key=key)
        out.append(chunk)
        following = chunk.key
    keys = [c.key for c in out]
    if len(set(keys)) != len(keys):  # a base key taken twice: keep the keys by position
        return _reanchor([], side)
    return out[::-1]


def _has_words(chunk: Chunk) -> bool:
    """Whether a chunk holds more than blank lines."""
    return any(not is_blank(line) for line in chunk.lines)


def _rekey_edited(base: list[Chunk], side: list[Chunk]) -> list[Chunk]:
    """An attempt whose text changed but whose timestamp and label did not is the same attempt.

    Attempts are keyed by (timestamp, label, text), so an edited entry would look like a new one;
    giving it its base key back makes an edit on both sides a content merge (and a conflict when
    the edits differ) instead of two copies of the entry.
    """
    keys = {c.key for c in side}
    gone: dict[tuple, list[Chunk]] = {}
    for chunk in base:
        stamp = _stamp(chunk)
        if stamp is not None and chunk.key not in keys:
            gone.setdefault(stamp, []).append(chunk)
    if not gone:
        return side
    base_keys = {c.key for c in base}
    out = []
    for chunk in side:
        stamp = _stamp(chunk)
        candidates = gone.get(stamp, []) if stamp is not None else []
        if chunk.key not in base_keys and len(candidates) == 1:
            chunk = replace(chunk, key=candidates.pop().key)
        out.append(chunk)
    return out


def _rekey_retitled(base: list[Chunk], side: list[Chunk]) -> list[Chunk]:
    """An item without a written ID whose title was edited, in the place of one the side no
    longer has, is that item: its ID is a slug of its title, so the edit changed its name.

    Without this, a typo fixed on one side and a box ticked on the other would be a deletion
    against a change (a conflict) next to a new item."""
    base_keys = {c.key for c in base}
    if all(c.key in base_keys for c in side if c.kind == "item"):
        return side
    side_keys = {c.key for c in side}
    next_named: dict[Key | None, Chunk] = {}
    previous: Key | None = None
    for chunk in base:
        if chunk.named:
            next_named[previous] = chunk
            previous = chunk.key
    out = []
    previous = None
    for chunk in side:
        if chunk.named:
            was = next_named.get(previous)
            if (
                _derived_item(chunk)
                and chunk.key not in base_keys
                and was is not None
                and _derived_item(was)
                and was.key not in side_keys
            ):
                chunk = replace(chunk, key=was.key)
            previous = chunk.key
        out.append(chunk)
    return out


def _derived_item(chunk: Chunk) -> bool:
    """An item part whose ID is derived from its title."""
    return chunk.kind == "item" and chunk.item is not None and chunk.item.derived_id


def _stamp(chunk: Chunk) -> tuple | None:
    """(timestamp text, label) of a dated attempt inside a section, else None."""
    name = chunk.key[1]
    if chunk.kind != "attempt" or not isinstance(name, tuple) or name[0] is None:
        return None
    return (name[0], name[1])
