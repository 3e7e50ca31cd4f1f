"""The dependency graph of a ledger drawn: as mermaid (renders on GitHub), DOT (graphviz), or a
tree.

The graph itself is `ledger.depgraph` (the one `ledger check` and `ledger next` read). Nodes are
focus IDs (one per distinct ID, coloured by the status of its first section) plus the IDs named
by `Depends on` that are not focus items (drawn as "external"). Edges:

- `A --> B`: A depends on B (from every section carrying A's ID, so a duplicate section's
  dependencies are not hidden);
- `A -.-> B`: an open return condition of A waits on B (drawn only when A does not also depend
  on B).

The cycles are the graph's (decision 0080): every cycle `ledger check` reports, drawn in red and
named in a legend; with `active`, the blocking cycles `ledger next` names. Everything here
returns strings or plain data; the CLI prints them (and turns the tree into a rich Tree). Titles
read as they were meant to (mojibake repaired, `ledger.encoding.display`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .depgraph import Cycle, DependencyGraph, EdgeKind
from .encoding import display
from .model import Ledger

# What a mermaid node name may not contain.
_NOT_NAME = re.compile(r"[^A-Za-z0-9_]")

# Fill / text colours by status (also used for the DOT output), chosen to read on white.
STATUS_COLOURS = {
    "pending": ("#f5f5f5", "#333333"),
    "planning": ("#e0f7fa", "#006064"),
    "in_progress": ("#bbdefb", "#0d47a1"),
    "ready_for_implementation": ("#b2ebf2", "#004d40"),
    "blocked": ("#ffcdd2", "#b71c1c"),
    "blocked_escalation": ("#d32f2f", "#ffffff"),
    "paused": ("#fff9c4", "#795548"),
    "deferred": ("#fff3e0", "#8d6e63"),
    "done": ("#c8e6c9", "#1b5e20"),
    "archived": ("#e8f5e9", "#558b2f"),
    "superseded": ("#eeeeee", "#9e9e9e"),
    "unknown": ("#f3e5f5", "#6a1b9a"),
    "external": ("#ffffff", "#757575"),
}

CYCLE_COLOUR = "#d50000"


@dataclass(frozen=True)
class Edge:
    """One drawn edge: `source` points at `target` for `kind`, red when it is a cycle step."""

    source: str
    target: str
    kind: EdgeKind
    in_cycle: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "kind": self.kind.value,
            "in_cycle": self.in_cycle,
        }


@dataclass
class Graph:
    """Nodes (id -> status word), edges, and the named cycles."""

    nodes: dict[str, str]
    titles: dict[str, str]
    edges: list[Edge]
    cycles: list[Cycle] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "nodes": [
                {"id": n, "status": s, "title": self.titles.get(n, "")}
                for n, s in self.nodes.items()
            ],
            "edges": [e.as_dict() for e in self.edges],
            "cycles": [c.as_dict() for c in self.cycles],
        }


def build_graph(
    ledger: Ledger, active: bool = False, graph: DependencyGraph | None = None
) -> Graph:
    """Nodes and edges of the ledger; `active` keeps open items and what they point at."""
    deps = graph or DependencyGraph.of(ledger)
    nodes = {n.id: n.label for n in deps.nodes.values()}
    titles = {n.id: display(n.title) for n in deps.nodes.values() if not n.external}
    depends = {(e.source, e.target) for e in deps.edges if e.kind is EdgeKind.depends_on}
    # One arrow per pair: a return condition naming a dependency adds nothing to the picture.
    pairs = [
        e
        for e in deps.edges
        if e.kind is EdgeKind.depends_on or (e.source, e.target) not in depends
    ]
    if active:
        # Open items, and what they point at (so a reader sees why each is waiting).
        open_ids = {n.id for n in deps.nodes.values() if n.is_open}
        pairs = [e for e in pairs if e.source in open_ids]
        keep = open_ids | {e.target for e in pairs}
        nodes = {n: s for n, s in nodes.items() if n in keep}
    cycles = deps.cycles(blocking=active)
    cycle_edges = {(e.source, e.target) for c in cycles for e in c.edges}
    edges = [Edge(e.source, e.target, e.kind, (e.source, e.target) in cycle_edges) for e in pairs]
    return Graph(nodes, titles, edges, cycles)


# --- mermaid ------------------------------------------------------------------------------------


def node_id(focus_id: str, taken: dict[str, str]) -> str:
    """A mermaid-safe node name for `focus_id`, unique within `taken` (id -> name)."""
    if focus_id in taken:
        return taken[focus_id]
    base = "n_" + _NOT_NAME.sub("_", focus_id)
    name, k = base, 2
    used = set(taken.values())
    while name in used:
        name, k = f"{base}_{k}", k + 1
    taken[focus_id] = name
    return name


def _mermaid_text(text: str) -> str:
    """Text safe inside a quoted mermaid label."""
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def to_mermaid(graph: Graph) -> str:
    """A `flowchart LR` GitHub renders; cycles in red and listed in a legend."""
    names: dict[str, str] = {}
    out = ["flowchart LR"]
    out.append("  %% A --> B: A depends on B.  A -.-> B: an open return condition of A waits on B.")
    for i, cyc in enumerate(graph.cycles, 1):
        out.append(f"  %% cycle {i}: {cyc.name}")
    for focus_id, status in graph.nodes.items():
        label = _mermaid_text(focus_id) + "<br/>" + status
        name = node_id(focus_id, names)
        out.append(f'  {name}["{label}"]:::{status}')
    red = []
    for k, e in enumerate(graph.edges):
        arrow = "-->" if e.kind is EdgeKind.depends_on else "-.->"
        out.append(f"  {names[e.source]} {arrow} {names[e.target]}")
        if e.in_cycle:
            red.append(str(k))
    if graph.cycles:
        out.append("  subgraph legend [Cycles]")
        for i, cyc in enumerate(graph.cycles, 1):
            out.append(f'    cycle_{i}["cycle {i}: {_mermaid_text(cyc.name)}"]:::cycle')
        out.append("  end")
    used = sorted(set(graph.nodes.values()), key=list(STATUS_COLOURS).index)
    for status in used:
        fill, text = STATUS_COLOURS[status]
        extra = ",stroke-dasharray:4 3" if status == "external" else ""
        stroke = fill if text == "#ffffff" else text
        out.append(f"  classDef {status} fill:{fill},color:{text},stroke:{stroke}{extra}")
    if graph.cycles:
        out.append(f"  classDef cycle fill:#ffffff,color:{CYCLE_COLOUR},stroke:{CYCLE_COLOUR}")
    if red:
        out.append(f"  linkStyle {','.join(red)} stroke:{CYCLE_COLOUR},stroke-width:2px")
    return "\n".join(out) + "\n"


# --- DOT ----------------------------------------------------------------------------------------


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(graph: Graph) -> str:
    """A graphviz digraph; cycle edges red and bold, cycles named in the graph label."""
    out = ["digraph ledger {", "  rankdir=LR;"]
    out.append('  node [shape=box, style="rounded,filled", fontname="Helvetica"];')
    for i, cyc in enumerate(graph.cycles, 1):
        out.append(f"  // cycle {i}: {cyc.name}")
    if graph.cycles:
        legend = "\\l".join(f"cycle {i}: {c.name}" for i, c in enumerate(graph.cycles, 1))
        out.append(f'  label="{legend}\\l"; labelloc=b; labeljust=l; fontcolor="{CYCLE_COLOUR}";')
    for focus_id, status in graph.nodes.items():
        fill, text = STATUS_COLOURS[status]
        style = ', style="rounded,dashed"' if status == "external" else ""
        label = _dot_quote(f"{focus_id}\n{status}").replace("\n", "\\n")
        out.append(
            f"  {_dot_quote(focus_id)} "
            f'[label={label}, fillcolor="{fill}", fontcolor="{text}"{style}];'
        )
    for e in graph.edges:
        attrs = []
        if e.kind is EdgeKind.waits_on:
            attrs += ["style=dashed", 'label="waits on"']
        if e.in_cycle:
            attrs += [f'color="{CYCLE_COLOUR}"', "penwidth=2"]
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        out.append(f"  {_dot_quote(e.source)} -> {_dot_quote(e.target)}{suffix};")
    out.append("}")
    return "\n".join(out) + "\n"


# --- tree ---------------------------------------------------------------------------------------


def to_tree(graph: Graph) -> list[dict[str, Any]]:
    """Roots (items nothing depends on) with their dependencies as children, recursively.

    A node already shown elsewhere is not expanded again (`seen`), and an edge that closes a
    cycle is marked (`cycle`), so the tree is finite and small on any ledger.
    """
    children: dict[str, list[Edge]] = {}
    has_parent: set[str] = set()
    for e in graph.edges:
        children.setdefault(e.source, []).append(e)
        has_parent.add(e.target)
    roots = [n for n in graph.nodes if n not in has_parent]
    # Nodes only reachable through a cycle have no root; start from their first node.
    expanded: set[str] = set()

    def visit(node: str, kind: EdgeKind | None, path: tuple[str, ...]) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": node,
            "status": graph.nodes.get(node, "external"),
            "title": graph.titles.get(node, ""),
            "edge": kind,
            "cycle": node in path,
            "seen": False,
            "children": [],
        }
        if entry["cycle"]:
            return entry
        if node in expanded:
            entry["seen"] = bool(children.get(node))
            return entry
        expanded.add(node)
        entry["children"] = [visit(e.target, e.kind, (*path, node)) for e in children.get(node, [])]
        return entry

    tree = [visit(r, None, ()) for r in roots]
    for node in graph.nodes:
        if node not in expanded:
            tree.append(visit(node, None, ()))
    return tree
