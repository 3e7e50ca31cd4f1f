"""The reset layout (PtychoPINN, January 2026): no `[ID]` sections at all.

The focus lives in each attempt heading (`### 2026-01-22T02:40Z — ID.F1 (label)`). The loop keeps
one shared log of them: it opens under `## Attempts History` and goes on wherever the loop appends
next (under `## TODOs`, after a `---`, once as a bold paragraph `**2026-01-23T12:35Z — title**`).
The current focus is named under `## Current Focus`, with its `- Working Plan:` and other field
bullets, and its status is the line under `## Status`.

While the block cutter runs, `ResetLog` collects the heading attempts outside every section that
name a focus. When one of them sits under `## Attempts History`, or an `Archived history:`
pointer does (`ledger archive compact` moved the log's entries to the archive), the ledger keeps
a reset log, and each of them counts for the focus it names wherever it is; a bold paragraph
counts for the ID it names, else for the focus of the entry before it (it continues the log).
Without such a log they are orphans that keep the ID they name. Each ID named in the log becomes
a focus item without a section of its own; the current focus gets its title from the Current
Focus line, its fields from the bullets under it, and its status from `## Status`. Log entries
naming an ID that has a section join that section.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..ids import focus_of_reference
from ..model import Attempt, BlockKind, Field, FocusItem, Header
from .fields import focus_item

if TYPE_CHECKING:  # pragma: no cover
    from .blocks import BlockCutter


# The line `ledger archive compact` leaves where it removed attempts (`archive.compactor` writes
# it): `- Archived history: 3 attempts (…) are in `docs/fix_plan_archive.md` (snapshot D).`
ARCHIVED_POINTER = re.compile(
    r"^[ \t]*[-*] Archived history: .*\(snapshot (\d{4}-\d{2}-\d{2})\)\.[ \t]*\r?$"
)


class ResetLog:
    """The log entries found so far, in document order (each with the focus it counts for in
    `focus_ref`), and whether the ledger keeps a reset log."""

    __slots__ = ("entries", "kept", "named")

    def __init__(self) -> None:
        self.entries: list[Attempt] = []
        self.kept = False  # an entry (or an archived entries' pointer) sits under the history
        self.named: set[str] = set()

    def add(self, attempt: Attempt, in_history: bool) -> None:
        """A heading attempt outside every section that names its focus."""
        self.entries.append(attempt)
        self.named.add(attempt.focus_ref)  # type: ignore[arg-type]
        if in_history:
            self.kept = True

    def add_paragraph(self, attempt: Attempt) -> None:
        """A bold-paragraph entry (read only while a kept log runs before it): the ID it names
        (ID-shaped, or already named in the log), else the focus of the entry before it."""
        ref = attempt.focus_ref
        if ref is None:
            named = focus_of_reference(attempt.summary)
            ref = named if named in self.named else self.entries[-1].focus_ref
        self.entries.append(attempt._replace(focus_ref=ref))
        self.named.add(ref)  # type: ignore[arg-type]

    def file(self, cutter: BlockCutter) -> None:
        """Hand the entries to the focus items they name, or, without a kept log, to the orphans
        (both lists stay in document order)."""
        if self.kept:
            items = cutter.virtual
            for a in self.entries:
                item = items.get(a.focus_ref)  # type: ignore[arg-type]
                if item is None:
                    item = cutter.virtual_item(a.focus_ref, a.line - 1)  # type: ignore[arg-type]
                item.attempts.append(a)
        elif self.entries:
            # two runs already in document order: one linear merge
            cutter.orphans = sorted(cutter.orphans + self.entries, key=_line)


def _line(a: Attempt) -> int:
    return a.line


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
    """File the reset log; its entries that name a focus with a section of its own belong to
    that section."""
    cutter.log.file(cutter)
    by_id = {s.id: s for s in reversed(cutter.sections)}  # the first section of each ID
    for ref in list(cutter.virtual):
        real = by_id.get(ref)
        if real is not None:
            real.attempts.extend(cutter.virtual.pop(ref).attempts)


def _current_focus_fields(cutter: BlockCutter, header: Header) -> list[Field]:
    """The field bullets of the `## Current Focus` block the active focus was read from."""
    line = header.active_focus_line
    if not line:
        return []
    headings = cutter.doc.headings
    for block in cutter.blocks:
        if (
            block.kind is BlockKind.group
            and block.line < line <= block.end_line
            and headings[block.line - 1].text.strip().lower() == "current focus"
        ):
            return cutter.read_fields(block.line, block.end_line)
    return []


def reset_items(cutter: BlockCutter, header: Header) -> list[FocusItem]:
    """The focus items known only from the reset log (and the current focus, when it has no
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
            builder.fields = _current_focus_fields(cutter, header)
            override = status_text or None
        items.append(focus_item(builder, override))
    return items
