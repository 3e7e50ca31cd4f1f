"""The `ledger-archive-append-only` hook, run by the real pre-commit framework (`try-repo`).

Each `try-repo` run installs this package into a fresh environment, so the test makes exactly
two runs: one where the staged archive only appends (passes) and one where it edits an old
snapshot (rejected).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ledger.archive import append_snapshot

ROOT = Path(__file__).resolve().parents[1]  # this repository: it ships .pre-commit-hooks.yaml

LEDGER = "# Demo Fix Plan Ledger\n\n## [DEMO-001] Fix the parser\n- Status: in_progress\n"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _try_repo(repo: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "ledger-archive-append-only"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.slow
def test_hook_passes_an_append_and_rejects_an_edited_snapshot(tmp_path):
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    archive = repo / "docs" / "fix_plan_archive.md"
    first = append_snapshot(None, LEDGER, "2026-01-06")
    archive.write_text(first, encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "archive with one snapshot")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PRE_COMMIT_COLOR": "never",
    }

    archive.write_text(
        append_snapshot(first, LEDGER + "- Notes: more.\n", "2026-01-07"), encoding="utf-8"
    )
    _git(repo, "add", ".")
    appended = _try_repo(repo, env)
    assert appended.returncode == 0, appended.stdout + appended.stderr
    assert "ledger archive is append-only" in appended.stdout
    assert "Passed" in appended.stdout

    archive.write_text(first.replace("- Status: in_progress", "- Status: done"), encoding="utf-8")
    _git(repo, "add", ".")
    edited = _try_repo(repo, env)
    assert edited.returncode == 1, edited.stdout + edited.stderr
    assert "Failed" in edited.stdout
    assert "the staged archive rewrote line" in edited.stdout
