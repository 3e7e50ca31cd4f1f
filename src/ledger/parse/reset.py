"""The reset layout (PtychoPINN, January 2026): no `[ID]` sections at all.

The focus lives in each attempt heading (`### 2026-01-22T02:40Z — ID.F1 (label)`) under
`## Attempts History`; the current focus is named under `## Current Focus` and its status is the
line under `## Status`. Each ID named by attempt headings becomes a focus item without a section
of its own; the current focus gets its title from the Current Focus line and the status from
`## Status`. Attempts naming an ID that does have a section join that section.
"""

from __future__ import annotations

from ..model import BlockKind, FocusItem, Header
from .blocks import BlockCutter
from .fields import focus_item


def reset_status(cutter: BlockCutter) -> str | None:
    """The status under a `## Status` heading (backticks dropped), or None."""
    doc = cutter.doc
    for block in cutter.blocks:
        if (
            block.kind is BlockKind.group
            and doc.headings[block.line - 1].text.strip().lower() == "status"
        ):
            for j in range(block.line, block.end_line):
                if doc.contents[j].strip():
                    return doc.contents[j].strip().strip("`")
    return None


def join_sections(cutter: BlockCutter) -> None:
    """Attempt headings that name a focus with a section of its own belong to that section."""
    by_id = {s.id: s for s in reversed(cutter.sections)}  # the first section of each ID
    for ref in list(cutter.virtual):
        real = by_id.get(ref)
        if real is not None:
            real.attempts.extend(cutter.virtual.pop(ref).attempts)


def reset_items(cutter: BlockCutter, header: Header) -> list[FocusItem]:
    """The focus items known only from attempt headings (and the current focus, when it has no
    attempt yet)."""
    if not cutter.virtual:
        return []
    section_ids = {s.id for s in cutter.sections}
    active = header.active_focus_id
    if active and active not in cutter.virtual and active not in section_ids:
        cutter.virtual_item(active, (header.active_focus_line or 1) - 1)
    status_text = reset_status(cutter)
    items = []
    for ref, builder in cutter.virtual.items():
        if ref in section_ids:
            continue
        override = None
        if header.active_focus_line and ref == active:
            builder.start = min(builder.start, header.active_focus_line - 1)
            if header.active_focus and " — " in header.active_focus:
                builder.title = header.active_focus.split(" — ", 1)[1].strip("* ")
            override = status_text or None
        items.append(focus_item(builder, override))
    return items
