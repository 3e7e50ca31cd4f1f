"""Git history as plain records: the only module of `ledger` that talks to git.

`open_repo` finds a repository (working tree or bare) and `first_parent_commits` walks the
first-parent history of any revision, oldest first, in ONE `git log --raw` call. Each commit
becomes a frozen `Commit` with the paths it touched (against its first parent) and the blob id
of the ledger at that commit, so callers never need a per-commit git call. `BlobReader` streams
blob contents through one long-lived `git cat-file --batch` process.

gitpython opens repositories, resolves revisions and reads blobs through its persistent
`cat-file` reader (imported lazily, inside functions, so `import ledger` and the commands that do
not read history never import it). The one bulk listing, `git log --raw`, is a plain `git`
subprocess with an argv list (never a shell string): several times faster than walking commit
objects one by one in Python. See docs/decisions/0070-gitpython-reads-objects.md.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .errors import GitError

_NULL_SHA = "0" * 40
_FULL_SHA = re.compile(r"[0-9a-f]{40}")


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


def _git_env() -> dict[str, str]:
    # A caller's GIT_DIR / GIT_WORK_TREE must not redirect us to another repository, and git
    # must not search above the folder we were given ("never read outside the given repo").
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")
    }
    env.setdefault("LC_ALL", "C")
    return env


def _run(repo: Repo, args: list[str], *, check: bool = True) -> subprocess.CompletedProcess:
    argv = ["git", f"--git-dir={repo.git_dir}", *args]
    try:
        proc = subprocess.run(argv, capture_output=True, env=_git_env(), check=False)
    except FileNotFoundError:  # pragma: no cover - git is a hard requirement
        raise GitError("git is not installed (or not on PATH)") from None
    if check and proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else proc.returncode}")
    return proc


def open_repo(path: Path, *, search_parents: bool = False) -> Repo:
    """Open the repository at `path` (a working tree, a `.git` folder or a bare repository).

    With `search_parents`, `path` may be any folder or file inside a working tree.
    """
    import git  # gitpython, lazily: `import ledger` must not import git

    path = Path(path)
    start = path if path.is_dir() else path.parent
    try:
        repo = git.Repo(start, search_parent_directories=search_parents)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError(f"{path} is not inside a git repository") from None
    git_dir = Path(repo.git_dir).resolve()
    tree = repo.working_tree_dir
    work_tree = None if repo.bare or tree is None else Path(tree).resolve()
    repo.close()
    return Repo(git_dir=git_dir, work_tree=work_tree)


def find_repo_fast(path: Path) -> Repo | None:
    """The working-tree repository holding `path`, or None; one cheap `git rev-parse`, no errors.

    Used by `ledger status`, which must stay fast and quiet outside git.
    """
    start = path if path.is_dir() else path.parent
    try:
        proc = subprocess.run(
            ["git", "-C", str(start), "rev-parse", "--absolute-git-dir", "--show-toplevel"],
            capture_output=True,
            env=_git_env(),
            check=False,
        )
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return None
    if proc.returncode != 0:
        return None
    out = proc.stdout.decode("utf-8", "surrogateescape").splitlines()
    if len(out) < 2:
        return None
    return Repo(git_dir=Path(out[0]), work_tree=Path(out[1]))


def open_work_tree(path: Path) -> Repo:
    """The working-tree repository holding `path` (one `git rev-parse`); `GitError` outside one."""
    repo = find_repo_fast(path)
    if repo is None or repo.work_tree is None:
        raise GitError(f"{path} is not inside a git repository")
    return repo


def git_version() -> tuple[int, ...]:
    """The installed git's version (`(2, 39, 5)`); `()` when it cannot be told."""
    try:
        out = subprocess.run(["git", "--version"], capture_output=True, env=_git_env()).stdout
    except (FileNotFoundError, PermissionError):
        return ()
    found = re.search(rb"(\d+)\.(\d+)(?:\.(\d+))?", out)
    return tuple(int(g) for g in found.groups() if g is not None) if found else ()


def set_config(repo: Repo, key: str, value: str) -> None:
    """Set `key` to `value` in the repository's own config (never the global one)."""
    _run(repo, ["config", "--local", "--end-of-options", key, value])


def resolve(repo: Repo, rev: str = "HEAD") -> str:
    """The full commit sha `rev` names (any ref, tag, sha or `HEAD~3`); `GitError` if none.

    gitpython resolves the usual forms in-process; the rest (`@{1}`, `:/text`) are asked of
    `git rev-parse`, which is also the judge when gitpython cannot find a name."""
    if rev.startswith("-"):
        raise GitError(f"not a revision: {rev!r}")
    if _FULL_SHA.fullmatch(rev):
        return rev  # already a commit id (git itself refuses it later if it names nothing)
    import git  # gitpython, lazily

    try:
        found = git.Repo(repo.git_dir)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError(f"{repo.git_dir} is not a git repository") from None
    try:
        return str(found.commit(rev).hexsha)
    except Exception:  # gitpython raises several types (and some fail to print): ask git
        pass
    finally:
        found.close()
    proc = _run(
        repo,
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
        check=False,
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
        head = _run(repo, ["symbolic-ref", "-q", "HEAD"], check=False).stdout.decode().strip()
        return GitError(
            f"HEAD of {where} ({head or 'detached'}) has no commits yet",
            hint=f"name one of its branches instead: {', '.join(branches[:5])}",
        )
    return None


def has_commits(repo: Repo) -> bool:
    """Whether HEAD names a commit (False in a new repository, or when HEAD's branch is unborn)."""
    return (
        _run(repo, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], check=False).returncode
        == 0
    )


def branch_names(repo: Repo) -> list[str]:
    """The short names of the local and remote-tracking branches, in git's order."""
    proc = _run(
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
    proc = subprocess.run(argv, input=request, capture_output=True, env=_git_env(), check=False)
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
    proc = _run(
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
                new = parts[3].decode() if len(parts) > 3 else _NULL_SHA
                blob = None if new == _NULL_SHA else new
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
                argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_git_env()
            )
        except FileNotFoundError:  # pragma: no cover - git is a hard requirement
            raise GitError("git is not installed (or not on PATH)") from None

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
            blob = None if new == _NULL_SHA else new
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


def read_blob(repo: Repo, blob_id: str) -> bytes:
    """The bytes of one blob, in one short `git cat-file` (cheaper than starting gitpython's
    reader for a single object); `GitError` when it does not exist."""
    proc = _run(repo, ["cat-file", "blob", blob_id], check=False)
    if proc.returncode != 0:
        raise GitError(f"blob {blob_id} is missing from the repository")
    return proc.stdout


# --- notes: data that travels with the repository -----------------------------------------------

NOTES_REF = "refs/notes/ledger"


def first_parent_shas(repo: Repo, rev: str, *, limit: int | None = None) -> list[str]:
    """The first-parent history of `rev`, newest first, as shas (no details: cheap); the
    `limit` newest only when given."""
    count = [f"--max-count={limit}"] if limit else []
    proc = _run(repo, ["rev-list", "--first-parent", *count, "--end-of-options", rev])
    return proc.stdout.decode().split()


def notes(repo: Repo, ref: str = NOTES_REF) -> dict[str, str]:
    """`{commit: note blob}` for every note under `ref` (empty when there is none)."""
    proc = _run(repo, ["notes", f"--ref={ref}", "list"], check=False)
    out = {}
    for line in proc.stdout.decode().splitlines():
        parts = line.split()
        if len(parts) == 2:
            out[parts[1]] = parts[0]
    return out


def has_ref(repo: Repo, ref: str) -> bool:
    return _run(repo, ["rev-parse", "--verify", "--quiet", ref], check=False).returncode == 0


def write_note(repo: Repo, commit: str, data: bytes, ref: str = NOTES_REF) -> None:
    """Attach `data` to `commit` under `ref`, byte for byte (replacing an older note)."""
    blob = subprocess.run(
        ["git", f"--git-dir={repo.git_dir}", "hash-object", "-w", "--stdin"],
        input=data,
        capture_output=True,
        env=_git_env(),
        check=False,
    )
    if blob.returncode != 0:
        raise GitError(f"cannot store a note in {repo.git_dir}")
    _run(repo, ["notes", f"--ref={ref}", "add", "-f", "-C", blob.stdout.decode().strip(), commit])


def _network_env() -> dict[str, str]:
    # Never wait for a password or a host-key question: a cache is not worth a prompt.
    return {
        **_git_env(),
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_SSH_COMMAND": os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes"),
    }


def remote_exists(repo: Repo, remote: str) -> bool:
    return _run(repo, ["remote", "get-url", remote], check=False).returncode == 0


def fetch_notes(repo: Repo, remote: str, ref: str = NOTES_REF, timeout: float = 20.0) -> bool:
    """Fetch `ref` from `remote` into the same ref (forced: the remote's notes are the shared
    copy); False when the remote has none or cannot be reached in `timeout` seconds."""
    argv = [
        "git",
        f"--git-dir={repo.git_dir}",
        "fetch",
        "--quiet",
        "--no-tags",
        "--no-write-fetch-head",
    ]
    try:
        proc = subprocess.run(
            [*argv, remote, f"+{ref}:{ref}"],
            capture_output=True,
            env=_network_env(),
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False
    return proc.returncode == 0


def push_notes(repo: Repo, remote: str, ref: str = NOTES_REF, timeout: float = 60.0) -> None:
    """Publish `ref` to `remote`, merging in what is already there (ours wins where both have a
    note on one commit); `GitError` when it cannot be pushed."""
    theirs = f"{ref}-remote"
    base = ["git", f"--git-dir={repo.git_dir}"]
    message: list[str] = []
    for _attempt in range(2):  # a second try when another writer pushed in between
        try:
            fetched = subprocess.run(
                [
                    *base,
                    "fetch",
                    "--quiet",
                    "--no-tags",
                    "--no-write-fetch-head",
                    remote,
                    f"+{ref}:{theirs}",
                ],
                capture_output=True,
                env=_network_env(),
                timeout=timeout,
                check=False,
            )
            if fetched.returncode == 0 and has_ref(repo, theirs):
                _run(repo, ["notes", f"--ref={ref}", "merge", "--strategy=ours", "--quiet", theirs])
            proc = subprocess.run(
                [*base, "push", "--quiet", remote, f"{ref}:{ref}"],
                capture_output=True,
                env=_network_env(),
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise GitError(f"pushing {ref} to {remote} timed out") from None
        if proc.returncode == 0:
            return
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    raise GitError(f"cannot push {ref} to {remote}: {message[-1] if message else 'rejected'}")


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
    env = _git_env()
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
    proc = _run(repo, ["rev-parse", "HEAD", f"HEAD:{path}"], check=False)
    out = proc.stdout.decode().split()
    return (out[0], out[1]) if proc.returncode == 0 and len(out) == 2 else (None, None)


def blob_at(repo: Repo, rev: str, path: str) -> str | None:
    """The blob id of `path` at `rev`, or None when the file is not there."""
    proc = _run(repo, ["rev-parse", "--verify", "--quiet", f"{rev}:{path}"], check=False)
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
