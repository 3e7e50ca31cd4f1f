"""Dwell from real repositories (built in tmp_path): the scan, its cache, and `status_table`."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from gitrepo import GitRepo

import ledger.dwell
from ledger import history
from ledger.config import DwellConfig
from ledger.dwell import DwellMark, DwellState, cache_dir, scan_repository, status_table
from ledger.vocab import Status

LEDGER = "docs/fix_plan.md"


def plan(a_status: str = "in_progress") -> str:
    return f"# Plan\n\n## [A-001] First\n- Status: {a_status}\n\n## [B-002] Second\n- Status: pending\n"


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    """A-001: three supervisor turns with only reports in between (dwell 2, tier 1)."""
    repo = GitRepo(tmp_path / "loop")
    repo.commit("seed", {LEDGER: plan(), "src/app.py": "x = 0\n"})
    for i in range(3):
        repo.commit(f"SUPERVISOR: A-001 planning {i}", {"input.md": f"{i}\n"})
        repo.commit(f"RALPH AUTO: reports {i}", {f"reports/{i}.log": "ok\n"})
    return repo


def test_a_scan_reads_the_history_and_parses_each_ledger_version_once_ever(repo):
    repo.commit("SUPERVISOR: B-002 plan", {LEDGER: plan().replace("pending", "planning")})
    r = history.open_repo(repo.path)
    cold = scan_repository(r, "HEAD", LEDGER, DwellConfig())
    a = cold.report.get("A-001")
    assert (a.dwell, a.tier, a.turns) == (2, 1, 3)
    assert len(cold.commits) == 8 and cold.summaries.parsed == 2  # two versions of the ledger
    assert len(list(cache_dir(r.git_dir).glob("pack-*.json"))) == 1  # both versions, one file
    warm = scan_repository(r, "HEAD", LEDGER, DwellConfig())
    assert warm.summaries.parsed == 0 and warm.report == cold.report


def test_without_the_cache_nothing_is_written_under_the_git_folder(repo):
    r = history.open_repo(repo.path)
    scan = scan_repository(r, "HEAD", LEDGER, DwellConfig(cache=False))
    assert scan.report.get("A-001").turns == 3
    assert not (r.git_dir / "ledger").exists()
    assert status_table(r, LEDGER, DwellConfig(cache=False)).counts == {"A-001": (2, 1)}
    assert not (r.git_dir / "ledger").exists()


def test_status_table_is_none_without_commits_or_without_the_ledger_at_head(tmp_path):
    repo = GitRepo(tmp_path / "fresh")
    r = history.open_repo(repo.path)
    assert status_table(r, LEDGER, DwellConfig()) is None
    repo.commit("unrelated", {"x.txt": "1\n"})
    assert status_table(r, LEDGER, DwellConfig()) is None


def test_status_table_keeps_the_real_tier_of_closed_items_and_is_kept_per_head(repo):
    r = history.open_repo(repo.path)
    table = status_table(r, LEDGER, DwellConfig())
    assert table.counts == {"A-001": (2, 1)}
    assert table.mark("A-001", Status.in_progress) == DwellMark(2, 1, DwellState.flagged)
    assert table.mark("B-002", Status.pending) == DwellMark(0, 0, DwellState.clear)  # no turn
    saved = r.git_dir / "ledger" / "status.json"
    data = json.loads(saved.read_text())
    data["dwell"]["A-001"][0] = 99  # the kept table is what a second run answers
    saved.write_text(json.dumps(data))
    assert status_table(r, LEDGER, DwellConfig()).counts["A-001"] == (99, 1)
    repo.commit("close A-001", {LEDGER: plan("done")})
    table = status_table(r, LEDGER, DwellConfig())
    assert table.counts == {"A-001": (2, 1)}  # the same dwell and tier as `ledger dwell`
    assert table.mark("A-001", Status.done) == DwellMark(2, 1, DwellState.closed)


def test_status_table_marks_parked_statuses_from_the_configuration(repo):
    r = history.open_repo(repo.path)
    assert status_table(r, LEDGER, DwellConfig()).mark("A-001", Status.paused).state is (
        DwellState.parked
    )
    table = status_table(r, LEDGER, DwellConfig(parked=(Status.blocked,)))
    assert table.mark("A-001", Status.paused).state is DwellState.flagged


def test_a_damaged_status_file_is_recomputed(repo):
    r = history.open_repo(repo.path)
    (r.git_dir / "ledger").mkdir()
    (r.git_dir / "ledger" / "status.json").write_text("[1, 2")
    assert status_table(r, LEDGER, DwellConfig()).counts == {"A-001": (2, 1)}


@pytest.mark.parametrize("module", ["rule", "marks", "log", "summaries", "iterations", "records"])
def test_the_rule_and_the_summaries_neither_read_git_nor_import_history(module):
    tree = ast.parse(Path(ledger.dwell.__file__).with_name(f"{module}.py").read_text())
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
        for inner in ast.walk(node)
    }
    imported = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue  # `Commit` is named in annotations only
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            imported.update(
                f"{base}.{a.name}" if node.module else base + a.name for a in node.names
            )
    git_readers = {"git", "subprocess", "history", "scan"}
    assert not [i for i in imported if git_readers & set(i.split("."))]


def test_every_name_the_dwell_package_exports_is_found_in_the_module_it_names():
    """`__all__`, the lazy table and the modules agree (the package imports on first use)."""
    assert sorted(ledger.dwell.__all__) == sorted(ledger.dwell._HOMES)
    for name in ledger.dwell.__all__:
        assert getattr(ledger.dwell, name) is not None
