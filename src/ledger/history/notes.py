"""Notes under `refs/notes/ledger`: dwell checkpoints that travel with the repository, fetched
and pushed with a timeout and without prompts.
"""

from __future__ import annotations

import os
import subprocess

from ..errors import GitError
from .repo import Repo, git_env, run_git

# --- notes: data that travels with the repository -----------------------------------------------

NOTES_REF = "refs/notes/ledger"


def first_parent_shas(repo: Repo, rev: str, *, limit: int | None = None) -> list[str]:
    """The first-parent history of `rev`, newest first, as shas (no details: cheap); the
    `limit` newest only when given."""
    count = [f"--max-count={limit}"] if limit else []
    proc = run_git(repo, ["rev-list", "--first-parent", *count, "--end-of-options", rev])
    return proc.stdout.decode().split()


def notes(repo: Repo, ref: str = NOTES_REF) -> dict[str, str]:
    """`{commit: note blob}` for every note under `ref` (empty when there is none)."""
    proc = run_git(repo, ["notes", f"--ref={ref}", "list"], check=False)
    out = {}
    for line in proc.stdout.decode().splitlines():
        parts = line.split()
        if len(parts) == 2:
            out[parts[1]] = parts[0]
    return out


def has_ref(repo: Repo, ref: str) -> bool:
    return run_git(repo, ["rev-parse", "--verify", "--quiet", ref], check=False).returncode == 0


def write_note(repo: Repo, commit: str, data: bytes, ref: str = NOTES_REF) -> None:
    """Attach `data` to `commit` under `ref`, byte for byte (replacing an older note)."""
    blob = subprocess.run(
        ["git", f"--git-dir={repo.git_dir}", "hash-object", "-w", "--stdin"],
        input=data,
        capture_output=True,
        env=git_env(),
        check=False,
    )
    if blob.returncode != 0:
        raise GitError(f"cannot store a note in {repo.git_dir}")
    run_git(
        repo, ["notes", f"--ref={ref}", "add", "-f", "-C", blob.stdout.decode().strip(), commit]
    )


def _network_env() -> dict[str, str]:
    # Never wait for a password or a host-key question: a cache is not worth a prompt.
    return {
        **git_env(),
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_SSH_COMMAND": os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes"),
    }


def remote_exists(repo: Repo, remote: str) -> bool:
    return run_git(repo, ["remote", "get-url", remote], check=False).returncode == 0


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
                run_git(
                    repo, ["notes", f"--ref={ref}", "merge", "--strategy=ours", "--quiet", theirs]
                )
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
