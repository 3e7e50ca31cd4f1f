"""The merge driver inside real `git merge`s: with it two loops never conflict on the ledger."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ledger
from ledger.cli._app import build_app
from ledger.history import git_version
from ledger.merge.driver import LABELS_SINCE

GIT_VERSION = git_version()

LEDGER = "docs/fix_plan.md"

BASE = """\
# Fix Plan Ledger

**Last Updated:** 2026-01-10 (galph loop)

## [A-001] Parity run
- Priority: High
- Status: in_progress
- Attempts History:
  * [2026-01-01] Attempt #1 — Result: ok. Scoped the run.
  * [2026-01-02] Attempt #2 — Result: partial. First run.
- Exit Criteria:
  - parity within 1e-6

## [B-002] Docs refresh
- Priority: Low
- Status: pending
"""
LAST = "  * [2026-01-02] Attempt #2 — Result: partial. First run.\n"
ON_FEATURE = "  * [2026-01-03] Attempt #3 — Result: ok. Feature branch run.\n"
ON_MAIN = "  * [2026-01-04] Attempt #3 — Result: ok. Main branch run.\n"
ON_MAIN_RENUMBERED = ON_MAIN.replace("#3", "#4")


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2026-01-10T12:00:00Z",
        "GIT_COMMITTER_DATE": "2026-01-10T12:00:00Z",
    }
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=check, env=env
    )


def commit(repo: Path, text: str, message: str) -> None:
    (repo / LEDGER).write_text(text)
    git(repo, "add", LEDGER)
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main and feature each change the ledger after a common commit; main is checked out."""
    (tmp_path / "docs").mkdir()
    git(tmp_path, "init", "-q")
    commit(tmp_path, BASE, "base ledger")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    return tmp_path


def diverge(repo: Path, feature_text: str, main_text: str) -> None:
    commit(repo, feature_text, "feature loop")
    git(repo, "checkout", "-q", "main")
    commit(repo, main_text, "main loop")


def install(repo: Path, monkeypatch) -> None:
    """`ledger merge-driver --install`, with git told to run this interpreter (no PATH needed)."""
    monkeypatch.chdir(repo)
    program = f"{shlex.quote(sys.executable)} -m ledger"
    result = CliRunner().invoke(build_app(), ["merge-driver", "--install", "--program", program])
    assert result.exit_code == 0, result.output
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-q", "-m", "merge driver for the ledger")


def status_line(text: str, status: str) -> str:
    return text.replace("- Status: in_progress", f"- Status: {status}", 1)


def test_attempts_from_two_branches_merge_cleanly_with_the_driver(repo, monkeypatch):
    git(repo, "checkout", "-q", "main")
    install(repo, monkeypatch)
    git(repo, "checkout", "-q", "feature")
    git(repo, "merge", "-q", "main")  # feature gets .gitattributes too
    feature = status_line(BASE.replace(LAST, LAST + ON_FEATURE), "done")
    diverge(repo, feature, BASE.replace(LAST, LAST + ON_MAIN))

    merged = git(repo, "merge", "--no-edit", "feature", check=False)

    assert merged.returncode == 0, merged.stdout + merged.stderr
    text = (repo / LEDGER).read_text()
    # Both loops numbered their attempt #3: main's (the later, 01-04) becomes #4, and git's
    # output carries the driver's note.
    assert text == status_line(BASE.replace(LAST, LAST + ON_FEATURE + ON_MAIN_RENUMBERED), "done")
    item = ledger.loads(text).get("A-001")
    assert [(a.number, a.summary) for a in item.attempts][-2:] == [
        (3, "Result: ok. Feature branch run."),
        (4, "Result: ok. Main branch run."),
    ]
    assert "Attempt #3 to A-001; the later one (from " in merged.stdout + merged.stderr
    assert "is now Attempt #4" in merged.stdout + merged.stderr
    assert git(repo, "status", "--porcelain").stdout == ""


def test_without_the_driver_git_conflicts_on_the_same_change(repo):
    feature = status_line(BASE.replace(LAST, LAST + ON_FEATURE), "done")
    diverge(repo, feature, BASE.replace(LAST, LAST + ON_MAIN))

    merged = git(repo, "merge", "--no-edit", "feature", check=False)

    assert merged.returncode != 0
    assert "CONFLICT (content)" in merged.stdout
    text = (repo / LEDGER).read_text()
    assert "<<<<<<< HEAD\n" + ON_MAIN + "=======\n" + ON_FEATURE + ">>>>>>> feature\n" in text


def test_conflicting_status_changes_stay_a_conflict_and_git_reports_it(repo, monkeypatch):
    git(repo, "checkout", "-q", "main")
    install(repo, monkeypatch)
    git(repo, "checkout", "-q", "feature")
    git(repo, "merge", "-q", "main")
    feature = status_line(BASE.replace(LAST, LAST + ON_FEATURE), "done")
    main = status_line(BASE.replace(LAST, LAST + ON_MAIN), "blocked")
    diverge(repo, feature, main)

    merged = git(repo, "merge", "--no-edit", "feature", check=False)

    assert merged.returncode != 0
    assert git(repo, "diff", "--name-only", "--diff-filter=U").stdout.split() == [LEDGER]
    text = (repo / LEDGER).read_text()
    # Only the status line is in conflict; both attempts are merged in order. The markers name
    # the branch merged in: git 2.44+ passes both names (%X %Y), older git only theirs
    # (GITHEAD_<sha>), so ours is then `ours`.
    ours_name = "HEAD" if GIT_VERSION >= LABELS_SINCE else "ours"
    conflict = "- Status: blocked\n=======\n- Status: done\n>>>>>>> feature\n"
    assert f"<<<<<<< {ours_name}\n" + conflict in text
    assert LAST + ON_FEATURE + ON_MAIN_RENUMBERED in text
    assert text.count("<<<<<<<") == 1


def test_install_passes_the_branch_names_only_to_a_git_that_substitutes_them(repo, monkeypatch):
    install(repo, monkeypatch)
    driver = git(repo, "config", "merge.ledger.driver").stdout.strip()
    assert driver.endswith(
        "merge-driver %O %A %B --path %P"
        + (" --ours-name %X --theirs-name %Y" if GIT_VERSION >= LABELS_SINCE else "")
    )


QUEUE = """\
# Fix Plan

## High Priority
- [ ] CR-01: Fix the login redirect loop
- [ ] CR-02: Validate the upload size

## Medium Priority
- [ ] CR-04: Write help text for the CLI
"""
NOTE = "  - 2026-02-03T04:05Z (planning) — limit is 10 MB\n"


def queue_repo(repo: Path, monkeypatch) -> None:
    """The checkbox queue committed on main and feature, with the driver on both."""
    git(repo, "checkout", "-q", "main")
    commit(repo, QUEUE, "a checkbox queue")
    install(repo, monkeypatch)
    git(repo, "checkout", "-q", "feature")
    git(repo, "merge", "-q", "main")


def test_checkbox_queue_edits_to_different_items_merge_by_item_in_git(repo, monkeypatch):
    queue_repo(repo, monkeypatch)
    cr02 = "- [ ] CR-02: Validate the upload size\n"
    feature = QUEUE.replace(cr02, cr02 + NOTE).replace(
        "- [ ] CR-04: Write help text for the CLI\n",
        "- [ ] CR-04: Write help text for the CLI\n- [ ] CR-05: Shell completions\n",
    )
    main = QUEUE.replace("- [ ] CR-01", "- [x] CR-01").replace(cr02, cr02 + "- [ ] CR-03: X\n")
    diverge(repo, feature, main)

    merged = git(repo, "merge", "--no-edit", "feature", check=False)

    assert merged.returncode == 0, merged.stdout + merged.stderr
    text = (repo / LEDGER).read_text()
    # CR-02's note stays under CR-02 although main added CR-03 right after it.
    assert text == (
        QUEUE.replace("- [ ] CR-01", "- [x] CR-01")
        .replace(cr02, cr02 + NOTE + "- [ ] CR-03: X\n")
        .replace("the CLI\n", "the CLI\n- [ ] CR-05: Shell completions\n")
    )
    plan = ledger.loads(text)
    assert [a.summary for a in plan.get("CR-02").attempts] == ["limit is 10 MB"]
    assert git(repo, "status", "--porcelain").stdout == ""


def test_checkbox_queue_conflict_is_confined_to_the_item_in_git(repo, monkeypatch):
    queue_repo(repo, monkeypatch)
    feature = QUEUE.replace("- [ ] CR-02", "- [x] CR-02").replace("- [ ] CR-01", "- [x] CR-01")
    main = QUEUE.replace("- [ ] CR-02", "- [BLOCKED:P1:no size in the spec] CR-02")
    diverge(repo, feature, main)

    merged = git(repo, "merge", "--no-edit", "feature", check=False)

    assert merged.returncode != 0
    assert git(repo, "diff", "--name-only", "--diff-filter=U").stdout.split() == [LEDGER]
    text = (repo / LEDGER).read_text()
    ours_name = "HEAD" if GIT_VERSION >= LABELS_SINCE else "ours"
    assert text.startswith(
        "# Fix Plan\n\n## High Priority\n- [x] CR-01: Fix the login redirect loop\n"
    )
    assert (
        f"<<<<<<< {ours_name}\n- [BLOCKED:P1:no size in the spec] CR-02: Validate the upload size\n"
        "=======\n- [x] CR-02: Validate the upload size\n>>>>>>> feature\n"
    ) in text
    assert text.count("<<<<<<<") == 1
