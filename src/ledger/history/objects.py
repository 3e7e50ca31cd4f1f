"""Blobs and file versions: one object in one short `git cat-file`, many through gitpython's
persistent `cat-file --batch` reader (`BlobReader`, imported lazily so `import ledger` never
imports git).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..errors import GitError
from .log import first_parent_commits
from .repo import Repo, git_env, has_commits, run_git


def read_blob(repo: Repo, blob_id: str) -> bytes:
    """The bytes of one blob, in one short `git cat-file` (cheaper than starting gitpython's
    reader for a single object); `GitError` when it does not exist."""
    proc = run_git(repo, ["cat-file", "blob", blob_id], check=False)
    if proc.returncode != 0:
        raise GitError(f"blob {blob_id} is missing from the repository")
    return proc.stdout


@dataclass(frozen=True)
class FileVersion:
    """One committed version of a file: the commit, its subject, and the file's bytes."""

    commit: str
    subject: str
    data: bytes | None  # None: the file does not exist at this commit


def file_versions(repo: Repo, rev: str, path: str) -> list[FileVersion]:
    """Every first-parent commit of `rev` that changed `path`, oldest first, with its bytes.

    The same single `git log --raw` as `first_parent_commits` (merges are compared with their
    first parent, so a merge that changed the file is never skipped), then one `cat-file` process.
    """
    if rev == "HEAD" and not has_commits(repo):
        return []
    commits = [c for c in first_parent_commits(repo, rev, path) if path in c.paths]
    wanted = list(dict.fromkeys(c.ledger_blob for c in commits if c.ledger_blob))
    with BlobReader(repo) as reader:
        contents = dict(reader.read_many(wanted))
    return [
        FileVersion(c.sha, c.subject, contents[c.ledger_blob] if c.ledger_blob else None)
        for c in commits
    ]


def read_file_at(repo: Repo, rev: str, path: str) -> bytes | None:
    """The bytes of `path` at `rev`, or None when the commit or the file does not exist."""
    blob = blob_at(repo, rev, path)
    if blob is None:
        return None
    with BlobReader(repo) as reader:
        return reader.read(blob)


def read_staged(repo: Repo, path: str) -> bytes | None:
    """The bytes of `path` in the index (what `git commit` would record), or None.

    Unlike every other call here this keeps `GIT_INDEX_FILE`: inside a pre-commit hook git points
    it at the index being committed, which is the one that must be checked.
    """
    env = git_env()
    if os.environ.get("GIT_INDEX_FILE"):
        env["GIT_INDEX_FILE"] = os.environ["GIT_INDEX_FILE"]
    argv = ["git", f"--git-dir={repo.git_dir}"]
    if repo.work_tree is not None:
        argv.append(f"--work-tree={repo.work_tree}")
    proc = subprocess.run(
        [*argv, "cat-file", "blob", f":{path}"], capture_output=True, env=env, check=False
    )
    return proc.stdout if proc.returncode == 0 else None


def head_and_blob(repo: Repo, path: str) -> tuple[str | None, str | None]:
    """`HEAD`'s sha and the blob id of `path` there, in one call; (None, None) when either is
    missing (no commits, or the file is not committed)."""
    proc = run_git(repo, ["rev-parse", "HEAD", f"HEAD:{path}"], check=False)
    out = proc.stdout.decode().split()
    return (out[0], out[1]) if proc.returncode == 0 and len(out) == 2 else (None, None)


def blob_at(repo: Repo, rev: str, path: str) -> str | None:
    """The blob id of `path` at `rev`, or None when the file is not there."""
    proc = run_git(repo, ["rev-parse", "--verify", "--quiet", f"{rev}:{path}"], check=False)
    return proc.stdout.decode().strip() or None if proc.returncode == 0 else None


class BlobReader:
    """Blob contents through gitpython's persistent `git cat-file --batch` reader.

    One request, one answer: no helper thread and nothing buffered ahead, so a missing blob is a
    clear `GitError` and an early stop (an exception, Ctrl-C) only has to end the one git
    process, which `close` does at once. Use it as a context manager.
    """

    def __init__(self, repo: Repo) -> None:
        import git  # gitpython, lazily: `import ledger` must not import git

        try:
            self._repo = git.Repo(repo.git_dir)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise GitError(f"{repo.git_dir} is not a git repository") from None
        # Pinned, so a GIT_DIR in the environment (a hook's) cannot point the reader elsewhere.
        self._repo.git.update_environment(GIT_DIR=str(repo.git_dir))

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def read(self, blob_id: str) -> bytes:
        """The bytes of one blob (`GitError` when it does not exist)."""
        try:
            _sha, kind, _size, data = self._repo.git.get_object_data(blob_id)
        except ValueError:  # gitpython's "could not be resolved": git answered `missing`
            raise GitError(f"blob {blob_id} is missing from the repository") from None
        if kind not in ("blob", b"blob"):  # gitpython returns the type as bytes
            raise GitError(f"{blob_id} is not a file's contents")
        return data

    def read_many(self, blob_ids: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        """`(id, bytes)` for each id in order, one blob in memory at a time."""
        for blob_id in blob_ids:
            yield blob_id, self.read(blob_id)

    def close(self) -> None:
        """End the git process now (it is killed, not waited for, when a read was cut short)."""
        self._repo.git.clear_cache()
        self._repo.close()
