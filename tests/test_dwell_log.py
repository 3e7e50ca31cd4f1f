"""The history of one focus (`ledger log`), from hand-written commit records (no git)."""

from __future__ import annotations

from dwell_history import TWO, History, ledger

from ledger.dwell import (
    Appeared,
    AttemptsChanged,
    LogEventKind,
    Removed,
    StatusChanged,
    TurnBasis,
    TurnTaken,
    focus_log,
)
from ledger.vocab import Status

WITH_ATTEMPT = TWO.replace(
    "- Status: in_progress",
    "- Status: in_progress\n- Attempts History:\n  * [2025-11-01] Attempt #1 — Result: partial\n",
)


def closing_history() -> History:
    h = History()
    h.add("seed", ("src/a.py",), ledger(("B-002", "pending")))
    h.add("SUPERVISOR: new focus", (), TWO)
    h.add("A-001 x: work", ("src/a.py",), WITH_ATTEMPT)
    h.add("SUPERVISOR: A-001 close", (), TWO.replace("in_progress", "done"))
    return h


def test_focus_log_lists_appearance_status_changes_attempts_turns_and_evidence():
    h = closing_history()
    events = focus_log(h.commits, h.summary, h.report(), "A-001")
    assert [(e.kind, e.commit.subject) for e in events] == [
        (LogEventKind.appeared, "SUPERVISOR: new focus"),
        (LogEventKind.turn, "SUPERVISOR: new focus"),
        (LogEventKind.attempts, "A-001 x: work"),
        (LogEventKind.evidence, "A-001 x: work"),
        (LogEventKind.status, "SUPERVISOR: A-001 close"),
        (LogEventKind.attempts, "SUPERVISOR: A-001 close"),
        (LogEventKind.turn, "SUPERVISOR: A-001 close"),
    ]
    assert [e.detail for e in events] == [
        Appeared(Status.in_progress, 0),
        TurnTaken(turn=1, dwell=0, tier=0, basis=TurnBasis.sections),
        AttemptsChanged(added=1, total=1),
        None,
        StatusChanged(Status.in_progress, Status.done),
        AttemptsChanged(added=-1, total=0),  # the closing edit dropped the attempt line
        TurnTaken(turn=2, dwell=0, tier=0, basis=TurnBasis.subject),
    ]


def test_a_focus_leaving_the_ledger_is_removed_with_its_last_status():
    h = closing_history()
    h.add("archive A-001", ("docs/fix_plan_archive.md",), ledger(("B-002", "pending")))
    last = focus_log(h.commits, h.summary, h.report(), "A-001")[-1]
    assert (last.kind, last.detail) == (LogEventKind.removed, Removed(Status.done))


def test_events_as_json_put_the_kind_and_commit_first_then_the_details():
    h = closing_history()
    events = focus_log(h.commits, h.summary, h.report(), "A-001")
    rows = [e.to_json() for e in events]
    assert [list(r)[:4] for r in rows] == [["kind", "sha", "date", "subject"]] * len(rows)
    assert [{k: v for k, v in r.items() if k not in ("sha", "date", "subject")} for r in rows] == [
        {"kind": "appeared", "status": "in_progress", "attempts": 0},
        {"kind": "turn", "turn": 1, "dwell": 0, "tier": 0, "basis": "sections"},
        {"kind": "attempts", "added": 1, "total": 1},
        {"kind": "evidence"},
        {"kind": "status", "from": "in_progress", "to": "done"},
        {"kind": "attempts", "added": -1, "total": 0},
        {"kind": "turn", "turn": 2, "dwell": 0, "tier": 0, "basis": "subject"},
    ]
