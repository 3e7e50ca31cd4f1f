"""Opening a repository and asking git small questions: where it is, what a revision is, which
branches exist. Every git call of `ledger.history` runs through `run_git` here (an argv list,
never a shell string, with an environment that cannot redirect it to another repository).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..errors import GitError

NULL_SHA = "0" * 40
FULL_SHA = re.compile(r"[0-9a-f]{40}")


@dataclass(frozen=True)
class Commit:
    """One first-parent commit: what dwell needs to know about it."""

    sha: str
    date: datetime  # commit date (not author date), aware UTC
    subject: str
    paths: tuple[str, ...] = ()
    ledger_blob: str | None = None  # the ledger's blob id at this commit; None when absent

    @property
    def short(self) -> str:
        return self.sha[:8]


@dataclass(frozen=True)
class Repo:
    """An opened repository: where git keeps its data and, unless bare, the working tree."""

    git_dir: Path
    work_tree: Path | None

    @property
    def bare(self) -> bool:
        return self.work_tree is None


def git_env() -> dict[str, str]:
    # A caller's GIT_DIR / GIT_WORK_TREE must not redirect us to another repository, and git
    # must not search above the folder we were given ("never read outside the given repo").
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")
    }
    env.setdefault("LC_ALL", "C")
    return env


def run_git(repo: Repo, args: list[str], *, check: bool = True) -> subprocess.CompletedProcess:
    argv = ["git", f"--git-dir={repo.git_dir}", *args]
    try:
        proc = subprocess.run(argv, capture_output=True, env=git_env(), check=False)
    except FileNotFoundError:  # pragma: no cover - git is a hard requirement
        raise GitError("git is not installed (or not on PATH)") from None
    if check and proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else proc.returncode}")
    return proc


def open_repo(path: Path, *, search_parents: bool = False) -> Repo:
    """Open the repository at `path` (a working tree, a `.git` folder or a bare repository).

    With `search_parents`, `path` may be any folder or file inside a working tree. One
    `git rev-parse` (gitpython is not needed to find a repository, and importing it would cost
    every history command a third of its start-up: decision 0127).
    """
    path = Path(path)
    start = path if path.is_dir() else path.parent
    try:
        proc = subprocess.run(
            [
                "git",
                "-C",
                str(start),
                "rev-parse",
                "--absolute-git-dir",
                "--is-bare-repository",
                "--show-cdup",
            ],
            capture_output=True,
            env=git_env(),
            check=False,
        )
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        raise GitError(f"{path} is not inside a git repository") from None
    out = proc.stdout.decode("utf-8", "surrogateescape").splitlines()
    if proc.returncode != 0 or len(out) < 2:
        raise GitError(f"{path} is not inside a git repository")
    git_dir = Path(out[0]).resolve()
    if out[1] == "true":
        work_tree = None
    elif len(out) > 2:  # inside the working tree: the way up to its top
        work_tree = (start / out[2]).resolve()
    else:  # inside the .git folder of a working tree
        work_tree = git_dir.parent
    if not search_parents and start.resolve() not in (git_dir, work_tree):
        raise GitError(f"{path} is not inside a git repository")
    return Repo(git_dir=git_dir, work_tree=work_tree)


def find_repo_fast(path: Path) -> Repo | None:
    """The working-tree repository holding `path`, or None; one cheap `git rev-parse`, no errors.

    Used by `ledger status`, which must stay fast and quiet outside git.
    """
    try:
        repo = open_repo(path, search_parents=True)
    except GitError:
        return None
    return repo if repo.work_tree is not None else None


def open_work_tree(path: Path) -> Repo:
    """The working-tree repository holding `path` (one `git rev-parse`); `GitError` outside one."""
    repo = find_repo_fast(path)
    if repo is None or repo.work_tree is None:
        raise GitError(f"{path} is not inside a git repository")
    return repo


def git_version() -> tuple[int, ...]:
    """The installed git's version (`(2, 39, 5)`); `()` when it cannot be told."""
    try:
        out = subprocess.run(["git", "--version"], capture_output=True, env=git_env()).stdout
    except (FileNotFoundError, PermissionError):
        return ()
    found = re.search(rb"(\d+)\.(\d+)(?:\.(\d+))?", out)
    return tuple(int(g) for g in found.groups() if g is not None) if found else ()


def set_config(repo: Repo, key: str, value: str) -> None:
    """Set `key` to `value` in the repository's own config (never the global one)."""
    run_git(repo, ["config", "--local", "--end-of-options", key, value])


def resolve(repo: Repo, rev: str = "HEAD") -> str:
    """The full commit sha `rev` names (any ref, tag, sha, `HEAD~3`, `@{1}`, `:/text`);
    `GitError` if none. One `git rev-parse`, the judge of what a revision means (decision 0127)."""
    if rev.startswith("-"):
        raise GitError(f"not a revision: {rev!r}")
    if FULL_SHA.fullmatch(rev):
        return rev  # already a commit id (git itself refuses it later if it names nothing)
    # `^{commit}` peels a tag to its commit; `:/text` (a commit by message) would read it as
    # part of the text, and names a commit anyway.
    name = rev if rev.startswith(":/") else f"{rev}^{{commit}}"
    proc = run_git(
        repo, ["rev-parse", "--verify", "--quiet", "--end-of-options", name], check=False
    )
    if proc.returncode != 0:
        where = repo.work_tree or repo.git_dir
        if not has_commits(repo):
            no_commits = _without_commits(repo, rev)
            if no_commits is not None:
                raise no_commits
        raise GitError(f"unknown revision {rev!r} in {where}")
    return proc.stdout.decode().strip()


def _without_commits(repo: Repo, rev: str) -> GitError | None:
    """Why `rev` names nothing when HEAD has no commit: a repository without any, or (for
    `HEAD`, `HEAD~2`) a HEAD on a branch that has none while others do (a bare mirror whose
    HEAD still names `master`)."""
    where = repo.work_tree or repo.git_dir
    branches = branch_names(repo)
    if not branches:
        return GitError(f"{where} has no commits yet")
    if rev == "HEAD" or rev.startswith(("HEAD~", "HEAD^", "HEAD@")):
        head = run_git(repo, ["symbolic-ref", "-q", "HEAD"], check=False).stdout.decode().strip()
        return GitError(
            f"HEAD of {where} ({head or 'detached'}) has no commits yet",
            hint=f"name one of its branches instead: {', '.join(branches[:5])}",
        )
    return None


def has_commits(repo: Repo) -> bool:
    """Whether HEAD names a commit (False in a new repository, or when HEAD's branch is unborn)."""
    return (
        run_git(repo, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], check=False).returncode
        == 0
    )


def branch_names(repo: Repo) -> list[str]:
    """The short names of the local and remote-tracking branches, in git's order."""
    proc = run_git(
        repo,
        ["for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/remotes"],
        check=False,
    )
    return [name for name in proc.stdout.decode().split() if not name.endswith("/HEAD")]


def branches_with(repo: Repo, path: str, limit: int = 50) -> list[str]:
    """The branches (of the first `limit`) whose tip has `path`, in one `cat-file` call."""
    branches = branch_names(repo)[:limit]
    if not branches:
        return []
    request = "".join(f"{b}:{path}\n" for b in branches).encode()
    argv = ["git", f"--git-dir={repo.git_dir}", "cat-file", "--batch-check"]
    proc = subprocess.run(argv, input=request, capture_output=True, env=git_env(), check=False)
    answers = proc.stdout.decode("utf-8", "replace").splitlines()
    return [b for b, answer in zip(branches, answers) if not answer.endswith(" missing")]


def repo_relative(repo: Repo, path: Path) -> str:
    """`path` as a repository path (`docs/fix_plan.md`); a relative path is taken as one already."""
    if not path.is_absolute():
        return path.as_posix()
    if repo.work_tree is None:
        raise GitError(f"{path}: an absolute path cannot name a file of a bare repository")
    try:
        return path.resolve().relative_to(repo.work_tree).as_posix()
    except ValueError:
        raise GitError(f"{path} is not inside the repository {repo.work_tree}") from None
