"""`ledger.checks.status` (LDG4xx): vocabulary, open Do Now of done items, blocked items."""

from __future__ import annotations

from checks_helpers import A_SECTION, PUBLIC, SAMPLES, ledger, line_of, lines_of, only, plan, run

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


# --- the section rules leave the other forms alone -------------------------------------------


def test_section_status_rules_do_not_judge_items_of_other_forms():
    text = plan(
        """\
        # Plan

        ## Queue
        - [BLOCKED:P1] Integrate payment gateway

        ## Work
        ### W1: Migrate the database
        **Status:** Phase 6 in progress — tasks 6.1

        ### W2: Ship it
        **Status:** done
        **Do Now:** deploy
        """
    )
    found = run(text)
    assert [f for f in found if f.code in ("LDG401", "LDG402", "LDG403")] == []
    # The blocked checkbox is judged by the rule for its form.
    assert lines_of(found, "LDG406") == [line_of(text, "Integrate payment")]


def test_a_blocked_section_is_judged_by_its_return_condition_not_by_a_reason():
    blocked = ledger(A_SECTION.replace("Status: in_progress", "Status: blocked"))
    found = run(blocked)
    assert lines_of(found, "LDG403") == [line_of(blocked, "Status: blocked")]
    assert lines_of(found, "LDG406") == []


# --- LDG404 open box under a done group ----------------------------------------------------


def test_open_box_under_completed_is_reported_at_its_box():
    text = plan(
        """\
        # Plan

        ## Tasks
        - [ ] Still to do

        ## Completed
        - [x] Project initialization
        - [ ] Migrated settings to the new config format
        - 2026-01-30: Added structured logging
        """
    )
    f = only(run(text), "LDG404")
    assert f.line == line_of(text, "Migrated settings") and f.col == 3
    assert f.severity == "warning" and "`Completed`" in f.message and "ledger fix" in f.message


def test_open_box_names_the_done_group_above_a_plain_subheading():
    text = plan(
        """\
        # Plan

        ## Done
        ### Sprint 3
        - [ ] Wrote the exporter
        ## Next
        - [ ] Write the importer
        """
    )
    f = only(run(text), "LDG404")
    assert f.line == line_of(text, "Wrote the exporter") and "`Done`" in f.message


def test_open_boxes_under_headings_marked_done_are_each_reported():
    # karam-shakir keeps finished phases as `### … ✅` headings over unticked boxes.
    text = (PUBLIC / "karam-shakir__karam-platform__docs_fix_plan.md").read_text(encoding="utf-8")
    expected = [*range(48, 60), *range(62, 66), *range(68, 72)]
    assert lines_of(run(text), "LDG404") == expected


def test_optional_and_open_groups_keep_their_open_boxes():
    text = plan(
        """\
        # Plan

        ## Completed
        - [x] Shipped
        ### Optional
        - [ ] Shell completions
        """
    )
    assert lines_of(run(text), "LDG404") == []


# --- LDG405 done with open steps -----------------------------------------------------------


def test_done_item_with_open_steps_lists_them():
    text = plan(
        """\
        # Plan

        ## Tasks
        - [x] Add retry with backoff
          - [ ] Cap retries at 5
          - [x] Log each retry
          - [ ] Jitter
        - [ ] Open item with open steps
          - [ ] First step
        """
    )
    f = only(run(text), "LDG405")
    assert f.line == line_of(text, "Add retry") and f.col == 3
    steps = f"lines {line_of(text, 'Cap retries')}, {line_of(text, 'Jitter')}"
    assert "2 of its 3 steps" in f.message and steps in f.message


def test_item_done_by_its_place_with_an_open_step():
    text = plan(
        """\
        # Plan

        ## Completed
        - [x] Exporter
          - [ ] Document the flags
        """
    )
    assert lines_of(run(text), "LDG405") == [line_of(text, "Exporter")]


# --- LDG406 blocked without a reason -------------------------------------------------------


def test_blocked_markers_without_a_reason():
    text = plan(
        """\
        # Plan

        ## High Priority
        - [BLOCKED] Integrate payment gateway
        - [BLOCKED:P1] Deploy to staging
        - [BLOCKED:P1:waiting on sandbox keys] Integrate billing
        - [BLOCKED:waiting on legal] Publish the terms
        - [BLOCKED:P2] Rotate the certificates
          - the CA has not answered yet
        - [ ] Nothing blocked here
        """
    )
    found = [f for f in run(text) if f.code == "LDG406"]
    assert [f.line for f in found] == [line_of(text, "Integrate payment"), line_of(text, "Deploy")]
    assert found[1].col == 3 and "[BLOCKED:P1]" in found[1].message


def test_blocked_heading_item_says_why_in_its_status_or_a_reason_field():
    text = plan(
        """\
        # Plan

        ## Work
        ### W1: Migrate the database
        **Status:** blocked

        ### W2: Ship the release
        **Status:** blocked — waiting on the security review

        ### W3: Rotate keys
        **Status:** blocked
        **Blocked by:** the vault upgrade
        """
    )
    assert lines_of(run(text), "LDG406") == [line_of(text, "W1:")]


def test_blocked_table_row_says_why_in_a_notes_column():
    text = plan(
        """\
        # Plan

        ## Tasks
        | ID | Task | Status | Notes |
        | --- | --- | --- | --- |
        | T-1 | Migrate | Blocked | |
        | T-2 | Deploy | Blocked | waiting on infra |
        | T-3 | Test | Done | |
        """
    )
    assert lines_of(run(text), "LDG406") == [line_of(text, "| T-1")]


def test_ralph_sample_blocked_item_gives_its_reason():
    text = (SAMPLES / "ralph_fix_plan.md").read_text(encoding="utf-8")
    found = run(text)
    assert [f for f in found if f.code in ("LDG403", "LDG406")] == []
    assert lines_of(found, "LDG404") == [26]  # `- [ ] Migrated settings` under Completed
