"""A layered drawing of a directed graph: longest-path layers, barycentre order, coordinates.

The simplest useful form of the Sugiyama method, for the few dozen nodes a ledger has:

1. cycles are broken by turning round the edges a depth-first walk (in node order) finds
   pointing back at a node still on its stack; those edges are drawn backwards, not dropped;
2. each node's layer is the longest path to it from a node nothing points at;
3. an edge spanning several layers gets a dummy point in each layer it crosses, so it is routed
   between the nodes of those layers instead of through them;
4. within each layer the order is refined by a few barycentre sweeps (down, then up), ties kept
   in node order, so the result is deterministic;
5. a layer is a column (all its boxes share one x range, columns never overlap) and its boxes
   are stacked with a gap (boxes in one column never overlap); nodes without any edge are laid
   out in a grid under the layered part.

Everything is geometry: the caller gives the box widths and draws the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Box:
    """The rectangle of one node: top-left corner, width and height, and its layer (-1: grid)."""

    id: str
    x: float
    y: float
    width: float
    height: float
    layer: int

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def overlaps(self, other: Box) -> bool:
        """Whether the two rectangles share any interior point."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )


@dataclass(frozen=True, slots=True)
class Route:
    """The way an edge is drawn: from its source box to its target box through `points`
    (`backwards`: the edge closes a cycle and runs against the layers)."""

    source: str
    target: str
    points: tuple[Point, ...]
    backwards: bool


@dataclass(frozen=True)
class Layout:
    """Boxes (in the order the nodes were given), routes (in edge order) and the drawing's size;
    `grid_top` is where the grid of nodes without edges starts (None: there are none)."""

    boxes: dict[str, Box]
    routes: list[Route]
    width: float
    height: float
    layers: int
    grid_top: float | None = None


@dataclass(frozen=True)
class Spacing:
    """Sizes of the drawing, in SVG user units."""

    node_height: float = 34.0
    dummy_height: float = 10.0
    layer_gap: float = 56.0
    row_gap: float = 14.0
    margin: float = 8.0
    grid_gap: float = 36.0
    sweeps: int = 4


def layered_layout(
    nodes: Sequence[str],
    edges: Sequence[tuple[str, str]],
    widths: Mapping[str, float],
    spacing: Spacing | None = None,
) -> Layout:
    """Lay out `nodes` (in this order) and the `edges` between them (others are ignored)."""
    sp = spacing or Spacing()
    known = set(nodes)
    pairs = list(dict.fromkeys((a, b) for a, b in edges if a in known and b in known and a != b))
    linked = {n for pair in pairs for n in pair}
    layered = [n for n in nodes if n in linked]
    backwards = _back_edges(layered, pairs)
    forward = [(b, a) if (a, b) in backwards else (a, b) for a, b in pairs]
    layer = _longest_path_layers(layered, forward)
    columns, chains = _with_dummies(layered, forward, layer)
    _order(columns, chains, sp.sweeps)
    boxes, points, width, height = _place(columns, widths, sp)
    routes = []
    for (a, b), (fa, fb) in zip(pairs, forward):
        path = [points[p] for p in chains[(fa, fb)]]
        start, end = boxes[fa], boxes[fb]
        is_back = (a, b) in backwards
        # an edge drawn backwards leaves and enters lower, apart from one drawn forwards
        level = 0.75 if is_back else 0.5
        line = [(start.right, start.y + start.height * level), *path]
        line.append((end.x, end.y + end.height * level))
        routes.append(Route(a, b, tuple(reversed(line)) if is_back else tuple(line), is_back))
    loose = [n for n in nodes if n not in linked]
    grid_top = None
    if loose:
        grid_top = height + (sp.grid_gap if layered else 0.0)
        width, height = _grid(loose, widths, sp, boxes, grid_top, width)
    ordered = {n: boxes[n] for n in nodes}
    return Layout(ordered, routes, width, height, len(columns), grid_top)


def _back_edges(nodes: list[str], pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Edges a depth-first walk (roots and children in node order) finds pointing at a node on
    its stack: turning them round leaves a graph without cycles. Iterative (no recursion limit)."""
    out: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in pairs:
        out[a].append(b)
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    back: set[tuple[str, str]] = set()
    for root in nodes:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(out[root]))]
        while stack:
            node, children = stack[-1]
            for child in children:
                seen = state.get(child)
                if seen == 1:
                    back.add((node, child))
                elif seen is None:
                    state[child] = 1
                    stack.append((child, iter(out[child])))
                    break
            else:
                state[node] = 2
                stack.pop()
    return back


def _longest_path_layers(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Layer 0 for nodes nothing points at; else one more than the deepest node pointing at it."""
    incoming = dict.fromkeys(nodes, 0)
    out: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in edges:
        out[a].append(b)
        incoming[b] += 1
    layer = dict.fromkeys(nodes, 0)
    ready = [n for n in nodes if incoming[n] == 0]
    while ready:
        node = ready.pop()
        for child in out[node]:
            layer[child] = max(layer[child], layer[node] + 1)
            incoming[child] -= 1
            if incoming[child] == 0:
                ready.append(child)
    return layer


def _with_dummies(
    nodes: list[str], edges: list[tuple[str, str]], layer: dict[str, int]
) -> tuple[list[list[str]], dict[tuple[str, str], list[str]]]:
    """The columns (real nodes in node order, then dummies) and, per edge, its dummy points."""
    depth = max(layer.values(), default=-1) + 1
    columns: list[list[str]] = [[] for _ in range(depth)]
    for n in nodes:
        columns[layer[n]].append(n)
    chains: dict[tuple[str, str], list[str]] = {}
    for k, (a, b) in enumerate(dict.fromkeys(edges)):
        chain = []
        for step in range(layer[a] + 1, layer[b]):
            dummy = f"\0{k}.{step}"  # never a focus ID: IDs have no NUL
            columns[step].append(dummy)
            chain.append(dummy)
        chains[(a, b)] = chain
    return columns, chains


def _order(columns: list[list[str]], chains: dict[tuple[str, str], list[str]], sweeps: int) -> None:
    """Barycentre sweeps: each column sorted by the mean position of its neighbours in the
    column before (going down) or after (going up); nodes without neighbours keep their place."""
    before: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {}
    for (a, b), chain in chains.items():
        path = [a, *chain, b]
        for u, v in pairwise(path):
            after.setdefault(u, []).append(v)
            before.setdefault(v, []).append(u)
    for _ in range(sweeps):
        for k in range(1, len(columns)):
            _sort_by_barycentre(columns[k], columns[k - 1], before)
        for k in range(len(columns) - 2, -1, -1):
            _sort_by_barycentre(columns[k], columns[k + 1], after)


def _sort_by_barycentre(
    column: list[str], fixed: list[str], neighbours: dict[str, list[str]]
) -> None:
    position = {n: i for i, n in enumerate(fixed)}
    scale = len(fixed) / max(len(column), 1)

    def key(item: tuple[int, str]) -> tuple[float, int]:
        i, node = item
        near = [position[m] for m in neighbours.get(node, ()) if m in position]
        return (sum(near) / len(near) if near else i * scale, i)

    column[:] = [node for _, node in sorted(enumerate(column), key=key)]


def _place(
    columns: list[list[str]], widths: Mapping[str, float], sp: Spacing
) -> tuple[dict[str, Box], dict[str, Point], float, float]:
    """Boxes of the real nodes, centre points of the dummies, and the drawing's size."""

    def height(n: str) -> float:
        return sp.dummy_height if n.startswith("\0") else sp.node_height

    def width(n: str) -> float:
        return 0.0 if n.startswith("\0") else widths[n]

    totals = [sum(height(n) for n in col) + sp.row_gap * (len(col) - 1) for col in columns]
    tallest = max(totals, default=0.0)
    boxes: dict[str, Box] = {}
    points: dict[str, Point] = {}
    x = sp.margin
    for k, col in enumerate(columns):
        col_width = max((width(n) for n in col), default=0.0)
        y = sp.margin + (tallest - totals[k]) / 2
        for n in col:
            if n.startswith("\0"):
                points[n] = (x + col_width / 2, y + height(n) / 2)
            else:
                left = x + (col_width - width(n)) / 2
                boxes[n] = Box(n, left, y, width(n), sp.node_height, k)
            y += height(n) + sp.row_gap
        x += col_width + sp.layer_gap
    drawn_width = x - sp.layer_gap + sp.margin if columns else 0.0
    drawn_height = tallest + 2 * sp.margin if columns else 0.0
    return boxes, points, drawn_width, drawn_height


def _grid(
    loose: list[str],
    widths: Mapping[str, float],
    sp: Spacing,
    boxes: dict[str, Box],
    top: float,
    width: float,
) -> tuple[float, float]:
    """Nodes without edges in rows under the layered part; returns the new width and height."""
    cell = max(widths[n] for n in loose) + sp.row_gap
    per_row = max(int((width - 2 * sp.margin + sp.row_gap) // cell), min(len(loose), 4), 1)
    for i, n in enumerate(loose):
        row, col = divmod(i, per_row)
        x = sp.margin + col * cell + (cell - sp.row_gap - widths[n]) / 2
        y = top + sp.margin + row * (sp.node_height + sp.row_gap)
        boxes[n] = Box(n, x, y, widths[n], sp.node_height, -1)
    rows = (len(loose) + per_row - 1) // per_row
    height = top + 2 * sp.margin + rows * (sp.node_height + sp.row_gap) - sp.row_gap
    return max(width, 2 * sp.margin + per_row * cell - sp.row_gap), height
