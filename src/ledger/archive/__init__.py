"""The append-only archive: dated snapshots of the whole ledger, and compaction of the live one.

* `archive.format`: the archive file (a preamble, then `# Snapshot YYYY-MM-DD Fix Plan Ledger`
  frames around the ledger's exact bytes), splitting it, appending to it, and listing, showing
  and comparing its snapshots;
* `archive.compactor`: condensing the live ledger once its text is in a snapshot (every live
  focus keeps its configured fields, its first and last attempts and a pointer line; closed
  items keep their heading and `Status` line), and `compact_ledger_file`, which snapshots first;
* `archive.verify`: the check that every version of the archive starts with the bytes of the
  one before, over a list of versions or over a repository's history (`verify_archive`).

Nothing here prints. The file operations write through `ledger.fileio`; git is read only through
`ledger.history`.
"""

from __future__ import annotations

from .compactor import (
    DEFAULT_KEEP_FIELDS,
    POINTER_RE,
    Compaction,
    CompactOutcome,
    KeepAttempts,
    chronological,
    compact,
    compact_ledger_file,
    compaction,
    kept_attempts,
    removed_lines,
)
from .format import (
    PREAMBLE,
    SNAPSHOT_RE,
    Archive,
    Snapshot,
    SnapshotTaken,
    append_snapshot,
    append_to_archive,
    check_date,
    diff_ledgers,
    diff_snapshots,
    find_snapshot,
    latest_is,
    snapshot_heading,
    snapshot_rows,
    split_archive,
)
from .verify import (
    Against,
    Rewrite,
    VerifyReport,
    first_difference,
    verify_append_only,
    verify_archive,
)

__all__ = [
    "DEFAULT_KEEP_FIELDS",
    "POINTER_RE",
    "PREAMBLE",
    "SNAPSHOT_RE",
    "Against",
    "Archive",
    "CompactOutcome",
    "Compaction",
    "KeepAttempts",
    "Rewrite",
    "Snapshot",
    "SnapshotTaken",
    "VerifyReport",
    "append_snapshot",
    "append_to_archive",
    "check_date",
    "chronological",
    "compact",
    "compact_ledger_file",
    "compaction",
    "diff_ledgers",
    "diff_snapshots",
    "find_snapshot",
    "first_difference",
    "kept_attempts",
    "latest_is",
    "removed_lines",
    "snapshot_heading",
    "snapshot_rows",
    "split_archive",
    "verify_append_only",
    "verify_archive",
]
