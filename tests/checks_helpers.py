"""Hand-written ledgers for the `ledger.checks` tests: one small ledger per rule, a defect
planted at a known line."""

from __future__ import annotations

import textwrap
from pathlib import Path

from ledger.checks import check_text

REPO = Path(__file__).resolve().parent.parent
PUBLIC = REPO / "tests" / "data" / "public"
SAMPLES = REPO / "tests" / "data" / "expected" / "samples"

HEAD = """\
# Demo Fix Plan Ledger

**Last Updated:** 2026-01-10
**Active Focus:** A-001 — first item

"""

A_SECTION = """\
## [A-001] First item
- Depends on: —
- Priority: High
- Status: in_progress
- Owner/Date: ralph/2026-01-01
- Latest Attempt (2026-01-05T100000Z): planning — wrote the plan
"""


def ledger(*parts: str) -> str:
    return HEAD + "\n".join(textwrap.dedent(p) for p in parts)


def plan(text: str) -> str:
    """A plan in the other forms (checkboxes, headings, tables), written indented in a test."""
    return textwrap.dedent(text)


def run(text: str, **kwargs):
    return check_text(text, **kwargs)


def lines_of(findings, code: str) -> list[int]:
    return [f.line for f in findings if f.code == code]


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the `nth` line containing `needle` (where the test planted a defect)."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[nth - 1]


def only(findings, code: str):
    hits = [f for f in findings if f.code == code]
    assert len(hits) == 1, hits
    return hits[0]
