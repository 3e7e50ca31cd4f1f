"""Parse ledger text into the typed model (`loads`), keeping every byte in some block.

The pipeline: `Document.parse` reads the lines and their classes once; `BlockCutter`
(`parse.blocks`) cuts them into blocks and reads sections, fields (`parse.fields`) and attempts
in every dialect (`parse.attempts`); the header (`parse.header`), the index table
(`parse.index`) and the reset layout's items (`parse.reset`) are read from the blocks. The
result holds the document, so `dumps(loads(t)) == t` for any text.
"""

from __future__ import annotations

from collections import Counter

from ..document import HEADING, Document
from ..model import BlockKind, FocusItem, ItemForm, Ledger
from .blocks import BlockCutter
from .derived_ids import derive_ids
from .fields import focus_item
from .forms import read_forms
from .header import active_focus_id, read_header
from .reset import join_sections, reset_items

__all__ = ["active_focus_id", "loads", "parse_document"]


def loads(text: str, other_forms: bool = True) -> Ledger:
    """Parse `text` into a `Ledger`; never raises on any input, `dumps(loads(t)) == t`.

    `other_forms=False` reads focus sections only (a piece of a sectioned ledger, cut at its
    section starts, where checkbox lists or tables would be read out of context)."""
    return parse_document(Document.parse(text), other_forms)


def parse_document(doc: Document, other_forms: bool = True) -> Ledger:
    """The ledger of an already-read document (`other_forms`: see `loads`)."""
    cutter = BlockCutter(doc)
    cutter.cut()
    join_sections(cutter)
    items = [focus_item(s) for s in cutter.sections]
    first_section = min((s.start for s in cutter.sections), default=len(doc))
    known = {s.id for s in cutter.sections} | set(cutter.virtual)
    header = read_header(doc, first_section, known)
    items += reset_items(cutter, header)
    if other_forms:
        items = _other_forms(doc, cutter, known, items)
    items.sort(key=lambda f: f.line)
    items = _with_groups(doc, items)
    return Ledger(
        header=header,
        focus_items=items,
        orphan_attempts=cutter.orphans,
        index=cutter.index,
        blocks=cutter.blocks,
        document=doc,
    )


# Blocks whose lines may hold items in the other forms: not a focus section, not an attempt.
_OPEN_KINDS = (BlockKind.preamble, BlockKind.group, BlockKind.prose)


def _other_forms(
    doc: Document, cutter: BlockCutter, known: set[str], items: list[FocusItem]
) -> list[FocusItem]:
    """`items` with the items of the other forms, read outside the focus sections (detection
    is per section: a checkbox list inside a section is that section's text). An item that
    restates a focus section (its ID has one) is not a new item.

    A section that is only an attempts log (`### [ID] Attempts History`, no fields) is not the
    item when the roadmap states it: the roadmap bullet is, and it takes the log's attempts."""
    counts = Counter(f.id for f in items)
    logs = {
        f.id: f
        for f in items
        if f.form is ItemForm.section
        and counts[f.id] == 1
        and not f.fields
        and f.title.lower() == "attempts history"
    }
    stated = frozenset(known - set(logs))
    # A ledger of focus sections (or the reset layout) is read as one: outside its sections
    # only an Execution Roadmap adds items. Elsewhere every form is read.
    roadmap_only = bool(cutter.virtual) or any(
        f.fields or f.attempts for f in items if f.form is ItemForm.section
    )
    regions: list[tuple[int, int]] = []
    for block in cutter.blocks:
        if block.kind in _OPEN_KINDS:
            if regions and regions[-1][1] == block.line - 1:
                regions[-1] = (regions[-1][0], block.end_line)
            else:
                regions.append((block.line - 1, block.end_line))
    # A ledger's index restates its sections; without sections, its rows are the items.
    index_rule = [cutter.index.line] if cutter.index is not None and known else []
    found: list[FocusItem] = []
    replaced: set[str] = set()
    for f in read_forms(doc, regions, index_rule, stated, roadmap_only):
        if f.id in stated:
            continue
        log = logs.get(f.id)
        if log is not None:
            if f.form is not ItemForm.roadmap or f.id in replaced:
                continue
            replaced.add(f.id)
            f = f._replace(attempts=log.attempts)
        found.append(f)
    kept = [f for f in items if f.id not in replaced]
    return kept + derive_ids(found, known)


def _with_groups(doc: Document, items: list[FocusItem]) -> list[FocusItem]:
    """Each focus section's group: the nearest heading above it with a lower level that is not
    the document title or an item's own heading (one pass over the headings)."""
    headings = [i for i in doc.marks if doc.classes[i] == HEADING]
    own = {f.line - 1 for f in items if f.form is ItemForm.section or f.form is ItemForm.heading}
    stack: list[tuple[int, str]] = []
    k = 0
    out: list[FocusItem] = []
    for item in items:
        if item.form is not ItemForm.section:
            out.append(item)
            continue
        while k < len(headings) and headings[k] < item.line - 1:
            h = doc.headings[headings[k]]
            while stack and stack[-1][0] >= h.level:
                stack.pop()
            if h.level > 1 and headings[k] not in own:
                stack.append((h.level, h.text))
            k += 1
        group = next((text for level, text in reversed(stack) if level < item.level), None)
        out.append(item._replace(group=group) if group is not None else item)
    return out
