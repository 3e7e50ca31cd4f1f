"""The archive file: a preamble, then dated snapshots of the ledger, appended and never changed.

Each snapshot starts at a line `# Snapshot YYYY-MM-DD Fix Plan Ledger`; what follows, up to the
next such line, is the verbatim ledger of that day. Appending writes a fixed frame so the body
can be cut out again exactly:

    <previous archive bytes, never touched>
    (blank line)
    ---
    (blank line)
    # Snapshot 2026-01-06 Fix Plan Ledger
    (blank line)
    <the ledger's exact bytes>

Here: splitting an archive into snapshots, appending one (`append_snapshot` on text,
`append_to_archive` on the file, through `ledger.fileio`: lock, re-read, atomic replace, then
read back), and listing, showing and comparing snapshots. Nothing here prints or reads git.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from typing import Any

from ..document import dominant_newline, split_lines, strip_eol
from ..errors import EditRefused, LedgerError, UsageError
from ..model import Attempt, Ledger
from ..parse import loads

SNAPSHOT_RE = re.compile(r"^# Snapshot (\d{4}-\d{2}-\d{2}) Fix Plan Ledger$")
PREAMBLE = (
    "# Fix Plan Archive\n"
    "\n"
    "This file stores dated snapshots of `{ledger}` for historical reference.\n"
    "Each snapshot is appended and never modified after creation.\n"
)


# --- reading an archive ---------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """One snapshot of an archive: its date, where it is, and the verbatim ledger text."""

    number: int  # 1-based position in the archive
    date: str
    line: int  # the `# Snapshot ...` heading line (1-based)
    body_line: int  # first line of the body (1-based)
    body: str

    @property
    def size(self) -> int:
        """Size of the body in bytes (UTF-8, undecodable bytes counted as they were)."""
        return len(self.body.encode("utf-8", "surrogateescape"))

    def ledger(self) -> Ledger:
        """The body parsed as a ledger."""
        return loads(self.body)


@dataclass(frozen=True)
class Archive:
    """An archive split into its preamble and snapshots."""

    preamble: str
    snapshots: list[Snapshot]

    def find(self, spec: str) -> Snapshot:
        """The snapshot named by `DATE` (the last one of that day), `DATE#K`, `N`, or `latest`."""
        return find_snapshot(self, spec)


def _is_blank(line: str) -> bool:
    return not strip_eol(line).strip()


def split_archive(text: str) -> Archive:
    """Split archive text into preamble and snapshots (any text is accepted)."""
    lines = split_lines(text)
    heads = [
        (i, m.group(1)) for i, line in enumerate(lines) if (m := SNAPSHOT_RE.match(strip_eol(line)))
    ]
    preamble = "".join(lines[: heads[0][0]]) if heads else text
    snapshots = []
    for k, (i, day) in enumerate(heads):
        stop = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        start = i + 1
        if start < stop and _is_blank(lines[start]):
            start += 1  # the blank line of the frame
        end = stop
        if k + 1 < len(heads):
            end = _strip_frame(lines, start, stop)
        snapshots.append(
            Snapshot(
                number=k + 1,
                date=day,
                line=i + 1,
                body_line=start + 1,
                body="".join(lines[start:end]),
            )
        )
    return Archive(preamble=preamble, snapshots=snapshots)


def _strip_frame(lines: list[str], start: int, stop: int) -> int:
    """End of a body followed by another snapshot: drop the `(blank) --- (blank)` frame only."""
    end = stop
    if end > start and _is_blank(lines[end - 1]):
        end -= 1
    if end > start and strip_eol(lines[end - 1]) == "---":
        end -= 1
        if end > start and _is_blank(lines[end - 1]):
            end -= 1
        return end
    return stop  # no frame: the body runs up to the next heading


def find_snapshot(archive: Archive, spec: str) -> Snapshot:
    """Select a snapshot by `DATE`, `DATE#K` (K-th of that day), list number `N`, or `latest`."""
    snaps = archive.snapshots
    if not snaps:
        raise LedgerError(
            "the archive holds no snapshots", hint="take one with `ledger archive snapshot`"
        )
    spec = spec.strip()
    if spec in ("latest", "last"):
        return snaps[-1]
    if spec.isdigit():
        n = int(spec)
        if 1 <= n <= len(snaps):
            return snaps[n - 1]
        raise LedgerError(f"no snapshot number {n} (the archive has {len(snaps)})")
    day, _, nth = spec.partition("#")
    same = [s for s in snaps if s.date == day]
    if same and not nth:
        return same[-1]
    if same and nth.isdigit() and 1 <= int(nth) <= len(same):
        return same[int(nth) - 1]
    dates = ", ".join(dict.fromkeys(s.date for s in snaps))
    raise LedgerError(f"no snapshot {spec!r} in the archive", hint=f"snapshots: {dates}")


# --- appending ------------------------------------------------------------------------------


def check_date(text: str) -> str:
    """Validate a `YYYY-MM-DD` date (a `UsageError` otherwise) and return it."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text or ""):
        raise UsageError(f"bad date {text!r}: expected YYYY-MM-DD")
    try:
        Date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"bad date {text!r}: no such day") from None
    return text


def snapshot_heading(day: str) -> str:
    return f"# Snapshot {day} Fix Plan Ledger"


def append_snapshot(
    archive_text: str | None,
    ledger_text: str,
    date: str,
    *,
    ledger_name: str = "docs/fix_plan.md",
) -> str:
    """The archive with one more snapshot of `ledger_text`; the old text is an exact prefix.

    `archive_text` None creates a new archive with the standard preamble. Refuses a ledger that
    itself contains a snapshot heading line (the archive could no longer be split exactly).
    """
    check_date(date)
    for line in split_lines(ledger_text):
        if SNAPSHOT_RE.match(strip_eol(line)):
            raise EditRefused(
                f"the ledger contains a line {strip_eol(line)!r}; a snapshot of it could not be "
                "told apart from the archive's own snapshot headings"
            )
    nl = dominant_newline(ledger_text) if ledger_text else "\n"
    base = archive_text
    if base is None:
        base = PREAMBLE.format(ledger=ledger_name).replace("\n", nl)
    if base and not base.endswith("\n"):
        # end the last line (only a ledger without a final newline leaves one open)
        base += dominant_newline(base)
    frame = f"{nl}---{nl}{nl}{snapshot_heading(date)}{nl}{nl}"
    new = base + frame + ledger_text
    last = split_archive(new).snapshots[-1]
    if last.body != ledger_text or not new.startswith(archive_text or ""):
        raise EditRefused("internal error: the appended snapshot would not read back exactly")
    return new


def latest_is(archive: Archive, ledger_text: str) -> Snapshot | None:
    """The last snapshot if its body is exactly `ledger_text` (nothing new to snapshot)."""
    if archive.snapshots and archive.snapshots[-1].body == ledger_text:
        return archive.snapshots[-1]
    return None


@dataclass(frozen=True)
class SnapshotTaken:
    """What `append_to_archive` did: the date of the snapshot that holds the ledger, and whether
    it was appended now (False: the latest snapshot already held exactly these bytes)."""

    date: str
    appended: bool


def append_to_archive(
    path: Path, ledger_text: str, day: str, *, ledger_name: str = "docs/fix_plan.md"
) -> SnapshotTaken:
    """Append a snapshot of `ledger_text` to the archive file (created, with its folder, if
    missing), under the archive's lock.

    When the latest snapshot already holds exactly these bytes nothing is written and its date
    is returned. The archive is read back and the new snapshot compared byte for byte, so a
    failed append is an error, never a guess.
    """
    from ..fileio import locked_update, read_text

    taken: list[str] = []

    def change(text: str | None) -> str:
        taken.clear()
        if text is not None:
            same = latest_is(split_archive(text), ledger_text)
            if same is not None:
                taken.append(same.date)
                return text
        return append_snapshot(text, ledger_text, day, ledger_name=ledger_name)

    update = locked_update(path, change, missing_ok=True, create_folders=True)
    if taken:
        return SnapshotTaken(taken[0], appended=False)
    if latest_is(split_archive(read_text(path)), ledger_text) is None:
        raise EditRefused(
            f"{path}: the snapshot could not be read back exactly; the ledger was not changed"
        )
    return SnapshotTaken(day, appended=update.written)


# --- listing, showing, comparing ------------------------------------------------------------


def snapshot_rows(archive: Archive) -> list[dict[str, Any]]:
    """One plain row per snapshot: number, date, line, size, focus items, attempts."""
    rows = []
    for snap in archive.snapshots:
        led = snap.ledger()
        rows.append(
            {
                "number": snap.number,
                "date": snap.date,
                "line": snap.line,
                "size_bytes": snap.size,
                "lines": led.line_count,
                "title": led.header.title,
                "last_updated": led.header.last_updated,
                "focus_items": len(led.focus_items),
                "attempts": led.attempt_count,
            }
        )
    return rows


def _attempt_key(attempt: Attempt) -> str:
    """Identity of an attempt across snapshots: its first line, whitespace-normalised."""
    first = attempt.text.split("\n", 1)[0]
    return " ".join(first.split())


def _attempts_by_id(led: Ledger) -> dict[str, list[Attempt]]:
    out: dict[str, list[Attempt]] = {}
    for item in led.focus_items:
        out.setdefault(item.id, []).extend(item.attempts)
    return out


def _brief(attempt: Attempt) -> dict[str, Any]:
    return {
        "timestamp": attempt.timestamp_text,
        "label": attempt.label,
        "kind": attempt.kind.value if attempt.kind else attempt.kind_text,
        "summary": " ".join(attempt.summary.split())[:200],
    }


def diff_ledgers(old: Ledger, new: Ledger) -> dict[str, Any]:
    """What changed per focus between two ledgers: added/removed items, status, attempts."""
    old_ids, new_ids = old.ids, new.ids
    old_att, new_att = _attempts_by_id(old), _attempts_by_id(new)
    changed = []
    for fid in new_ids:
        if fid not in old_att:
            continue
        a, b = old.get(fid), new.get(fid)
        assert a is not None and b is not None
        entry: dict[str, Any] = {"id": fid}
        if a.status != b.status or a.status_text != b.status_text:
            entry["status"] = {
                "old": a.status.value,
                "new": b.status.value,
                "old_text": a.status_text,
                "new_text": b.status_text,
            }
        before = Counter(_attempt_key(x) for x in old_att[fid])
        added = []
        for attempt in new_att[fid]:
            key = _attempt_key(attempt)
            if before[key]:
                before[key] -= 1
            else:
                added.append(_brief(attempt))
        if added:
            entry["attempts_added"] = added
        removed = sum(before.values())
        if removed:
            entry["attempts_removed"] = removed
        if len(entry) > 1:
            changed.append(entry)
    return {
        "added": [_item_brief(new, i) for i in new_ids if i not in old_att],
        "removed": [_item_brief(old, i) for i in old_ids if i not in new_att],
        "changed": changed,
    }


def _item_brief(led: Ledger, fid: str) -> dict[str, Any]:
    item = led.get(fid)
    assert item is not None
    return {
        "id": fid,
        "title": item.title,
        "status": item.status.value,
        "attempts": len(item.attempts),
    }


def diff_snapshots(archive: Archive, first: str, second: str) -> dict[str, Any]:
    """`diff_ledgers` between two snapshots named as `find_snapshot` accepts."""
    a, b = archive.find(first), archive.find(second)
    result = diff_ledgers(a.ledger(), b.ledger())
    return {"from": _snap_ref(a), "to": _snap_ref(b), **result}


def _snap_ref(snap: Snapshot) -> dict[str, Any]:
    return {"number": snap.number, "date": snap.date, "line": snap.line}
