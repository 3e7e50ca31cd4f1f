"""The layered layout of `ledger report`'s graph: layers, no overlaps, routes between boxes."""

from __future__ import annotations

import itertools
import random

import pytest
from conftest import corpus_files, read_corpus

from ledger import loads
from ledger.depgraph import DependencyGraph
from ledger.graph import build_graph
from ledger.report.data import build_graph_part
from ledger.report.layout import layered_layout

WIDTH = 100.0


def layout(nodes, edges):
    return layered_layout(nodes, edges, dict.fromkeys(nodes, WIDTH))


def assert_no_overlap(lay) -> None:
    for a, b in itertools.combinations(lay.boxes.values(), 2):
        assert not a.overlaps(b), (a, b)


def assert_inside(lay) -> None:
    for box in lay.boxes.values():
        assert box.x >= 0 and box.y >= 0
        assert box.right <= lay.width and box.bottom <= lay.height


def test_a_chain_takes_one_layer_per_step():
    lay = layout(["A", "B", "C"], [("A", "B"), ("B", "C")])
    assert [lay.boxes[n].layer for n in "ABC"] == [0, 1, 2]
    assert lay.boxes["A"].right < lay.boxes["B"].x < lay.boxes["B"].right < lay.boxes["C"].x
    assert lay.layers == 3 and lay.grid_top is None


def test_a_node_sits_one_layer_after_its_deepest_source():
    # A -> B -> C and A -> C: C goes after B, and the long edge A -> C is routed past B
    lay = layout(["A", "B", "C"], [("A", "B"), ("B", "C"), ("A", "C")])
    assert lay.boxes["C"].layer == 2
    long = next(r for r in lay.routes if (r.source, r.target) == ("A", "C"))
    assert len(long.points) == 3  # start, one point in B's layer, end
    x, y = long.points[1]
    b = lay.boxes["B"]
    assert b.x <= x <= b.right and not (b.y <= y <= b.bottom)


def test_a_cycle_is_drawn_with_one_edge_backwards():
    lay = layout(["A", "B"], [("A", "B"), ("B", "A")])
    assert [lay.boxes[n].layer for n in "AB"] == [0, 1]
    by_pair = {(r.source, r.target): r for r in lay.routes}
    assert not by_pair[("A", "B")].backwards and by_pair[("B", "A")].backwards
    back = by_pair[("B", "A")]
    assert back.points[0][0] == lay.boxes["B"].x  # leaves B on its left
    assert back.points[-1][0] == lay.boxes["A"].right  # enters A on its right


def test_routes_start_and_end_on_their_boxes():
    nodes = ["A", "B", "C", "D"]
    edges = [("A", "B"), ("A", "C"), ("C", "D"), ("B", "D")]
    lay = layout(nodes, edges)
    assert [(r.source, r.target) for r in lay.routes] == edges
    for r in lay.routes:
        (x0, y0), (x1, y1) = r.points[0], r.points[-1]
        src, dst = lay.boxes[r.source], lay.boxes[r.target]
        assert x0 == src.right and src.y < y0 < src.bottom
        assert x1 == dst.x and dst.y < y1 < dst.bottom


def test_nodes_without_edges_go_to_a_grid_below():
    lay = layout(["A", "B", "L1", "L2", "L3"], [("A", "B")])
    assert lay.grid_top is not None
    for name in ("L1", "L2", "L3"):
        box = lay.boxes[name]
        assert box.layer == -1 and box.y >= lay.grid_top
    assert all(lay.boxes[n].bottom <= lay.grid_top for n in "AB")
    assert list(lay.boxes) == ["A", "B", "L1", "L2", "L3"]  # in the order given
    assert_no_overlap(lay)


def test_edges_to_unknown_nodes_and_self_loops_are_ignored():
    lay = layout(["A", "B"], [("A", "A"), ("A", "X"), ("A", "B"), ("A", "B")])
    assert [(r.source, r.target) for r in lay.routes] == [("A", "B")]


def test_an_empty_graph_has_no_boxes():
    lay = layout([], [])
    assert lay.boxes == {} and lay.routes == [] and lay.width == 0


@pytest.mark.parametrize("seed", range(12))
def test_random_graphs_never_overlap(seed):
    rng = random.Random(seed)
    nodes = [f"N{i}" for i in range(rng.randint(2, 40))]
    edges = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(rng.randint(0, 60))]
    widths = {n: rng.uniform(60, 260) for n in nodes}
    lay = layered_layout(nodes, edges, widths)
    assert set(lay.boxes) == set(nodes)
    assert_no_overlap(lay)
    assert_inside(lay)
    for box in lay.boxes.values():
        assert box.width == widths[box.id]
    # each distinct edge (no self loop) has one route
    assert len(lay.routes) == len({(a, b) for a, b in edges if a != b})


def test_the_layout_is_deterministic():
    nodes = [f"N{i}" for i in range(20)]
    rng = random.Random(3)
    edges = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(30)]
    assert layout(nodes, edges) == layout(nodes, edges)


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_corpus_graph_is_laid_out_without_overlaps(path):
    ledger = loads(read_corpus(path))
    part = build_graph_part(ledger, DependencyGraph.of(ledger))
    assert list(part.layout.boxes) == list(build_graph(ledger).nodes)
    assert_no_overlap(part.layout)
    assert_inside(part.layout)
