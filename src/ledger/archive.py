"""The append-only archive: dated snapshots of the whole ledger, and compaction of the live one.

An archive file is a preamble followed by snapshots. Each snapshot starts at a line
`# Snapshot YYYY-MM-DD Fix Plan Ledger`; what follows, up to the next such line, is the verbatim
ledger of that day. Appending writes a fixed frame so the body can be cut out again exactly:

    <previous archive bytes, never touched>
    (blank line)
    ---
    (blank line)
    # Snapshot 2026-01-06 Fix Plan Ledger
    (blank line)
    <the ledger's exact bytes>

`compaction` then condenses the live ledger: every live focus keeps its configured fields, its
first and last attempts and a pointer line to the snapshot; closed focus items shrink to their
heading, their `Status` line and a pointer. Everything it removes is, byte for byte, in the
snapshot taken just before. `verify_append_only` checks a sequence of file versions (from git)
for any version that does not start with the bytes of the one before.

Nothing here prints or reads git. The two file operations, `append_to_archive` and
`compact_ledger_file`, write through `ledger.fileio` (lock, re-read, atomic replace) and hold
the safety sequence a library caller needs too: the snapshot is appended and read back before
the live ledger is condensed, all under the ledger's lock.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from .config import ArchiveConfig, KeepAttempts
from .document import BLANK, CODE, HEADING, classify, dominant_newline, split_lines, strip_eol
from .errors import EditRefused, LedgerError, UsageError
from .model import Attempt, FocusItem, Ledger
from .parse import loads

SNAPSHOT_RE = re.compile(r"^# Snapshot (\d{4}-\d{2}-\d{2}) Fix Plan Ledger$")
PREAMBLE = (
    "# Fix Plan Archive\n"
    "\n"
    "This file stores dated snapshots of `{ledger}` for historical reference.\n"
    "Each snapshot is appended and never modified after creation.\n"
)
DEFAULT_KEEP_FIELDS = tuple(ArchiveConfig().keep_fields)
# Pointer lines written by `compaction`; they are always kept by later compactions so the live
# ledger keeps one pointer per snapshot that holds part of a focus's history.
POINTER_RE = re.compile(
    r"^[ \t]*[-*] Archived history: .*\(snapshot (\d{4}-\d{2}-\d{2})\)\.[ \t]*\r?$"
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
    archive_text: Optional[str],
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
        base += dominant_newline(
            base
        )  # end the last line (only a ledger without a final newline leaves one open)
    frame = f"{nl}---{nl}{nl}{snapshot_heading(date)}{nl}{nl}"
    new = base + frame + ledger_text
    last = split_archive(new).snapshots[-1]
    if last.body != ledger_text or not new.startswith(archive_text or ""):
        raise EditRefused("internal error: the appended snapshot would not read back exactly")
    return new


def latest_is(archive: Archive, ledger_text: str) -> Optional[Snapshot]:
    """The last snapshot if its body is exactly `ledger_text` (nothing new to snapshot)."""
    if archive.snapshots and archive.snapshots[-1].body == ledger_text:
        return archive.snapshots[-1]
    return None


def append_to_archive(
    path: Path, ledger_text: str, day: str, *, ledger_name: str = "docs/fix_plan.md"
) -> tuple[str, bool]:
    """Append a snapshot of `ledger_text` to the archive file (created, with its folder, if
    missing), under the archive's lock.

    Returns (snapshot date, appended?): when the latest snapshot already holds exactly these
    bytes nothing is written and its date is returned. The archive is read back and the new
    snapshot compared byte for byte, so a failed append is an error, never a guess.
    """
    from .fileio import locked_update, read_text

    taken: list[str] = []

    def change(text: Optional[str]) -> str:
        taken.clear()
        if text is not None:
            same = latest_is(split_archive(text), ledger_text)
            if same is not None:
                taken.append(same.date)
                return text
        return append_snapshot(text, ledger_text, day, ledger_name=ledger_name)

    update = locked_update(path, change, missing_ok=True, create_folders=True)
    if taken:
        return taken[0], False
    if latest_is(split_archive(read_text(path)), ledger_text) is None:
        raise EditRefused(
            f"{path}: the snapshot could not be read back exactly; the ledger was not changed"
        )
    return day, update.written


@dataclass(frozen=True)
class CompactOutcome:
    """What `compact_ledger_file` did: the compaction, the snapshot it points to, and whether
    a snapshot was appended and the ledger written."""

    compaction: Compaction
    snapshot_date: str
    snapshot_existed: bool  # the archive already held a snapshot of exactly this text
    appended: bool
    written: bool


def compact_ledger_file(
    ledger_path: Path,
    archive_path: Path,
    *,
    day: str,
    keep_attempts: str | KeepAttempts = "first,last",
    keep_fields: Iterable[str] = DEFAULT_KEEP_FIELDS,
    archive_name: str = "docs/fix_plan_archive.md",
    ledger_name: str = "docs/fix_plan.md",
    dry_run: bool = False,
) -> CompactOutcome:
    """Snapshot the ledger, then condense it; nothing is condensed unless the snapshot holds
    exactly the text being condensed.

    Everything happens under the ledger's lock on the text as it is then: an existing snapshot of
    exactly these bytes is reused, otherwise one is appended and read back, and only then is the
    condensed text written (re-applied from the start if the file changed meanwhile).
    """
    from .errors import NotALedger
    from .fileio import encode_text, locked_update, not_a_ledger_reason, read_text

    outcome: list[CompactOutcome] = []

    def change(text: Optional[str]) -> str:
        assert text is not None
        reason = not_a_ledger_reason(encode_text(text))
        if reason is not None:
            raise NotALedger(ledger_path, reason)
        existing = None
        if archive_path.exists():
            existing = latest_is(split_archive(read_text(archive_path)), text)
        snapshot_day = existing.date if existing is not None else day
        result = compaction(
            loads(text), snapshot_day, keep_attempts, keep_fields, archive_name=archive_name
        )
        removed_lines(text, result.text)  # refuses if anything but removals and pointers slipped in
        appended = False
        if result.changed and not dry_run:
            snapshot_day, appended = append_to_archive(
                archive_path, text, day, ledger_name=ledger_name
            )
        outcome[:] = [CompactOutcome(result, snapshot_day, existing is not None, appended, False)]
        return result.text if result.changed else text

    update = locked_update(ledger_path, change, dry_run=dry_run)
    done = outcome[-1]
    return CompactOutcome(
        done.compaction, done.snapshot_date, done.snapshot_existed, done.appended, update.written
    )


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


# --- compaction -----------------------------------------------------------------------------


def kept_attempts(
    spec: KeepAttempts, attempts: Sequence[Attempt], latest: Optional[Attempt] = None
) -> list[Attempt]:
    """The attempts `spec` keeps, in document order.

    `latest` is the focus's own idea of its last attempt (`FocusItem.last_attempt`, which breaks
    timestamp ties differently); it is kept too, so `ledger status` shows the same last attempt
    after compaction.
    """
    if not attempts:
        return []
    ordered = chronological(attempts)
    chosen: set[int] = set()
    if spec.first:
        chosen.add(id(ordered[0]))
    if spec.last:
        chosen.add(id(ordered[-1]))
        if latest is not None:
            chosen.add(id(latest))
    if spec.recent:
        chosen.update(id(a) for a in ordered[-spec.recent :])
    return [a for a in attempts if id(a) in chosen]


def chronological(attempts: Sequence[Attempt]) -> list[Attempt]:
    """Attempts oldest first: by timestamp, an undated one takes the date of the one above it."""
    out = []
    current: Optional[datetime] = None
    for pos, attempt in enumerate(attempts):
        if attempt.timestamp is not None:
            current = attempt.timestamp
        out.append((current, pos, attempt))
    if all(c is None for c, _, _ in out):
        return list(attempts)
    floor = min(c for c, _, _ in out if c is not None)
    out.sort(key=lambda t: (t[0] or floor, t[1]))
    return [a for _, _, a in out]


@dataclass
class Compaction:
    """The result of condensing a ledger: the new text and what happened to each part."""

    text: str
    snapshot_date: str
    before_bytes: int
    after_bytes: int
    condensed: list[str] = field(default_factory=list)  # live focus items that lost lines
    stubbed: list[str] = field(default_factory=list)  # closed focus items reduced to stubs
    attempts_kept: int = 0
    attempts_removed: int = 0
    orphans_removed: int = 0

    @property
    def changed(self) -> bool:
        return self.after_bytes != self.before_bytes or bool(self.condensed or self.stubbed)

    def summary(self) -> dict[str, Any]:
        saved = self.before_bytes - self.after_bytes
        return {
            "snapshot": self.snapshot_date,
            "before_bytes": self.before_bytes,
            "after_bytes": self.after_bytes,
            "saved_percent": round(100.0 * saved / self.before_bytes, 1)
            if self.before_bytes
            else 0.0,
            "condensed": self.condensed,
            "stubbed": self.stubbed,
            "attempts_kept": self.attempts_kept,
            "attempts_removed": self.attempts_removed,
            "orphan_attempts_removed": self.orphans_removed,
        }


def compact(
    ledger: Ledger,
    snapshot_date: str,
    keep_attempts: str | KeepAttempts = "first,last",
    keep_fields: Iterable[str] = DEFAULT_KEEP_FIELDS,
    *,
    archive_name: str = "docs/fix_plan_archive.md",
) -> str:
    """The condensed live ledger text (see `compaction` for the details and the report)."""
    return compaction(
        ledger, snapshot_date, keep_attempts, keep_fields, archive_name=archive_name
    ).text


def compaction(
    ledger: Ledger,
    snapshot_date: str,
    keep_attempts: str | KeepAttempts = "first,last",
    keep_fields: Iterable[str] = DEFAULT_KEEP_FIELDS,
    *,
    archive_name: str = "docs/fix_plan_archive.md",
) -> Compaction:
    """Condense `ledger`, whose full text is the snapshot of `snapshot_date`.

    Kept lines are copied verbatim and in order; the only new lines are `Archived history:`
    pointers (and a blank line after a pointer that replaces whole attempt blocks).
    """
    check_date(snapshot_date)
    spec = KeepAttempts.parse(keep_attempts)
    return _Compactor(ledger, snapshot_date, spec, keep_fields, archive_name).run()


class _Compactor:
    def __init__(
        self, ledger: Ledger, day: str, spec: KeepAttempts, keep_fields: Iterable[str], archive: str
    ):
        self.ledger = ledger
        self.day = day
        self.spec = spec
        self.keep_fields = {f.strip().lower() for f in keep_fields}
        self.archive = archive
        self.text = ledger.text
        self.lines = split_lines(self.text)
        self.classes, _ = classify(self.lines)
        self.nl = ledger.newline
        self.keep = [True] * len(self.lines)
        self.after: dict[int, list[str]] = {}  # 0-based line -> new lines inserted after it
        self.before: dict[int, list[str]] = {}  # 0-based line -> new lines inserted before it
        self.attempt_blocks = {
            b.line - 1: (b.line - 1, b.end_line) for b in ledger.blocks if b.kind == "attempt"
        }
        self.report = Compaction(text="", snapshot_date=day, before_bytes=0, after_bytes=0)

    def run(self) -> Compaction:
        dropped_blocks: list[tuple[int, int, Attempt]] = []
        for item in self.ledger.focus_items:
            chosen = (
                kept_attempts(self.spec, item.attempts, item.last_attempt)
                if not item.status.is_closed
                else []
            )
            outside = [a for a in item.attempts if not self._inside(item, a)]
            if item.has_section:
                self._section(item, [a for a in chosen if self._inside(item, a)])
            for attempt in outside:  # `### ts — ID` blocks under `## Attempts History`
                if any(a is attempt for a in chosen):
                    self.report.attempts_kept += 1
                else:
                    dropped_blocks.append(self._drop_block(attempt))
        orphans = []
        for attempt in self.ledger.orphan_attempts:
            if attempt.line - 1 in self.attempt_blocks:
                dropped_blocks.append(self._drop_block(attempt))
            else:
                orphans.append(self._drop_lines(attempt))
        self.report.orphans_removed = len(self.ledger.orphan_attempts)
        self._point_at_runs(dropped_blocks, block=True)
        self._point_at_runs(orphans, block=False)
        return self._render()

    @staticmethod
    def _inside(item: FocusItem, attempt: Attempt) -> bool:
        return item.has_section and item.line <= attempt.line <= item.end_line

    # sections ------------------------------------------------------------------------------

    def _section(self, item: FocusItem, chosen: list[Attempt]) -> None:
        start, end = item.line - 1, item.end_line  # heading index, exclusive end
        content_end = end
        while content_end > start + 1 and self.classes[content_end - 1] == BLANK:
            content_end -= 1
        wanted: set[int] = set()
        closed = item.status.is_closed
        for fld in item.fields:
            if (fld.key == "status") if closed else (fld.key in self.keep_fields):
                wanted.update(range(fld.line - 1, fld.end_line))
        for attempt in chosen:
            wanted.update(range(attempt.line - 1, attempt.end_line))
            container = self._container(item, attempt)
            if container is not None:
                wanted.add(container)
        for i in range(start + 1, content_end):
            if POINTER_RE.match(self.lines[i]):
                wanted.add(i)
        dropped = False
        for i in range(start + 1, content_end):
            if self.classes[i] != BLANK and i not in wanted:
                self.keep[i] = False
                dropped = True
        self._tidy_blanks(start, content_end)
        total = len([a for a in item.attempts if self._inside(item, a)])
        if closed:
            if dropped:
                self.report.stubbed.append(item.id)
            self.report.attempts_removed += total
        else:
            self.report.attempts_kept += len(chosen)
            self.report.attempts_removed += total - len(chosen)
            if dropped:
                self.report.condensed.append(item.id)
        if not dropped:
            return
        if closed:
            what = "the full section is"
        elif total > len(chosen):
            what = f"{total - len(chosen)} of {total} attempts and the rest of this section are"
        else:
            what = "the rest of this section is"
        anchor, prefix = self._anchor(start, content_end, chosen)
        self.after.setdefault(anchor, []).append(self._pointer(prefix, what))

    def _container(self, item: FocusItem, attempt: Attempt) -> Optional[int]:
        """The field line (e.g. `- Attempts History:`) or sub-heading an attempt sits under."""
        holders = [f for f in item.fields if f.line < attempt.line <= f.end_line]
        if holders:
            return max(holders, key=lambda f: f.line).line - 1
        for i in range(attempt.line - 2, item.line - 1, -1):
            if self.classes[i] == HEADING:
                return i
        return None

    def _tidy_blanks(self, start: int, stop: int) -> None:
        """Keep a blank line only between two kept lines, so removals leave no blank runs."""
        prev_kept = True  # the heading
        pending: list[int] = []
        for i in range(start + 1, stop):
            if self.classes[i] == BLANK:
                pending.append(i)
                continue
            for j in pending:
                self.keep[j] = prev_kept and self.keep[i]
            pending = []
            prev_kept = self.keep[i]

    def _anchor(self, start: int, stop: int, chosen: list[Attempt]) -> tuple[int, str]:
        """Where the pointer goes (after the last kept attempt, else the last kept line)."""
        if chosen:
            last = max(chosen, key=lambda a: a.end_line)
            return last.end_line - 1, _bullet_prefix(self.lines[last.line - 1])
        anchor = max(i for i in range(start, stop) if self.keep[i])
        return anchor, "- "

    def _pointer(self, prefix: str, what: str) -> str:
        return (
            f"{prefix}Archived history: {what} in `{self.archive}` (snapshot {self.day}).{self.nl}"
        )

    # attempts outside sections -------------------------------------------------------------

    def _drop_block(self, attempt: Attempt) -> tuple[int, int, Attempt]:
        start, stop = self.attempt_blocks.get(
            attempt.line - 1, (attempt.line - 1, attempt.end_line)
        )
        for i in range(start, stop):
            self.keep[i] = False
        self.report.attempts_removed += 1
        return start, stop, attempt

    def _drop_lines(self, attempt: Attempt) -> tuple[int, int, Attempt]:
        for i in range(attempt.line - 1, attempt.end_line):
            self.keep[i] = False
        self.report.attempts_removed += 1
        return attempt.line - 1, attempt.end_line, attempt

    def _point_at_runs(self, spans: list[tuple[int, int, Attempt]], *, block: bool) -> None:
        """One pointer for each run of removed attempts (blank lines between them go too)."""
        runs: list[list[tuple[int, int, Attempt]]] = []
        for span in sorted(spans, key=lambda s: s[0]):
            if runs and all(
                self.classes[i] == BLANK or not self.keep[i]
                for i in range(runs[-1][-1][1], span[0])
            ):
                for i in range(runs[-1][-1][1], span[0]):
                    self.keep[i] = False
                runs[-1].append(span)
            else:
                runs.append([span])
        for run in runs:
            attempts = [a for _, _, a in run]
            stamps = [a.timestamp_text for a in chronological(attempts) if a.timestamp_text]
            when = (
                f" ({stamps[0]} to {stamps[-1]})"
                if len(stamps) > 1
                else (f" ({stamps[0]})" if stamps else "")
            )
            noun = "attempt" if len(attempts) == 1 else "attempts"
            verb = "is" if len(attempts) == 1 else "are"
            first = run[0][0]
            prefix = "- " if block else _bullet_prefix(self.lines[first])
            line = self._pointer(prefix, f"{len(attempts)} {noun}{when} {verb}")
            self.before.setdefault(first, []).extend([line, self.nl] if block else [line])

    # output --------------------------------------------------------------------------------

    def _render(self) -> Compaction:
        out: list[str] = []
        placed: list[tuple[int, int]] = []  # (old index, new index) of every kept line
        for i, line in enumerate(self.lines):
            out.extend(self.before.get(i, ()))
            if self.keep[i]:
                placed.append((i, len(out)))
                out.append(line)
            out.extend(self.after.get(i, ()))
        if self.lines and not self.lines[-1].endswith("\n"):
            # A pointer after an unterminated last line must start on a line of its own.
            last_kept = max((i for i, k in enumerate(self.keep) if k), default=-1)
            if last_kept == len(self.lines) - 1 and self.after.get(last_kept):
                idx = len(out) - len(self.after[last_kept]) - 1
                out[idx] += self.nl
        self._check_fences(out, placed)
        text = "".join(out)
        report = self.report
        report.text = text
        report.before_bytes = len(self.text.encode("utf-8", "surrogateescape"))
        report.after_bytes = len(text.encode("utf-8", "surrogateescape"))
        return report

    def _check_fences(self, out: list[str], placed: list[tuple[int, int]]) -> None:
        """Refuse if a removal split a code fence, so kept lines changed meaning.

        The parser can end an entry inside an unterminated fence; dropping the entry would
        then turn fenced text into live ledger lines (or the reverse).
        """
        new_classes, _ = classify(out)
        for old_i, new_i in placed:
            if (self.classes[old_i] == CODE) != (new_classes[new_i] == CODE):
                raise EditRefused(
                    f"compaction would split a code fence: line {old_i + 1} would change meaning; "
                    "close the fence (```) and try again"
                )


def _bullet_prefix(line: str) -> str:
    """`  * ` for a nested `  * [date] Attempt` line; `- ` for headings and column-0 prose."""
    content = strip_eol(line)
    stripped = content.lstrip(" \t")
    indent = content[: len(content) - len(stripped)]
    if stripped[:2] in ("- ", "* "):
        return indent + stripped[:2]
    return "- "


def removed_lines(before: str, after: str) -> list[tuple[int, str]]:
    """Lines of `before` (1-based number, text) that are not carried into `after`.

    `after` must be `before` with lines removed and only pointer or blank lines added (what
    `compaction` produces); anything else is an `EditRefused` naming the first foreign line.
    """
    old = split_lines(before)
    new = split_lines(after)
    missing: list[tuple[int, str]] = []
    i = 0
    for n, line in enumerate(new, 1):
        if _is_blank(line) or POINTER_RE.match(line):
            # Blank and pointer lines match only in place; otherwise they were added.
            if i < len(old) and _same(old[i], line, i == len(old) - 1):
                i += 1
            continue
        j = i
        while j < len(old) and not _same(old[j], line, j == len(old) - 1):
            j += 1
        if j == len(old):
            raise EditRefused(
                f"line {n} of the compacted ledger is not from the original: {line!r}"
            )
        missing.extend((k + 1, old[k]) for k in range(i, j))
        i = j + 1
    missing.extend((k + 1, old[k]) for k in range(i, len(old)))
    return missing


def _same(old: str, new: str, last: bool) -> bool:
    """Equal lines; the unterminated last line of the original may have gained a newline."""
    return old == new or (last and strip_eol(old) == strip_eol(new))


# --- append-only verification -----------------------------------------------------------


@dataclass(frozen=True)
class Rewrite:
    """A version of the archive that does not start with the bytes of the version before it."""

    commit: str
    previous: str
    subject: str = ""
    line: Optional[int] = None  # first line of the previous version that differs
    old_line: Optional[str] = None
    new_line: Optional[str] = None
    deleted: bool = False

    def describe(self) -> str:
        """One line saying what was rewritten."""
        if re.fullmatch(r"[0-9a-f]{7,64}", self.commit):
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


def first_difference(old: bytes, new: bytes) -> Optional[tuple[int, str, str]]:
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
    versions: Iterable[tuple[str, Optional[bytes]] | tuple[str, Optional[bytes], str]],
) -> list[Rewrite]:
    """Rewrites in a sequence of (commit, bytes[, subject]) oldest first; empty means append-only.

    Each version is compared with the last existing version before it; a version of None (the
    file is gone) after an existing one is a deletion.
    """
    found: list[Rewrite] = []
    prev_commit: Optional[str] = None
    prev: Optional[bytes] = None
    for entry in versions:
        commit, data = entry[0], entry[1]
        subject = entry[2] if len(entry) > 2 else ""  # type: ignore[misc]
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
