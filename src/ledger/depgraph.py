"""The one dependency graph of a ledger: typed edges, unmet dependencies and named cycles.

`ledger check` (LDG302), `ledger graph`, `ledger next` and `ledger brief` all read this graph,
built once per ledger, so they cannot disagree about what depends on what or which cycles exist.

Nodes are the focus IDs in document order (one node per ID, whatever the number of sections
that carry it), then the IDs named by `Depends on` that are not focus items ("external"). Edges
are typed (`EdgeKind`) and taken from every section of an ID, so a duplicate section's edges are
not hidden:

- `depends_on`: the section's `Depends on` names the target;
- `waits_on`: an open return condition (not marked met with ✅, ☑, `[x]` or struck through)
  names the target, a focus of this ledger that is not closed.

An edge is *open* while its target is a focus of this ledger that is not closed: that is what
keeps its source from being ready. Dependencies on IDs that are not focus items cannot be
checked and are never open.

Cycles (decision 0080) are named one per strongly connected component, deterministically: from
the component's first node in document order, the shortest way back (breadth-first, neighbours
in document order). A *blocking* cycle runs over open edges only, so every member is unfinished
and none can become ready; `cycles()` names those first, then one cycle for every component of
all edges that holds no blocking cycle (a cycle through closed items, kept in the record). So
the blocking cycles `ledger next` names are always among the cycles `ledger check` and
`ledger graph` report.

Everything is iterative (no recursion limit on long chains) and linear in the size of the graph;
IDs in return conditions are found with the ledger's one `IdMatcher`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .model import Field, FocusItem, Ledger, Status
from .parse.fields import return_conditions
from .vocab import _Word

# Marks that say a return condition has been met: a leading check mark, a ticked box, or the
# whole condition struck through. Anything else is open.
_MET_RC = re.compile(r"^\s*(?:✅|☑|\[x\]|~~.*~~\s*$)", re.IGNORECASE)

EXTERNAL = "external"


class EdgeKind(_Word):
    """Why one node points at another."""

    depends_on = "depends_on"
    waits_on = "waits_on"


ALL_KINDS = frozenset(EdgeKind)


class Edge(NamedTuple):
    """`source` points at `target` for `kind`, written at `line` (1-based); `open` while the
    target is a focus of this ledger that is not closed."""

    source: str
    target: str
    kind: EdgeKind
    line: int
    open: bool


class Node(NamedTuple):
    """A focus ID (its first section's status and title) or an external ID (`status` None)."""

    id: str
    status: Status | None
    title: str = ""
    line: int = 0

    @property
    def external(self) -> bool:
        return self.status is None

    @property
    def is_open(self) -> bool:
        """A focus item that is not closed (an external ID is neither open nor closed)."""
        return self.status is not None and self.status.is_open

    @property
    def label(self) -> str:
        """The status word a rendering shows (`external` for IDs that are not focus items)."""
        return EXTERNAL if self.status is None else self.status.value


class Cycle(NamedTuple):
    """A named cycle: its members from the first in document order, and the edge of each step
    (`edges[k]` goes from `ids[k]` to `ids[k + 1]`, the last one back to `ids[0]`)."""

    ids: tuple[str, ...]
    edges: tuple[Edge, ...]

    @property
    def name(self) -> str:
        """`A → B → A`."""
        return cycle_name(self.ids)

    @property
    def blocking(self) -> bool:
        """Every step is open: no member can become ready until the cycle is broken."""
        return all(e.open for e in self.edges)

    @property
    def kinds(self) -> frozenset[EdgeKind]:
        return frozenset(e.kind for e in self.edges)

    def rotated(self, start: str) -> tuple[str, ...]:
        """The members read from `start`'s point of view."""
        k = self.ids.index(start)
        return self.ids[k:] + self.ids[:k]

    def as_dict(self) -> dict:
        return {"ids": list(self.ids), "name": self.name}


def cycle_name(ids: Sequence[str]) -> str:
    """`A → B → A`: a cycle named by walking it back to its start."""
    return " → ".join([*ids, ids[0]]) if ids else ""


def is_met(condition: str) -> bool:
    """A return condition marked as met (✅, `[x]`, or struck through)."""
    return bool(_MET_RC.match(condition))


@dataclass
class DependencyGraph:
    """Nodes and typed edges of one ledger, with the queries every command asks of them."""

    nodes: dict[str, Node]
    edges: list[Edge]
    _out: dict[str, list[Edge]] = field(default_factory=dict, repr=False)
    _in: dict[str, list[Edge]] = field(default_factory=dict, repr=False)
    _cycles: dict[tuple, list[Cycle]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for e in self.edges:
            self._out.setdefault(e.source, []).append(e)
            self._in.setdefault(e.target, []).append(e)

    @classmethod
    def of(cls, ledger: Ledger) -> DependencyGraph:
        """Build the graph of `ledger` (one pass over its focus items)."""
        return _build(ledger)

    def edges_from(
        self, node: str, kinds: Iterable[EdgeKind] = ALL_KINDS, *, open_only: bool = False
    ) -> list[Edge]:
        """The edges out of `node` of the given kinds, in document order."""
        wanted = frozenset(kinds)
        return [
            e for e in self._out.get(node, ()) if e.kind in wanted and (e.open or not open_only)
        ]

    def edges_to(self, node: str, kinds: Iterable[EdgeKind] = ALL_KINDS) -> list[Edge]:
        """The edges into `node` of the given kinds, in document order."""
        wanted = frozenset(kinds)
        return [e for e in self._in.get(node, ()) if e.kind in wanted]

    def unmet(self, node: str) -> list[Edge]:
        """Dependencies of `node` on focus items that are not closed."""
        return self.edges_from(node, (EdgeKind.depends_on,), open_only=True)

    def waits(self, node: str) -> list[Edge]:
        """Unfinished focus items the open return conditions of `node` wait on."""
        return self.edges_from(node, (EdgeKind.waits_on,))

    def dependents(self, node: str) -> list[str]:
        """IDs whose `Depends on` names `node`, in document order."""
        return list(dict.fromkeys(e.source for e in self.edges_to(node, (EdgeKind.depends_on,))))

    def cycles(
        self, kinds: Iterable[EdgeKind] = ALL_KINDS, *, blocking: bool = False
    ) -> list[Cycle]:
        """Named cycles over edges of `kinds`: the blocking ones, then (unless `blocking`) one
        for each remaining component, ordered by their first member in document order."""
        key = (frozenset(kinds), blocking)
        if key not in self._cycles:
            self._cycles[key] = self._find_cycles(key[0], blocking)
        return self._cycles[key]

    def _find_cycles(self, kinds: frozenset[EdgeKind], blocking: bool) -> list[Cycle]:
        order = list(self.nodes)
        position = {n: i for i, n in enumerate(order)}
        found = self._named(self._adjacency(kinds, open_only=True), order, position)
        if not blocking:
            covered = {n for c in found for n in c.ids}
            full = self._adjacency(kinds, open_only=False)
            for component in _strongly_connected(full, order):
                if len(component) > 1 and covered.isdisjoint(component):
                    found.append(self._name(full, component, position))
            found.sort(key=lambda c: position[c.ids[0]])
        return found

    def _adjacency(self, kinds: frozenset[EdgeKind], open_only: bool) -> dict[str, dict[str, Edge]]:
        """`{source: {target: first edge}}` over the chosen edges (targets in document order)."""
        out: dict[str, dict[str, Edge]] = {}
        for e in self.edges:
            if e.kind in kinds and (e.open or not open_only):
                out.setdefault(e.source, {}).setdefault(e.target, e)
        return out

    def _named(
        self, graph: Mapping[str, Mapping[str, Edge]], order: list[str], position: dict[str, int]
    ) -> list[Cycle]:
        return [
            self._name(graph, component, position)
            for component in _strongly_connected(graph, order)
            if len(component) > 1
        ]

    @staticmethod
    def _name(
        graph: Mapping[str, Mapping[str, Edge]], component: list[str], position: dict[str, int]
    ) -> Cycle:
        start = min(component, key=position.__getitem__)
        path = _shortest_cycle(graph, start, set(component), position)
        steps = tuple(graph[a][b] for a, b in zip(path, [*path[1:], path[0]]))
        return Cycle(tuple(path), steps)


# --- building --------------------------------------------------------------------------------


def _build(ledger: Ledger) -> DependencyGraph:
    nodes: dict[str, Node] = {}
    for focus_id in ledger.ids:
        first = ledger.get(focus_id)
        assert first is not None
        nodes[focus_id] = Node(focus_id, first.status, " ".join(first.title.split()), first.line)
    matcher = ledger.id_matcher
    contents = ledger.document.contents
    edges: dict[tuple[str, str, EdgeKind], Edge] = {}

    def add(source: str, target: str, kind: EdgeKind, line: int) -> None:
        node = nodes.get(target)
        is_open = node is not None and node.is_open
        edges.setdefault((source, target, kind), Edge(source, target, kind, line, is_open))

    for item in ledger.focus_items:
        depends = item.field("depends on", "depends")
        for dep in item.depends_on:  # the parser never lists the item itself
            if dep not in nodes:
                nodes[dep] = Node(dep, None)
            add(item.id, dep, EdgeKind.depends_on, depends.line if depends else item.line)
        for f, condition in _open_conditions(item):
            for ref in matcher.find(condition):
                target = nodes.get(ref)
                if ref == item.id or target is None or target.external:
                    continue
                if not target.is_open:  # a finished focus no longer holds anyone back
                    continue
                add(item.id, ref, EdgeKind.waits_on, _line_naming(contents, f, ref))
    # External IDs come after every focus ID, so cycles and renderings start from focus items.
    ordered = {k: v for k, v in nodes.items() if not v.external}
    ordered.update((k, v) for k, v in nodes.items() if v.external)
    return DependencyGraph(ordered, list(edges.values()))


def _open_conditions(item: FocusItem) -> Iterable[tuple[Field, str]]:
    """Every open return condition of the item with the field it is written in."""
    for f in item.fields:
        if f.key.startswith("return condition"):
            for condition in return_conditions([f]):
                if not is_met(condition):
                    yield f, condition


def _line_naming(contents: list[str], f: Field, ref: str) -> int:
    """The line of field `f` that names `ref` (the field's first line when none does)."""
    for n in range(f.line, f.end_line + 1):
        if ref in contents[n - 1]:
            return n
    return f.line


# --- algorithms --------------------------------------------------------------------------------


def _strongly_connected(
    graph: Mapping[str, Mapping[str, Edge]], order: Sequence[str]
) -> list[list[str]]:
    """Tarjan's algorithm, iterative (ledgers can be long chains; no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in order:
        if root in index:
            continue
        work = [(root, iter(graph.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, ()))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(component)
    return out


def _shortest_cycle(
    graph: Mapping[str, Mapping[str, Edge]], start: str, allowed: set[str], position: dict[str, int]
) -> list[str]:
    """Breadth-first from `start` back to itself inside one component."""
    previous: dict[str, str] = {}
    frontier = [start]
    seen = {start}
    while frontier:
        nxt = []
        for node in frontier:
            for child in graph.get(node, ()):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return list(reversed(path))
                if child in allowed and child not in seen:
                    seen.add(child)
                    previous[child] = node
                    nxt.append(child)
        frontier = sorted(nxt, key=lambda n: position.get(n, len(position)))
    return []
