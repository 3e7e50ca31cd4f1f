"""The dwell rule, step by step, on plain lists of commit records (no git)."""

from __future__ import annotations

import pytest
from dwell_history import RULES, TWO, History, ledger

from ledger.config import DwellConfig, validate
from ledger.dwell import (
    CommitKind,
    DwellState,
    LedgerSummary,
    PathMatcher,
    Rules,
    TurnBasis,
    compute,
    fails,
)
from ledger.vocab import Status

# --- step 2: classification ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "subject, kind",
    [
        ("[SYNC i=12] actor=galph status=running", CommitKind.bookkeeping),
        ("[SYNC init] actor=galph status=idle", CommitKind.bookkeeping),
        ("SUPERVISOR: A-001 plan - tests: not run", CommitKind.supervisor),
        ("SUPERVISOR AUTO: reports evidence — tests: not run", CommitKind.supervisor),
        (
            "SUPERVISOR AUTO (prompt=supervisor.md) (iter=00031): reports evidence",
            CommitKind.supervisor,
        ),
        ("SUPERVISORY notes", CommitKind.work),  # \b: a longer word is not the marker
        ("RALPH AUTO: reports evidence — tests: not run", CommitKind.work),
        ("A-001 module: fix (tests: test_x)", CommitKind.work),
        ("Merge branch 'x'", CommitKind.work),
    ],
)
def test_commits_are_classified_by_subject(subject, kind):
    assert RULES.classify(subject) is kind


def test_classifier_regexes_come_from_the_configuration():
    config = validate({"dwell": {"supervisor": "^galph:", "bookkeeping": "^chore"}})
    rules = Rules.from_config(config.dwell, "docs/fix_plan.md")
    assert rules.classify("galph: plan") is CommitKind.supervisor
    assert rules.classify("chore: bump") is CommitKind.bookkeeping
    assert rules.classify("SUPERVISOR: plan") is CommitKind.work


# --- step 3: turns ------------------------------------------------------------------------------


def test_a_turn_is_a_run_of_supervisor_commits_and_bookkeeping_does_not_break_it():
    h = History()
    h.add("seed", ("src/a.py",), TWO)
    h.add("SUPERVISOR: A-001 plan")
    h.add("[SYNC i=1] actor=galph status=running")
    h.add("SUPERVISOR AUTO: reports evidence")
    h.add("B-002 work", ("docs/notes.md",))  # a work commit ends the turn, evidence or not
    h.add("SUPERVISOR: A-001 again")
    report = h.report()
    assert [len(t.commits) for t in report.turns] == [2, 1]
    assert report.turns[0].commits[-1].subject == "SUPERVISOR AUTO: reports evidence"


def test_bookkeeping_commits_alone_make_no_turn_and_do_not_end_one():
    h = History()
    h.add("seed", ("src/a.py",), TWO)
    h.add("[SYNC i=1] actor=galph status=running")
    h.add("[SYNC i=1] actor=ralph status=running")
    assert h.report().turns == []


# --- step 4: the focus of a turn ----------------------------------------------------------------


@pytest.mark.parametrize(
    "subject",
    [
        "SUPERVISOR: A-001 plan - tests: not run",
        "SUPERVISOR: [A-001] plan",
        "SUPERVISOR: A-001.F1 follow-up",
        "SUPERVISOR: A-001 A1: follow-up",
        "SUPERVISOR: (A-001) plan",
    ],
)
def test_turn_focus_comes_from_known_ids_in_subjects(subject):
    h = History()
    h.add("seed", ("src/a.py",), TWO)
    h.add(subject, (), ledger(("A-001", "in_progress"), ("B-002", "blocked")))  # B-002 changed too
    turn = h.report().turns[0]
    assert turn.focus == ("A-001",) and turn.basis is TurnBasis.subject


def test_unknown_ids_in_subjects_do_not_count_and_sections_decide():
    h = History()
    h.add("seed", ("src/a.py",), TWO)
    h.add("SUPERVISOR: ZZZ-999 plan", (), ledger(("A-001", "in_progress"), ("B-002", "blocked")))
    turn = h.report().turns[0]
    assert turn.focus == ("B-002",) and turn.basis is TurnBasis.sections


def test_known_ids_include_focus_items_the_ledger_no_longer_has():
    h = History()
    h.add("seed", ("src/a.py",), TWO)
    h.add("archive", ("src/a.py",), ledger(("B-002", "pending")))  # A-001 moved out
    h.add("SUPERVISOR: A-001 retrospective", (), None)
    turn = h.report().turns[0]
    assert turn.focus == ("A-001",) and turn.basis is TurnBasis.subject


def test_ids_first_known_after_the_turn_do_not_name_its_focus():
    h = History()
    h.add("seed", ("src/a.py",), TWO)
    h.add("SUPERVISOR: plan C-003 next", (), ledger(("A-001", "blocked"), ("B-002", "pending")))
    h.add(
        "[SYNC i=1] actor=galph status=running", (), TWO + "\n## [C-003] Third\n- Status: pending\n"
    )
    h.add("C-003 x: start", ("src/c.py",))
    turn = h.report().turns[0]
    assert turn.focus == ("A-001",) and turn.basis is TurnBasis.sections
    assert [c.subject for c in h.report().evidence["C-003"]] == ["C-003 x: start"]


def test_sections_changed_across_the_whole_turn_count_including_new_ones():
    h = History()
    h.add("seed", ("src/a.py",), TWO)
    h.add("SUPERVISOR: planning", (), ledger(("A-001", "blocked"), ("B-002", "pending")))
    h.add("[SYNC i=1] actor=galph status=running")
    h.add(
        "SUPERVISOR: more planning",
        (),
        ledger(("A-001", "blocked"), ("B-002", "pending"), ("C-003", "pending")),
    )
    turn = h.report().turns[0]
    assert turn.focus == ("A-001", "C-003") and turn.basis is TurnBasis.sections


def test_sections_changed_back_within_a_turn_do_not_count():
    h = History()
    h.add("seed", ("src/a.py",), ledger(("A-001", "pending"), ("B-002", "pending"), active="A-001"))
    h.add("SUPERVISOR: try", (), ledger(("A-001", "blocked"), ("B-002", "pending"), active="A-001"))
    h.add(
        "SUPERVISOR: revert", (), ledger(("A-001", "pending"), ("B-002", "pending"), active="A-001")
    )
    turn = h.report().turns[0]
    assert turn.focus == ("A-001",) and turn.basis is TurnBasis.active_focus


def test_active_focus_at_the_end_of_the_turn_when_no_section_changed():
    h = History()
    h.add("seed", ("src/a.py",), ledger(("A-001", "pending"), ("B-002", "pending"), active="A-001"))
    h.add(
        "SUPERVISOR: switch", (), ledger(("A-001", "pending"), ("B-002", "pending"), active="B-002")
    )
    turn = h.report().turns[0]
    assert turn.focus == ("B-002",) and turn.basis is TurnBasis.active_focus


def test_a_turn_with_no_focus_counts_for_nothing():
    h = History()
    h.add("seed", ("src/a.py",), TWO)
    h.add("SUPERVISOR: tidy input.md", ("input.md",))
    report = h.report()
    assert report.turns[0].focus == () and report.turns[0].basis is TurnBasis.none
    assert all(f.turns == 0 for f in report.focus)


# --- step 5: implementation evidence ------------------------------------------------------------


@pytest.mark.parametrize(
    "path, docs_only",
    [
        ("docs/fix_plan.md", True),
        ("docs/deep/tree/x.py", True),
        ("plans/active/A-001/implementation.md", True),
        ("plans/active/A-001/data.json", True),
        ("plans/active/A-001/bin/run.py", False),
        ("plans/bin/run.py", False),
        ("reports/2025/pytest.log", True),
        ("README.md", True),
        ("src/notes/README.md", True),
        ("galph_memory.md", True),
        ("input.md", True),
        ("sync/state.json", True),
        ("docs/fix_plan_archive.md", True),
        ("src/ledger/parse.py", False),
        ("tests/test_x.py", False),
        ("scripts/orchestration", False),
        ("docsy/x.py", False),
    ],
)
def test_docs_only_paths(path, docs_only):
    assert RULES.docs_only.matches(path) is docs_only


def test_ledger_and_archive_paths_are_docs_only_wherever_configured():
    rules = Rules.from_config(DwellConfig(docs_only=[]), "plan/ledger.txt", "plan/archive.txt")
    assert rules.docs_only.matches("plan/ledger.txt") and rules.docs_only.matches(
        "plan/archive.txt"
    )
    assert not rules.docs_only.matches("plan/other.txt")


def test_path_matcher_is_gitignore_style():
    m = PathMatcher(["*.log", "build/", "/top.txt", "a/?/c", "!keep.log"])
    assert m.matches("x/y/z.log") and not m.matches("keep.log") and not m.matches("x/keep.log")
    assert m.matches("build/out.bin") and m.matches("sub/build/out.bin")
    assert m.matches("top.txt") and not m.matches("sub/top.txt")
    assert m.matches("a/b/c") and not m.matches("a/bb/c")


def test_evidence_belongs_to_ids_in_its_subject_else_to_the_last_turns_focus():
    h = History()
    h.add("seed", ("src/a.py",), TWO)
    h.add("SUPERVISOR: A-001 plan")
    h.add("B-002 fix", ("src/b.py",))  # named: evidence for B-002 only
    h.add("misc fix", ("src/c.py",))  # unnamed: evidence for the last turn's focus, A-001
    report = h.report()
    assert [c.subject for c in report.evidence["B-002"]] == ["B-002 fix"]
    assert [c.subject for c in report.evidence["A-001"]] == ["misc fix"]


def test_docs_only_work_commits_are_not_evidence():
    h = History()
    h.add("seed", ("src/a.py",), TWO)
    h.add("SUPERVISOR: A-001 plan")
    h.add(
        "A-001 notes", ("docs/notes.md", "plans/active/A-001/plan.md", "reports/x.log"), TWO + "\n"
    )
    assert "A-001" not in h.report().evidence


def test_evidence_before_any_turn_without_an_id_belongs_to_nobody():
    h = History()
    h.add("seed", ("src/a.py",), TWO)
    h.add("fix", ("src/b.py",))
    assert h.report().evidence == {}


# --- step 6: dwell ------------------------------------------------------------------------------


def turns_without_evidence(n: int, focus: str = "A-001") -> History:
    h = History()
    h.add("seed", ("src/a.py",), TWO)
    for i in range(n):
        h.add(f"SUPERVISOR: {focus} planning {i}")
        h.add(f"[SYNC i={i}] actor=ralph status=running")
        h.add(f"RALPH AUTO: reports evidence {i}", ("reports/r.log",))  # docs-only: no evidence
    return h


def test_dwell_starts_at_zero_and_grows_by_one_per_turn_without_evidence():
    h = turns_without_evidence(4)
    timeline = h.report().timelines["A-001"]
    assert [e.dwell for e in timeline] == [0, 1, 2, 3]
    assert h.report().get("A-001").turns == 4


def test_evidence_since_the_previous_turn_resets_dwell_at_the_next_turn():
    h = turns_without_evidence(3)
    h.add("A-001 module: implement", ("src/a.py",))
    assert h.report().get("A-001").dwell == 2  # evidence after the last turn: not yet applied
    h.add("SUPERVISOR: A-001 review")
    h.add("SUPERVISOR: A-001 review again")  # same turn
    h.add("A-001 docs", ("docs/x.md",))
    h.add("SUPERVISOR: A-001 next")
    timeline = h.report().timelines["A-001"]
    assert [e.dwell for e in timeline] == [0, 1, 2, 0, 1]
    assert [c.subject for c in timeline[3].evidence] == ["A-001 module: implement"]


def test_evidence_for_another_focus_does_not_reset_dwell():
    h = turns_without_evidence(2)
    h.add("B-002 module: fix", ("src/b.py",))
    h.add("SUPERVISOR: A-001 again")
    assert h.report().get("A-001").dwell == 2


def test_switching_focus_leaves_the_old_focus_dwell_unchanged():
    h = turns_without_evidence(3)
    for i in range(3):
        h.add(f"SUPERVISOR: B-002 plan {i}")
        h.add("x", ("reports/x",))
    report = h.report()
    assert report.get("A-001").dwell == 2 and report.get("B-002").dwell == 2
    assert report.get("A-001").last_turn.subject == "SUPERVISOR: A-001 planning 2"


def test_last_evidence_after_the_last_turn_is_reported_without_changing_dwell():
    h = turns_without_evidence(5)
    work = h.add("A-001 module: implement", ("src/a.py",))
    row = h.report().get("A-001")
    assert (row.dwell, row.tier) == (4, 2)
    assert row.last_evidence.sha == work.sha


# --- step 7/8: tiers, closed focus items, the report --------------------------------------------


@pytest.mark.parametrize(
    "dwell, tier", [(0, 0), (1, 0), (2, 1), (3, 1), (4, 2), (5, 2), (6, 3), (9, 3)]
)
def test_tiers_from_dwell(dwell, tier):
    assert RULES.tier(dwell) == tier


def test_tier_thresholds_are_configurable():
    rules = Rules.from_config(DwellConfig(tiers=[1, 2, 3]), "docs/fix_plan.md")
    assert [rules.tier(d) for d in range(5)] == [0, 1, 2, 3, 3]
    h = turns_without_evidence(3)
    assert h.report(rules).get("A-001").tier == 2


def test_closed_focus_items_are_reported_but_not_flagged():
    h = turns_without_evidence(7)
    assert fails(h.report(), 3)[0].id == "A-001"
    h.add("close", ("docs/x.md",), ledger(("A-001", "done — shipped"), ("B-002", "pending")))
    report = h.report()
    row = report.get("A-001")
    assert (row.dwell, row.tier, row.status) == (6, 3, Status.done) and not row.flagged
    assert fails(report, 1) == []


@pytest.mark.parametrize(
    "written, state",
    [
        ("done", DwellState.closed),
        ("Completed (2025-11-02)", DwellState.closed),
        ("archived", DwellState.closed),
        ("superseded by B-002", DwellState.closed),
        ("blocked — waiting on data", DwellState.parked),
        ("blocked_escalation", DwellState.parked),
        ("paused", DwellState.parked),
        ("on_hold", DwellState.parked),
        ("deferred", DwellState.parked),
        ("in_progress", DwellState.flagged),
        ("pending", DwellState.flagged),
    ],
)
def test_closed_and_parked_items_keep_their_tier_but_are_never_flagged(written, state):
    h = turns_without_evidence(3)
    h.add("status", ("docs/x.md",), ledger(("A-001", written), ("B-002", "pending")))
    row = h.report().get("A-001")
    flagged = state is DwellState.flagged
    assert (row.dwell, row.tier, row.state) == (2, 1, state)
    assert row.flagged is flagged and (fails(h.report(), 1) != []) is flagged
    assert row.mark.to_json() == {"dwell": 2, "tier": 1, "state": state.value}


def test_the_parked_statuses_are_configurable():
    h = turns_without_evidence(3)
    h.add("status", ("docs/x.md",), ledger(("A-001", "blocked"), ("B-002", "pending")))
    nothing_parked = Rules.from_config(DwellConfig(parked=()), "docs/fix_plan.md")
    assert h.report(nothing_parked).get("A-001").state is DwellState.flagged
    only_paused = Rules.from_config(DwellConfig(parked=(Status.paused,)), "docs/fix_plan.md")
    assert fails(h.report(only_paused), 1)[0].id == "A-001"
    assert fails(h.report(), 1) == []  # blocked is parked by default


def test_focus_items_removed_from_the_ledger_have_no_status_and_are_not_flagged():
    h = turns_without_evidence(7)
    h.add("archive", ("docs/x.md",), ledger(("B-002", "pending")))
    row = h.report().get("A-001")
    assert row.status is None and not row.active and fails(h.report(), 1) == []


def test_json_shape():
    h = turns_without_evidence(2)
    h.add("A-001 fix", ("src/a.py",))
    data = h.report().to_json()
    assert list(data) == ["schema_version", "rev", "focus"]
    assert data["schema_version"] == 1 and data["rev"] == h.commits[-1].sha
    assert [f["id"] for f in data["focus"]] == ["A-001"]  # only focus items that had a turn
    row = data["focus"][0]
    assert list(row) == [
        "id",
        "dwell",
        "tier",
        "turns",
        "status",
        "state",
        "last_turn",
        "last_evidence",
    ]
    assert row["state"] == "clear"  # in progress at tier 0: nothing to flag
    assert list(row["last_turn"]) == ["sha", "date", "subject"]
    assert row["last_evidence"]["subject"] == "A-001 fix"
    everything = h.report().to_json(include_all=True)
    b = next(f for f in everything["focus"] if f["id"] == "B-002")
    assert (b["turns"], b["last_turn"], b["last_evidence"]) == (0, None, None)


def test_timeline_entries_carry_the_turn_and_its_evidence_and_later_evidence_is_pending():
    h = turns_without_evidence(2)
    h.add("A-001 fix", ("src/a.py",))
    h.add("SUPERVISOR: A-001 review")
    h.add("A-001 more", ("src/a.py",))
    report = h.report()
    last = report.timelines["A-001"][-1]
    data = last.to_json()
    assert list(data) == ["turn", "sha", "date", "subject", "basis", "dwell", "tier", "evidence"]
    assert (data["turn"], data["basis"], data["dwell"], data["tier"]) == (3, "subject", 0, 0)
    assert data["subject"] == "SUPERVISOR: A-001 review"
    assert [c["subject"] for c in data["evidence"]] == ["A-001 fix"]
    assert [c.subject for c in report.pending_evidence("A-001")] == ["A-001 more"]
    assert report.pending_evidence("B-002") == []


def test_empty_history():
    report = compute([], lambda blob: LedgerSummary(), RULES)
    assert report.rev is None and report.focus == [] and report.turns == []
