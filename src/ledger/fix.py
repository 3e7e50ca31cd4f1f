"""`ledger fix`: repairs that need no judgement, computed as a new text (the caller writes it).

The ledger is parsed once; each repair reads the model and its `Document` and returns the
`Splice`s it needs, applied by `Document.splice`, so everything a repair does not touch stays
byte for byte (line endings, trailing spaces, undecodable bytes). A repair that reads what an
earlier one changed (the duplicate-attempt repair after mojibake was re-decoded, the index after
attempts were removed) gets a model parsed from the repaired text.

* mojibake: a line that is UTF-8 decoded as Mac Roman or cp1252 is re-decoded
  (`line.encode('mac_roman').decode('utf-8')`) when that round-trips; other lines are untouched;
* duplicate attempts: a later attempt entry that is an exact copy (every line identical) of an
  earlier one in the same focus is removed; nothing else is ever deleted;
* index: index-table cells that disagree with their section (status, priority, title, anchor)
  are regenerated from the section, and missing rows are appended in the table's own column
  layout; rows for unknown IDs stay (they remain findings);
* open boxes under a Completed group: a `- [ ]` item where the file keeps finished items is
  ticked (`- [x]`, a one-character change written as `ledger set --status done` writes it);
* trailing whitespace: only when `check.fix_trailing_whitespace` is set (two trailing spaces
  are a Markdown line break, so this is opt-in).

`fix_text` runs them in that order and is idempotent: fixing a fixed text changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import tables
from .checks import (
    duplicate_attempts,
    norm_title,
    open_boxes_under_done,
    priorities_disagree,
    statuses_disagree,
)
from .checks.attempts import ORPHANS
from .config import CheckConfig
from .document import Splice
from .encoding import demojibake
from .model import FocusItem, IndexRow, ItemForm, Ledger
from .parse import loads
from .vocab import _Word, first_word


class ChangeKind(_Word):
    """What a repair did (the words of `ledger fix`'s summary line)."""

    mojibake = "mojibake"
    duplicate_attempt = "duplicate-attempt"
    index_row = "index-row"
    index_row_added = "index-row-added"
    ticked_box = "ticked-box"
    trailing_whitespace = "trailing-whitespace"


@dataclass(frozen=True)
class Change:
    """One repair: what kind, at which line of the text it was applied to, and a description."""

    kind: ChangeKind
    line: int
    description: str


@dataclass(frozen=True)
class FixResult:
    """The repaired text and the list of changes made to get there."""

    before: str
    text: str
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.before

    def counts(self) -> dict[str, int]:
        """Changes per kind (keyed by the kind's word), for a one-line summary."""
        out: dict[str, int] = {}
        for c in self.changes:
            out[c.kind.value] = out.get(c.kind.value, 0) + 1
        return out


# A planned repair: the splices that make it and the changes they report.
Plan = tuple[list[Splice], list[Change]]
Repair = Callable[[Ledger], Plan]


def fix_text(text: str, config: CheckConfig | None = None) -> FixResult:
    """Apply every safe repair to `text` (see the module docstring for what that means)."""
    config = config or CheckConfig()
    repairs: list[Repair] = [_mojibake, _duplicate_attempts, _index, _open_boxes]
    if config.fix_trailing_whitespace:
        repairs.append(_trailing_whitespace)
    changes: list[Change] = []
    current = text
    ledger: Ledger | None = loads(text)
    for repair in repairs:
        if ledger is None:  # an earlier repair changed the text: read it again
            ledger = loads(current)
        splices, made = repair(ledger)
        if splices:
            current = ledger.document.splice(splices)
            changes.extend(made)
            ledger = None
    return FixResult(before=text, text=current, changes=changes)


def fix_file(path: Path, config: CheckConfig | None = None, *, dry_run: bool = False) -> FixResult:
    """Repair the ledger file at `path` under the repository lock (like every writer), on the
    text as it is when the lock is held; with `dry_run` nothing is written."""
    from .errors import NotALedger
    from .fileio import encode_text, locked_update, not_a_ledger_reason

    results: list[FixResult] = []

    def change(text: str | None) -> str:
        assert text is not None
        reason = not_a_ledger_reason(encode_text(text))
        if reason is not None:
            raise NotALedger(path, reason)
        results.append(fix_text(text, config))
        return results[-1].text

    locked_update(path, change, dry_run=dry_run)
    return results[-1]


def _run(text: str, repair: Repair) -> tuple[str, list[Change]]:
    """One repair on its own: the repaired text and its changes."""
    ledger = loads(text)
    splices, changes = repair(ledger)
    return (ledger.document.splice(splices) if splices else text), changes


def fix_mojibake(text: str) -> tuple[str, list[Change]]:
    """Re-decode every line that is UTF-8 read as Mac Roman or cp1252."""
    return _run(text, _mojibake)


def fix_duplicate_attempts(text: str) -> tuple[str, list[Change]]:
    """Remove attempt entries that repeat an earlier entry of the same focus word for word."""
    return _run(text, _duplicate_attempts)


def fix_index(text: str) -> tuple[str, list[Change]]:
    """Regenerate disagreeing index cells from the sections; append rows for missing sections."""
    return _run(text, _index)


def fix_open_boxes(text: str) -> tuple[str, list[Change]]:
    """Tick the open boxes of items under a Completed/Done group."""
    return _run(text, _open_boxes)


def fix_trailing_whitespace(text: str) -> tuple[str, list[Change]]:
    """Strip spaces and tabs at the ends of lines (opt-in: `check.fix_trailing_whitespace`)."""
    return _run(text, _trailing_whitespace)


# --- the repairs ---------------------------------------------------------------------------------


def _mojibake(ledger: Ledger) -> Plan:
    splices, changes = [], []
    for i, content in enumerate(ledger.document.contents):
        if content.isascii():
            continue
        found = demojibake(content)
        if found is not None:
            splices.append(Splice.replace(i, found[0]))
            changes.append(
                Change(ChangeKind.mojibake, i + 1, f"re-decoded as UTF-8 (was read as {found[1]})")
            )
    return splices, changes


def _duplicate_attempts(ledger: Ledger) -> Plan:
    splices, changes = [], []
    groups = [(f.id, f.attempts) for f in ledger.focus_items]
    groups.append((ORPHANS, ledger.orphan_attempts))
    for focus, attempts in groups:
        by_line = {a.line: a for a in attempts}
        for line, seen in duplicate_attempts(attempts).items():
            a = by_line[line]
            splices.append(Splice.delete(a.line - 1, a.end_line))
            changes.append(
                Change(
                    ChangeKind.duplicate_attempt,
                    a.line,
                    f"removed copy of the attempt at line {seen.line} ({focus})",
                )
            )
    return splices, changes


def _index(ledger: Ledger) -> Plan:
    index = ledger.index
    if index is None:
        return [], []
    doc = ledger.document
    slugs = doc.heading_slugs()
    sections: dict[str, FocusItem] = {}
    for item in ledger.focus_items:
        if item.form is ItemForm.section:  # the index restates the sections (not other forms)
            sections.setdefault(item.id, item)
    if not any(item.form.is_ledger_section for item in ledger.focus_items):
        return [], []  # a plan without sections: its table's rows are its own items
    columns = index.column_keys
    splices: list[Splice] = []
    changes: list[Change] = []
    for row in index.rows:
        section = sections.get(row.id)
        if section is None:
            continue
        cells = _regenerated_cells(row, section, columns, slugs.get(section.line))
        if cells != row.cells:
            splices.append(
                Splice.replace(row.line - 1, tables.row_text(cells, doc.content(row.line - 1)))
            )
            changes.append(
                Change(
                    ChangeKind.index_row,
                    row.line,
                    f"regenerated the row of {row.id} from line {section.line}",
                )
            )
    listed = {r.id for r in index.rows}
    missing = [item for fid, item in sections.items() if fid not in listed]
    if missing:
        linked = any(r.anchor is not None for r in index.rows) or not index.rows
        header = doc.content(index.line - 1)
        new_rows = []
        for n, item in enumerate(missing):
            cells = _new_cells(item, columns, slugs.get(item.line), linked)
            new_rows.append(tables.row_text(cells, header))
            changes.append(
                Change(
                    ChangeKind.index_row_added,
                    index.end_line + n + 1,
                    f"added a row for {item.id}",
                )
            )
        splices.append(Splice.insert(index.end_line, new_rows))
    return splices, changes


def _id_cell(focus_id: str, slug: str | None, linked: bool) -> str:
    return f"[{focus_id}](#{slug})" if linked and slug else focus_id


def _regenerated_cells(
    row: IndexRow, item: FocusItem, columns: list[str], slug: str | None
) -> list[str]:
    """The row's cells with the ones that disagree with the section replaced (others kept)."""
    cells = list(row.cells)
    for k, name in enumerate(columns):
        if k >= len(cells):
            break
        cell = cells[k]
        if k == 0 and row.anchor is not None and slug and row.anchor != slug:
            cells[k] = cell.replace(f"(#{row.anchor})", f"(#{slug})")
        elif name == "status" and statuses_disagree(cell, item):
            cells[k] = tables.escape(first_word(item.status_text))
        elif name == "priority" and priorities_disagree(cell, item):
            cells[k] = item.priority.value if item.priority else cell
        elif name == "title" and item.title and norm_title(cell) != norm_title(item.title):
            cells[k] = tables.escape(item.title)
    return cells


def _new_cells(item: FocusItem, columns: list[str], slug: str | None, linked: bool) -> list[str]:
    values = {
        "title": tables.escape(item.title),
        "priority": item.priority.value if item.priority else "",
        "status": tables.escape(first_word(item.status_text)),
    }
    return [
        _id_cell(item.id, slug, linked) if k == 0 else values.get(name, "")
        for k, name in enumerate(columns)
    ]


def _open_boxes(ledger: Ledger) -> Plan:
    from .edit.forms import status_changes

    splices, changes = [], []
    for item in open_boxes_under_done(ledger.focus_items):
        splices.extend(status_changes(ledger, item, "done", None) or [])
        changes.append(
            Change(ChangeKind.ticked_box, item.line, f"ticked the box of {item.id} (done by place)")
        )
    return splices, changes


def _trailing_whitespace(ledger: Ledger) -> Plan:
    splices, changes = [], []
    for i, content in enumerate(ledger.document.contents):
        stripped = content.rstrip(" \t")
        if stripped != content:
            splices.append(Splice.replace(i, stripped))
            changes.append(
                Change(ChangeKind.trailing_whitespace, i + 1, "stripped trailing whitespace")
            )
    return splices, changes


__all__ = [
    "Change",
    "ChangeKind",
    "FixResult",
    "fix_duplicate_attempts",
    "fix_file",
    "fix_index",
    "fix_mojibake",
    "fix_open_boxes",
    "fix_text",
    "fix_trailing_whitespace",
]
