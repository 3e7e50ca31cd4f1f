"""The first-parent history in one `git log --raw` call, and the ledger's versions as patches.

`first_parent_commits` turns each commit into a frozen `Commit` with the paths it touched
(against its first parent) and the ledger's blob id there, so callers never need a per-commit
git call; `LedgerPatches` streams `git log -p` of the ledger as hunks for `dwell.versions`.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from ..errors import GitError
from .repo import NULL_SHA, Commit, Repo, git_env, resolve, run_git


def first_parent_commits(
    repo: Repo,
    rev: str,
    ledger_path: str,
    *,
    since: str | None = None,
    start_blob: str | None = None,
) -> list[Commit]:
    """The first-parent history of `rev`, oldest first, with paths touched and ledger blob ids.

    One `git log --raw -z` call: every commit's changes against its first parent give both the
    paths and, when the ledger changed, its new blob id (carried forward otherwise). With
    `since`, only the commits after it (the ledger's blob at `since` is `start_blob`).
    """
    sha = resolve(repo, rev)
    span = f"{since}..{sha}" if since else sha
    proc = run_git(
        repo,
        [
            "log",
            "--first-parent",
            "--reverse",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--diff-merges=first-parent",
            "--root",
            "-z",
            "--format=%x1e%H%x1f%ct%x1f%s",
            span,
            "--",
        ],
    )
    return list(_parse_log(proc.stdout, ledger_path, start_blob))


def _parse_log(data: bytes, ledger_path: str, blob: str | None = None) -> Iterator[Commit]:
    for record in data.split(b"\x1e")[1:]:
        head, _, rest = record.partition(b"\x00")
        sha, ts, subject = head.decode("utf-8", "surrogateescape").split("\x1f", 2)
        paths: list[str] = []
        fields = rest.split(b"\x00")
        i = 0
        while i < len(fields):
            meta = fields[i].lstrip(b"\n")
            if not meta.startswith(b":"):
                i += 1
                continue
            # `:old_mode new_mode old_sha new_sha status` then NUL then the path
            parts = meta.split()
            path = fields[i + 1].decode("utf-8", "surrogateescape") if i + 1 < len(fields) else ""
            paths.append(path)
            if path == ledger_path:
                new = parts[3].decode() if len(parts) > 3 else NULL_SHA
                blob = None if new == NULL_SHA else new
            i += 2
        yield Commit(
            sha=sha,
            date=datetime.fromtimestamp(int(ts), tz=timezone.utc),
            subject=subject.strip(),
            paths=tuple(paths),
            ledger_blob=blob,
        )


# --- the ledger's versions as patches ----------------------------------------------------------


@dataclass(frozen=True)
class Hunk:
    """Lines `[start, start + count)` (0-based, in the version before) become `lines`."""

    start: int
    count: int
    lines: tuple[bytes, ...]  # with their endings (the last may have none)


@dataclass(frozen=True)
class LedgerChange:
    """How one commit changed the ledger: its new blob (None: deleted) and the hunks."""

    commit: str
    blob: str | None
    hunks: tuple[Hunk, ...]


class LedgerPatches:
    """The changes of one file along the first-parent history, from one `git log -p` that runs
    while the caller does other work (two cores read history twice as fast as one).

    Iterate to get `LedgerChange`s, oldest first. `close` (or leaving the `with` block) ends git
    at once, also when the caller stopped early.
    """

    def __init__(self, repo: Repo, rev: str, path: str, *, since: str | None = None) -> None:
        span = f"{since}..{rev}" if since else rev
        argv = [
            "git",
            f"--git-dir={repo.git_dir}",
            "log",
            "--first-parent",
            "--reverse",
            "-p",
            "-U0",
            "--full-index",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
            "--text",
            "--no-color",
            "--diff-merges=first-parent",
            "--format=%x1e%H",
            "--end-of-options",
            span,
            "--",
            path,
        ]
        try:
            self._proc = subprocess.Popen(
                argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=git_env()
            )
        except FileNotFoundError:  # pragma: no cover - git is a hard requirement
            raise GitError("git is not installed (or not on PATH)") from None
        _widen_pipe(self._proc.stdout)

    def __enter__(self) -> LedgerPatches:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __iter__(self) -> Iterator[LedgerChange]:
        proc = self._proc
        assert proc.stdout is not None
        yield from _read_patches(proc.stdout)
        if proc.wait() != 0:
            message = (proc.stderr.read() if proc.stderr else b"").decode("utf-8", "replace")
            lines = message.strip().splitlines()
            raise GitError(f"git log failed: {lines[-1] if lines else proc.returncode}")

    def close(self) -> None:
        proc = self._proc
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def _widen_pipe(stream) -> None:
    """Let git write up to 1 MB ahead of the reader (Linux; elsewhere the pipe stays as it is).

    With the default 64 KB pipe git stops whenever the caller parses a large section, and the
    two cores take turns instead of working together: on the nanoBragg history (2 MB of
    patches) the cold scan waited on git for a third of its time."""
    import fcntl

    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if set_size is None or stream is None:
        return
    for size in (1 << 20, 1 << 18):  # the system's limit (pipe-max-size) may be lower
        try:
            fcntl.fcntl(stream.fileno(), set_size, size)
            return
        except OSError:
            continue


_HUNK = re.compile(rb"@@ -(\d+)(?:,(\d+))? \+\d+(?:,(\d+))? @@")


def _read_patches(stream) -> Iterator[LedgerChange]:
    """Parse `git log -p -U0 --format=%x1e%H` output into changes (hunk counts drive the read,
    so no content line is ever taken for a header)."""
    commit: str | None = None
    blob: str | None = None
    hunks: list[Hunk] = []
    readline = stream.readline
    line = readline()
    while line:
        if line.startswith(b"\x1e"):
            if commit is not None:
                yield LedgerChange(commit, blob, tuple(hunks))
            commit, hunks = line[1:].strip().decode(), []
        elif line.startswith(b"index "):
            new = line.split()[1].split(b"..")[-1].decode()
            blob = None if new == NULL_SHA else new
        elif line.startswith(b"deleted file mode"):
            blob = None
        elif line.startswith(b"@@ "):
            m = _HUNK.match(line)
            assert m is not None, line
            start, old = int(m.group(1)), int(m.group(2) or 1)
            new_count = int(m.group(3) or 1)
            added: list[bytes] = []
            seen_old = seen_new = 0
            last = b""  # the kind of the line read last: `\ No newline` applies to it
            nxt = readline()
            while nxt and (seen_old < old or seen_new < new_count or nxt[:1] == b"\\"):
                kind = nxt[:1]
                if kind == b"-":
                    seen_old += 1
                elif kind == b"+":
                    added.append(nxt[1:])
                    seen_new += 1
                elif kind == b"\\":
                    if last == b"+" and added[-1].endswith(b"\n"):
                        added[-1] = added[-1][:-1]
                else:  # pragma: no cover - a truncated stream
                    break
                last = kind
                nxt = readline()
            hunks.append(Hunk(start - 1 if old else start, old, tuple(added)))
            line = nxt
            continue
        line = readline()
    if commit is not None:
        yield LedgerChange(commit, blob, tuple(hunks))
