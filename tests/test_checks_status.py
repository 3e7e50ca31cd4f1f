"""`ledger.checks.status` (LDG4xx): vocabulary, open Do Now of done items, blocked items."""

from __future__ import annotations

from checks_helpers import A_SECTION, ledger, line_of, lines_of, only, run

from ledger.config import CheckConfig

# --- LDG4xx status -------------------------------------------------------------------------


def test_status_outside_the_vocabulary():
    text = ledger(
        A_SECTION.replace("Status: in_progress", "Status: Phase 6 in progress — tasks 6.1")
    )
    f = only(run(text), "LDG401")
    assert f.line == line_of(text, "Status:") and "'phase'" in f.message


def test_status_vocabulary_is_configurable():
    text = ledger(A_SECTION.replace("Status: in_progress", "Status: wip"))
    assert lines_of(run(text), "LDG401") == [line_of(text, "Status: wip")]
    config = CheckConfig(statuses=["wip"])
    assert lines_of(run(text, config=config), "LDG401") == []


def test_done_with_an_open_do_now_but_not_a_superseded_one():
    text = ledger(
        """\
        ## [A-001] First item
        - Status: done
        - Do Now:
          1. Run the thing.
        - Do Now (superseded — 2026-01-02T000000Z):
          1. Old plan.
        """
    )
    assert lines_of(run(text), "LDG402") == [line_of(text, "- Do Now:")]


def test_blocked_needs_a_return_condition():
    blocked = ledger(A_SECTION.replace("Status: in_progress", "Status: blocked — waiting on GPU"))
    assert lines_of(run(blocked), "LDG403") == [line_of(blocked, "Status: blocked")]
    with_rc = blocked.replace(
        "- Owner/Date", "- Return Condition: GPU quota granted.\n- Owner/Date"
    )
    assert lines_of(run(with_rc), "LDG403") == []
