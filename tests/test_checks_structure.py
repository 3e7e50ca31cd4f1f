"""`ledger.checks.structure` (LDG1xx): duplicate focus IDs and lost headings."""

from __future__ import annotations

from checks_helpers import A_SECTION, ledger, line_of, lines_of, only, run

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
