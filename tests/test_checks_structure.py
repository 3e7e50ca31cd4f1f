"""`ledger.checks.structure` (LDG1xx): duplicate focus IDs and lost headings."""

from __future__ import annotations

from checks_helpers import A_SECTION, ledger, line_of, lines_of, only, plan, run

# --- LDG1xx structure ------------------------------------------------------------------------


def test_duplicate_focus_id_is_reported_at_the_second_section_naming_both_lines():
    text = ledger(A_SECTION, A_SECTION.replace("First item", "Again"))
    f = only(run(text), "LDG101")
    first, second = line_of(text, "[A-001] First"), line_of(text, "[A-001] Again")
    assert f.line == second and f"lines {first} and {second}" in f.message and f.severity == "error"


def test_lost_heading_names_the_missing_id_from_its_working_plan():
    text = ledger(
        A_SECTION,
        """\
        - Priority: Medium
        - Status: pending
        - Owner/Date: ralph/2026-01-02
        - Working Plan: `plans/active/B-002/implementation.md`
        """,
    )
    f = only(run(text), "LDG102")
    assert f.line == line_of(text, "Priority: Medium")
    assert "B-002" in f.message and "missing" in f.message


def test_one_repeated_status_field_is_not_a_lost_heading():
    text = ledger(A_SECTION + "- Status: in_progress\n")
    assert lines_of(run(text), "LDG102") == []


# --- LDG101 on the other forms -------------------------------------------------------------


def test_duplicate_written_id_among_checkbox_items():
    text = plan(
        """\
        # Plan

        ## Phase 1
        - [x] CR-01: Validate the payload
        - [ ] CR-02: Paginate the list

        ## Phase 2
        - [ ] CR-01: Rate-limit the login
        """
    )
    f = only(run(text), "LDG101")
    first, second = line_of(text, "CR-01: Validate"), line_of(text, "CR-01: Rate")
    assert f.line == second and f.col == 7 and f.severity == "error"
    assert f.message == f"duplicate ID CR-01: items at lines {first} and {second}"


def test_duplicate_heading_and_bold_ids():
    text = plan(
        """\
        # Plan

        ## Work
        ### W1: Migrate the database
        ### W1: Ship it

        ## Fixes
        **FIX-01**
        - Issue: crash on empty input

        **FIX-01**
        - Issue: crash on a long line
        """
    )
    assert lines_of(run(text), "LDG101") == [
        line_of(text, "W1: Ship"),
        line_of(text, "**FIX-01**", 2),
    ]


def test_items_without_a_written_id_are_never_duplicates():
    text = plan(
        """\
        # Plan

        ## Tasks
        - [ ] Write the docs
        - [ ] Write the docs
        1. Write the docs
        """
    )
    assert lines_of(run(text), "LDG101") == []
