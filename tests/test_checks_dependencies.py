"""`ledger.checks.dependencies` (LDG3xx): unknown IDs, cycles, done items waiting on open ones."""

from __future__ import annotations

from checks_helpers import A_SECTION, SAMPLES, ledger, line_of, lines_of, only, plan, run

# --- LDG3xx dependencies -------------------------------------------------------------------


def test_dependency_on_an_unknown_id_says_it_is_a_finding(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "findings.md").write_text("## PINN-CHUNKED-001\nOOM in dense test.\n")
    text = ledger(
        A_SECTION.replace("Depends on: —", "Depends on: finding `PINN-CHUNKED-001`, ZZZ-404")
    )
    found = [f for f in run(text, root=tmp_path) if f.code == "LDG301"]
    assert [f.line for f in found] == [line_of(text, "Depends on")] * 2
    assert "docs/findings.md" in found[0].message and "PINN-CHUNKED-001" in found[0].message
    assert "ZZZ-404" in found[1].message and "not in docs/findings.md" in found[1].message


def test_dependency_cycle_lists_the_cycle():
    text = ledger(
        A_SECTION.replace("Depends on: —", "Depends on: B-001"),
        """\

        ## [B-001] Second
        - Depends on: A-001 (unblocked)
        - Status: pending
        """,
    )
    f = only(run(text), "LDG302")
    assert f.line == line_of(text, "Depends on: B-001") and f.message.endswith(
        "A-001 -> B-001 -> A-001"
    )


def test_done_item_depending_on_an_open_one():
    text = ledger(
        A_SECTION,
        """\

        ## [B-001] Second
        - Depends on: A-001
        - Status: done
        """,
    )
    f = only(run(text), "LDG303")
    assert f.line == line_of(text, "Depends on: A-001") and "in_progress" in f.message


def test_a_return_condition_waiting_on_a_dependent_closes_a_cycle():
    text = ledger(
        A_SECTION.replace("Depends on: —", "Depends on: B-001"),
        """\

        ## [B-001] Second
        - Status: blocked
        - Return Condition: resume once A-001 lands its guard
        """,
    )
    f = only(run(text), "LDG302")
    assert f.line == line_of(text, "Depends on: B-001")
    assert f.message == (
        "dependency cycle: A-001 -> B-001 -> A-001 (B-001 waits on A-001 in a return condition)"
    )


def test_a_met_return_condition_closes_no_cycle():
    text = ledger(
        A_SECTION.replace("Depends on: —", "Depends on: B-001"),
        """\

        ## [B-001] Second
        - Status: blocked
        - Return Condition: ✅ A-001 landed its guard
        """,
    )
    assert lines_of(run(text), "LDG302") == []


# --- the other forms -----------------------------------------------------------------------


def line_of_col(text: str, needle: str, token: str) -> int:
    """1-based column of `token` on the first line containing `needle`."""
    return text.splitlines()[line_of(text, needle) - 1].index(token) + 1


def test_unknown_dependency_of_a_checkbox_item_is_reported_where_it_is_written():
    text = plan(
        """\
        # Tasks

        ## Phase 1
        - [ ] T001 Create the project
        - [ ] T002 Add the model (depends on T001)
        - [ ] T003 Add the service (depends on T099)

        ## Fixes
        - [ ] CR-01: Validate the payload
        - [ ] CR-02: Paginate the list
          - Depends on: CR-01, CR-98
        """
    )
    found = [f for f in run(text) if f.code == "LDG301"]
    assert [(f.line, f.col) for f in found] == [
        (line_of(text, "T003"), line_of_col(text, "T003", "T099")),
        (line_of(text, "Depends on: CR-01"), line_of_col(text, "Depends on", "CR-98")),
    ]
    assert found[0].message == "T003 depends on T099, which is not an item of this plan"


def test_dependency_on_an_item_without_a_written_id_is_known():
    # An ID derived from a title is an item's ID like any other.
    text = plan(
        """\
        # Plan

        ## Tasks
        - [ ] Set up the project
        - [ ] Add the model (depends on set-up-the-project)
        """
    )
    assert lines_of(run(text), "LDG301") == []


def test_done_checkbox_depending_on_an_open_one():
    text = plan(
        """\
        # Tasks

        ## Phase 1
        - [ ] T001 Create the project
        - [x] T002 Add the model (depends on T001)
        """
    )
    f = only(run(text), "LDG303")
    assert f.line == line_of(text, "T002") and "T001, which is pending" in f.message


def test_speckit_sample_dependencies_are_known():
    text = (SAMPLES / "speckit_tasks.md").read_text(encoding="utf-8")
    found = run(text)
    assert [f for f in found if f.code.startswith("LDG3")] == []
