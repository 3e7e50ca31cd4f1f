"""Readiness, ordering and explanations of `ledger next` (ledger.planning)."""

from __future__ import annotations

import pytest
from conftest import SEED, corpus_files, read_corpus

from ledger import loads
from ledger.depgraph import is_met
from ledger.planning import ReasonCode, normalize_dwell, plan


def section(
    focus_id: str, status: str = "pending", priority: str = "Medium", extra: str = ""
) -> str:
    return f"## [{focus_id}] Title of {focus_id}\n- Priority: {priority}\n- Status: {status}\n{extra}\n"


def ledger_of(*sections: str, active: str | None = None) -> str:
    head = "# Fix Plan Ledger\n**Last Updated:** 2025-11-20\n"
    if active:
        head += f"**Active Focus:** {active} — working on it\n"
    return head + "\n" + "\n".join(sections)


def ready_ids(text: str, dwell=None) -> list[str]:
    return [c.id for c in plan(loads(text), dwell).ready]


def reasons_of(text: str, focus_id: str) -> list[str]:
    p = plan(loads(text))
    return [r.message for c in p.waiting if c.id == focus_id for r in c.reasons]


# --- readiness rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", ["done", "archived", "superseded", "blocked", "blocked_escalation"]
)
def test_closed_and_blocked_statuses_are_not_ready(status):
    text = ledger_of(section("A-001", f"{status} — reason"), section("B-001"))
    assert ready_ids(text) == ["B-001"]
    assert reasons_of(text, "A-001") == [f"status is {status} (reason)"]


@pytest.mark.parametrize(
    "status", ["pending", "planning", "in_progress", "ready_for_implementation"]
)
def test_open_statuses_are_ready(status):
    assert ready_ids(ledger_of(section("A-001", status))) == ["A-001"]


def test_dependency_on_an_unfinished_section_is_not_ready_and_names_it():
    text = ledger_of(
        section("A-001", extra="- Depends on: B-001 (the parser)"),
        section("B-001", "in_progress"),
    )
    assert ready_ids(text) == ["B-001"]
    assert reasons_of(text, "A-001") == ["depends on B-001, which is in_progress"]


def test_dependency_on_a_done_section_is_met():
    text = ledger_of(section("A-001", extra="- Depends on: B-001"), section("B-001", "done"))
    assert ready_ids(text) == ["A-001"]


def test_dependency_that_is_not_a_section_is_ignored():
    # Finding IDs and free text cannot be checked; they never block.
    text = ledger_of(
        section("A-001", extra="- Depends on: PINN-CHUNKED-001 finding; Phase 1 complete")
    )
    assert ready_ids(text) == ["A-001"]


def test_open_return_condition_naming_an_unfinished_id_is_not_ready():
    text = ledger_of(
        section("A-001", extra="- Return Condition: resume when B-001 lands its guard"),
        section("B-001", "planning"),
    )
    assert ready_ids(text) == ["B-001"]
    assert reasons_of(text, "A-001") == [
        "an open return condition waits on B-001, which is planning"
    ]


def test_return_condition_naming_a_done_id_or_marked_met_does_not_block():
    done = ledger_of(
        section("A-001", extra="- Return Condition: when B-001 lands"), section("B-001", "done")
    )
    met = ledger_of(
        section(
            "A-001", extra="- Return Conditions:\n  - ✅ B-001 delivered the guard\n  - tests green"
        ),
        section("B-001", "pending"),
    )
    assert ready_ids(done) == ["A-001"]
    assert ready_ids(met) == ["A-001", "B-001"]


def test_return_condition_naming_its_own_id_does_not_block():
    text = ledger_of(section("A-001", extra="- Return Condition: A-001 exit criteria met"))
    assert ready_ids(text) == ["A-001"]


def test_every_reason_is_listed_not_just_the_first():
    text = ledger_of(
        section(
            "A-001",
            "blocked — waiting",
            extra="- Depends on: B-001\n- Return Condition: after C-001",
        ),
        section("B-001"),
        section("C-001"),
    )
    codes = [r.code for c in plan(loads(text)).waiting for r in c.reasons]
    assert codes == ["status", "dependency", "return_condition"]


# --- ordering ---------------------------------------------------------------------------------


def test_priority_orders_critical_high_medium_low_none():
    text = ledger_of(
        section("P-LOW", priority="Low"),
        section("P-NONE", priority="whenever"),
        section("P-HIGH", priority="High"),
        section("P-CRIT", priority="Critical"),
        section("P-MED", priority="Medium"),
    )
    assert ready_ids(text) == ["P-CRIT", "P-HIGH", "P-MED", "P-LOW", "P-NONE"]


def test_active_focus_wins_among_equal_priority_but_not_over_higher_priority():
    text = ledger_of(
        section("A-001", priority="High"),
        section("B-001", priority="High"),
        section("C-001", priority="Critical"),
        active="B-001",
    )
    assert ready_ids(text) == ["C-001", "B-001", "A-001"]


def test_lower_dwell_first_among_equals():
    text = ledger_of(section("A-001"), section("B-001"), section("C-001"))
    dwell = {"A-001": (4, 2), "B-001": {"dwell": 1, "tier": 0}, "C-001": 2}
    assert ready_ids(text, dwell) == ["B-001", "C-001", "A-001"]


def test_oldest_last_attempt_first_and_never_attempted_before_all():
    text = ledger_of(
        section("NEW-001", extra="- Latest Attempt (2025-11-19T100000Z): planning — recent"),
        section("OLD-001", extra="- Latest Attempt (2025-11-02T100000Z): planning — long ago"),
        section("NONE-001"),
    )
    assert ready_ids(text) == ["NONE-001", "OLD-001", "NEW-001"]


def test_full_ties_keep_document_order_and_the_result_is_deterministic():
    text = ledger_of(section("Z-001"), section("A-001"), section("M-001"))
    assert ready_ids(text) == ["Z-001", "A-001", "M-001"]
    assert plan(loads(text)).as_dict(explain=True) == plan(loads(text)).as_dict(explain=True)


@pytest.mark.parametrize(
    "sections, active, dwell, phrase",
    [
        (
            (section("A-001", priority="High"), section("B-001")),
            None,
            None,
            "higher priority: High vs Medium",
        ),
        ((section("A-001"), section("B-001")), "B-001", None, "Active Focus"),
        (
            (section("A-001"), section("B-001")),
            None,
            {"A-001": 3, "B-001": 0},
            "lower dwell: 0 vs 3",
        ),
        ((section("A-001"), section("B-001")), None, None, "earlier in the document"),
    ],
)
def test_why_first_names_the_rule_that_decided(sections, active, dwell, phrase):
    p = plan(loads(ledger_of(*sections, active=active)), dwell)
    assert phrase in " ".join(p.why_first)


def test_limit_cuts_the_ready_list_in_json():
    text = ledger_of(section("A-001"), section("B-001"), section("C-001"))
    data = plan(loads(text)).as_dict(limit=2)
    assert [r["id"] for r in data["ready"]] == ["A-001", "B-001"]
    assert data["ready_total"] == 3 and data["next"] == "A-001"


# --- cycles -----------------------------------------------------------------------------------


def test_cycle_through_a_return_condition_is_named_for_both_items():
    text = ledger_of(
        section("CHILD-001", "in_progress", extra="- Depends on: PARENT-001"),
        section(
            "PARENT-001",
            "blocked — waiting",
            extra="- Return Condition: resume when CHILD-001 delivers",
        ),
    )
    p = plan(loads(text))
    assert [c.ids for c in p.cycles] == [("CHILD-001", "PARENT-001")]
    child = next(c for c in p.waiting if c.id == "CHILD-001")
    assert [r.code for r in child.reasons] == [ReasonCode.dependency, ReasonCode.cycle]
    assert "CHILD-001 → PARENT-001 → CHILD-001" in child.reasons[-1].message


def test_seed_explain_names_the_fix_tf_c1d_forward_parity_cycle():
    p = plan(loads(read_corpus(SEED)))
    names = [" ".join(c.ids) for c in p.cycles]
    assert "FIX-PYTORCH-FORWARD-PARITY-001 FIX-TF-C1D-SCALED-RERUN-001" in names
    tf = next(c for c in p.waiting if c.id == "FIX-TF-C1D-SCALED-RERUN-001")
    messages = [r.message for r in tf.reasons]
    assert "depends on FIX-PYTORCH-FORWARD-PARITY-001, which is blocked" in messages
    assert any(
        "FIX-TF-C1D-SCALED-RERUN-001 → FIX-PYTORCH-FORWARD-PARITY-001 → FIX-TF-C1D-SCALED-RERUN-001"
        in m
        for m in messages
    )
    parity = next(c for c in p.waiting if c.id == "FIX-PYTORCH-FORWARD-PARITY-001")
    assert any("waits on FIX-TF-C1D-SCALED-RERUN-001" in r.message for r in parity.reasons)


def test_seed_ready_items_and_order():
    p = plan(loads(read_corpus(SEED)))
    # The Critical active focus is stuck in the cycle, so High items come first; the one never
    # attempted before the one attempted on 2025-11-19.
    assert [c.id for c in p.ready] == [
        "FIX-IMPORT-SIDE-EFFECTS-001",
        "FEAT-LAZY-LOADING-001",
        "PARALLEL-API-INFERENCE",
    ]
    assert p.duplicates == {"STUDY-SYNTH-FLY64-DOSE-OVERLAP-001": [21, 142]}


def test_every_corpus_ledger_plans_and_every_waiting_item_has_a_reason():
    for path in corpus_files():
        p = plan(loads(read_corpus(path)))
        assert all(c.reasons for c in p.waiting), path
        assert len(p.ready) + len(p.waiting) == len(loads(read_corpus(path)).ids)


# --- helpers ----------------------------------------------------------------------------------


def test_normalize_dwell_accepts_tuples_dicts_and_ints_and_skips_junk():
    assert normalize_dwell({"A": (2, 1), "B": {"dwell": 4, "tier": 2}, "C": 3, "D": "x"}) == {
        "A": (2, 1),
        "B": (4, 2),
        "C": (3, None),
    }
    assert normalize_dwell(None) == {}


def test_normalize_dwell_reads_the_marks_the_dwell_family_gives():
    from ledger.dwell import DwellMark, DwellState

    assert normalize_dwell({"A": DwellMark(7, 3, DwellState.parked)}) == {"A": (7, 3)}


@pytest.mark.parametrize(
    "text, met",
    [
        ("✅ guard landed", True),
        ("[x] done", True),
        ("~~old condition~~", True),
        ("when X lands", False),
    ],
)
def test_is_met(text, met):
    assert is_met(text) is met


def test_cycle_of_three_is_named_for_all_three():
    text = ledger_of(
        section("A-001", extra="- Depends on: B-001"),
        section("B-001", extra="- Depends on: C-001"),
        section("C-001", extra="- Return Condition: when A-001 is merged"),
    )
    p = plan(loads(text))
    assert [c.ids for c in p.cycles] == [("A-001", "B-001", "C-001")] and p.ready == []
    c = next(c for c in p.waiting if c.id == "C-001")
    assert "C-001 → A-001 → B-001 → C-001: none of them can become ready" in c.reasons[-1].message


@pytest.mark.parametrize(
    "status, detail",
    [
        ("blocked — waiting (on B)", "waiting (on B)"),
        ("done (archived)", "archived"),
        ("blocked", ""),
    ],
)
def test_status_reason_quotes_the_status_note(status, detail):
    from ledger.planning import status_detail

    assert status_detail(loads(ledger_of(section("A-001", status))).focus_items[0]) == detail
