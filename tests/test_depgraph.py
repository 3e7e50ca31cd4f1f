"""`ledger.depgraph`: the one dependency graph, its typed edges and named cycles, and that
`check`, `graph` and `next` report the same cycles on every corpus ledger."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import SEED, corpus_files, read_corpus
from typer.testing import CliRunner

from ledger import loads
from ledger.cli._app import build_app
from ledger.depgraph import DependencyGraph, EdgeKind


def ledger_of(*sections: str) -> str:
    return "# Plan\n\n" + "\n".join(sections)


def section(focus_id: str, status: str = "pending", *extra: str) -> str:
    return "\n".join([f"## [{focus_id}] Title of {focus_id}", f"- Status: {status}", *extra, ""])


def graph_of(*sections: str) -> DependencyGraph:
    return DependencyGraph.of(loads(ledger_of(*sections)))


# --- edges -------------------------------------------------------------------------------------


def test_edges_are_typed_and_point_at_the_line_that_names_the_target():
    text = ledger_of(
        section("A-001", "pending", "- Depends on: B-001, FINDING-X-001"),
        section("B-001", "blocked", "- Return Conditions:", "  - first thing", "  - C-001 lands"),
        section("C-001", "in_progress"),
    )
    g = DependencyGraph.of(loads(text))
    lines = text.split("\n")
    assert [(e.source, e.target, e.kind, lines[e.line - 1]) for e in g.edges] == [
        ("A-001", "B-001", EdgeKind.depends_on, "- Depends on: B-001, FINDING-X-001"),
        ("A-001", "FINDING-X-001", EdgeKind.depends_on, "- Depends on: B-001, FINDING-X-001"),
        ("B-001", "C-001", EdgeKind.waits_on, "  - C-001 lands"),
    ]
    assert g.nodes["FINDING-X-001"].external and list(g.nodes)[-1] == "FINDING-X-001"


def test_unmet_dependencies_are_open_focus_items_only():
    g = graph_of(
        section("A-001", "pending", "- Depends on: B-001, C-001, FINDING-X-001"),
        section("B-001", "done"),
        section("C-001", "paused"),
    )
    assert [e.target for e in g.unmet("A-001")] == ["C-001"]
    assert g.dependents("B-001") == ["A-001"] and g.dependents("A-001") == []


def test_met_return_conditions_and_closed_targets_make_no_wait():
    g = graph_of(
        section(
            "A-001",
            "blocked",
            "- Return Conditions:",
            "  - ✅ B-001 delivered",
            "  - ~~C-001 lands~~",
            "  - D-001 is archived already",
            "  - E-001 ships",
            "  - A-001 exit criteria",
        ),
        section("B-001"),
        section("C-001"),
        section("D-001", "archived"),
        section("E-001", "planning"),
    )
    assert [(e.target, e.kind) for e in g.edges_from("A-001")] == [("E-001", EdgeKind.waits_on)]
    assert [e.target for e in g.waits("A-001")] == ["E-001"]


def test_every_section_of_a_duplicated_id_contributes_its_edges():
    g = graph_of(
        section("A-001", "pending", "- Depends on: B-001"),
        section("B-001"),
        section("A-001", "superseded", "- Depends on: C-001"),
        section("C-001"),
    )
    assert [e.target for e in g.edges_from("A-001")] == ["B-001", "C-001"]
    assert g.nodes["A-001"].status.value == "pending"  # the first section's status


# --- cycles ------------------------------------------------------------------------------------


def test_cycle_is_named_from_its_first_node_along_the_shortest_way_back():
    g = graph_of(
        section("A-001", "pending", "- Depends on: B-001"),
        section("B-001", "pending", "- Depends on: C-001, A-001"),
        section("C-001", "pending", "- Depends on: A-001"),
    )
    [cycle] = g.cycles()
    assert cycle.ids == ("A-001", "B-001") and cycle.name == "A-001 → B-001 → A-001"
    assert [(e.source, e.target) for e in cycle.edges] == [("A-001", "B-001"), ("B-001", "A-001")]
    assert cycle.blocking and g.cycles(blocking=True) == [cycle]


def test_a_cycle_through_a_closed_item_is_reported_but_blocks_nothing():
    g = graph_of(
        section("A-001", "pending", "- Depends on: B-001"),
        section("B-001", "done", "- Depends on: A-001"),
    )
    assert [c.name for c in g.cycles()] == ["A-001 → B-001 → A-001"]
    assert not g.cycles()[0].blocking and g.cycles(blocking=True) == []


def test_a_blocking_cycle_is_named_even_inside_a_component_through_closed_items():
    # DONE-001 comes first and closes a cycle with B-001; B-001 and C-001 block each other.
    g = graph_of(
        section("DONE-001", "done", "- Depends on: B-001"),
        section("B-001", "pending", "- Depends on: DONE-001, C-001"),
        section("C-001", "pending", "- Return Condition: when B-001 lands"),
    )
    assert [c.name for c in g.cycles(blocking=True)] == ["B-001 → C-001 → B-001"]
    assert g.cycles() == g.cycles(blocking=True)


def test_cycles_over_chosen_edge_kinds():
    g = graph_of(
        section("A-001", "pending", "- Depends on: B-001"),
        section("B-001", "blocked", "- Return Condition: when A-001 lands"),
    )
    assert [c.kinds for c in g.cycles()] == [{EdgeKind.depends_on, EdgeKind.waits_on}]
    assert g.cycles([EdgeKind.depends_on]) == []


def test_long_chain_has_no_cycle_and_no_recursion_limit():
    n = 3000
    chain = [section(f"N-{i}", "pending", f"- Depends on: N-{i + 1}") for i in range(n)]
    assert graph_of(*chain, section(f"N-{n}")).cycles() == []


# --- one answer from every command -------------------------------------------------------------

runner = CliRunner()


def _cli_json(*args: str) -> dict:
    result = runner.invoke(build_app(), list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _named(message: str) -> str:
    """`dependency cycle: A -> B -> A (...)` -> `A → B → A`."""
    m = re.match(r"dependency cycle: (.*?)(?: \(|$)", message)
    assert m, message
    return m.group(1).replace(" -> ", " → ")


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_check_graph_and_next_name_the_same_cycles(path, tmp_path):
    ledger = tmp_path / "fix_plan.md"
    shutil.copy(path, ledger)
    checked = _cli_json("check", str(ledger), "--select", "LDG302", "--format", "json")
    drawn = _cli_json("-f", str(ledger), "graph", "--format", "json")
    named = _cli_json("-f", str(ledger), "next", "--explain", "--json", "--no-git")
    reported = sorted(_named(f["message"]) for f in checked["findings"])
    assert reported == sorted(c["name"] for c in drawn["cycles"])
    assert {c["name"] for c in named["cycles"]} <= set(reported)


def test_the_seed_has_two_cycles_and_one_of_them_blocks():
    g = DependencyGraph.of(loads(read_corpus(SEED)))
    assert [(c.ids, c.blocking) for c in g.cycles()] == [
        (("STUDY-SYNTH-FLY64-DOSE-OVERLAP-001", "FIX-COMPARE-MODELS-TRANSLATION-001"), False),
        (("FIX-PYTORCH-FORWARD-PARITY-001", "FIX-TF-C1D-SCALED-RERUN-001"), True),
    ]


@pytest.mark.parametrize(
    ("command", "says"),
    [
        (["check"], "every cycle `ledger graph` draws"),
        (["graph"], "the same cycles `ledger check` reports"),
        (["next"], "They are among the cycles `ledger check`"),
        (["brief"], "the blocking cycles through it"),
    ],
)
def test_each_command_says_which_cycles_it_reports(command, says):
    result = runner.invoke(build_app(), [*command, "--help"], terminal_width=400)
    assert result.exit_code == 0 and says in " ".join(result.output.split())
