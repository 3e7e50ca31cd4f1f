"""Git history as plain records: the only package of `ledger` that talks to git.

- `repo`: opening a repository (working tree or bare), revisions, branches, and `run_git`,
  through which every git call goes (an argv list, never a shell string);
- `log`: the first-parent history of any revision, oldest first, in ONE `git log --raw` call
  (`Commit` records with the paths each commit touched and the ledger's blob id there), and the
  ledger's versions as patches (`LedgerPatches`);
- `objects`: blobs and file versions; `BlobReader` streams blobs through gitpython's persistent
  `cat-file --batch` reader;
- `notes`: dwell checkpoints under `refs/notes/ledger`, fetched and pushed.

gitpython reads objects: its persistent `cat-file --batch` process serves the many blobs of a
scan (imported inside `BlobReader`, so `import ledger` and the commands that read no blobs never
import it). Finding a repository and resolving a revision are one `git rev-parse` each, and the
bulk listing, `git log --raw`, is a plain `git` subprocess: several times faster than walking
commit objects in Python. Decisions 0070 and 0127.
"""

from __future__ import annotations

from .log import Hunk, LedgerChange, LedgerPatches, first_parent_commits
from .notes import (
    NOTES_REF,
    fetch_notes,
    first_parent_shas,
    has_ref,
    notes,
    push_notes,
    remote_exists,
    write_note,
)
from .objects import (
    BlobReader,
    FileVersion,
    blob_at,
    file_versions,
    head_and_blob,
    read_blob,
    read_file_at,
    read_staged,
)
from .repo import (
    Commit,
    Repo,
    branch_names,
    branches_with,
    find_repo_fast,
    git_version,
    has_commits,
    open_repo,
    open_work_tree,
    repo_relative,
    resolve,
    set_config,
)

__all__ = [
    "NOTES_REF",
    "BlobReader",
    "Commit",
    "FileVersion",
    "Hunk",
    "LedgerChange",
    "LedgerPatches",
    "Repo",
    "blob_at",
    "branch_names",
    "branches_with",
    "fetch_notes",
    "file_versions",
    "find_repo_fast",
    "first_parent_commits",
    "first_parent_shas",
    "git_version",
    "has_commits",
    "has_ref",
    "head_and_blob",
    "notes",
    "open_repo",
    "open_work_tree",
    "push_notes",
    "read_blob",
    "read_file_at",
    "read_staged",
    "remote_exists",
    "repo_relative",
    "resolve",
    "set_config",
    "write_note",
]
