"""Test helpers for real git repositories built in tmp_path (pinned dates, never mocked git)."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path


class GitRepo:
    """A working tree with a `commit(message, files, date=...)` helper (pinned dates)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.n = 0
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, date: str | None = None) -> str:
        env = dict(os.environ)
        if date:
            env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        proc = subprocess.run(
            ["git", *args], cwd=self.path, env=env, capture_output=True, text=True, check=True
        )
        return proc.stdout.strip()

    def commit(
        self, message: str, files: dict[str, str | None] | None = None, date: str | None = None
    ) -> str:
        """Write (or, with None, delete) `files`, commit them; returns the sha."""
        self.n += 1
        for name, content in (files or {}).items():
            target = self.path / name
            if content is None:
                self.git("rm", "-q", name)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content)
            self.git("add", name)
        when = date or f"2025-11-01T{self.n // 60:02d}:{self.n % 60:02d}:00+00:00"
        self.git("commit", "-q", "--allow-empty", "-m", message, date=when)
        return self.git("rev-parse", "HEAD")

    def copy_to(self, path: Path) -> GitRepo:
        """A copy of this repository at `path`, whose next commits get the dates this one's
        would (a history built once per module, changed freely by each test)."""
        shutil.copytree(self.path, path, symlinks=True)
        twin = copy.copy(self)
        twin.path = path
        return twin


ROOT = Path(__file__).resolve().parents[1]  # this repository: it ships .pre-commit-hooks.yaml


def git(repo: Path, *args: str) -> str:
    """Run git in `repo`; raises on failure."""
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def try_repo(repo: Path, hook_id: str, home: Path) -> subprocess.CompletedProcess:
    """`pre-commit try-repo <this repository> HOOK` inside `repo` (needs PyPI for the env)."""
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    env.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook_id],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
