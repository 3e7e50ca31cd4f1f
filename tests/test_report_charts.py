"""The dwell part of `ledger report`: series equal to `ledger dwell --timeline`, the cadence per
day, and why the part is absent when there is no history (real git repositories)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from gitrepo import GitRepo
from typer.testing import CliRunner

from ledger.cli._app import build_app
from ledger.config import load_settings
from ledger.fileio import read_text
from ledger.parse import loads
from ledger.report import DwellAbsent, DwellPart
from ledger.report.charts import DayCount, dwell_part, read_history

LEDGER = "docs/fix_plan.md"


def plan(a: str = "in_progress", b: str = "pending", c: str = "done") -> str:
    return (
        "# Fix Plan Ledger\n**Active Focus:** A-001 — first\n\n"
        f"## [A-001] First\n- Status: {a}\n\n## [B-002] Second\n- Status: {b}\n\n"
        f"## [C-003] Third\n- Status: {c}\n"
    )


def day(n: int, minute: int) -> str:
    return f"2025-11-{n:02d}T10:{minute:02d}:00+00:00"


@pytest.fixture(scope="module")
def history(module_git, tmp_path_factory) -> GitRepo:
    """Three days of a loop (the 2nd is quiet): A-001 re-planned without code, B-002 with
    code, C-003 turned to and then closed.

    Day 1: turns on C-003 and B-002, B-002's code (evidence). Day 3: three turns on A-001, a
    turn on B-002 (dwell back to 0 after its evidence), a docs-only work commit."""
    repo = GitRepo(tmp_path_factory.mktemp("report-history") / "loop")
    repo.commit("seed", {LEDGER: plan(c="in_progress"), "src/app.py": "x = 0\n"}, day(1, 0))
    repo.commit("SUPERVISOR: C-003 plan", {"input.md": "c\n"}, day(1, 1))
    repo.commit("C-003 close", {LEDGER: plan()}, day(1, 2))
    repo.commit("SUPERVISOR: B-002 plan", {"input.md": "b\n"}, day(1, 3))
    repo.commit("B-002 app: implement", {"src/app.py": "x = 1\n"}, day(1, 4))
    for i in range(3):
        repo.commit(f"SUPERVISOR: A-001 planning {i}", {"input.md": f"a{i}\n"}, day(3, 2 * i))
        repo.commit(f"RALPH: notes {i}", {f"reports/{i}.md": "ok\n"}, day(3, 2 * i + 1))
    repo.commit("SUPERVISOR: B-002 review", {"input.md": "b2\n"}, day(3, 30))
    return repo


@pytest.fixture
def repo(history, tmp_path, monkeypatch) -> GitRepo:
    copy = history.copy_to(tmp_path / "loop")
    monkeypatch.chdir(copy.path)
    return copy


def part_of(repo: GitRepo) -> DwellPart:
    path = repo.path / LEDGER
    settings = load_settings(repo.path)
    scan = read_history(path, settings.config)
    assert not isinstance(scan, DwellAbsent), scan
    return dwell_part(loads(read_text(path)), scan, settings.config)


def cli_json(*args: str) -> dict:
    result = CliRunner().invoke(build_app(), ["--no-color", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_each_open_focus_with_turns_has_its_timeline(repo):
    part = part_of(repo)
    # C-003 had a turn but is done; the others are open
    assert [s.id for s in part.series] == ["A-001", "B-002"]
    for series in part.series:
        timeline = cli_json("dwell", "--timeline", series.id, "--json")["timeline"]
        assert [(p.turn, p.sha, p.dwell, p.tier, p.evidence) for p in series.points] == [
            (t["turn"], t["sha"], t["dwell"], t["tier"], len(t["evidence"])) for t in timeline
        ]
        assert [p.date.isoformat() for p in series.points] == [t["date"] for t in timeline]
    a, b = part.series
    assert [p.dwell for p in a.points] == [0, 1, 2]  # three turns, no code
    assert [p.dwell for p in b.points] == [0, 0]  # code landed between its turns
    assert part.tiers == (2, 4, 6)


def test_the_latest_dwell_is_ledger_dwells(repo):
    part = part_of(repo)
    rows = {f["id"]: f for f in cli_json("dwell", "--json")["focus"]}
    assert set(part.latest) == set(rows) == {"A-001", "B-002", "C-003"}
    assert part.latest["A-001"] == (rows["A-001"]["dwell"], rows["A-001"]["tier"]) == (2, 1)
    assert part.latest["C-003"] == (0, 0)  # closed: never flagged
    assert part.rev == repo.git("rev-parse", "HEAD")


def test_cadence_counts_turns_and_evidence_per_day_with_quiet_days(repo):
    part = part_of(repo)
    assert part.cadence == (
        DayCount(date(2025, 11, 1), 2, 2),  # two turns; the seed and B-002's code
        DayCount(date(2025, 11, 2), 0, 0),
        DayCount(date(2025, 11, 3), 4, 0),  # reports/*.md is docs-only: no evidence
    )
    assert (part.turns, part.evidence) == (6, 2)


def test_the_page_has_a_chart_per_open_focus_with_its_turns(repo):
    result = CliRunner().invoke(build_app(), ["report", "-o", "out/report.html"])
    assert result.exit_code != 0 and "does not exist" in result.stderr  # no folder made
    result = CliRunner().invoke(build_app(), ["report", "-o", "report.html"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("wrote report.html: 3 focus items")
    assert "2 dwell charts" in result.stdout
    page = (repo.path / "report.html").read_text(encoding="utf-8")
    assert page.count('class="dwell-chart"') == 2
    assert 'data-focus="A-001" data-points="3"' in page
    assert 'data-focus="C-003"' not in page
    assert page.count('class="turn tier-') == 5


def test_no_git_says_why_there_is_no_dwell(repo):
    assert read_history(repo.path / LEDGER, load_settings(repo.path).config, use_git=False) == (
        DwellAbsent("history not read (--no-git)")
    )
    result = CliRunner().invoke(build_app(), ["report", "--no-git", "-o", "r.html"])
    assert result.exit_code == 0 and "no dwell charts" in result.stdout
    assert "No dwell charts: history not read (--no-git)." in (repo.path / "r.html").read_text()


def test_outside_git_and_before_the_first_commit_dwell_is_absent(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "fix_plan.md"
    path.write_text(plan())
    config = load_settings(tmp_path).config
    found = read_history(path, config)
    assert isinstance(found, DwellAbsent) and "not in a git working tree" in found.reason
    repo = GitRepo(tmp_path / "fresh")
    (repo.path / "docs").mkdir()
    (repo.path / LEDGER).write_text(plan())
    repo.commit("unrelated", {"README.md": "x\n"})
    found = read_history(repo.path / LEDGER, config)
    assert found == DwellAbsent("docs/fix_plan.md has no committed history yet")


def test_a_history_without_turns_has_no_series(tmp_path, monkeypatch):
    repo = GitRepo(tmp_path / "r")
    repo.commit("seed", {LEDGER: plan()})
    monkeypatch.chdir(repo.path)
    part = part_of(repo)
    assert part.series == () and part.cadence == () and part.turns == 0
    result = CliRunner().invoke(build_app(), ["report", "-o", str(Path("r.html"))])
    assert result.exit_code == 0
    assert "No open focus item has had a supervisor turn." in (repo.path / "r.html").read_text()
