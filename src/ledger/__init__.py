"""ledger: a typed, lossless model of fix-plan ledgers (`docs/fix_plan.md`).

    >>> import ledger
    >>> doc = ledger.loads("# Plan\\n\\n## [A-001] First\\n- Status: pending\\n")
    >>> doc.focus_items[0].id, doc.focus_items[0].status.value
    ('A-001', 'pending')
    >>> ledger.dumps(doc) == "# Plan\\n\\n## [A-001] First\\n- Status: pending\\n"
    True

`dumps(loads(text)) == text` for every string; `load`/`dump` keep the bytes of a file exactly
(newline style, BOM, a missing final newline, bytes that are not valid UTF-8). Importing this
package never imports git.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from .errors import LedgerError
from .model import (
    SCHEMA_VERSION,
    Attempt,
    AttemptDialect,
    AttemptKind,
    Field,
    FocusItem,
    Header,
    IndexRow,
    IndexTable,
    Ledger,
    Status,
)
from .parse import loads

__all__ = [
    "SCHEMA_VERSION",
    "Attempt",
    "AttemptDialect",
    "AttemptKind",
    "Field",
    "FocusItem",
    "Header",
    "IndexRow",
    "IndexTable",
    "Ledger",
    "LedgerError",
    "Status",
    "dump",
    "dumps",
    "load",
    "loads",
]

__version__ = "0.1.0"


def dumps(ledger: Ledger) -> str:
    """Render a ledger back to text: the concatenation of its lossless blocks, which is its
    document's text (a ledger is read-only; a hand-built one gets the document of its blocks)."""
    return ledger.document.text


def load(path: str | PathLike) -> Ledger:
    """Read and parse a ledger file (UTF-8, undecodable bytes kept via surrogateescape)."""
    from .fileio import read_text

    return loads(read_text(Path(path)))


def dump(ledger: Ledger, path: str | PathLike) -> bool:
    """Write a ledger through the one write path (lock, atomic replace, through symlinks);
    returns False when the file already had these bytes."""
    from .fileio import locked_update

    text = dumps(ledger)
    return locked_update(Path(path), lambda _current: text, missing_ok=True).written
