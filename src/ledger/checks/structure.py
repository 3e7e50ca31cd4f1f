"""LDG1xx structure: duplicate IDs (of focus sections and of items in every other form), and
headings lost from inside a section."""

from __future__ import annotations

from collections.abc import Iterator

from ..ids import ids_in_paths
from ..model import Field, FocusItem, ItemForm
from .links import LINK_FIELDS
from .registry import ERROR, Context, Finding, rule

_CORE_FIELDS = frozenset({"status", "priority", "owner/date"})


@rule("LDG101", "duplicate-id", ERROR, "Two items (sections, checkboxes, ...) have the same ID.")
def duplicate_id(ctx: Context) -> Iterator[Finding]:
    # Written IDs only: an ID derived from a title is made unique by the parser, and a
    # reset-layout ID named by attempts has no lines of its own to repeat.
    first: dict[str, FocusItem] = {}
    for item in ctx.items:
        if item.derived_id or not item.has_section:
            continue
        seen = first.setdefault(item.id, item)
        if seen is item:
            continue
        if seen.form is ItemForm.section and item.form is ItemForm.section:
            what = f"duplicate focus ID {item.id}: sections"
        else:
            what = f"duplicate ID {item.id}: items"
        yield ctx.finding(
            "LDG101",
            item.line,
            f"{what} at lines {seen.line} and {item.line}",
            ctx.col_of(item.line, item.id),
        )


def lost_heading_runs(item: FocusItem) -> list[int]:
    """Indexes into `item.fields` where a second Status/Priority/Owner-Date run starts."""
    starts: list[int] = []
    seen: set[str] = set()
    fields = item.fields
    for k, f in enumerate(fields):
        if f.key in _CORE_FIELDS and f.key in seen:
            window = {g.key for g in fields[k : k + 4] if g.key in _CORE_FIELDS}
            if len(window) >= 2:  # one repeated field can be deliberate; a run cannot
                starts.append(k)
                seen = set()  # the run opens a new (headless) section
        seen.add(f.key)
    return starts


@rule(
    "LDG102", "lost-heading", ERROR, "A second Status/Priority/Owner-Date run inside one section."
)
def lost_heading(ctx: Context) -> Iterator[Finding]:
    for item in ctx.sections:
        starts = lost_heading_runs(item)
        for k, stop in zip(starts, [*starts[1:], len(item.fields)]):
            start = item.fields[k]
            named, where = _named_focus(item.fields[k:stop], item.id)
            if named and named not in ctx.all_ids:
                why = f"the `## [{named}]` heading is missing (its {where} names {named})"
            elif named:
                why = f"its fields name {named}, which has its own section"
            else:
                why = "a `## [ID] Title` heading was probably deleted"
            yield ctx.finding(
                "LDG102",
                start.line,
                f"second `{start.name}` run inside {item.id} (section at line {item.line}): {why}",
            )


def _named_focus(fields: list[Field], own_id: str) -> tuple[str | None, str]:
    """An ID named by `plans/active/<ID>/...` in the link fields of a field run, and the field."""
    for f in fields:
        if f.key in LINK_FIELDS:
            for named in ids_in_paths(f.value):
                if named != own_id:
                    return named, f.name
    return None, ""
