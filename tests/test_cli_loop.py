"""`ledger next`, `brief`, `graph` through the real typer app, in-process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import SEED
from typer.testing import CliRunner

from ledger.cli._app import build_app
from ledger.errors import GitError

runner = CliRunner()
TF = "FIX-TF-C1D-SCALED-RERUN-001"
PARITY = "FIX-PYTORCH-FORWARD-PARITY-001"


def invoke(*args: str):
    return runner.invoke(build_app(), list(args), catch_exceptions=False)


@pytest.fixture
def seed(tmp_path):
    path = tmp_path / "fix_plan.md"
    shutil.copy(SEED, path)
    return str(path)


@pytest.fixture
def fake_dwell(monkeypatch):
    """Stand in for the dwell family's `status_dwell` (the seam `ledger status` also uses):
    `{id: {"dwell", "tier"}}` as the table of counts at HEAD."""
    from ledger.cli import dwell as dwell_cli
    from ledger.dwell import DwellTable

    values: dict = {}

    def table(ctx, loaded):
        return DwellTable({k: (v["dwell"], v["tier"]) for k, v in values.items()})

    monkeypatch.setattr(dwell_cli, "status_dwell", table, raising=False)
    return values


# --- next -------------------------------------------------------------------------------------


def test_next_json_lists_ready_items_best_first(seed):
    data = json.loads(invoke("-f", seed, "next", "--json", "--no-git").stdout)
    assert data["next"] == "FIX-IMPORT-SIDE-EFFECTS-001"
    assert [r["id"] for r in data["ready"]] == [
        "FIX-IMPORT-SIDE-EFFECTS-001",
        "FEAT-LAZY-LOADING-001",
        "PARALLEL-API-INFERENCE",
    ]
    assert "waiting" not in data
    assert data["cycles"][0]["name"] == f"{PARITY} → {TF} → {PARITY}"


def test_next_explain_names_the_seed_cycle_and_each_blocker(seed):
    result = invoke("-f", seed, "next", "--explain", "--no-git")
    assert result.exit_code == 0
    out = result.stdout
    assert f"depends on {PARITY}, which is blocked" in out
    assert f"an open return condition waits on {TF}, which is in_progress" in out
    assert f"dependency cycle {TF} → {PARITY} → {TF}" in out
    assert "why first:" in out and "older last attempt: never attempted" in out
    assert "STUDY-SYNTH-FLY64-DOSE-OVERLAP-001: lines 21, 142" in out


def test_next_explain_json_has_reasons_for_every_waiting_item(seed):
    data = json.loads(invoke("-f", seed, "next", "--explain", "--json", "--no-git").stdout)
    waiting = {w["id"]: w for w in data["waiting"]}
    assert len(waiting) == 11 and all(w["reasons"] for w in waiting.values())
    assert [r["code"] for r in waiting[TF]["reasons"]] == ["dependency", "cycle"]
    assert data["why_first"]


def test_next_limit(seed):
    lines = invoke("-f", seed, "next", "--limit", "1", "--no-git").stdout.splitlines()
    assert lines[0].split() == ["#", "ID", "Priority", "Status", "Last", "attempt", "Title"]
    assert lines[1].split()[:2] == ["1", "FIX-IMPORT-SIDE-EFFECTS-001"]
    assert lines[2:] == ["… 2 more ready"]
    assert invoke("-f", seed, "next", "--limit", "0").exit_code == 2


def test_next_uses_dwell_when_the_dwell_family_provides_it(seed, fake_dwell):
    fake_dwell.update(
        {
            "FIX-IMPORT-SIDE-EFFECTS-001": {"dwell": 5, "tier": 2},
            "FEAT-LAZY-LOADING-001": {"dwell": 1, "tier": 0},
        }
    )
    data = json.loads(invoke("-f", seed, "next", "--json").stdout)
    assert [r["id"] for r in data["ready"]][:2] == [
        "FEAT-LAZY-LOADING-001",
        "FIX-IMPORT-SIDE-EFFECTS-001",
    ]
    assert data["ready"][1]["dwell"] == 5 and data["ready"][1]["tier"] == 2
    # --no-git ignores it.
    data = json.loads(invoke("-f", seed, "next", "--json", "--no-git").stdout)
    assert data["next"] == "FIX-IMPORT-SIDE-EFFECTS-001"


def test_next_goes_on_without_dwell_when_it_fails(seed, monkeypatch):
    from ledger.cli import dwell as dwell_cli

    def broken(ctx, loaded):
        raise GitError("not a repository")

    monkeypatch.setattr(dwell_cli, "status_dwell", broken, raising=False)
    result = invoke("-f", seed, "next", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["next"] == "FIX-IMPORT-SIDE-EFFECTS-001"
    assert "dwell not used: not a repository" in result.stderr


def test_next_with_nothing_ready(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("# P\n\n## [A-001] a\n- Status: done\n")
    result = invoke("-f", str(path), "next")
    assert result.exit_code == 0 and "no focus item is ready" in result.stdout
    assert json.loads(invoke("-f", str(path), "next", "--json").stdout)["next"] is None


# --- brief ------------------------------------------------------------------------------------


def test_brief_prints_markdown_within_the_limit(seed):
    result = invoke("-f", seed, "brief", TF, "--no-git")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"# [{TF}]")
    assert len(result.stdout.encode("utf-8")) <= 4000
    small = invoke("-f", seed, "brief", TF, "--max-bytes", "1500", "--no-git").stdout
    assert len(small.encode("utf-8")) <= 1500 and "Left out to fit" in small


def test_brief_json_and_attempts_option(seed):
    data = json.loads(
        invoke("-f", seed, "brief", PARITY, "--attempts", "1", "--json", "--no-git").stdout
    )
    assert data["id"] == PARITY and data["dependents"] == [TF]
    assert len(data["attempts"]) == 1 and data["attempts_total"] == 5
    assert data["bytes"] <= data["max_bytes"] == 4000


def test_brief_shows_the_tier_from_dwell(seed, fake_dwell):
    fake_dwell[TF] = {"dwell": 6, "tier": 3}
    out = invoke("-f", seed, "brief", TF).stdout
    assert "- Dwell: 6 (Tier 3): stop planning this focus: mark it blocked_escalation" in out


def test_brief_of_a_parked_or_closed_focus_gives_no_tier_advice(seed, fake_dwell):
    fake_dwell[PARITY] = {"dwell": 7, "tier": 3}  # blocked in the seed: parked
    fake_dwell["FIX-PHASE-C-GENERATION-001"] = {"dwell": 4, "tier": 2}  # done
    out = invoke("-f", seed, "brief", PARITY).stdout
    assert "- Dwell: 7 (Tier 3, parked): blocked records a decision to wait" in out
    assert "mark it blocked_escalation" not in out
    out = invoke("-f", seed, "brief", "FIX-PHASE-C-GENERATION-001").stdout
    assert "- Dwell: 4 (Tier 2, closed): done: nothing more is expected" in out
    data = json.loads(invoke("-f", seed, "brief", PARITY, "--json").stdout)
    assert (data["dwell"], data["tier"], data["dwell_state"]) == (7, 3, "parked")


def test_brief_unknown_id_suggests_and_bad_limit_is_usage(seed):
    result = invoke("-f", seed, "brief", "FIX-TF-C1D-SCALED-RERUN")
    assert result.exit_code == 1 and TF in result.output
    assert invoke("-f", seed, "brief", TF, "--max-bytes", "100").exit_code == 2


# --- graph ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, marker",
    [
        ("mermaid", "flowchart LR"),
        ("dot", "digraph ledger {"),
        ("tree", "↺ cycle"),
        ("json", '"cycles"'),
    ],
)
def test_graph_formats(seed, fmt, marker):
    result = invoke("-f", seed, "graph", "--format", fmt)
    assert result.exit_code == 0 and marker in result.stdout


def test_graph_active_and_bad_format(seed):
    full = invoke("-f", seed, "graph").stdout
    active = invoke("-f", seed, "graph", "--active").stdout
    assert "INTEGRATE-PYTORCH-001-STUBS" in full and "INTEGRATE-PYTORCH-001-STUBS" not in active
    assert invoke("-f", seed, "graph", "--format", "png").exit_code == 2


def test_tree_names_the_cycle(seed):
    out = invoke("-f", seed, "graph", "--format", "tree", "--active").stdout
    assert f"cycle 1: {PARITY} → {TF} → {PARITY}" in out


# --- the console script -------------------------------------------------------------------------


def test_console_script_lists_the_loop_commands():
    out = subprocess.run(
        [sys.executable, "-m", "ledger", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for name in ("next", "brief", "graph"):
        assert f" {name} " in out or f" {name}\n" in out


def test_brief_dwell_is_zero_when_history_has_no_turns_for_the_focus(seed, fake_dwell):
    fake_dwell["SOMETHING-ELSE-001"] = {"dwell": 2, "tier": 1}
    out = invoke("-f", seed, "brief", TF).stdout
    assert "- Dwell: 0 (Tier 0): no dwell limit reached" in out
