"""The single-agent rule: every commit is an iteration, and an item is stuck when it stays next.

Most loops run one agent (`PROMPT.md` + `specs/` + `fix_plan.md`, one item per iteration) and
their history has no supervisor commit at all. `dwell.rule.Walk` reads such a history with this
rule instead of supervisor turns (docs/commands/dwell.md, "Single-agent loops"):

1. every commit that is not bookkeeping is an *iteration* (merges included);
2. the iteration's *item* is the next open item of the ledger the iteration started from (the
   version at the commit before it): the planner's first ready item, what `ledger next` shows
   (`summaries.next_open_item`); none when nothing is ready;
3. implementation evidence is what the supervisor rule calls it (a path that is not docs-only);
   it belongs to the known IDs named in the subject, else to the iteration's item;
4. the item's count: 0 when the iteration is evidence for it; unchanged when the iteration
   closes it (ticks its box); else one more. Evidence for another item (named in the subject)
   sets that item's count to 0; other items keep theirs;
5. an item is *stuck* from `dwell.stuck_after` iterations on (K, default 3); its tier is the
   count's tier under `dwell.tiers`, at least 1 once stuck, 0 before (`Rules.stuck_tier`);
6. an item that a commit without evidence closes (open before, closed after) is *done without
   evidence*; reopening it withdraws that, closing it again with evidence too.

Parked and closed items keep their count with their state, as for supervisor dwell
(`dwell.marks`). Nothing here reads files or git.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .records import CommitRef, DoneWithoutEvidence, FocusState, TimelineEntry, TurnBasis
from .summaries import LedgerSummary

if TYPE_CHECKING:  # pragma: no cover
    from ..history import Commit
    from .rule import Rules


@dataclass(frozen=True)
class Unproven:
    """The commit without evidence that closed an item, and the item's evidence before it."""

    commit: CommitRef
    last_evidence: CommitRef | None


@dataclass
class IterationState:
    """What the single-agent rule carries from one commit to the next (`WalkState.iterations`):
    a walk resumed from it goes on as if it had never stopped."""

    count: int = 0  # iterations walked
    items: dict[str, FocusState] = field(default_factory=dict)
    unproven: dict[str, Unproven] = field(default_factory=dict)  # closed without evidence


class Iterations:
    """The rule applied one iteration at a time; with `keep_history`, each item's timeline
    (the iterations that moved its count) and evidence, for `--timeline` and `ledger log`."""

    def __init__(self, rules: Rules, state: IterationState, *, keep_history: bool) -> None:
        self.rules = rules
        self.state = state
        self.keep_history = keep_history
        self.timelines: dict[str, list[TimelineEntry]] = {}
        self.evidence: dict[str, list[CommitRef]] = {}

    def feed(
        self,
        commit: Commit,
        before: LedgerSummary,
        after: LedgerSummary,
        evidence_for: Sequence[str] | None,
    ) -> None:
        """One iteration: `before` and `after` are the ledger it started from and the one it
        left; `evidence_for` the known IDs its subject names when it is evidence (None: it is
        not)."""
        st = self.state
        st.count += 1
        ref = CommitRef.of(commit)
        item = before.next_item
        closed, reopened = _closures(before, after) if before is not after else ((), ())
        owners: tuple[str, ...] = ()
        if evidence_for is not None:
            owners = tuple(evidence_for) or ((item,) if item else ())
        for fid in reopened:
            st.unproven.pop(fid, None)
        for fid in closed:
            if evidence_for is None:
                last = st.items[fid].last_evidence if fid in st.items else None
                st.unproven.pop(fid, None)  # the latest closing is the one reported
                st.unproven[fid] = Unproven(ref, last)
            else:
                st.unproven.pop(fid, None)
        for fid in owners:
            state = st.items.setdefault(fid, FocusState())
            state.last_evidence = ref
            if self.keep_history:
                self.evidence.setdefault(fid, []).append(ref)
        if item is not None:
            state = st.items.setdefault(item, FocusState())
            state.turns += 1
            state.last_turn = ref
            if item in owners:
                state.dwell = 0
            elif item not in closed:
                state.dwell += 1
            self._entry(item, ref, TurnBasis.next_item, item in owners)
        for fid in owners:
            if fid != item:
                st.items[fid].dwell = 0
                self._entry(fid, ref, TurnBasis.subject, True)

    def done_without_evidence(self, final: LedgerSummary) -> list[DoneWithoutEvidence]:
        """The items closed without evidence, oldest closing first, with their status in
        `final` (the ledger at the revision)."""
        out = []
        for fid, u in self.state.unproven.items():
            facts = final.focus.get(fid)
            status = facts.status if facts is not None else None
            out.append(DoneWithoutEvidence(fid, u.commit, status, u.last_evidence))
        return out

    def _entry(self, fid: str, ref: CommitRef, basis: TurnBasis, evidence: bool) -> None:
        if not self.keep_history:
            return
        dwell = self.state.items[fid].dwell
        entry = TimelineEntry(
            ref,
            self.state.count,
            basis,
            dwell,
            self.rules.stuck_tier(dwell),
            (ref,) if evidence else (),
        )
        self.timelines.setdefault(fid, []).append(entry)


def _closures(
    before: LedgerSummary, after: LedgerSummary
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The items a change closed (open before, closed after) and reopened."""
    closed: list[str] = []
    reopened: list[str] = []
    for fid, facts in after.focus.items():
        earlier = before.focus.get(fid)
        if earlier is None or earlier.status.is_closed == facts.status.is_closed:
            continue
        (closed if facts.status.is_closed else reopened).append(fid)
    return tuple(closed), tuple(reopened)
