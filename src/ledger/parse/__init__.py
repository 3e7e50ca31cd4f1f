"""Parse ledger text into the typed model (`loads`), keeping every byte in some block.

The pipeline: `Document.parse` reads the lines and their classes once; `BlockCutter`
(`parse.blocks`) cuts them into blocks and reads sections, fields (`parse.fields`) and attempts
in every dialect (`parse.attempts`); the header (`parse.header`), the index table
(`parse.index`) and the reset layout's items (`parse.reset`) are read from the blocks. The
result holds the document, so `dumps(loads(t)) == t` for any text.
"""

from __future__ import annotations

from ..document import Document
from ..model import Ledger
from .blocks import BlockCutter
from .fields import focus_item
from .header import active_focus_id, read_header
from .reset import join_sections, reset_items

__all__ = ["active_focus_id", "loads", "parse_document"]


def loads(text: str) -> Ledger:
    """Parse `text` into a `Ledger`; never raises on any input, `dumps(loads(t)) == t`."""
    return parse_document(Document.parse(text))


def parse_document(doc: Document) -> Ledger:
    """The ledger of an already-read document."""
    cutter = BlockCutter(doc)
    cutter.cut()
    join_sections(cutter)
    items = [focus_item(s) for s in cutter.sections]
    first_section = min((s.start for s in cutter.sections), default=len(doc))
    known = {s.id for s in cutter.sections} | set(cutter.virtual)
    header = read_header(doc, first_section, known)
    items += reset_items(cutter, header)
    items.sort(key=lambda f: f.line)
    return Ledger(
        header=header,
        focus_items=items,
        orphan_attempts=cutter.orphans,
        index=cutter.index,
        blocks=cutter.blocks,
        document=doc,
    )
