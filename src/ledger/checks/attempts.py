"""LDG2xx attempts: orphans, repeated timestamps and numbers, word-for-word copies, entries filed
under the wrong focus, and entries dated before their focus existed."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from datetime import date
from itertools import accumulate

from ..ids import focus_tag, subject_id
from ..model import Attempt, BlockKind, ItemForm
from ..timestamps import parse_timestamp
from .registry import ERROR, WARNING, Context, Finding, rule

ORPHANS = "(outside any section)"

_HAS_TIME = re.compile(r"\d[T ]\d{2}")
_FULL_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d")
_UNRELIABLE_OWNER_DATE = re.compile(r"complet|done|closed|updated|archiv|finish", re.IGNORECASE)


def attempt_name(a: Attempt) -> str:
    """How a finding names an attempt: its label and timestamp as written."""
    if a.timestamp_text:
        return f"{a.label} ({a.timestamp_text})" if a.label else a.timestamp_text
    return a.label or "attempt"


def attempt_groups(ctx: Context, orphans: bool = True) -> Iterator[tuple[str, list[Attempt]]]:
    """Attempts per focus; orphans (which belong to many foci) form one extra group."""
    for item in ctx.ledger.focus_items:
        if item.attempts:
            yield item.id, item.attempts
    if orphans and ctx.ledger.orphan_attempts:
        yield ORPHANS, ctx.ledger.orphan_attempts


def duplicate_attempts(attempts: list[Attempt]) -> dict[int, Attempt]:
    """Later attempts whose text is identical to an earlier one: `{line: earlier}`."""
    first: dict[str, Attempt] = {}
    out: dict[int, Attempt] = {}
    for a in attempts:
        seen = first.setdefault(a.text, a)
        if seen is not a:
            out[a.line] = seen
    return out


@rule("LDG201", "orphan-attempt", ERROR, "An attempt entry outside any focus section.")
def orphan_attempt(ctx: Context) -> Iterator[Finding]:
    ledger = ctx.ledger
    if not ledger.orphan_attempts:
        return
    last_section = max((s.end_line for s in ctx.sections), default=0)
    groups = [b.line for b in ledger.blocks if b.kind is BlockKind.group]
    sections = [s.line for s in ctx.sections]
    # An entry on the lines of an item of another form is that item's text (a dated line of a
    # Completed log, a note under a checkbox), not an orphan.
    spans = sorted(
        (f.line, f.end_line) for f in ctx.items if f.has_section and f.form is not ItemForm.section
    )
    starts = [first for first, _ in spans]
    reach = list(accumulate((last for _, last in spans), max))  # items nest (Kiro sub-tasks)
    outside = "any work item" if ctx.other_forms else "any focus section"
    for a in ledger.orphan_attempts:
        k = bisect.bisect_right(starts, a.line)
        if k and reach[k - 1] >= a.line:
            continue
        group = _last_at_or_before(groups, a.line)
        if group and (ctx.other_forms or group > _last_at_or_before(sections, a.line)):
            where = f"under `{ctx.lines[group - 1].strip()}`"
        elif ctx.other_forms:
            where = "before the first heading"
        elif a.line > last_section:
            where = "after the last section"
        else:
            where = "between sections"
        hint = ""
        if a.focus_ref and a.focus_ref in ctx.all_ids:
            hint = f"; it names {a.focus_ref}"
        yield ctx.finding(
            "LDG201",
            a.line,
            f"attempt {attempt_name(a)} is outside {outside} ({where}){hint}",
            len(a.indent) + 1,
        )


def _last_at_or_before(starts: list[int], line: int) -> int:
    """The greatest of the sorted `starts` that is <= `line` (0 when none)."""
    k = bisect.bisect_right(starts, line)
    return starts[k - 1] if k else 0


def _has_time(a: Attempt) -> bool:
    return bool(a.timestamp and a.timestamp_text and _HAS_TIME.search(a.timestamp_text))


@rule(
    "LDG202", "duplicate-attempt-timestamp", WARNING, "Two attempts of one focus share a timestamp."
)
def duplicate_attempt_timestamp(ctx: Context) -> Iterator[Finding]:
    for focus, attempts in attempt_groups(ctx, orphans=False):
        exact = duplicate_attempts(attempts)
        first: dict[object, Attempt] = {}
        for a in attempts:
            if not _has_time(a) or a.line in exact:
                continue
            seen = first.setdefault(a.timestamp, a)
            if seen is not a:
                yield ctx.finding(
                    "LDG202",
                    a.line,
                    f"attempt timestamp {a.timestamp_text} repeats line {seen.line} in {focus}",
                    ctx.col_of(a.line, a.timestamp_text or ""),
                )


@rule(
    "LDG203",
    "duplicate-attempt-number",
    WARNING,
    "Two attempts of one focus share an attempt number.",
)
def duplicate_attempt_number(ctx: Context) -> Iterator[Finding]:
    for focus, attempts in attempt_groups(ctx, orphans=False):
        exact = duplicate_attempts(attempts)
        first: dict[int, Attempt] = {}
        for a in attempts:
            if a.number is None or a.line in exact:
                continue
            seen = first.setdefault(a.number, a)
            if seen is not a:
                yield ctx.finding(
                    "LDG203",
                    a.line,
                    f"Attempt #{a.number} repeats line {seen.line} in {focus}",
                    ctx.col_of(a.line, f"#{a.number}"),
                )


@rule(
    "LDG204", "identical-attempt", ERROR, "An attempt entry repeated word for word.", fixable=True
)
def identical_attempt(ctx: Context) -> Iterator[Finding]:
    for focus, attempts in attempt_groups(ctx):
        for line, seen in duplicate_attempts(attempts).items():
            yield ctx.finding(
                "LDG204",
                line,
                f"attempt is an exact copy of line {seen.line} in {focus} "
                "(`ledger fix` removes it)",
            )


@rule("LDG205", "misfiled-attempt", WARNING, "An entry names another focus as its subject.")
def misfiled_attempt(ctx: Context) -> Iterator[Finding]:
    ids = ctx.first_item
    for item in ctx.sections:
        for a in item.attempts:
            other = a.focus_ref if a.focus_ref in ids else None
            if other is None:
                subject = subject_id(a.summary or "")
                other = subject if subject in ids else None
            if other and other != item.id:
                yield ctx.finding(
                    "LDG205",
                    a.line,
                    f"attempt {attempt_name(a)} is about {other} but is filed under {item.id}",
                )
        for n in range(item.line, item.end_line + 1):
            text = ctx.lines[n - 1]
            if "<focus_id>" not in text:
                continue
            tag = focus_tag(text)
            if tag and tag.id in ids and tag.id != item.id:
                yield ctx.finding(
                    "LDG205",
                    n,
                    f"plan_update block names {tag.id} as its focus but sits in {item.id}",
                    tag.column,
                )


@rule("LDG206", "attempt-before-focus", WARNING, "An attempt dated before its focus was created.")
def attempt_before_focus(ctx: Context) -> Iterator[Finding]:
    bound = _newest_plausible_date(ctx)
    for item in ctx.sections:
        owners = [f for f in item.fields if f.key == "owner/date"]
        if not owners or not item.attempts:
            continue
        for a in item.attempts:
            # A numbered attempt (`Attempt #N`) continues the focus's own sequence, which is
            # better evidence than a date; only unnumbered entries are judged by date.
            if a.timestamp is None or a.number is not None:
                continue
            # The Owner/Date in force is the last one above the attempt (a lost heading starts
            # a new one).
            owner = None
            for f in owners:
                if f.line < a.line:
                    owner = f
            if owner is None or _UNRELIABLE_OWNER_DATE.search(owner.value):
                continue
            stamp = owner.value.split("/", 1)[-1] if "/" in owner.value else owner.value
            created = parse_timestamp(stamp)
            if created is None or (bound is not None and created.date() > bound):
                continue  # a future Owner/Date proves nothing about the attempts
            # A full timestamp is written when the focus is minted; a bare date is often the
            # day ownership changed, so allow one day of slack before calling it evidence.
            slack = 0 if _FULL_TIMESTAMP.search(stamp) else 1
            if (created.date() - a.timestamp.date()).days > slack:
                yield ctx.finding(
                    "LDG206",
                    a.line,
                    f"attempt {attempt_name(a)} predates {item.id} (Owner/Date "
                    f"{created.date().isoformat()} at line {owner.line}); "
                    "is it filed under the wrong focus?",
                    ctx.col_of(a.line, a.timestamp_text or ""),
                )


def _newest_plausible_date(ctx: Context) -> date | None:
    """Last Updated, else the newest attempt: Owner/Dates after it are typos, not evidence."""
    if ctx.ledger.header.last_updated_date:
        return ctx.ledger.header.last_updated_date
    stamps = [a.timestamp for _f, atts in attempt_groups(ctx) for a in atts if a.timestamp]
    return max(stamps).date() if stamps else None
