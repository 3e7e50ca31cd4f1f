"""Two users, one repository: root records an attempt, then the unprivileged `nobody` does.

Both go through the same repository lock (under `<git-dir>/ledger/locks/`, never in the work
tree), both attempts land, and `git status` shows nothing but the ledger change. Runs only where
the machine allows it (root, `runuser`, a `nobody` user, and an interpreter `nobody` may run
with this environment's packages); otherwise it is skipped with the reason.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest
from gitrepo import GitRepo

from ledger.parse import loads

LEDGER = (
    "# Fix Plan Ledger\n"
    "\n"
    "**Last Updated:** 2025-12-01\n"
    "\n"
    "## [SHARED-001] A focus two people work on\n"
    "- Priority: High\n"
    "- Status: in_progress\n"
    "- Latest Attempt (2025-11-01T100000Z): planning — set up the shared work\n"
)
FOCUS = "SHARED-001"
ROOT_SUMMARY = "recorded by root"
NOBODY_SUMMARY = "recorded by nobody"
USER = "nobody"
SITE = sysconfig.get_paths()["purelib"]  # this environment's packages (ledger among them)
# Start ledger with this environment's packages on any interpreter of the same Python version:
# argv = [-c, SITE, ledger arguments...].
BOOT = (
    "import site, sys; site.addsitedir(sys.argv.pop(1)); sys.argv[0] = 'ledger'; "
    "from ledger.cli import main; main()"
)
CLEAN_PATH = "/usr/local/bin:/usr/bin:/bin"
RUNUSER = shutil.which("runuser")


def _machine_reason() -> str | None:
    """Why this machine cannot run the test, or None."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "needs root, to run a command as another user"
    if RUNUSER is None:
        return "runuser is not installed"
    try:
        pwd.getpwnam(USER)
    except KeyError:
        return f"there is no user {USER!r}"
    return None


def _env(home: Path) -> dict[str, str]:
    """What `nobody` runs with: no GIT_* of the test run, a home it may write."""
    return {
        "PATH": CLEAN_PATH,
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _as_nobody(python: str, args: list[str], cwd: Path, home: Path):
    return subprocess.run(
        [RUNUSER or "runuser", "-u", USER, "--", python, "-c", BOOT, SITE, *args],
        check=False,
        cwd=cwd,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _interpreter_for_nobody(home: Path) -> tuple[str | None, str]:
    """An interpreter `nobody` can run with this environment's packages, or (None, why not).

    The venv's own python comes first; its base interpreter may live where `nobody` cannot go
    (e.g. under /root), so a system interpreter of the same Python version is the fallback."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [sys.executable, shutil.which(version, path=CLEAN_PATH)]
    problems = []
    for python in dict.fromkeys(c for c in candidates if c):
        probe = _as_nobody(python, ["--version"], home, home)
        if probe.returncode == 0 and probe.stdout.startswith("ledger "):
            return python, ""
        said = (probe.stderr or probe.stdout).strip().splitlines()
        problems.append(f"{python}: {said[-1] if said else f'exit {probe.returncode}'}")
    return None, f"user {USER!r} cannot run ledger from {SITE} ({'; '.join(problems)})"


@pytest.fixture
def shared_repo():
    """A repository in a world-accessible temp folder that every user may read and write
    (tmp_path under /tmp/pytest-of-root is 0700, so it cannot be used); removed afterwards."""
    reason = _machine_reason()
    if reason:
        pytest.skip(reason)
    top = Path(tempfile.mkdtemp(prefix="ledger-two-users-"))
    try:
        home = top / "home"
        repo = GitRepo(top / "repo")
        repo.commit("ledger", {"docs/fix_plan.md": LEDGER})
        home.mkdir()
        subprocess.run(["chmod", "-R", "a+rwX", str(top)], check=True)
        python, why = _interpreter_for_nobody(home)
        if python is None:
            pytest.skip(why)
        yield repo, python, home
    finally:
        shutil.rmtree(top, ignore_errors=True)


@pytest.mark.slow
def test_second_user_records_an_attempt_after_root_through_the_shared_git_lock(shared_repo):
    repo, python, home = shared_repo
    ledger = repo.path / "docs" / "fix_plan.md"
    args = ["-f", str(ledger), "attempt", "add", FOCUS, "-k", "planning", "-m"]

    first = subprocess.run(
        [sys.executable, "-m", "ledger", *args, ROOT_SUMMARY],
        check=False,
        cwd=repo.path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert first.returncode == 0, first.stderr
    second = _as_nobody(python, [*args, NOBODY_SUMMARY], repo.path, home)
    assert second.returncode == 0, second.stderr

    # Both attempts, in the one section, each once; every old line is still there.
    text = ledger.read_text(encoding="utf-8")
    summaries = [a.summary for a in loads(text).get(FOCUS).attempts]
    assert sum(ROOT_SUMMARY in s for s in summaries) == 1, summaries
    assert sum(NOBODY_SUMMARY in s for s in summaries) == 1, summaries
    assert len(summaries) == len(loads(LEDGER).get(FOCUS).attempts) + 2
    assert all(line in text.splitlines() for line in LEDGER.splitlines())
    # The second write really was nobody's: a replaced file belongs to whoever replaced it
    # (nobody may not give it back to root).
    assert ledger.stat().st_uid == pwd.getpwnam(USER).pw_uid

    # One lock, shared by both users, inside the git folder; no lock file in the work tree.
    locks = repo.path / ".git" / "ledger" / "locks"
    held = [p.name for p in locks.iterdir()]
    assert len(held) == 1 and held[0].startswith("fix_plan.md.") and held[0].endswith(".lock")
    strays = [
        p
        for p in repo.path.rglob("*")
        if ".git" not in p.relative_to(repo.path).parts
        and (p.name.endswith(".ledger-lock") or p.name.endswith(".ledger-tmp"))
    ]
    assert strays == []
    status = subprocess.run(
        ["git", "-C", str(repo.path), "status", "--porcelain", "--untracked-files=all"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert status == " M docs/fix_plan.md\n"
