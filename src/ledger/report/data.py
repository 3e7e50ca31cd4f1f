"""The data behind the board, the dependency graph and the health part of `ledger report`.

Each part is a typed record computed from what the other commands compute, never a second
version of it: the cards' unmet dependencies, the graph and its cycles come from the ledger's one
dependency graph (`ledger.depgraph`, through `ledger.graph.build_graph`, what `ledger graph`
draws); the findings are `ledger check`'s (`ledger.checks.run_rules` on the same parsed ledger);
dwell is `ledger dwell`'s scan (`report.charts`). Nothing here renders HTML (`report.html`).

Only `FocusItem` fields every ledger form fills are read (ID, title, line, status, priority,
attempts); an empty one shows as absent, never as an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..depgraph import Cycle, DependencyGraph
from ..encoding import display
from ..graph import Edge, build_graph
from ..model import FocusItem, Ledger
from ..vocab import Priority, Severity, Status, _Word, priority_rank
from .layout import Layout, layered_layout

if TYPE_CHECKING:  # pragma: no cover
    from ..checks import Finding
    from .charts import DwellAbsent, DwellPart

# --- the board ----------------------------------------------------------------------------------


class Column(_Word):
    """A column of the board (in the order they are drawn; `archived` is folded away)."""

    in_progress = "in_progress"
    ready = "ready"
    waiting = "waiting"
    blocked = "blocked"
    done = "done"
    archived = "archived"

    @property
    def heading(self) -> str:
        return _COLUMN_TITLES[self]


_COLUMN_TITLES = {
    Column.in_progress: "In progress",
    Column.ready: "Ready",
    Column.waiting: "Planning / pending",
    Column.blocked: "Blocked / escalated / parked",
    Column.done: "Done",
    Column.archived: "Archived / superseded",
}

# Every status has a column: what is not started yet (or unreadable) waits; whatever is parked
# (blocked, escalated, paused, deferred) shares the blocked column; closed work that is no
# longer part of the plan (archived, superseded) is folded away.
COLUMN_OF: dict[Status, Column] = {
    Status.in_progress: Column.in_progress,
    Status.ready_for_implementation: Column.ready,
    Status.planning: Column.waiting,
    Status.pending: Column.waiting,
    Status.unknown: Column.waiting,
    Status.blocked: Column.blocked,
    Status.blocked_escalation: Column.blocked,
    Status.paused: Column.blocked,
    Status.deferred: Column.blocked,
    Status.done: Column.done,
    Status.archived: Column.archived,
    Status.superseded: Column.archived,
}


@dataclass(frozen=True, slots=True)
class Card:
    """One focus item on the board (its first section, as the graph and `ledger next` use)."""

    id: str
    title: str
    line: int
    status: Status
    status_text: str
    priority: Priority | None
    dwell: int | None  # None: no history read, or no supervisor turn on this focus
    tier: int | None
    last_attempt_date: date | None
    last_attempt_kind: str | None
    attempts: int
    unmet: tuple[str, ...]
    active: bool  # the header's Active Focus
    in_cycle: bool


@dataclass(frozen=True, slots=True)
class BoardColumn:
    """A column and its cards: priority first, the active focus first among equals, then
    document order."""

    column: Column
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class Board:
    """The columns in drawing order and the active focus (None when the header names none)."""

    columns: tuple[BoardColumn, ...]
    active_focus_id: str | None

    def cards_in(self, column: Column) -> tuple[Card, ...]:
        """The cards of one column."""
        return next(c.cards for c in self.columns if c.column is column)


def build_board(
    ledger: Ledger,
    deps: DependencyGraph,
    cycles: Sequence[Cycle],
    dwell: dict[str, tuple[int, int]] | None = None,
) -> Board:
    """The board of `ledger`; `dwell` is `{id: (dwell, tier)}` for focus items with turns."""
    active = ledger.header.active_focus_id
    in_cycle = {n for c in cycles for n in c.ids}
    cards: dict[Column, list[Card]] = {c: [] for c in Column}
    for focus_id in ledger.ids:
        item = ledger.get(focus_id)
        assert item is not None
        found = (dwell or {}).get(focus_id)
        unmet = tuple(dict.fromkeys(e.target for e in deps.unmet(focus_id)))
        card = _card(item, found, unmet, focus_id == active, focus_id in in_cycle)
        cards[COLUMN_OF[item.status]].append(card)
    columns = tuple(BoardColumn(c, tuple(sorted(cards[c], key=_card_order))) for c in Column)
    return Board(columns, active)


def _card_order(card: Card) -> tuple[int, bool, int]:
    """Priority, then the active focus, then document order (`ledger next`'s first keys)."""
    return (priority_rank(card.priority), not card.active, card.line)


def _card(
    item: FocusItem,
    dwell: tuple[int, int] | None,
    unmet: tuple[str, ...],
    active: bool,
    in_cycle: bool,
) -> Card:
    last = item.last_attempt
    kind = None
    if last is not None:
        kind = last.kind.value if last.kind is not None else (last.kind_text or None)
    return Card(
        id=item.id,
        title=display(" ".join(item.title.split())),
        line=item.line,
        status=item.status,
        status_text=item.status_text,
        priority=item.priority,
        dwell=dwell[0] if dwell else None,
        tier=dwell[1] if dwell else None,
        last_attempt_date=last.timestamp.date() if last and last.timestamp else None,
        last_attempt_kind=kind,
        attempts=len(item.attempts),
        unmet=unmet,
        active=active,
        in_cycle=in_cycle,
    )


# --- the dependency graph -----------------------------------------------------------------------

# Box sizes for the layout: the drawing uses a monospace font of this advance per character.
CHAR_WIDTH = 7.3
BOX_PADDING = 10.0


@dataclass(frozen=True, slots=True)
class GraphNode:
    """A node as drawn: its status word (`external` for IDs that are not focus items)."""

    id: str
    status: str
    title: str
    closed: bool
    external: bool
    in_cycle: bool
    active: bool


@dataclass(frozen=True)
class GraphPart:
    """`ledger graph`'s graph (nodes, edges with their cycle marks, named cycles), laid out."""

    nodes: dict[str, GraphNode]
    edges: list[Edge]
    cycles: list[Cycle]
    layout: Layout


def node_width(node_id: str, status: str) -> float:
    """The width of a node's box: its ID and status word, one line each."""
    return max(len(node_id), len(status)) * CHAR_WIDTH + 2 * BOX_PADDING


def build_graph_part(ledger: Ledger, deps: DependencyGraph) -> GraphPart:
    """The graph `ledger graph` reports for `ledger`, with a layered layout."""
    graph = build_graph(ledger, graph=deps)
    in_cycle = {n for c in graph.cycles for n in c.ids}
    active = ledger.header.active_focus_id
    nodes = {}
    for node_id, status in graph.nodes.items():
        node = deps.nodes[node_id]
        nodes[node_id] = GraphNode(
            id=node_id,
            status=status,
            title=display(graph.titles.get(node_id, "")),
            closed=node.status is not None and node.status.is_closed,
            external=node.external,
            in_cycle=node_id in in_cycle,
            active=node_id == active,
        )
    widths = {n.id: node_width(n.id, n.status) for n in nodes.values()}
    layout = layered_layout(list(nodes), [(e.source, e.target) for e in graph.edges], widths)
    return GraphPart(nodes, graph.edges, graph.cycles, layout)


# --- health -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleCount:
    """How many findings one rule made, at which severity."""

    code: str
    name: str
    severity: Severity
    count: int


@dataclass(frozen=True)
class Health:
    """`ledger check`'s findings (by line) and their count per rule (most frequent first)."""

    findings: tuple[Finding, ...]
    rules: tuple[RuleCount, ...]

    def count(self, severity: Severity) -> int:
        """The number of findings of one severity."""
        return sum(1 for f in self.findings if f.severity is severity)

    def worst_by_line(self) -> dict[int, Severity]:
        """The most severe finding on each line that has any."""
        rank = {s: i for i, s in enumerate(Severity)}
        out: dict[int, Severity] = {}
        for f in self.findings:
            if f.line not in out or rank[f.severity] < rank[out[f.line]]:
                out[f.line] = f.severity
        return out


def build_health(findings: Sequence[Finding]) -> Health:
    """Findings grouped by rule as `ledger check --statistics` counts them."""
    from ..checks import statistics

    rules = tuple(
        RuleCount(row["code"], row["name"], Severity(row["severity"]), row["count"])
        for row in statistics(findings)
    )
    return Health(tuple(findings), rules)


# --- the whole report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """Everything the page shows: the ledger's header facts, the four parts, and its lines."""

    title: str
    source: str
    last_updated: str | None
    board: Board
    graph: GraphPart
    dwell: DwellPart | DwellAbsent
    health: Health
    lines: list[str]


def build_report(
    ledger: Ledger,
    *,
    source: str,
    findings: Sequence[Finding],
    dwell: DwellPart | DwellAbsent,
) -> Report:
    """The report of `ledger` (read from `source`), given `ledger check`'s findings on it and
    the dwell part (`report.charts.dwell_part`, or why there is none)."""
    from .charts import DwellPart

    deps = DependencyGraph.of(ledger)
    graph = build_graph_part(ledger, deps)
    table = dwell.latest if isinstance(dwell, DwellPart) else None
    return Report(
        title=display(ledger.header.title or "Fix plan ledger").lstrip("# ").strip(),
        source=source,
        last_updated=ledger.header.last_updated,
        board=build_board(ledger, deps, graph.cycles, table),
        graph=graph,
        dwell=dwell,
        health=build_health(findings),
        lines=ledger.document.contents,
    )
