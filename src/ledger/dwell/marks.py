"""Where a focus stands on dwell: flagged, parked, closed or clear (step 8 of the rule).

The rule (`dwell.rule`) counts dwell and tiers from the history. What a tier means for a focus
depends on its status, and is decided here, once, for every command that shows it: `ledger
dwell` judges the status at the revision it reads; `ledger status`, `brief` and `next` judge the
status in the ledger they read. Every one of them shows the real dwell and tier, with a
`DwellState`:

- *flagged*: open, not parked, at tier 1 or above: coloured, counted by `--fail-on-tier`, and
  the brief states what the tier demands;
- *parked*: a status in `dwell.parked` (default blocked, blocked_escalation, paused, deferred):
  the team decided the focus waits, which is what the tiers ask for, so it is never flagged;
- *closed*: done, archived or superseded: nothing more is expected, never flagged;
- *removed*: no longer in the ledger (only `ledger dwell` lists these);
- *clear*: open, not parked, tier 0.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from ..vocab import DEFAULT_PARKED, Status

if TYPE_CHECKING:  # pragma: no cover
    from ..model import FocusItem


class DwellState(str, Enum):
    """What a focus's dwell tier means, given its status."""

    clear = "clear"
    flagged = "flagged"
    parked = "parked"
    closed = "closed"
    removed = "removed"


def dwell_state(status: Status | None, tier: int, parked: Collection[Status]) -> DwellState:
    """Step 8 of the rule: closed and parked focus items are reported, never flagged."""
    if status is None:
        return DwellState.removed
    if status.is_closed:
        return DwellState.closed
    if status in parked:
        return DwellState.parked
    return DwellState.flagged if tier > 0 else DwellState.clear


@dataclass(frozen=True, slots=True)
class DwellMark:
    """A focus's dwell, tier and state, as every command shows them."""

    dwell: int
    tier: int
    state: DwellState

    @property
    def flagged(self) -> bool:
        return self.state is DwellState.flagged

    @property
    def text(self) -> str:
        """`4 (T2)` when flagged, `7 (T3, parked)` when a tier does not apply, `1` at tier 0."""
        if not self.tier:
            return str(self.dwell)
        return f"{self.dwell} ({self.tier_text.replace(' ', ', ')})"

    @property
    def tier_text(self) -> str:
        """`T2` when flagged, `T3 parked` / `T2 closed` when not, `-` at tier 0."""
        if not self.tier:
            return "-"
        return f"T{self.tier}" if self.flagged else f"T{self.tier} {self.state.value}"

    def to_json(self) -> dict:
        """`{"dwell", "tier", "state"}`."""
        return {"dwell": self.dwell, "tier": self.tier, "state": self.state.value}


@dataclass(frozen=True)
class DwellTable:
    """Dwell and tier at HEAD of the focus items that had a turn, and the parked statuses:
    what `ledger status`, `brief` and `next` mark the focus items of the ledger they read with."""

    counts: Mapping[str, tuple[int, int]]  # focus ID -> (dwell, tier)
    parked: frozenset[Status] = frozenset(DEFAULT_PARKED)

    def mark(self, focus_id: str, status: Status | None) -> DwellMark:
        """The mark of a focus with this status (dwell 0, tier 0 when it never had a turn)."""
        dwell, tier = self.counts.get(focus_id, (0, 0))
        return DwellMark(dwell, tier, dwell_state(status, tier, self.parked))

    def marks(self, items: Iterable[FocusItem]) -> dict[str, DwellMark]:
        """The marks of `items` that had a turn (the first section of an ID decides)."""
        out: dict[str, DwellMark] = {}
        for item in items:
            if item.id in self.counts and item.id not in out:
                out[item.id] = self.mark(item.id, item.status)
        return out
