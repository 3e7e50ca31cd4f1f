"""A narrow, private git seam for the archive: file versions along first-parent history.

Only what `ledger archive verify` needs: the repository root, the first-parent commits that
touched one path, that path's bytes at each of them (one `git cat-file --batch` process for all
of them), and the staged (index) version. Every call is a `git` subprocess with an argv list; no
gitpython import, so importing `ledger` never imports git. Paths outside the repository are
refused rather than read.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional, Sequence

from .errors import GitError


@dataclass(frozen=True)
class Version:
    """One committed version of a file: the commit, its subject, and the file's bytes."""

    commit: str
    subject: str
    data: Optional[bytes]  # None: the file does not exist at this commit


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    if check and proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else proc.returncode}")
    return proc


def toplevel(start: Path) -> Path:
    """The working-tree root of the repository holding `start`."""
    folder = start if start.is_dir() else start.parent
    proc = _git(folder, "rev-parse", "--show-toplevel", check=False)
    if proc.returncode != 0:
        raise GitError(f"{start}: not inside a git repository")
    return Path(proc.stdout.decode("utf-8", "surrogateescape").strip())


def repo_path(root: Path, path: Path) -> str:
    """`path` relative to the repository root, with `/` separators; outside it is an error."""
    resolved = (path if path.is_absolute() else Path.cwd() / path).resolve()
    try:
        return resolved.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise GitError(f"{path}: is outside the repository {root}") from None


def has_commits(root: Path, rev: str = "HEAD") -> bool:
    """Whether `rev` names a commit (False for HEAD in a repository without commits)."""
    return (
        _git(root, "rev-parse", "--verify", "-q", f"{rev}^{{commit}}", check=False).returncode == 0
    )


def history(root: Path, rev: str, relpath: str) -> list[tuple[str, str]]:
    """(commit, subject) of first-parent commits of `rev` that touched `relpath`, oldest first."""
    if not has_commits(root, rev):
        if rev == "HEAD":
            return []
        raise GitError(f"{rev!r} is not a commit of {root}")
    # --full-history: a merge that changed the path relative to its first parent is never
    # simplified away; extra commits are harmless (their bytes equal the previous version).
    proc = _git(
        root,
        "log",
        "--first-parent",
        "--full-history",
        "--reverse",
        "--format=%H%x00%s",
        rev,
        "--",
        relpath,
    )
    out = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        commit, _, subject = line.partition("\x00")
        if commit:
            out.append((commit, subject))
    return out


def read_blobs(root: Path, specs: Sequence[str]) -> Iterator[Optional[bytes]]:
    """Bytes of each `REV:PATH` (or `:PATH` for the index) in order; None where it is missing."""
    if not specs:
        return
    proc = subprocess.Popen(
        ["git", "-C", str(root), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for spec in specs:
            # One request, one response: never more than one blob in the pipe at a time.
            proc.stdin.write(spec.encode("utf-8", "surrogateescape") + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline()
            if not header:
                raise GitError("git cat-file stopped unexpectedly")
            parts = header.split()
            if len(parts) != 3 or parts[-1] == b"missing":
                yield None
                continue
            if parts[1] != b"blob":
                yield None
                proc.stdout.read(int(parts[2]) + 1)
                continue
            size = int(parts[2])
            data = proc.stdout.read(size)
            proc.stdout.read(1)  # the newline after the content
            yield data
    finally:
        proc.stdin.close()
        proc.stdout.close()
        proc.wait()


def versions(root: Path, rev: str, relpath: str) -> list[Version]:
    """Every first-parent committed version of `relpath` up to `rev`, oldest first."""
    commits = history(root, rev, relpath)
    blobs = read_blobs(root, [f"{commit}:{relpath}" for commit, _ in commits])
    return [Version(commit, subject, data) for (commit, subject), data in zip(commits, blobs)]


def blob_at(root: Path, rev: str, relpath: str) -> Optional[bytes]:
    """The file's bytes at `rev` (None if the file or the commit does not exist)."""
    if rev and not has_commits(root, rev):
        return None
    return next(read_blobs(root, [f"{rev}:{relpath}"]), None)


def staged_blob(root: Path, relpath: str) -> Optional[bytes]:
    """The file's bytes in the index (what `git commit` would record), or None."""
    return next(read_blobs(root, [f":{relpath}"]), None)


def resolve(root: Path, rev: str) -> Optional[str]:
    """The full commit id `rev` names, or None (e.g. HEAD before the first commit)."""
    proc = _git(root, "rev-parse", "--verify", "-q", f"{rev}^{{commit}}", check=False)
    return proc.stdout.decode("ascii", "replace").strip() if proc.returncode == 0 else None
