"""The `ledger-archive-append-only` hook, run by the real pre-commit framework (`try-repo`).

Each `try-repo` run installs this package into a fresh environment, so the test makes exactly
two runs: one where the staged archive only appends (passes) and one where it edits an old
snapshot (rejected).
"""

from __future__ import annotations

import pytest
from gitrepo import git, try_repo

from ledger.archive import append_snapshot

LEDGER = "# Demo Fix Plan Ledger\n\n## [DEMO-001] Fix the parser\n- Status: in_progress\n"


@pytest.mark.slow
def test_hook_passes_an_append_and_rejects_an_edited_snapshot(tmp_path):
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    archive = repo / "docs" / "fix_plan_archive.md"
    first = append_snapshot(None, LEDGER, "2026-01-06")
    archive.write_text(first, encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "archive with one snapshot")
    home = tmp_path / "pre-commit-home"

    archive.write_text(
        append_snapshot(first, LEDGER + "- Notes: more.\n", "2026-01-07"), encoding="utf-8"
    )
    git(repo, "add", ".")
    appended = try_repo(repo, "ledger-archive-append-only", home)
    assert appended.returncode == 0, appended.stdout + appended.stderr
    assert "ledger archive is append-only" in appended.stdout
    assert "Passed" in appended.stdout

    archive.write_text(first.replace("- Status: in_progress", "- Status: done"), encoding="utf-8")
    git(repo, "add", ".")
    edited = try_repo(repo, "ledger-archive-append-only", home)
    assert edited.returncode == 1, edited.stdout + edited.stderr
    assert "Failed" in edited.stdout
    assert "the staged archive rewrote line" in edited.stdout
