"""`ledger.checks.attempts` (LDG2xx): orphan, repeated, copied, misfiled and early attempts."""

from __future__ import annotations

from checks_helpers import A_SECTION, ledger, line_of, lines_of, only, plan, run

# --- LDG2xx attempts ---------------------------------------------------------------------------


def test_orphan_attempts_after_the_footer_and_under_completed_items():
    text = ledger(
        A_SECTION,
        """\
        ---

        Process references:
        - Supervisor prompt: `prompts/supervisor.md`

        - Latest Attempt (2026-01-06T100000Z): implementation — lost after the footer

        ## Completed / Archived Items
        - [OLD-001] Old thing — DONE
          * [2026-01-07] Attempt #4 — Result: success. Filed in the wrong place.
        """,
    )
    found = [f for f in run(text) if f.code == "LDG201"]
    assert [f.line for f in found] == [
        line_of(text, "lost after the footer"),
        line_of(text, "Attempt #4"),
    ]
    assert "outside any focus section (after the last section)" in found[0].message
    assert "Completed / Archived Items" in found[1].message


def test_repeated_timestamp_with_different_wording():
    text = ledger(
        A_SECTION + "- Latest Attempt (2026-01-05T100000Z): planning — said it differently\n"
    )
    f = only(run(text), "LDG202")
    assert f.line == line_of(text, "said it differently")
    assert f"line {line_of(text, 'wrote the plan')}" in f.message and "A-001" in f.message


def test_date_only_timestamps_may_repeat():
    text = ledger(
        """\
        ## [A-001] First item
        - Status: in_progress
        - Attempts History:
          * [2026-01-05] Attempt #1 — Result: success. One.
          * [2026-01-05] Attempt #2 — Result: success. Two.
        """
    )
    assert lines_of(run(text), "LDG202") == [] and lines_of(run(text), "LDG203") == []


def test_repeated_attempt_number():
    text = ledger(
        """\
        ## [A-001] First item
        - Status: in_progress
        - Attempts History:
          * [2026-01-05] Attempt #3 — Result: success. One.
          * [2026-01-06] Attempt #3 — Result: partial. Two.
        """
    )
    f = only(run(text), "LDG203")
    assert f.line == line_of(text, "Two.") and "#3" in f.message


def test_identical_attempt_is_an_error_and_not_also_a_timestamp_repeat():
    line = "- Latest Attempt (2026-01-05T100000Z): planning — wrote the plan\n"
    text = ledger(A_SECTION + line)
    findings = run(text)
    f = only(findings, "LDG204")
    first, copy = line_of(text, "wrote the plan"), line_of(text, "wrote the plan", 2)
    assert f.line == copy and f.severity == "error" and f"line {first}" in f.message
    assert lines_of(findings, "LDG202") == []


def test_attempt_whose_subject_is_another_focus():
    text = ledger(
        A_SECTION
        + "- Latest Attempt (2026-01-06T100000Z): planning — B-001: fixed the other thing\n",
        """\

        ## [B-001] Second item
        - Status: pending
        """,
    )
    f = only(run(text), "LDG205")
    assert f.line == line_of(text, "B-001: fixed") and "B-001" in f.message and "A-001" in f.message


def test_plan_update_block_naming_another_focus():
    text = ledger(
        A_SECTION + "\n<plan_update>\n  <focus_id>B-001</focus_id>\n</plan_update>\n",
        """\

        ## [B-001] Second item
        - Status: pending
        """,
    )
    assert lines_of(run(text), "LDG205") == [line_of(text, "<focus_id>")]


def test_attempt_mentioning_another_focus_in_passing_is_not_misfiled():
    text = ledger(
        A_SECTION
        + "- Latest Attempt (2026-01-06T100000Z): planning — unblocked B-001 as a side effect\n",
        """\

        ## [B-001] Second item
        - Status: pending
        """,
    )
    assert lines_of(run(text), "LDG205") == []


def test_attempt_dated_before_a_focus_minted_with_a_timestamp():
    text = ledger(
        """\
        ## [A-001] First item
        - Status: in_progress
        - Owner/Date: ralph/2026-01-08T030000Z
        - Latest Attempt (2026-01-08T040000Z): planning — created the plan
        - Latest Attempt (2026-01-07T100000Z): implementation — work for some other focus
        """
    )
    f = only(run(text), "LDG206")
    assert f.line == line_of(text, "some other focus") and "2026-01-08" in f.message


def test_attempt_one_day_before_a_bare_owner_date_is_not_evidence():
    text = ledger(
        """\
        ## [A-001] First item
        - Status: in_progress
        - Owner/Date: ralph/2026-01-08
        - Latest Attempt (2026-01-07T100000Z): planning — started the day before
        - Latest Attempt (2026-01-02T100000Z): planning — a week before
        """
    )
    assert lines_of(run(text), "LDG206") == [line_of(text, "a week before")]


def test_owner_date_after_last_updated_proves_nothing():
    text = ledger(
        """\
        ## [A-001] First item
        - Status: in_progress
        - Owner/Date: ralph/2027-01-08
        - Latest Attempt (2026-01-02T100000Z): planning — a year before a typo
        """
    )
    assert lines_of(run(text), "LDG206") == []


def test_dated_lines_of_a_plan_are_its_items_not_orphan_attempts():
    text = plan(
        """\
        # Plan

        ## Tasks
        - [ ] T001 Parse the config
          - 2026-02-03T04:05Z (planning) — scoped the loader

        ## Completed
        - 2026-01-30: Added structured logging
        * [2025-10-15] Attempt #22 (ralph loop) — Result: ok. Shipped the exporter.
        - Latest Attempt (2025-11-19T190500Z): planning — a loop wrote this outside any item
        """
    )
    f = only(run(text), "LDG201")
    assert f.line == line_of(text, "Latest Attempt")
    assert "outside any work item (under `## Completed`)" in f.message
