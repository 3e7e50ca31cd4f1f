"""Dependency-graph algorithms shared by `ledger check`, `ledger next` and `ledger graph`.

Graphs are mappings from a focus ID to the IDs it depends on. Everything is iterative, so long
dependency chains never hit Python's recursion limit, and deterministic: cycles are named from
the node that comes first in document order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def find_cycles(graph: Mapping[str, Sequence[str]], order: Sequence[str]) -> list[list[str]]:
    """One named cycle per strongly connected component of more than one node.

    Each cycle starts at the component's first node in `order` (document order) and follows
    the shortest path back to it, so the same ledger always names the same cycles.
    """
    position = {node: i for i, node in enumerate(order)}
    cycles = []
    for component in strongly_connected(graph, order):
        if len(component) < 2:
            continue
        start = min(component, key=lambda n: position.get(n, len(position)))
        path = shortest_cycle(graph, start, set(component), position)
        if path:
            cycles.append(path)
    cycles.sort(key=lambda c: position.get(c[0], len(position)))
    return cycles


def strongly_connected(
    graph: Mapping[str, Sequence[str]], order: Sequence[str]
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


def shortest_cycle(
    graph: Mapping[str, Sequence[str]], start: str, allowed: set[str], position: dict[str, int]
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
