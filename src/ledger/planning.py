"""What to work on next: readiness, ordering, and the reasons for both.

A focus item is *ready* when nothing in the ledger says it must wait:

1. its status is not done, archived, superseded, blocked or blocked_escalation;
2. every dependency that is a focus item of this ledger is closed (done, archived or
   superseded, the same test `ledger status` uses for its "Unmet deps" column); dependencies
   that are not focus items (finding IDs, free text) cannot be checked and are ignored;
3. no open return condition names a focus ID of this ledger that is not closed.

Ready items are ordered by priority (Critical > High > Medium > Low > none), then the header's
Active Focus first among equals, then dwell (lower first), then the oldest last attempt (never
attempted counts as oldest), and finally document order, so the result is deterministic.

Dwell is optional input (`{id: (dwell, tier)}`): this module never reads git. Dependencies,
waits and cycles come from the ledger's one dependency graph (`ledger.depgraph`): an item held
by a blocking cycle is told so by name rather than sent round in circles.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .depgraph import Cycle, DependencyGraph, cycle_name
from .encoding import display
from .model import FocusItem, ItemForm, Ledger
from .vocab import Priority, _Word, priority_rank

if TYPE_CHECKING:  # pragma: no cover
    from .dwell import DwellMark

# Forms ordered by priority, Active Focus, dwell and attempts (the others are a plan's queue).
_LEDGER_FORMS = (ItemForm.section, ItemForm.reset, ItemForm.roadmap)
_NEVER = (0, datetime.min.replace(tzinfo=timezone.utc))  # never attempted: the oldest

DwellInput = Mapping[str, "DwellMark | tuple | Mapping[str, Any] | int"]

__all__ = [
    "Candidate",
    "Plan",
    "Reason",
    "ReasonCode",
    "normalize_dwell",
    "plan",
    "status_detail",
    "word_detail",
]


class ReasonCode(_Word):
    """What keeps a focus item from being ready."""

    status = "status"
    dependency = "dependency"
    return_condition = "return_condition"
    cycle = "cycle"


@dataclass(frozen=True)
class Reason:
    """One thing that keeps a focus item from being ready."""

    code: ReasonCode
    message: str
    ids: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code.value, "message": self.message, "ids": list(self.ids)}


@dataclass(frozen=True)
class Candidate:
    """A focus item with its readiness verdict and the values it is ranked by."""

    item: FocusItem
    ready: bool
    reasons: tuple[Reason, ...]
    priority: Priority | None
    active_focus: bool
    dwell: int | None
    tier: int | None
    last_attempt: datetime | None
    attempted: bool

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def title(self) -> str:
        """The title as it was meant to read (mojibake repaired; the model keeps the bytes)."""
        return display(self.item.title)

    @property
    def queued(self) -> bool:
        """An item of a plan's queue (a checkbox, numbered entry, heading item, ...), not a focus
        section: the file's order is part of its priority."""
        return self.item.form not in _LEDGER_FORMS

    def sort_key(self, file_order: bool = False) -> tuple:
        """Priority, Active Focus, dwell, oldest last attempt, document order.

        Items of a queue keep the file's order after priority (`file_order`: not even priority,
        when the plan does not state one for every open item), and optional ones come last."""
        if self.queued:
            rank = (self.item.optional, 0 if file_order else priority_rank(self.priority))
            return (rank, 0 if self.active_focus else 1, 0, _NEVER, self.item.line)
        if not self.attempted:
            when: tuple = _NEVER
        elif self.last_attempt is None:  # attempted, but no readable date: after dated ones
            when = (2, datetime.max.replace(tzinfo=timezone.utc))
        else:
            when = (1, self.last_attempt)
        rank = (False, priority_rank(self.priority))
        return (rank, 0 if self.active_focus else 1, self.dwell or 0, when, self.item.line)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "line": self.item.line,
            "status": self.item.status.value,
            "status_text": display(self.item.status_text),
            "priority": self.priority.value if self.priority else None,
            "active_focus": self.active_focus,
            "dwell": self.dwell,
            "tier": self.tier,
            "last_attempt": self.last_attempt.isoformat() if self.last_attempt else None,
            "attempts": len(self.item.attempts),
            "ready": self.ready,
            "reasons": [r.as_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class Plan:
    """The answer to "what next?": ready items best first, the others with their reasons."""

    ready: list[Candidate]
    waiting: list[Candidate]
    cycles: list[Cycle]
    why_first: list[str] = field(default_factory=list)
    duplicates: dict[str, list[int]] = field(default_factory=dict)

    @property
    def next(self) -> str | None:
        """The ID of the item to work on next: the first ready one (None: nothing is ready)."""
        return self.ready[0].id if self.ready else None

    def as_dict(self, limit: int | None = None, explain: bool = False) -> dict[str, Any]:
        """JSON-ready data; `waiting` and `why_first` only when `explain` is set."""
        ready = self.ready if limit is None else self.ready[:limit]
        data: dict[str, Any] = {
            "next": self.next if ready else None,
            "ready": [c.as_dict() for c in ready],
            "ready_total": len(self.ready),
            "cycles": [c.as_dict() for c in self.cycles],
        }
        if explain:
            data["why_first"] = self.why_first
            data["waiting"] = [c.as_dict() for c in self.waiting]
            data["duplicates"] = self.duplicates
        return data


def normalize_dwell(dwell: DwellInput | None) -> dict[str, tuple[int, int | None]]:
    """Accept `{id: DwellMark}`, `{id: (dwell, tier)}`, `{id: {"dwell": n, "tier": t}}` or
    `{id: n}`."""
    out: dict[str, tuple[int, int | None]] = {}
    for key, value in (dwell or {}).items():
        if hasattr(value, "state"):  # a DwellMark
            n, tier = value.dwell, value.tier  # type: ignore[union-attr]
        elif isinstance(value, Mapping):
            n, tier = value.get("dwell"), value.get("tier")
        elif isinstance(value, (tuple, list)):
            n, tier = ([*list(value), None, None])[:2]
        else:
            n, tier = value, None
        if isinstance(n, int):
            out[key] = (n, tier if isinstance(tier, int) else None)
    return out


def plan(
    ledger: Ledger, dwell: DwellInput | None = None, graph: DependencyGraph | None = None
) -> Plan:
    """Judge every focus item (first section of each ID) and order the ready ones.

    Cycles are the graph's blocking cycles (decision 0080): the ones that keep their members
    from ever becoming ready."""
    dwell_map = normalize_dwell(dwell)
    graph = graph or DependencyGraph.of(ledger)
    cycles = graph.cycles(blocking=True)
    cycle_of = {node: cyc for cyc in cycles for node in cyc.ids}
    active_id = ledger.header.active_focus_id
    candidates = []
    for focus_id in ledger.ids:
        item = ledger.get(focus_id)
        assert item is not None
        reasons = _reasons(graph, item, cycle_of.get(focus_id))
        last = item.last_attempt
        n, tier = dwell_map.get(focus_id, (None, None))
        candidates.append(
            Candidate(
                item=item,
                ready=not reasons,
                reasons=tuple(reasons),
                priority=item.priority,
                active_focus=focus_id == active_id,
                dwell=n,
                tier=tier,
                last_attempt=last.timestamp if last else None,
                attempted=bool(item.attempts),
            )
        )
    file_order = _in_file_order(ledger)
    ready = sorted((c for c in candidates if c.ready), key=lambda c: c.sort_key(file_order))
    waiting = [c for c in candidates if not c.ready]
    duplicates = {
        i: [f.line for f in ledger.all_named(i)] for i in ledger.ids if len(ledger.all_named(i)) > 1
    }
    return Plan(ready, waiting, cycles, _why_first(ready, file_order), duplicates)


def _in_file_order(ledger: Ledger) -> bool:
    """Whether a plan's queue is worked in the file's order: some open, required item of it
    states no priority (spec-kit's Setup phase before its P1 story), so priorities cannot
    order the whole queue."""
    return any(
        f.form not in _LEDGER_FORMS and f.priority is None and not f.optional and f.status.is_open
        for f in ledger.focus_items
    )


def _reasons(graph: DependencyGraph, item: FocusItem, cycle: Cycle | None) -> list[Reason]:
    reasons = []
    if item.status.is_closed or item.status.is_blocked:
        detail = status_detail(item)
        text = f" ({_clip(detail)})" if detail else ""
        reasons.append(Reason(ReasonCode.status, f"status is {item.status.value}{text}"))
    for edge in graph.unmet(item.id):
        reasons.append(
            Reason(
                ReasonCode.dependency,
                f"depends on {edge.target}, which is {_status_of(graph, edge.target)}",
                (edge.target,),
            )
        )
    for edge in graph.waits(item.id):
        reasons.append(
            Reason(
                ReasonCode.return_condition,
                f"an open return condition waits on {edge.target}, "
                f"which is {_status_of(graph, edge.target)}",
                (edge.target,),
            )
        )
    if cycle:
        mine = cycle.rotated(item.id)
        reasons.append(
            Reason(
                ReasonCode.cycle,
                f"dependency cycle {cycle_name(mine)}: "
                f"{'neither' if len(mine) == 2 else 'none of them'} can become ready "
                "until the cycle is broken",
                mine,
            )
        )
    return reasons


def _status_of(graph: DependencyGraph, focus_id: str) -> str:
    return graph.nodes[focus_id].label


def status_detail(item: FocusItem) -> str:
    """The status text after its first word (`blocked — reason` -> `reason`), as it was meant
    to read (mojibake repaired)."""
    return word_detail(item.status_text)


def word_detail(text: str) -> str:
    """A value's text after its first word (`High (blocks X)` -> `blocks X`), repaired for
    display."""
    rest = _FIRST_WORD.sub("", display(text).strip(), count=1).strip()
    if rest.startswith("(") and rest.endswith(")"):
        return rest[1:-1].strip()  # `done (archived)`
    return rest.lstrip("—–-: ").strip()


_FIRST_WORD = re.compile(r"^\W*[\w-]+\W*?(?=\s|$)")


def _why_first(ready: list[Candidate], file_order: bool = False) -> list[str]:
    """Why the first ready item beats the second: the first ordering rule that separates them."""
    if not ready:
        return []
    first = ready[0]
    if len(ready) == 1:
        return [f"{first.id} is the only ready focus item"]
    second = ready[1]
    lines = [f"{first.id} is ready and ranks first of {len(ready)} ready items"]
    a, b = first.sort_key(file_order), second.sort_key(file_order)
    if a[0][0] != b[0][0]:
        lines.append(f"{second.id} is optional; {first.id} is not")
    elif a[0] != b[0]:
        lines.append(
            f"higher priority: {first.priority or 'none'} "
            f"vs {second.priority or 'none'} ({second.id})"
        )
    elif a[1] != b[1]:
        lines.append(f"same priority ({first.priority or 'none'}); it is the header's Active Focus")
    elif a[2] != b[2]:
        lines.append(
            "same priority, neither or both Active Focus; "
            f"lower dwell: {first.dwell or 0} vs {second.dwell or 0} ({second.id})"
        )
    elif a[3] != b[3]:
        lines.append(
            "same priority and dwell; "
            f"older last attempt: {_when(first)} vs {_when(second)} ({second.id})"
        )
    elif first.queued and file_order:
        lines.append(
            "the plan is worked in its order (not every open item states a priority); "
            f"it comes first (line {first.item.line} vs {second.item.line})"
        )
    else:
        lines.append(
            f"tied with {second.id} on every rule; earlier in the document "
            f"(line {first.item.line} vs {second.item.line})"
        )
    return lines


def _when(c: Candidate) -> str:
    if not c.attempted:
        return "never attempted"
    return c.last_attempt.isoformat() if c.last_attempt else "undated"


def _clip(text: str, width: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
