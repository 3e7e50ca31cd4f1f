"""The history of one focus (`ledger log ID`), from commit records, summaries and the report.

Each ledger version is compared with the previous one for the focus (appeared, removed, status
changed, attempts added or removed), and the rule's report adds the focus's turns and its
implementation evidence. Like the rule, nothing here reads files or git.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from ..vocab import Status
from .rule import CommitRef, DwellReport, Summaries, TurnBasis
from .summaries import FocusFacts

if TYPE_CHECKING:  # pragma: no cover
    from ..history import Commit


class LogEventKind(str, Enum):
    """What happened to a focus in a commit."""

    appeared = "appeared"
    removed = "removed"
    status = "status"
    attempts = "attempts"
    turn = "turn"
    evidence = "evidence"


@dataclass(frozen=True)
class Appeared:
    """The focus is in the ledger from this commit on."""

    status: Status
    attempts: int

    def to_json(self) -> dict:
        return {"status": self.status.value, "attempts": self.attempts}


@dataclass(frozen=True)
class Removed:
    """The ledger no longer has the focus (archived, renamed or deleted)."""

    status: Status  # its last status

    def to_json(self) -> dict:
        return {"status": self.status.value}


@dataclass(frozen=True)
class StatusChanged:
    before: Status
    after: Status

    def to_json(self) -> dict:
        return {"from": self.before.value, "to": self.after.value}


@dataclass(frozen=True)
class AttemptsChanged:
    added: int  # negative when attempts were removed (moved to the archive)
    total: int

    def to_json(self) -> dict:
        return {"added": self.added, "total": self.total}


@dataclass(frozen=True)
class TurnTaken:
    """A supervisor turn on the focus, and the dwell after it."""

    turn: int  # its number in the whole history
    dwell: int
    tier: int
    basis: TurnBasis

    def to_json(self) -> dict:
        return {
            "turn": self.turn,
            "dwell": self.dwell,
            "tier": self.tier,
            "basis": self.basis.value,
        }


EventDetail = Appeared | Removed | StatusChanged | AttemptsChanged | TurnTaken


@dataclass(frozen=True)
class LogEvent:
    """One thing that happened to a focus in one commit (`detail` is None for evidence)."""

    commit: CommitRef
    kind: LogEventKind
    detail: EventDetail | None = None

    def to_json(self) -> dict:
        """`{"kind", "sha", "date", "subject", ...}` with the detail's keys last."""
        detail = self.detail.to_json() if self.detail is not None else {}
        return {"kind": self.kind.value, **self.commit.to_json(), **detail}


def focus_log(
    commits: Iterable[Commit], summaries: Summaries, report: DwellReport, focus_id: str
) -> list[LogEvent]:
    """The history of `focus_id`: appearance, status changes, attempts added, turns with dwell."""
    events: list[LogEvent] = []
    previous: FocusFacts | None = None
    last_blob: str | None = "\0"  # never a blob id: the first commit is always examined
    turns = {e.turn.sha: e for e in report.timelines.get(focus_id, [])}
    evidence = {c.sha for c in report.evidence.get(focus_id, [])}
    for commit in commits:
        ref = CommitRef.of(commit)
        if commit.ledger_blob != last_blob:
            last_blob = commit.ledger_blob
            facts = summaries(commit.ledger_blob).focus.get(focus_id)
            events.extend(LogEvent(ref, kind, detail) for kind, detail in _changes(previous, facts))
            previous = facts
        if commit.sha in evidence:
            events.append(LogEvent(ref, LogEventKind.evidence))
        entry = turns.get(commit.sha)
        if entry is not None:
            taken = TurnTaken(entry.turn_number, entry.dwell, entry.tier, entry.basis)
            events.append(LogEvent(ref, LogEventKind.turn, taken))
    return events


def _changes(
    before: FocusFacts | None, after: FocusFacts | None
) -> list[tuple[LogEventKind, EventDetail]]:
    """What changed for a focus between two consecutive ledger versions."""
    if after is not None and before is None:
        return [(LogEventKind.appeared, Appeared(after.status, after.attempts))]
    if before is not None and after is None:
        return [(LogEventKind.removed, Removed(before.status))]
    if before is None or after is None:
        return []
    out: list[tuple[LogEventKind, EventDetail]] = []
    if after.status != before.status:
        out.append((LogEventKind.status, StatusChanged(before.status, after.status)))
    if after.attempts != before.attempts:
        added = after.attempts - before.attempts
        out.append((LogEventKind.attempts, AttemptsChanged(added, after.attempts)))
    return out
