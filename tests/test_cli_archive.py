"""`ledger archive ...` through the real typer app, with real git repositories in tmp_path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import LARGEST, SEED
from golden import assert_golden
from typer.testing import CliRunner

from ledger.archive import split_archive
from ledger.cli._app import build_app

runner = CliRunner()

DEMO = """\
# Demo Fix Plan Ledger
**Last Updated:** 2026-01-05

## [DEMO-001] Fix the parser
- Status: done
- Attempts History:
  * [2025-12-01] Attempt #1 — Result: failed. Tokenizer crash.
  * [2025-12-02] Attempt #2 — Result: success. Fixed.

## [DEMO-002] Speed up the loader
- Status: in_progress
- Notes: profile first.
- Attempts History:
  * [2025-12-03] Attempt #1 — Result: partial. I/O bound.
  * [2025-12-04] Attempt #2 — Result: failed. mmap broke on NFS.
  * [2025-12-05] Attempt #3 — Result: success. Prefetch thread.
"""


def invoke(*args: str):
    return runner.invoke(build_app(), list(args), catch_exceptions=False)


def git(repo: Path, *args: str, date: str = "2026-01-06T12:00:00Z") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return proc.stdout.strip()


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repository holding docs/fix_plan.md, with the cwd inside it."""
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "fix_plan.md").write_text(DEMO, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "ledger")
    monkeypatch.chdir(root)
    return root


def archive_of(repo: Path) -> Path:
    return repo / "docs" / "fix_plan_archive.md"


def commit_all(repo: Path, message: str, date: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)
    return git(repo, "rev-parse", "HEAD")


# --- snapshot / list / show / diff --------------------------------------------------------


def test_snapshot_creates_the_archive_then_appends(repo):
    result = invoke("archive", "snapshot", "--date", "2026-01-06")
    assert result.exit_code == 0, result.output
    assert (
        "snapshot 2026-01-06 of docs/fix_plan.md appended to docs/fix_plan_archive.md"
        in result.stdout
    )
    first = archive_of(repo).read_bytes()
    assert first.startswith(b"# Fix Plan Archive\n")
    (repo / "docs" / "fix_plan.md").write_text(DEMO + "\n## [DEMO-003] Next\n- Status: pending\n")
    result = invoke("archive", "snapshot", "--date", "2026-01-07", "--json")
    data = json.loads(result.stdout)
    assert data["appended"] is True and data["snapshot"]["number"] == 2
    second = archive_of(repo).read_bytes()
    assert second.startswith(first)
    assert (
        split_archive(second.decode()).snapshots[1].body
        == (repo / "docs" / "fix_plan.md").read_text()
    )


def test_snapshot_of_unchanged_bytes_writes_nothing(repo):
    invoke("archive", "snapshot", "--date", "2026-01-06")
    before = archive_of(repo).read_bytes()
    result = invoke("archive", "snapshot", "--date", "2026-01-08")
    assert result.exit_code == 0
    assert "unchanged" in result.stdout
    assert archive_of(repo).read_bytes() == before


def test_snapshot_to_an_explicit_archive_path(repo, tmp_path):
    target = repo / "archive" / "2026-01-06_fix_plan_archive.md"
    result = invoke("archive", "snapshot", "--archive", str(target), "--date", "2026-01-06")
    assert result.exit_code == 0
    assert split_archive(target.read_text()).snapshots[0].body == DEMO


def test_bad_date_is_a_usage_error(repo):
    result = runner.invoke(build_app(), ["archive", "snapshot", "--date", "06/01/2026"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr
    assert not archive_of(repo).exists()


@pytest.fixture
def seed_archive(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "fix_plan_archive.md"
    shutil.copy(SEED, path)
    return path


def test_list_and_show_the_seed_snapshot(seed_archive):
    result = invoke("archive", "list", "--archive", str(seed_archive))
    assert result.exit_code == 0
    assert_golden(
        "archive/list_seed.txt", result.stdout.replace(str(seed_archive), "fix_plan_archive.md")
    )
    result = invoke("archive", "show", "2026-01-06", "--archive", str(seed_archive))
    assert result.exit_code == 0
    assert_golden(
        "archive/show_seed.txt", result.stdout.replace(str(seed_archive), "fix_plan_archive.md")
    )


def test_show_json_is_the_status_view_of_the_snapshot(seed_archive):
    data = json.loads(
        invoke("archive", "show", "1", "--archive", str(seed_archive), "--json").stdout
    )
    assert data["snapshot"] == {"number": 1, "date": "2026-01-06", "line": 12}
    assert data["summary"]["focus_items"] == 15
    assert data["summary"]["active_focus"] == "FIX-TF-C1D-SCALED-RERUN-001"


def test_show_an_unknown_date_names_the_available_ones(seed_archive):
    result = runner.invoke(
        build_app(), ["archive", "show", "2030-01-01", "--archive", str(seed_archive)]
    )
    assert result.exit_code == 1
    assert "2026-01-06" in result.stderr


def test_diff_between_a_snapshot_and_its_compacted_successor(repo):
    invoke("archive", "compact", "--date", "2026-01-06")
    ledger = repo / "docs" / "fix_plan.md"
    ledger.write_text(
        ledger.read_text().replace("- Status: in_progress", "- Status: done")
        + "\n## [DEMO-003] Cache\n- Status: pending\n"
    )
    invoke("archive", "snapshot", "--date", "2026-01-09")
    result = invoke("archive", "diff", "2026-01-06", "2026-01-09")
    assert result.exit_code == 0
    assert_golden("archive/diff_demo.txt", result.stdout)
    data = json.loads(invoke("archive", "diff", "1", "2", "--json").stdout)
    assert [a["id"] for a in data["added"]] == ["DEMO-003"]


# --- compact ------------------------------------------------------------------------------


def test_compact_snapshots_first_then_condenses(repo):
    ledger = repo / "docs" / "fix_plan.md"
    result = invoke("archive", "compact", "--date", "2026-01-06")
    assert result.exit_code == 0, result.output
    assert "docs/fix_plan.md: shrank from" in result.stdout
    assert "snapshot 2026-01-06 appended to docs/fix_plan_archive.md" in result.stdout
    (snap,) = split_archive(archive_of(repo).read_text()).snapshots
    assert snap.body == DEMO
    live = ledger.read_text()
    assert "Tokenizer crash" not in live and "mmap broke" not in live
    assert "Attempt #1 — Result: partial" in live and "Attempt #3 — Result: success" in live
    assert "(snapshot 2026-01-06)" in live
    # A second run finds nothing to do and writes nothing.
    result = invoke("archive", "compact", "--date", "2026-01-07")
    assert "already compact" in result.stdout
    assert len(split_archive(archive_of(repo).read_text()).snapshots) == 1


def test_compact_dry_run_writes_nothing(repo):
    ledger = repo / "docs" / "fix_plan.md"
    result = invoke("archive", "compact", "--dry-run", "--json")
    data = json.loads(result.stdout)
    assert data["dry_run"] is True and data["after_bytes"] < data["before_bytes"]
    assert ledger.read_text() == DEMO
    assert not archive_of(repo).exists()


def test_compact_keep_attempts_n(repo):
    invoke("archive", "compact", "--keep-attempts", "1", "--date", "2026-01-06")
    live = (repo / "docs" / "fix_plan.md").read_text()
    assert "Prefetch thread" in live and "I/O bound" not in live
    assert "2 of 3 attempts" in live


def test_compact_follows_the_archive_settings_of_ledger_yaml(repo):
    (repo / ".ledger.yaml").write_text(
        "archive:\n  path: docs/archive/ledger_archive.md\n"
        "  keep_fields: [Status, Notes]\n  keep_attempts: '1'\n"
    )
    result = invoke("archive", "compact", "--date", "2026-01-06")
    assert result.exit_code == 0, result.output
    live = (repo / "docs" / "fix_plan.md").read_text()
    assert "- Notes: profile first." in live
    assert "Prefetch thread" in live and "I/O bound" not in live
    assert "`docs/archive/ledger_archive.md` (snapshot 2026-01-06)" in live
    assert (repo / "docs" / "archive" / "ledger_archive.md").is_file()
    assert not archive_of(repo).exists()


def test_compact_bad_keep_attempts_is_a_usage_error(repo):
    result = runner.invoke(build_app(), ["archive", "compact", "--keep-attempts", "some"])
    assert result.exit_code == 2
    assert (repo / "docs" / "fix_plan.md").read_text() == DEMO


def test_compact_refuses_when_the_snapshot_cannot_be_taken(repo):
    blocker = repo / "docs" / "not_a_file"
    blocker.mkdir()
    result = runner.invoke(build_app(), ["archive", "compact", "--archive", str(blocker)])
    assert result.exit_code == 1
    assert "is a directory" in result.stderr
    assert (repo / "docs" / "fix_plan.md").read_text() == DEMO


def test_compact_the_largest_ledger_prints_sizes_and_keeps_every_byte(repo):
    ledger = repo / "docs" / "fix_plan.md"
    original = LARGEST.read_bytes()
    ledger.write_bytes(original)
    result = invoke("archive", "compact", "--date", "2026-01-06")
    assert "from 847.1 KB to" in result.stdout
    assert len(ledger.read_bytes()) <= 0.2 * len(original)
    (snap,) = split_archive(
        archive_of(repo).read_bytes().decode("utf-8", "surrogateescape")
    ).snapshots
    assert snap.body.encode("utf-8", "surrogateescape") == original


# --- verify -------------------------------------------------------------------------------


def test_verify_passes_when_the_archive_is_only_appended_to(repo):
    invoke("archive", "snapshot", "--date", "2026-01-06")
    commit_all(repo, "snapshot 1", "2026-01-06T12:00:00Z")
    (repo / "docs" / "fix_plan.md").write_text(DEMO + "\n## [DEMO-003] Next\n- Status: pending\n")
    invoke("archive", "snapshot", "--date", "2026-01-07")
    commit_all(repo, "snapshot 2", "2026-01-07T12:00:00Z")
    result = invoke("archive", "verify")
    assert result.exit_code == 0, result.output
    assert (
        "ok: docs/fix_plan_archive.md is append-only (2 committed versions checked" in result.stdout
    )


def test_verify_reports_the_commit_that_edited_an_old_snapshot(repo):
    invoke("archive", "snapshot", "--date", "2026-01-06")
    commit_all(repo, "snapshot 1", "2026-01-06T12:00:00Z")
    path = archive_of(repo)
    path.write_text(path.read_text().replace("Tokenizer crash.", "Tokenizer crash (fixed later)."))
    bad = commit_all(repo, "tidy the archive", "2026-01-07T12:00:00Z")
    invoke("archive", "snapshot", "--date", "2026-01-08", "--archive", str(path))
    result = runner.invoke(build_app(), ["archive", "verify"])
    assert result.exit_code == 1
    assert f"commit {bad[:12]} (tidy the archive) rewrote line" in result.stdout
    data = json.loads(runner.invoke(build_app(), ["archive", "verify", "--json"]).stdout)
    assert data["ok"] is False
    assert data["rewrites"][0]["commit"] == bad
    assert "Tokenizer crash." in data["rewrites"][0]["old_line"]


def test_verify_rev_checks_only_that_history(repo):
    invoke("archive", "snapshot", "--date", "2026-01-06")
    good = commit_all(repo, "snapshot 1", "2026-01-06T12:00:00Z")
    path = archive_of(repo)
    path.write_text("rewritten\n")
    commit_all(repo, "rewrite", "2026-01-07T12:00:00Z")
    assert runner.invoke(build_app(), ["archive", "verify", "--rev", good]).exit_code == 0
    assert runner.invoke(build_app(), ["archive", "verify", "--rev", "HEAD"]).exit_code == 1


def test_verify_catches_working_copy_and_staged_rewrites(repo):
    invoke("archive", "snapshot", "--date", "2026-01-06")
    commit_all(repo, "snapshot 1", "2026-01-06T12:00:00Z")
    path = archive_of(repo)
    committed = path.read_text()
    path.write_text(committed.replace("# Fix Plan Archive", "# Archive"))
    result = runner.invoke(build_app(), ["archive", "verify"])
    assert result.exit_code == 1
    assert "the working copy rewrote line 1" in result.stdout
    # Not staged yet: the index still holds HEAD's bytes.
    assert runner.invoke(build_app(), ["archive", "verify", "--staged"]).exit_code == 0
    git(repo, "add", str(path))
    result = runner.invoke(build_app(), ["archive", "verify", "--staged", "--no-history"])
    assert result.exit_code == 1
    assert "the staged archive rewrote line 1" in result.stdout
    git(repo, "rm", "-q", "--cached", str(path))
    result = runner.invoke(build_app(), ["archive", "verify", "--staged"])
    assert result.exit_code == 1
    assert "deleted the archive" in result.stdout


def test_verify_without_any_archive_fails_unless_allowed(tmp_path, monkeypatch):
    git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path)
    result = invoke("archive", "verify")
    assert result.exit_code == 1
    assert "no archive to verify" in result.stderr and "--allow-missing" in result.stderr
    result = invoke("archive", "verify", "--allow-missing")
    assert result.exit_code == 0
    assert "0 committed versions" in result.stdout


def test_verify_of_a_new_uncommitted_archive_passes(tmp_path, monkeypatch):
    git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "fix_plan_archive.md").write_text("# Fix Plan Archive\n")
    result = invoke("archive", "verify")
    assert result.exit_code == 0, result.output


def test_verify_in_a_repository_without_commits_says_so(tmp_path, monkeypatch):
    git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "fix_plan_archive.md").write_text("# Fix Plan Archive\n")
    result = invoke("archive", "verify")
    assert result.exit_code == 0, result.output
    assert "the repository has no commits yet: nothing to compare with" in result.stdout
    assert "HEAD's bytes" not in result.stdout
    git(tmp_path, "add", "docs")
    assert invoke("archive", "verify", "--staged").exit_code == 0  # the very first commit
    result = invoke("archive", "verify", "--rev", "HEAD")
    assert result.exit_code == 1
    assert result.stderr == f"ledger: error: {tmp_path.resolve()} has no commits yet\n"


def test_verify_outside_a_repository_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(build_app(), ["archive", "verify", "--archive", str(tmp_path / "a.md")])
    assert result.exit_code == 1
    assert "not inside a git repository" in result.stderr
