"""`attempt add` on every focus of every corpus ledger: the diff is exactly the inserted lines.

The core function is called in-process (no CLI start-up), so the whole corpus runs in seconds.
"""

from __future__ import annotations

import difflib
from datetime import datetime, timezone

import pytest
from conftest import corpus_files, read_corpus

from ledger.edit import NewAttempt, add_attempt
from ledger.parse import loads

NOW = datetime(2026, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
SPEC = NewAttempt(summary="corpus probe attempt", kind="planning", artifacts=("reports/x.log",))


def _cases():
    for path in corpus_files():
        ledger = loads(read_corpus(path))
        # Focus sections and the reset layout's items (the other forms: test_edit_forms).
        items = [(f.id, f.line) for f in ledger.focus_items if f.form.is_ledger_section]
        if items:
            yield pytest.param(path, items, id=f"{path.parent.name}/{path.name}")


def _section_span(ledger, focus) -> tuple[int, int]:
    """1-based inclusive span of lines where the focus's attempts may live."""
    if focus.has_section:
        return focus.line, focus.end_line
    # Reset layout: from the `## Attempts History` group to the last entry of the shared log
    # (which goes on after `## TODOs` where the loop appended there).
    start = next(
        block.line
        for block in ledger.blocks
        if block.kind == "group"
        and block.text.lstrip("#").strip().lower().startswith("attempts history")
    )
    last = max(
        (a.line for f in ledger.focus_items if not f.has_section for a in f.attempts),
        default=start,
    )
    # to the end of the block holding that entry (the blank line after it included: a diff may
    # show the padded insertion on either side of it)
    end = next(b.end_line for b in ledger.blocks if b.line <= last <= b.end_line)
    return start, end


@pytest.mark.parametrize("path, items", list(_cases()))
def test_attempt_add_diff_is_exactly_the_inserted_lines(path, items):
    """Every copy of every focus (picked by line; forced past lost headings, since placement is
    what is tested here)."""
    before_text = read_corpus(path)
    before = loads(before_text)
    old_lines = before_text.splitlines()
    for focus_id, line in items:
        focus = next(f for f in before.all_named(focus_id) if f.line == line)
        result = add_attempt(before, focus_id, SPEC, now=NOW, line=line, force=True)
        new_lines = result.text.splitlines()
        ops = [
            op
            for op in difflib.SequenceMatcher(
                None, old_lines, new_lines, autojunk=False
            ).get_opcodes()
            if op[0] != "equal"
        ]
        assert len(ops) == 1 and ops[0][0] == "insert", (focus_id, ops)
        _tag, i1, _i2, j1, j2 = ops[0]
        assert j2 - j1 == len(result.added_lines)
        # contiguous insertion inside the focus's section (or its attempts log)
        lo, hi = _section_span(before, focus)
        assert lo <= i1 + 1 <= hi + 1, (focus_id, i1, lo, hi)
        after_focus = result.focus
        assert after_focus is not None and after_focus.line == focus.line
        assert len(after_focus.attempts) == len(focus.attempts) + 1, focus_id
        assert result.attempt is not None and "corpus probe attempt" in result.attempt.text
        assert len(result.ledger.focus_items) == len(before.focus_items)
        assert len(result.ledger.orphan_attempts) == len(before.orphan_attempts)
        for other in before.focus_items:
            if other.id != focus_id:
                assert len(result.ledger.all_named(other.id)) == len(before.all_named(other.id))
