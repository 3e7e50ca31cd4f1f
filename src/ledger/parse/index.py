"""The index table: `| ID | Title | Priority | Status |` under an `## Index` heading."""

from __future__ import annotations

import re

from .. import tables
from ..document import Document
from ..model import IndexRow, IndexTable
from ..vocab import Status

_LINK_CELL = re.compile(r"\[([^\]]+)\](?:\(#([^)]*)\))?")


def read_index(doc: Document, start: int, end: int) -> IndexTable | None:
    """The first table in lines `[start, end)` whose first column is `ID`, or None."""
    content = doc.contents
    i = start
    while i < end and not tables.is_row(content[i]):
        i += 1
    if i + 1 >= end:
        return None
    columns = tables.cells(content[i])
    if not columns or columns[0].strip("* ").lower() != "id" or "---" not in content[i + 1]:
        return None
    rows: list[IndexRow] = []
    keys = [c.strip("* ").lower() for c in columns]
    j = i + 2
    while j < end and tables.is_row(content[j]):
        rows.append(_row(j + 1, tables.cells(content[j]), keys))
        j += 1
    return IndexTable(line=i + 1, end_line=j, columns=columns, rows=rows)


def _row(line: int, cells: list[str], columns: list[str]) -> IndexRow:
    def col(name: str) -> str | None:
        if name in columns:
            k = columns.index(name)
            return cells[k] if k < len(cells) else None
        return None

    first = cells[0] if cells else ""
    m = _LINK_CELL.search(first)
    focus_id, anchor = (m.group(1), m.group(2)) if m else (first.strip("`* "), None)
    status_text = col("status")
    return IndexRow(
        line=line,
        id=focus_id,
        anchor=anchor,
        title=col("title"),
        priority=col("priority"),
        status_text=status_text,
        status=Status.parse(status_text or ""),
        cells=cells,
    )
