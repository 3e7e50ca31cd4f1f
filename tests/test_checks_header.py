"""`ledger.checks.header` (LDG6xx): Active Focus and Last Updated."""

from __future__ import annotations

from checks_helpers import A_SECTION, ledger, line_of, lines_of, only, run

# --- LDG6xx header -------------------------------------------------------------------------


def test_active_focus_naming_no_section():
    text = ledger(A_SECTION).replace("**Active Focus:** A-001", "**Active Focus:** Z-009")
    assert lines_of(run(text), "LDG601") == [4]


def test_active_focus_on_a_done_item():
    text = ledger(A_SECTION.replace("Status: in_progress", "Status: done"))
    f = only(run(text), "LDG602")
    assert f.line == 4 and "done" in f.message


def test_last_updated_older_than_the_newest_attempt():
    text = ledger(A_SECTION).replace("2026-01-10", "2026-01-04")
    f = only(run(text), "LDG603")
    assert f.line == 3 and f"line {line_of(text, 'Latest Attempt')}" in f.message
