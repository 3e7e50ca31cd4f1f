"""LDG6xx header: an Active Focus that names no section or a closed one, a stale Last Updated."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from ..model import Attempt
from .attempts import attempt_groups
from .registry import WARNING, Context, Finding, rule


@rule("LDG601", "active-focus-unknown", WARNING, "Active Focus names no focus section.")
def active_focus_unknown(ctx: Context) -> Iterator[Finding]:
    h = ctx.ledger.header
    if not h.active_focus or not h.active_focus_line:
        return
    if h.active_focus_id is None or h.active_focus_id not in ctx.all_ids:
        named = h.active_focus_id or h.active_focus.splitlines()[0][:60]
        yield ctx.finding(
            "LDG601",
            h.active_focus_line,
            f"Active Focus names {named!r}, which is not a focus section",
        )


@rule(
    "LDG602",
    "active-focus-closed",
    WARNING,
    "Active Focus names a done, archived or superseded item.",
)
def active_focus_closed(ctx: Context) -> Iterator[Finding]:
    h = ctx.ledger.header
    item = ctx.ledger.get(h.active_focus_id) if h.active_focus_id else None
    if item is not None and h.active_focus_line and item.status.is_closed:
        yield ctx.finding(
            "LDG602",
            h.active_focus_line,
            f"Active Focus is {item.id}, which is {item.status.value} (line {item.line})",
        )


@rule("LDG603", "last-updated-stale", WARNING, "Last Updated is older than the newest attempt.")
def last_updated_stale(ctx: Context) -> Iterator[Finding]:
    h = ctx.ledger.header
    if h.last_updated_date is None or not h.last_updated_line:
        return
    newest: Attempt | None = None
    newest_at: datetime | None = None  # the timestamp of `newest`
    for _focus, attempts in attempt_groups(ctx):
        for a in attempts:
            if a.timestamp and (newest_at is None or a.timestamp > newest_at):
                newest, newest_at = a, a.timestamp
    if newest is not None and newest_at is not None and newest_at.date() > h.last_updated_date:
        yield ctx.finding(
            "LDG603",
            h.last_updated_line,
            f"Last Updated {h.last_updated_date.isoformat()} is older than the newest attempt "
            f"({newest.timestamp_text}, line {newest.line})",
        )
