"""LDG5xx index table: rows whose status, priority, title or anchor disagree with their section,
and missing, extra or repeated rows. The comparisons are shared with `ledger fix`."""

from __future__ import annotations

from collections.abc import Iterator

from ..markdown import plain_text
from ..model import FocusItem, Status
from ..vocab import Priority, first_word
from .registry import ERROR, WARNING, Context, Finding, rule


def norm_title(text: str | None) -> str:
    """Titles compared loosely: rendered text, case and spacing ignored."""
    plain = plain_text(text or "")
    if "&" in plain:  # an entity (`&amp;`); `html` is imported only for titles that have one
        import html

        plain = html.unescape(plain)
    plain = plain.replace("\\|", "|").replace("*", "").replace("`", "")
    return " ".join(plain.split()).casefold()


def statuses_disagree(index_text: str, section: FocusItem) -> bool:
    """Whether an index Status cell and a section's Status mean different things."""
    if not section.status_text.strip() or not index_text.strip():
        return False
    a, b = Status.parse(index_text), section.status
    if a is Status.unknown or b is Status.unknown:
        return first_word(index_text) != first_word(section.status_text)
    return a is not b


def priorities_disagree(index_text: str | None, section: FocusItem) -> bool:
    """Whether an index Priority cell differs from the section's (normalised) priority."""
    if section.priority is None or index_text is None:
        return False
    return Priority.parse(index_text) != section.priority


def _cell_col(ctx: Context, line: int, cell: str | None) -> int:
    return ctx.col_of(line, cell) if cell else 1


@rule("LDG501", "index-status", ERROR, "Index row status disagrees with the section.", fixable=True)
def index_status(ctx: Context) -> Iterator[Finding]:
    for row, item in _index_pairs(ctx):
        if row.status_text is not None and statuses_disagree(row.status_text, item):
            yield ctx.finding(
                "LDG501",
                row.line,
                f"index says {row.id} is {row.status_text.strip()!r}, "
                f"its section (line {item.line}) says {first_word(item.status_text)!r}",
                _cell_col(ctx, row.line, row.status_text),
            )


@rule(
    "LDG502",
    "index-priority",
    WARNING,
    "Index row priority disagrees with the section.",
    fixable=True,
)
def index_priority(ctx: Context) -> Iterator[Finding]:
    for row, item in _index_pairs(ctx):
        if priorities_disagree(row.priority, item):
            yield ctx.finding(
                "LDG502",
                row.line,
                f"index gives {row.id} priority {row.priority!r}, "
                f"its section (line {item.line}) says {item.priority!r}",
                _cell_col(ctx, row.line, row.priority),
            )


@rule(
    "LDG503",
    "index-title",
    WARNING,
    "Index row title differs from the section heading.",
    fixable=True,
)
def index_title(ctx: Context) -> Iterator[Finding]:
    for row, item in _index_pairs(ctx):
        if row.title is not None and item.title and norm_title(row.title) != norm_title(item.title):
            yield ctx.finding(
                "LDG503",
                row.line,
                f"index title {row.title!r} differs from the heading of {row.id} "
                f"(line {item.line}): {item.title!r}",
                _cell_col(ctx, row.line, row.title),
            )


@rule("LDG504", "index-missing-row", WARNING, "A section with no index row.", fixable=True)
def index_missing_row(ctx: Context) -> Iterator[Finding]:
    index = ctx.index
    if index is None:
        return
    listed = {r.id for r in index.rows}
    for focus_id, item in ctx.first_section.items():
        if focus_id not in listed:
            yield ctx.finding(
                "LDG504",
                item.line,
                f"{focus_id} has no row in the index table (line {index.line})",
                ctx.col_of(item.line, focus_id),
            )


@rule("LDG505", "index-extra-row", WARNING, "An index row for an ID that has no section.")
def index_extra_row(ctx: Context) -> Iterator[Finding]:
    index = ctx.index
    if index is None:
        return
    for row in index.rows:
        if row.id not in ctx.first_section:
            yield ctx.finding(
                "LDG505",
                row.line,
                f"index row {row.id} names no section",
                ctx.col_of(row.line, row.id),
            )


@rule("LDG506", "index-duplicate-row", WARNING, "Two index rows for the same ID.")
def index_duplicate_row(ctx: Context) -> Iterator[Finding]:
    index = ctx.index
    if index is None:
        return
    first: dict[str, int] = {}
    for row in index.rows:
        seen = first.setdefault(row.id, row.line)
        if seen != row.line:
            yield ctx.finding(
                "LDG506",
                row.line,
                f"index row {row.id} repeats line {seen}",
                ctx.col_of(row.line, row.id),
            )


@rule(
    "LDG507",
    "index-anchor",
    WARNING,
    "An index link anchor that is not the heading's GitHub slug.",
    fixable=True,
)
def index_anchor(ctx: Context) -> Iterator[Finding]:
    for row, item in _index_pairs(ctx):
        if row.anchor is None:
            continue
        expected = ctx.slugs.get(item.line)
        if expected is not None and row.anchor != expected:
            yield ctx.finding(
                "LDG507",
                row.line,
                f"anchor #{row.anchor} does not match the heading of {row.id} "
                f"(line {item.line}): #{expected}",
                ctx.col_of(row.line, "#" + row.anchor) + 1,
            )


def _index_pairs(ctx: Context):
    index = ctx.index
    if index is None:
        return
    for row in index.rows:
        item = ctx.first_section.get(row.id)
        if item is not None:
            yield row, item
