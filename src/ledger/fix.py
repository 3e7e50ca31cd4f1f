"""`ledger fix`: repairs that need no judgement, computed as a new text (the caller writes it).

Each repair is a function `text -> (text, changes)` working on whole lines, so everything the
repair does not touch stays byte for byte (line endings, trailing spaces, undecodable bytes):

* `fix_mojibake`: a line that is UTF-8 decoded as Mac Roman or cp1252 is re-decoded
  (`line.encode('mac_roman').decode('utf-8')`) when that round-trips; other lines are untouched;
* `fix_duplicate_attempts`: a later attempt entry that is an exact copy (every line identical)
  of an earlier one in the same focus is removed; nothing else is ever deleted;
* `fix_index`: index-table cells that disagree with their section (status, priority, title,
  anchor) are regenerated from the section, and missing rows are appended in the table's own
  column layout; rows for unknown IDs stay (they remain findings);
* `fix_trailing_whitespace`: only when `check.fix_trailing_whitespace` is set (two trailing
  spaces are a Markdown line break, so this is opt-in).

`fix_text` runs them in that order and is idempotent: fixing a fixed text changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .checks import (
    duplicate_attempts,
    norm_title,
    priorities_disagree,
    statuses_disagree,
)
from .config import CheckConfig
from .encoding import demojibake
from .document import classify, split_lines, strip_eol
from .markdown import heading_slugs
from .model import FocusItem, IndexRow
from .parse import loads
from .vocab import first_word


@dataclass(frozen=True)
class Change:
    """One repair: what kind, at which line of the text it was applied to, and a description."""

    kind: str  # mojibake | duplicate-attempt | index-row | index-row-added | trailing-whitespace
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
        """Changes per kind, for a one-line summary."""
        out: dict[str, int] = {}
        for c in self.changes:
            out[c.kind] = out.get(c.kind, 0) + 1
        return out


def fix_text(text: str, config: Optional[CheckConfig] = None) -> FixResult:
    """Apply every safe repair to `text` (see the module docstring for what that means)."""
    config = config or CheckConfig()
    changes: list[Change] = []
    current = text
    for repair in (fix_mojibake, fix_duplicate_attempts, fix_index):
        current, made = repair(current)
        changes.extend(made)
    if config.fix_trailing_whitespace:
        current, made = fix_trailing_whitespace(current)
        changes.extend(made)
    return FixResult(before=text, text=current, changes=changes)


def fix_file(path: Path, config: Optional[CheckConfig] = None, *, dry_run: bool = False) -> FixResult:
    """Repair the ledger file at `path` under the repository lock (like every writer), on the
    text as it is when the lock is held; with `dry_run` nothing is written."""
    from .errors import NotALedger
    from .fileio import encode_text, locked_update, not_a_ledger_reason

    results: list[FixResult] = []

    def change(text: Optional[str]) -> str:
        assert text is not None
        reason = not_a_ledger_reason(encode_text(text))
        if reason is not None:
            raise NotALedger(path, reason)
        results.append(fix_text(text, config))
        return results[-1].text

    locked_update(path, change, dry_run=dry_run)
    return results[-1]


def _split(line: str) -> tuple[str, str]:
    content = strip_eol(line)
    return content, line[len(content) :]


def fix_mojibake(text: str) -> tuple[str, list[Change]]:
    """Re-decode every line that is UTF-8 read as Mac Roman or cp1252."""
    lines = split_lines(text)
    changes: list[Change] = []
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        content, ending = _split(line)
        found = demojibake(content)
        if found is not None:
            lines[i] = found[0] + ending
            changes.append(
                Change("mojibake", i + 1, f"re-decoded as UTF-8 (was read as {found[1]})")
            )
    return "".join(lines), changes


def fix_duplicate_attempts(text: str) -> tuple[str, list[Change]]:
    """Remove attempt entries that repeat an earlier entry of the same focus word for word."""
    ledger = loads(text)
    drop: set[int] = set()  # 0-based line indexes
    changes: list[Change] = []
    groups = [(f.id, f.attempts) for f in ledger.focus_items]
    groups.append(("(outside any section)", ledger.orphan_attempts))
    for focus, attempts in groups:
        by_line = {a.line: a for a in attempts}
        for line, seen in duplicate_attempts(attempts).items():
            a = by_line[line]
            drop.update(range(a.line - 1, a.end_line))
            changes.append(
                Change(
                    "duplicate-attempt",
                    a.line,
                    f"removed copy of the attempt at line {seen.line} ({focus})",
                )
            )
    if not drop:
        return text, []
    lines = split_lines(text)
    return "".join(line for i, line in enumerate(lines) if i not in drop), changes


def fix_index(text: str) -> tuple[str, list[Change]]:
    """Regenerate disagreeing index cells from the sections; append rows for missing sections."""
    ledger = loads(text)
    index = ledger.index
    if index is None:
        return text, []
    lines = split_lines(text)
    contents = [strip_eol(line) for line in lines]
    slugs = heading_slugs(contents, classify(lines)[0])
    sections: dict[str, FocusItem] = {}
    for item in ledger.focus_items:
        if item.has_section:
            sections.setdefault(item.id, item)
    columns = [c.strip("* ").lower() for c in index.columns]
    changes: list[Change] = []
    for row in index.rows:
        item = sections.get(row.id)
        if item is None:
            continue
        cells = _regenerated_cells(row, item, columns, slugs.get(item.line))
        if cells != row.cells:
            content, ending = _split(lines[row.line - 1])
            lines[row.line - 1] = _row_text(cells, content) + ending
            changes.append(
                Change(
                    "index-row", row.line, f"regenerated the row of {row.id} from line {item.line}"
                )
            )
    listed = {r.id for r in index.rows}
    missing = [item for fid, item in sections.items() if fid not in listed]
    if missing:
        linked = any(r.anchor is not None for r in index.rows) or not index.rows
        header = contents[index.line - 1]
        last = index.end_line - 1
        content, ending = _split(lines[last])
        newline = ending or ledger.newline
        new_rows = []
        for n, item in enumerate(missing):
            cells = _new_cells(item, columns, slugs.get(item.line), linked)
            new_rows.append(_row_text(cells, header) + newline)
            changes.append(
                Change("index-row-added", index.end_line + n + 1, f"added a row for {item.id}")
            )
        if not ending:  # the table ends a file without a final newline: keep it that way
            lines[last] = content + newline
            new_rows[-1] = new_rows[-1][: -len(newline)]
        lines[index.end_line : index.end_line] = new_rows
    return "".join(lines), changes


def _escape(cell: str) -> str:
    # `&#124;` rather than `\|`: it renders as a pipe on GitHub and no cell splitter breaks on it.
    return cell.replace("|", "&#124;")


def _id_cell(focus_id: str, slug: Optional[str], linked: bool) -> str:
    return f"[{focus_id}](#{slug})" if linked and slug else focus_id


def _regenerated_cells(
    row: IndexRow, item: FocusItem, columns: list[str], slug: Optional[str]
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
            cells[k] = _escape(first_word(item.status_text))
        elif name == "priority" and priorities_disagree(cell, item):
            cells[k] = item.priority or cell
        elif name == "title" and item.title and norm_title(cell) != norm_title(item.title):
            cells[k] = _escape(item.title)
    return cells


def _new_cells(item: FocusItem, columns: list[str], slug: Optional[str], linked: bool) -> list[str]:
    values = {
        "title": _escape(item.title),
        "priority": item.priority or "",
        "status": _escape(first_word(item.status_text)),
    }
    return [
        _id_cell(item.id, slug, linked) if k == 0 else values.get(name, "")
        for k, name in enumerate(columns)
    ]


def _row_text(cells: list[str], original: str) -> str:
    """`| a | b |`, keeping whether the original row had outer pipes."""
    stripped = original.strip()
    indent = original[: len(original) - len(original.lstrip())]
    lead = "| " if stripped.startswith("|") else ""
    trail = " |" if stripped.endswith("|") else ""
    return indent + lead + " | ".join(cells) + trail


def fix_trailing_whitespace(text: str) -> tuple[str, list[Change]]:
    """Strip spaces and tabs at the ends of lines (opt-in: `check.fix_trailing_whitespace`)."""
    lines = split_lines(text)
    changes: list[Change] = []
    for i, line in enumerate(lines):
        content, ending = _split(line)
        stripped = content.rstrip(" \t")
        if stripped != content:
            lines[i] = stripped + ending
            changes.append(Change("trailing-whitespace", i + 1, "stripped trailing whitespace"))
    return "".join(lines), changes


__all__ = [
    "Change",
    "FixResult",
    "fix_file",
    "fix_text",
    "fix_mojibake",
    "fix_duplicate_attempts",
    "fix_index",
    "fix_trailing_whitespace",
]
