"""`ledger graph`: mermaid, DOT and tree renderings of the dependency graph."""

from __future__ import annotations

import re

import pytest
from conftest import SEED, corpus_files, read_corpus
from golden import assert_golden

from ledger import loads
from ledger.depgraph import EdgeKind
from ledger.graph import build_graph, node_id, to_dot, to_mermaid, to_tree
from ledger.vocab import Status

SMALL = """\
# Plan

## [APP-001] App "shell" <v2>
- Depends on: LIB-001, FINDING-9-001
- Status: in_progress

## [LIB-001] Library
- Depends on: CORE-001
- Status: pending

## [CORE-001] Core
- Status: done

## [UI.KIT-2] Dotted ID
- Status: planning

## [OLD-001] Old work
- Depends on: LIB-001
- Status: archived

## [WAIT-001] Waiting
- Status: blocked
- Return Condition: resume when APP-001 ships
"""


def test_small_graph_nodes_edges_and_external_dependencies():
    g = build_graph(loads(SMALL))
    assert g.nodes == {
        "APP-001": "in_progress",
        "LIB-001": "pending",
        "CORE-001": "done",
        "UI.KIT-2": "planning",
        "OLD-001": "archived",
        "WAIT-001": "blocked",
        "FINDING-9-001": "external",
    }
    assert [(e.source, e.target, e.kind) for e in g.edges] == [
        ("APP-001", "LIB-001", EdgeKind.depends_on),
        ("APP-001", "FINDING-9-001", EdgeKind.depends_on),
        ("LIB-001", "CORE-001", EdgeKind.depends_on),
        ("OLD-001", "LIB-001", EdgeKind.depends_on),
        ("WAIT-001", "APP-001", EdgeKind.waits_on),
    ]
    assert g.cycles == []


def test_active_keeps_open_items_and_what_they_point_at():
    g = build_graph(loads(SMALL), active=True)
    assert "OLD-001" not in g.nodes  # archived, and nothing open points at it
    assert "CORE-001" in g.nodes  # done, but LIB-001 (open) depends on it
    assert all(e.source != "OLD-001" for e in g.edges)


def test_mermaid_node_ids_are_sanitized_and_unique():
    taken: dict[str, str] = {}
    a = node_id("CORE.X-1", taken)
    b = node_id("CORE-X-1", taken)
    assert re.fullmatch(r"[A-Za-z0-9_]+", a) and re.fullmatch(r"[A-Za-z0-9_]+", b)
    assert a != b and node_id("CORE.X-1", taken) == a


def test_mermaid_labels_escape_quotes_and_angle_brackets():
    text = loads('# P\n\n## [A"B<1>] t\n- Status: pending\n')
    out = to_mermaid(build_graph(text))
    assert "A#quot;B#lt;1#gt;" in out
    assert '"A"B' not in out


def test_seed_mermaid_names_and_colours_both_cycles():
    out = to_mermaid(build_graph(loads(read_corpus(SEED))))
    assert out.startswith("flowchart LR\n")
    assert (
        "%% cycle 2: FIX-PYTORCH-FORWARD-PARITY-001 → FIX-TF-C1D-SCALED-RERUN-001 → "
        "FIX-PYTORCH-FORWARD-PARITY-001" in out
    )
    assert "STUDY-SYNTH-FLY64-DOSE-OVERLAP-001 → FIX-COMPARE-MODELS-TRANSLATION-001" in out
    assert re.search(r"linkStyle [\d,]+ stroke:#d50000", out)
    assert "classDef blocked_escalation" in out and ":::blocked_escalation" in out
    # Every node referenced by an edge is declared.
    declared = set(re.findall(r"^\s+(n_\w+)\[", out, re.MULTILINE))
    used = set(re.findall(r"(n_\w+) -\.?->", out)) | set(re.findall(r"-\.?-> (n_\w+)", out))
    assert used <= declared


def test_linkstyle_indexes_point_at_the_cycle_edges():
    out = to_mermaid(build_graph(loads(read_corpus(SEED))))
    edges = [ln.strip() for ln in out.splitlines() if re.match(r"\s+n_\w+ -\.?-> n_\w+$", ln)]
    red = [int(i) for i in re.search(r"linkStyle ([\d,]+) ", out).group(1).split(",")]
    pairs = {tuple(re.findall(r"n_\w+", edges[i])) for i in red}
    assert ("n_FIX_TF_C1D_SCALED_RERUN_001", "n_FIX_PYTORCH_FORWARD_PARITY_001") in pairs
    assert ("n_FIX_PYTORCH_FORWARD_PARITY_001", "n_FIX_TF_C1D_SCALED_RERUN_001") in pairs
    assert len(red) == 4


def test_dot_quotes_ids_and_marks_cycle_edges():
    out = to_dot(build_graph(loads(read_corpus(SEED))))
    assert out.startswith("digraph ledger {")
    assert (
        '"FIX-TF-C1D-SCALED-RERUN-001" -> "FIX-PYTORCH-FORWARD-PARITY-001" [color="#d50000", penwidth=2];'
        in out
    )
    assert '[style=dashed, label="waits on", color="#d50000", penwidth=2]' in out


def test_tree_is_finite_and_marks_cycles_and_repeats():
    g = build_graph(loads(read_corpus(SEED)))
    tree = to_tree(g)

    def walk(nodes, depth=0):
        for n in nodes:
            yield n, depth
            yield from walk(n["children"], depth + 1)

    flat = list(walk(tree))
    assert any(n["cycle"] and n["id"] == "FIX-PYTORCH-FORWARD-PARITY-001" for n, _ in flat)
    expanded = [n["id"] for n, _ in flat if n["children"]]
    assert len(expanded) == len(set(expanded))  # no subtree printed twice
    assert {n["id"] for n, _ in flat} == set(g.nodes)


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_seed_graph_matches_golden(fmt):
    g = build_graph(loads(read_corpus(SEED)))
    assert_golden(f"graph/seed.{fmt}", to_mermaid(g) if fmt == "mermaid" else to_dot(g))


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_small_graph_matches_golden(fmt):
    g = build_graph(loads(SMALL))
    assert_golden(f"graph/small.{fmt}", to_mermaid(g) if fmt == "mermaid" else to_dot(g))


def test_seed_active_mermaid_matches_golden():
    assert_golden(
        "graph/seed-active.mermaid", to_mermaid(build_graph(loads(read_corpus(SEED)), active=True))
    )


def test_every_corpus_ledger_renders_in_every_format():
    for path in corpus_files():
        g = build_graph(loads(read_corpus(path)))
        assert to_mermaid(g).count("\n") >= len(g.nodes)
        assert to_dot(g).rstrip().endswith("}")
        to_tree(g)


@pytest.mark.parametrize("status", [s.value for s in Status])
def test_every_status_has_a_colour_and_renders(status):
    g = build_graph(loads(f"# P\n\n## [A-1] x\n- Status: {status}\n- Depends on: B-1\n"))
    assert g.nodes["A-1"] == status
    assert f":::{status}" in to_mermaid(g) and f"A-1\\n{status}" in to_dot(g)
