"""Compaction: condense the live ledger once its full text is safe in a snapshot.

Every live focus keeps its configured fields, its first and last attempts and a pointer line to
the snapshot; closed focus items shrink to their heading, their `Status` line and a pointer;
attempts outside sections (the reset layout's `###` blocks, orphans) give way to one pointer per
run. Everything removed is, byte for byte, in the snapshot taken just before.

The compactor reads the parsed ledger's `Document` (its lines and classes) and states its work
as `Splice`s (whole-line deletions and pointer-line insertions) applied by `Document.splice`, so
kept lines keep their bytes and the file keeps its newline style and final-newline state.
`compact_ledger_file` holds the safety sequence a library caller needs too: the snapshot is
appended and read back before the live ledger is condensed, all under the ledger's lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..config import ArchiveConfig, KeepAttempts
from ..document import BLANK, CODE, HEADING, Document, Splice, split_lines, strip_eol
from ..errors import EditRefused
from ..model import Attempt, BlockKind, FocusItem, Ledger
from ..parse import loads
from ..parse.reset import ARCHIVED_POINTER
from .format import append_to_archive, check_date, latest_is, split_archive

DEFAULT_KEEP_FIELDS = tuple(ArchiveConfig().keep_fields)
# Pointer lines written by `compaction` (the parser knows them too: a reset log whose entries
# were archived is still a log); they are always kept by later compactions so the live ledger
# keeps one pointer per snapshot that holds part of a focus's history.
POINTER_RE = ARCHIVED_POINTER


def kept_attempts(
    spec: KeepAttempts, attempts: Sequence[Attempt], latest: Attempt | None = None
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
    current: datetime | None = None
    for pos, attempt in enumerate(attempts):
        if attempt.timestamp is not None:
            current = attempt.timestamp
        out.append((current, pos, attempt))
    if all(c is None for c, _, _ in out):
        return list(attempts)
    floor = min(c for c, _, _ in out if c is not None)
    out.sort(key=lambda t: (t[0] or floor, t[1]))
    return [a for _, _, a in out]


@dataclass(frozen=True)
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


@dataclass(frozen=True, slots=True)
class _Removed:
    """Lines `[start, stop)` (0-based) removed with the attempt they held."""

    start: int
    stop: int
    attempt: Attempt


class _Compactor:
    """Decides, line by line, what stays, and where pointer lines go; then splices once."""

    def __init__(
        self, ledger: Ledger, day: str, spec: KeepAttempts, keep_fields: Iterable[str], archive: str
    ):
        self.ledger = ledger
        self.day = day
        self.spec = spec
        self.keep_fields = {f.strip().lower() for f in keep_fields}
        self.archive = archive
        self.doc: Document = ledger.document
        self.classes = self.doc.classes
        self.keep = [True] * len(self.doc)
        self.after: dict[int, list[str]] = {}  # 0-based line -> pointer lines inserted after it
        self.before: dict[int, list[str]] = {}  # 0-based line -> pointer lines inserted before it
        self.attempt_blocks = {
            b.line - 1: (b.line - 1, b.end_line)
            for b in ledger.blocks
            if b.kind == BlockKind.attempt
        }
        self.condensed: list[str] = []
        self.stubbed: list[str] = []
        self.attempts_kept = 0
        self.attempts_removed = 0

    def run(self) -> Compaction:
        dropped_blocks: list[_Removed] = []
        for item in self.ledger.focus_items:
            if not item.form.is_ledger_section:
                continue  # the other forms keep no attempts history to compact
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
                    self.attempts_kept += 1
                else:
                    dropped_blocks.append(self._drop_block(attempt))
        orphans = []
        for attempt in self.ledger.orphan_attempts:
            if attempt.line - 1 in self.attempt_blocks:
                dropped_blocks.append(self._drop_block(attempt))
            else:
                orphans.append(self._drop_lines(attempt))
        self._point_at_runs(dropped_blocks, block=True)
        self._point_at_runs(orphans, block=False)
        return self._result()

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
        contents = self.doc.contents
        for i in range(start + 1, content_end):
            if POINTER_RE.match(contents[i]):
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
                self.stubbed.append(item.id)
            self.attempts_removed += total
        else:
            self.attempts_kept += len(chosen)
            self.attempts_removed += total - len(chosen)
            if dropped:
                self.condensed.append(item.id)
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

    def _container(self, item: FocusItem, attempt: Attempt) -> int | None:
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
            return last.end_line - 1, _bullet_prefix(self.doc.contents[last.line - 1])
        anchor = max(i for i in range(start, stop) if self.keep[i])
        return anchor, "- "

    def _pointer(self, prefix: str, what: str) -> str:
        return f"{prefix}Archived history: {what} in `{self.archive}` (snapshot {self.day})."

    # attempts outside sections -------------------------------------------------------------

    def _drop_block(self, attempt: Attempt) -> _Removed:
        start, stop = self.attempt_blocks.get(
            attempt.line - 1, (attempt.line - 1, attempt.end_line)
        )
        for i in range(start, stop):
            self.keep[i] = False
        self.attempts_removed += 1
        return _Removed(start, stop, attempt)

    def _drop_lines(self, attempt: Attempt) -> _Removed:
        for i in range(attempt.line - 1, attempt.end_line):
            self.keep[i] = False
        self.attempts_removed += 1
        return _Removed(attempt.line - 1, attempt.end_line, attempt)

    def _point_at_runs(self, removed: list[_Removed], *, block: bool) -> None:
        """One pointer for each run of removed attempts (blank lines between them go too)."""
        runs: list[list[_Removed]] = []
        for span in sorted(removed, key=lambda s: s.start):
            gap = range(runs[-1][-1].stop, span.start) if runs else range(0)
            if runs and all(self.classes[i] == BLANK or not self.keep[i] for i in gap):
                for i in gap:
                    self.keep[i] = False
                runs[-1].append(span)
            else:
                runs.append([span])
        for run in runs:
            attempts = [r.attempt for r in run]
            stamps = [a.timestamp_text for a in chronological(attempts) if a.timestamp_text]
            when = (
                f" ({stamps[0]} to {stamps[-1]})"
                if len(stamps) > 1
                else (f" ({stamps[0]})" if stamps else "")
            )
            noun = "attempt" if len(attempts) == 1 else "attempts"
            verb = "is" if len(attempts) == 1 else "are"
            first = run[0].start
            prefix = "- " if block else _bullet_prefix(self.doc.contents[first])
            line = self._pointer(prefix, f"{len(attempts)} {noun}{when} {verb}")
            self.before.setdefault(first, []).extend([line, ""] if block else [line])

    # output --------------------------------------------------------------------------------

    def _splices(self) -> list[Splice]:
        """The pointer lines inserted between lines (after line i-1, then before line i), and
        deletions of the runs of dropped lines, cut at the insertion points so that no change
        overlaps another."""
        points = {i + 1 for i in self.after} | set(self.before)
        changes = [
            Splice.insert(p, self.after.get(p - 1, []) + self.before.get(p, []))
            for p in sorted(points)
        ]
        run_start = None
        for i, kept in enumerate([*self.keep, True]):
            if run_start is not None and (kept or i in points):
                changes.append(Splice.delete(run_start, i))
                run_start = None
            if not kept and run_start is None:
                run_start = i
        return changes

    def _result(self) -> Compaction:
        changes = self._splices()
        text = self.doc.splice(changes)
        self._check_fences(Document.parse(text), changes)
        return Compaction(
            text=text,
            snapshot_date=self.day,
            before_bytes=len(self.doc.text.encode("utf-8", "surrogateescape")),
            after_bytes=len(text.encode("utf-8", "surrogateescape")),
            condensed=self.condensed,
            stubbed=self.stubbed,
            attempts_kept=self.attempts_kept,
            attempts_removed=self.attempts_removed,
            orphans_removed=len(self.ledger.orphan_attempts),
        )

    def _check_fences(self, new: Document, changes: list[Splice]) -> None:
        """Refuse if a removal split a code fence, so kept lines changed meaning.

        The parser can end an entry inside an unterminated fence; dropping the entry would
        then turn fenced text into live ledger lines (or the reverse).
        """
        for old_i, new_i in _kept_positions(len(self.doc), changes):
            if (self.classes[old_i] == CODE) != (new.classes[new_i] == CODE):
                raise EditRefused(
                    f"compaction would split a code fence: line {old_i + 1} would change meaning; "
                    "close the fence (```) and try again"
                )


def _kept_positions(count: int, changes: list[Splice]) -> Iterator[tuple[int, int]]:
    """(old index, new index) of every line of a `count`-line text that `changes` keep."""
    shift = 0
    position = 0
    for change in sorted(changes, key=lambda c: (c.start, c.stop)):
        for i in range(position, change.start):
            yield i, i + shift
        shift += len(change.lines) - (change.stop - change.start)
        position = max(position, change.stop)
    for i in range(position, count):
        yield i, i + shift


def _bullet_prefix(content: str) -> str:
    """`  * ` for a nested `  * [date] Attempt` line; `- ` for headings and column-0 prose."""
    stripped = content.lstrip(" \t")
    indent = content[: len(content) - len(stripped)]
    if stripped[:2] in ("- ", "* "):
        return indent + stripped[:2]
    return "- "


def removed_lines(before: str, after: str) -> list[tuple[int, str]]:
    """Lines of `before` (1-based number, text) that are not carried into `after`.

    `after` must be `before` with lines removed and only pointer or blank lines added (what
    `compaction` produces); anything else is an `EditRefused` naming the first foreign line.
    The last line of either text may differ from its counterpart in its ending only (a file
    keeps its final-newline state when its last line goes or gains a pointer after it).
    """
    old = split_lines(before)
    new = split_lines(after)
    missing: list[tuple[int, str]] = []
    i = 0
    for n, line in enumerate(new, 1):
        last = n == len(new)
        if not strip_eol(line).strip() or POINTER_RE.match(line):
            # Blank and pointer lines match only in place; otherwise they were added.
            if i < len(old) and _same(old[i], line, last or i == len(old) - 1):
                i += 1
            continue
        j = i
        while j < len(old) and not _same(old[j], line, last or j == len(old) - 1):
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
    """Equal lines; at the end of either text they may differ in their ending only."""
    return old == new or (last and strip_eol(old) == strip_eol(new))


# --- the file operation -------------------------------------------------------------------


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
    from ..errors import NotALedger
    from ..fileio import encode_text, locked_update, not_a_ledger_reason, read_text

    outcome: list[CompactOutcome] = []

    def change(text: str | None) -> str:
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
            taken = append_to_archive(archive_path, text, day, ledger_name=ledger_name)
            snapshot_day, appended = taken.date, taken.appended
        outcome[:] = [CompactOutcome(result, snapshot_day, existing is not None, appended, False)]
        return result.text if result.changed else text

    update = locked_update(ledger_path, change, dry_run=dry_run)
    done = outcome[-1]
    return CompactOutcome(
        done.compaction, done.snapshot_date, done.snapshot_existed, done.appended, update.written
    )
