"""The append-only check: every version of the archive must start with the bytes of the one before.

`verify_append_only` compares a sequence of file versions (oldest first) and names each version
that does not start with the previous one's bytes, or that deleted the file. `verify_archive`
runs the whole check `ledger archive verify` makes, on a repository: the first-parent history of
a revision, and the working copy or the staged archive against HEAD. Git is read only through
`ledger.history`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..history import Repo

_COMMIT = re.compile(r"[0-9a-f]{7,64}")


@dataclass(frozen=True)
class Rewrite:
    """A version of the archive that does not start with the bytes of the version before it."""

    commit: str
    previous: str
    subject: str = ""
    line: int | None = None  # first line of the previous version that differs
    old_line: str | None = None
    new_line: str | None = None
    deleted: bool = False

    def describe(self) -> str:
        """One line saying what was rewritten."""
        if _COMMIT.fullmatch(self.commit):
            who = f"commit {self.commit[:12]}" + (f" ({self.subject})" if self.subject else "")
        else:  # not a commit: "working copy" or "staged archive"
            who = f"the {self.commit}"
        if self.deleted:
            return f"{who} deleted the archive (previous version: commit {self.previous[:12]})"
        return (
            f"{who} rewrote line {self.line} of the version in commit {self.previous[:12]}: "
            f"{self.old_line!r} became {self.new_line!r}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "previous": self.previous,
            "subject": self.subject,
            "line": self.line,
            "old_line": self.old_line,
            "new_line": self.new_line,
            "deleted": self.deleted,
        }


def first_difference(old: bytes, new: bytes) -> tuple[int, str, str] | None:
    """None if `new` starts with `old`; else (line, old line, new line) where they part."""
    if new.startswith(old):
        return None
    limit = min(len(old), len(new))
    pos = next((k for k in range(limit) if old[k] != new[k]), limit)
    line_start = old.rfind(b"\n", 0, pos) + 1
    line_no = old.count(b"\n", 0, line_start) + 1

    def line_at(data: bytes) -> str:
        stop = data.find(b"\n", line_start)
        chunk = data[line_start : stop if stop >= 0 else len(data)]
        return (
            chunk.decode("utf-8", "replace").rstrip("\r") if line_start < len(data) or chunk else ""
        )

    return line_no, line_at(old), line_at(new)


def verify_append_only(
    versions: Iterable[tuple[str, bytes | None] | tuple[str, bytes | None, str]],
) -> list[Rewrite]:
    """Rewrites in a sequence of (commit, bytes[, subject]) oldest first; empty means append-only.

    Each version is compared with the last existing version before it; a version of None (the
    file is gone) after an existing one is a deletion.
    """
    found: list[Rewrite] = []
    prev_commit: str | None = None
    prev: bytes | None = None
    for entry in versions:
        commit, data = entry[0], entry[1]
        subject = entry[2] if len(entry) > 2 else ""
        if prev is not None and prev_commit is not None:
            if data is None:
                found.append(Rewrite(commit, prev_commit, subject, deleted=True))
                continue  # keep comparing against the last version that existed
            diff = first_difference(prev, data)
            if diff is not None:
                line, old_line, new_line = diff
                found.append(Rewrite(commit, prev_commit, subject, line, old_line, new_line))
        if data is not None:
            prev, prev_commit = data, commit
    return found


class Against(str, Enum):
    """What `verify_archive` compares with HEAD's version, besides the committed history."""

    working_copy = "working copy"
    staged = "staged archive"  # the index: what the commit being made would record
    nothing = "nothing"


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of `verify_archive`: the rewrites found and what was looked at."""

    rewrites: tuple[Rewrite, ...]
    versions_checked: int  # committed versions of the history (deletions not counted)
    checked: Against | None  # the uncommitted version compared with HEAD, if any
    at_head: bool  # HEAD holds the archive
    current_exists: bool  # the working copy (or staged) archive exists
    no_commits: bool = False  # HEAD has no commit yet: there is nothing to compare with

    @property
    def ok(self) -> bool:
        """Nothing was rewritten."""
        return not self.rewrites

    @property
    def missing(self) -> bool:
        """There is no archive at all: never committed, and not in the working copy (or index).

        The check then passes vacuously, which a wrong archive path would make silent."""
        return (
            self.ok and not self.versions_checked and not self.at_head and not self.current_exists
        )


def verify_archive(
    repo: Repo,
    path: str,
    against: Against = Against.working_copy,
    *,
    rev: str = "HEAD",
    history: bool = True,
) -> VerifyReport:
    """Check that the archive at repository path `path` was only ever appended to.

    With `history`, every first-parent committed version of `rev` must start with the bytes of
    the version before it; unless `against` is `nothing`, the working copy (or the staged
    archive) must start with HEAD's version, and must not have been deleted."""
    from .. import history as git

    rewrites: list[Rewrite] = []
    checked = 0
    if against is Against.nothing:
        git.resolve(
            repo, rev
        )  # only history is asked for: a revision that names nothing is an error
    if history:
        versions = git.file_versions(repo, rev, path)
        checked = sum(1 for v in versions if v.data is not None)
        rewrites = verify_append_only([(v.commit, v.data, v.subject) for v in versions])
    if against is Against.nothing:
        return VerifyReport(tuple(rewrites), checked, None, at_head=False, current_exists=False)
    no_commits = not git.has_commits(repo)
    head_commit = None if no_commits else git.resolve(repo, "HEAD")
    head = git.read_file_at(repo, "HEAD", path) if head_commit else None
    current = _current(repo, path, against)
    if head is not None and head_commit is not None:
        if current is None:
            rewrites.append(Rewrite(against.value, head_commit, deleted=True))
        else:
            found = first_difference(head, current)
            if found is not None:
                rewrites.append(Rewrite(against.value, head_commit, "", *found))
    return VerifyReport(
        tuple(rewrites),
        checked,
        against,
        at_head=head is not None,
        current_exists=current is not None,
        no_commits=no_commits,
    )


def _current(repo: Repo, path: str, against: Against) -> bytes | None:
    """The staged archive, or the working copy's (None when there is none)."""
    from ..history import read_staged

    if against is Against.staged:
        return read_staged(repo, path)
    if repo.work_tree is None:
        return None
    file = repo.work_tree / path
    return file.read_bytes() if file.is_file() else None
