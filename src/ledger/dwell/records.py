"""The records of the dwell rule: what it reports, and what it tracks per focus while walking.

Both rules share them: the supervisor rule (`dwell.rule`, turns) and the single-agent rule
(`dwell.iterations`, iterations). `DwellReport.mode` says which one read the history. Nothing
here reads files or git.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING

from ..vocab import Status
from .marks import DwellMark, DwellState
from .summaries import LedgerSummary

if TYPE_CHECKING:  # pragma: no cover
    from ..history import Commit

SCHEMA_VERSION = 1


class DwellMode(str, Enum):
    """How the history is read: supervisor turns, or (no supervisor commit at all) each commit
    as one iteration of a single agent."""

    supervisor = "supervisor"
    single_agent = "single_agent"


@dataclass(frozen=True)
class CommitRef:
    """sha, date and subject of a commit, as reported."""

    sha: str
    date: datetime
    subject: str

    @classmethod
    def of(cls, commit: Commit) -> CommitRef:
        return cls(commit.sha, commit.date, commit.subject)

    def to_json(self) -> dict:
        return {"sha": self.sha, "date": self.date.isoformat(), "subject": self.subject}


class TurnBasis(str, Enum):
    """Which step of the rule found a turn's focus items (an iteration's item, for the
    single-agent rule)."""

    subject = "subject"  # known IDs named in the turn's subjects
    sections = "sections"  # focus text changed across the turn
    active_focus = "active_focus"  # the header's Active Focus at the end of the turn
    none = "none"  # nothing: the turn counts for no focus
    next_item = "next_item"  # single agent: the next open item when the iteration began


@dataclass(frozen=True)
class Turn:
    """One supervisor turn: its commits and the focus items it counted for."""

    number: int
    commits: tuple[Commit, ...]
    focus: tuple[str, ...]
    basis: TurnBasis

    @property
    def last(self) -> Commit:
        return self.commits[-1]


@dataclass(frozen=True)
class TimelineEntry:
    """A turn of one focus: the dwell after it and the evidence seen since its previous turn."""

    turn: CommitRef
    turn_number: int
    basis: TurnBasis
    dwell: int
    tier: int
    evidence: tuple[CommitRef, ...]

    def to_json(self) -> dict:
        """`{"turn", "sha", "date", "subject", "basis", "dwell", "tier", "evidence"}`."""
        return {
            "turn": self.turn_number,
            **self.turn.to_json(),
            "basis": self.basis.value,
            "dwell": self.dwell,
            "tier": self.tier,
            "evidence": [c.to_json() for c in self.evidence],
        }


@dataclass(frozen=True)
class FocusDwell:
    """Dwell of one focus at the revision."""

    id: str
    dwell: int
    tier: int
    turns: int
    status: Status | None  # at the revision; None when the ledger no longer has it
    last_turn: CommitRef | None
    last_evidence: CommitRef | None
    state: DwellState  # step 8, judged on `status`

    @property
    def active(self) -> bool:
        """Present in the ledger at the revision and not done, archived or superseded."""
        return self.status is not None and not self.status.is_closed

    @property
    def flagged(self) -> bool:
        """Open, not parked, at tier 1 or above: coloured, and counted by `--fail-on-tier`."""
        return self.state is DwellState.flagged

    @property
    def mark(self) -> DwellMark:
        """Dwell, tier and state, as `status` and `brief` show them."""
        return DwellMark(self.dwell, self.tier, self.state)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "dwell": self.dwell,
            "tier": self.tier,
            "turns": self.turns,
            "status": self.status.value if self.status is not None else None,
            "state": self.state.value,
            "last_turn": self.last_turn.to_json() if self.last_turn else None,
            "last_evidence": self.last_evidence.to_json() if self.last_evidence else None,
        }


@dataclass(frozen=True)
class DoneWithoutEvidence:
    """An item ticked (closed) by a commit that touched only docs-only paths (single agent)."""

    id: str
    commit: CommitRef  # the commit that closed it
    status: Status | None  # at the revision; None when the ledger no longer has it
    last_evidence: CommitRef | None  # the item's latest implementation evidence before it

    def to_json(self) -> dict:
        """`{"id", "sha", "date", "subject", "status", "last_evidence"}`."""
        return {
            "id": self.id,
            **self.commit.to_json(),
            "status": self.status.value if self.status is not None else None,
            "last_evidence": self.last_evidence.to_json() if self.last_evidence else None,
        }


@dataclass(frozen=True)
class DwellReport:
    """The result of the rule over a history."""

    rev: str | None
    focus: list[FocusDwell]
    turns: list[Turn]  # supervisor turns (none for a single agent)
    timelines: dict[str, list[TimelineEntry]]
    ledger: LedgerSummary  # at the revision
    evidence: dict[str, list[CommitRef]] = field(default_factory=dict)  # all of it, per focus
    mode: DwellMode = DwellMode.supervisor
    iterations: int = 0  # single agent: the commits read as iterations
    done_without_evidence: list[DoneWithoutEvidence] = field(default_factory=list)

    @property
    def single_agent(self) -> bool:
        return self.mode is DwellMode.single_agent

    def get(self, focus_id: str) -> FocusDwell | None:
        return next((f for f in self.focus if f.id == focus_id), None)

    def pending_evidence(self, focus_id: str) -> list[CommitRef]:
        """Evidence for `focus_id` after its last turn: it resets dwell at the next turn."""
        # every evidence commit is listed at the next turn of its focus: the rest came later
        counted = {c.sha for e in self.timelines.get(focus_id, []) for c in e.evidence}
        return [c for c in self.evidence.get(focus_id, []) if c.sha not in counted]

    def listed(self, include_all: bool = False) -> list[FocusDwell]:
        """The rows `ledger dwell` lists: the focus items in the ledger at the revision that had
        a turn (for a single agent: were the next open item of an iteration); with
        `include_all`, every focus item (never turned to, or gone) as well."""
        if include_all:
            return list(self.focus)
        return [f for f in self.focus if f.turns and f.status is not None]

    def to_json(self, include_all: bool = False) -> dict:
        """`{"schema_version", "rev", "focus"}`; a single agent's history adds `"mode":
        "single_agent"`, `"iterations"` and `"done_without_evidence"`."""
        rows = [f.to_json() for f in self.listed(include_all)]
        if not self.single_agent:
            return {"schema_version": SCHEMA_VERSION, "rev": self.rev, "focus": rows}
        return {
            "schema_version": SCHEMA_VERSION,
            "rev": self.rev,
            "mode": self.mode.value,
            "iterations": self.iterations,
            "focus": rows,
            "done_without_evidence": [d.to_json() for d in self.done_without_evidence],
        }


@dataclass
class FocusState:
    """What the rule tracks per focus while it walks the history (the single-agent rule counts
    its iterations as `turns`)."""

    dwell: int = 0
    turns: int = 0
    last_turn: CommitRef | None = None
    last_evidence: CommitRef | None = None
    pending: list[CommitRef] = field(default_factory=list)  # evidence since the previous turn
