"""`ledger status`, `ledger show ID`, `ledger export`: reading a ledger."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..vocab import Priority, Status
from ._common import (
    PRIORITY_CHOICES,
    STATUS_CHOICES,
    STATUS_STYLES,
    TIER_STYLES,
    FileOpt,
    JsonOpt,
    NoGitOpt,
    choice,
    console,
    human_size,
    open_ledger,
    plural,
    print_json,
    print_table,
    write,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..dwell import DwellMark
    from ..views import FocusDetail, LedgerSummaryView, StatusRow
    from .tables import Cell, Table


class ExportFormat(str, Enum):
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("status")(status)
    app.command("show")(show)
    app.command("export")(export)


def _status_word(text: str) -> Status | None:
    """A status in any case or as a synonym ledgers write (`Status.choose`), or `unknown`."""
    return Status.unknown if text.strip().lower() == "unknown" else Status.choose(text)


_status_filter = choice(_status_word, (*STATUS_CHOICES, "unknown"), "status")
_priority_word = choice(Priority.choose, (*PRIORITY_CHOICES, "none"), "priority")


def _priority_filter(text: str) -> Priority | None:
    """A priority to filter by; `none` stands for the items without one."""
    return None if text.strip().lower() == "none" else _priority_word(text)


def status(
    ctx: typer.Context,
    file: FileOpt = None,
    status_filter: Annotated[
        list[Status] | None,
        typer.Option(
            "--status",
            "-s",
            parser=_status_filter,
            metavar="STATUS",
            help="Only these statuses (repeatable, any case): "
            + ", ".join((*STATUS_CHOICES, "unknown"))
            + "; synonyms such as wip or complete too.",
        ),
    ] = None,
    priority: Annotated[
        list[Priority] | None,
        typer.Option(
            "--priority",
            "-p",
            parser=_priority_filter,
            metavar="PRIORITY",
            help="Only these priorities (repeatable, any case): "
            + ", ".join((*PRIORITY_CHOICES, "none")).lower()
            + ".",
        ),
    ] = None,
    active: Annotated[
        bool, typer.Option("--active", "-a", help="Only items not done, archived or superseded.")
    ] = False,
    no_git: NoGitOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Table of focus items: status, priority, attempts, last attempt, unmet dependencies."""
    from .. import views

    loaded = open_ledger(ctx, file)
    ledger = loaded.ledger
    items = views.filter_items(ledger, status_filter, priority, active)
    rows = [views.status_row(ledger, item) for item in items]
    dwell = None if no_git else _dwell_column(ctx, loaded)
    summary = views.summary(ledger, loaded.size)
    if as_json:
        focus = [row.to_json() for row in rows]
        if dwell is not None:
            marks = [dwell.get(row.id) for row in rows]
            focus = [{**d, "dwell": m.to_json() if m else None} for d, m in zip(focus, marks)]
        print_json({"file": str(loaded.path), "summary": summary.to_json(), "focus": focus})
        return
    _print_status(ctx, rows, summary, loaded, dwell)


def _dwell_column(ctx: typer.Context, loaded) -> dict[str, DwellMark] | None:
    """Dwell per focus when the ledger is in a git repository (filled in by the dwell module),
    judged on the statuses of the ledger shown."""
    try:
        from . import dwell as dwell_cli
    except ImportError:  # pragma: no cover
        return None
    provider = getattr(dwell_cli, "status_dwell", None)
    table = provider(ctx, loaded) if provider else None
    return None if table is None else table.marks(loaded.ledger.focus_items)


def _print_status(
    ctx, rows: list[StatusRow], summary: LedgerSummaryView, loaded, dwell: dict | None
) -> None:
    if rows:
        print_table(ctx, focus_table(rows, dwell=dwell))
    else:
        write("no focus items match\n")
    active = summary.active_focus or summary.active_focus_text or "-"
    write(
        f"{summary_line(summary)}"
        + (f", {summary.orphan_attempts} outside any focus" if summary.orphan_attempts else "")
        + f"\nactive focus: {active}"
        + f"\n{loaded.path}: {human_size(summary.size_bytes)}, {plural(summary.lines, 'line')}\n"
    )


def summary_line(summary: LedgerSummaryView) -> str:
    """`15 focus items (6 done, 2 archived, ...); 89 attempts` (also for archive snapshots)."""
    counts = ", ".join(f"{n} {s}" for s, n in summary.by_status.items()) or "none"
    return (
        f"{plural(summary.focus_items, 'focus item')} ({counts}); "
        f"{plural(summary.attempts, 'attempt')}"
    )


def focus_table(rows: Sequence[StatusRow], *, dwell: Mapping[str, Any] | None = None) -> Table:
    """The focus table of `ledger status` (also used for archive snapshots); a Dwell column when
    `dwell` (focus ID -> `DwellMark`) is given.

    On a narrow screen the Title shrinks first (down to 20 columns), then the Unmet deps wrap
    (IDs stay whole); then Last attempt, Unmet deps, Att. and Priority are dropped in that
    order, and only then does the Title shrink further. ID, Title, Status and Dwell are always
    shown (docs/commands/status.md).
    """
    from .tables import Cell, Column, Justify, Overflow, Table

    columns = [
        Column("ID", style="bold"),
        Column("Title", overflow=Overflow.ellipsis, max_width=48, shrink=1, shrink_to=20),
        Column("Status"),
        Column("Priority", drop=4),
        Column("Att.", justify=Justify.right, drop=3),
        Column("Last attempt", drop=1),
        *([Column("Dwell")] if dwell is not None else []),
        Column("Unmet deps", overflow=Overflow.wrap, shrink=2, drop=2),
    ]
    table = Table(columns)
    for row in rows:
        last = row.last_attempt
        last_text = ""
        if last:
            when = last.timestamp.date().isoformat() if last.timestamp else last.timestamp_text
            last_text = f"{when or ''} {last.kind.value if last.kind else ''}".strip()
        cells: list[str | Cell] = [
            row.id + ("" if row.has_section else " *"),
            row.title,
            Cell(row.status.value, STATUS_STYLES.get(row.status.value, "")),
            row.priority.value if row.priority else "-",
            str(row.attempts),
            last_text,
        ]
        if dwell is not None:
            cells.append(_dwell_cell(dwell.get(row.id)))
        cells.append(", ".join(row.unmet_dependencies))
        table.add_row(*cells)
    return table


def _dwell_cell(mark: DwellMark | None) -> Cell:
    """`4 (T2)` coloured by tier when flagged; a parked or closed item's tier is dim."""
    from .tables import Cell

    if mark is None:
        return Cell("")
    style = TIER_STYLES.get(mark.tier, "") if mark.flagged else "dim" if mark.tier else ""
    return Cell(mark.text, style)


def show(
    ctx: typer.Context,
    focus_id: Annotated[
        str, typer.Argument(metavar="ID", help="Focus ID, e.g. FIX-TF-C1D-SCALED-RERUN-001.")
    ],
    file: FileOpt = None,
    as_json: JsonOpt = False,
    no_git: NoGitOpt = False,
) -> None:
    """One focus in full: fields, return conditions, attempts (newest first), dependents."""
    from .. import views

    loaded = open_ledger(ctx, file)
    item = views.require_focus(loaded.ledger, focus_id)
    detail = views.focus_detail(loaded.ledger, item)
    if as_json:
        print_json(detail.to_json())
        return
    _print_detail(ctx, detail, loaded)


def _print_detail(ctx, d: FocusDetail, loaded) -> None:
    from rich.text import Text

    item = d.item
    out = console(ctx)
    head = Text()
    head.append(f"[{item.id}] ", style="bold")
    head.append(item.title or "")
    out.print(head)
    where = f"{loaded.path}:{item.line}" + ("" if item.has_section else " (no section of its own)")
    if not item.form.is_ledger_section:  # an item of a plan's queue: its form and group
        where += f" ({_form_text(item)})"
    status = Text("status: ")
    status.append(item.status.value, style=STATUS_STYLES.get(item.status.value, ""))
    if item.status_text and item.status_text != item.status.value:
        status.append(f"  ({item.status_text})", style="dim")
    out.print(where, markup=False, highlight=False)
    out.print(status)
    out.print(f"priority: {item.priority.value if item.priority else '-'}", markup=False)
    if item.depends_on:
        unmet = set(d.unmet_dependencies)
        deps = ", ".join(f"{x} (open)" if x in unmet else x for x in item.depends_on)
        out.print(f"depends on: {deps}", markup=False)
    if d.dependents:
        out.print(f"dependents: {', '.join(d.dependents)}", markup=False)
    if d.duplicates:
        out.print(f"also defined at lines: {', '.join(map(str, d.duplicates))}", style="yellow")
    if item.return_conditions:
        out.print("\nreturn conditions:", style="bold")
        for rc in item.return_conditions:
            out.print(f"  - {rc}", markup=False)
    if item.steps:
        done = sum(1 for step in item.steps if step.done)
        out.print(f"\nsteps ({done} of {len(item.steps)} done):", style="bold")
        for step in item.steps:
            out.print(f"  [{'x' if step.done else ' '}] {step.text}", markup=False, highlight=False)
    if item.fields:
        out.print("\nfields:", style="bold")
        for f in item.fields:
            name = f.name + (f" {f.qualifier}" if f.qualifier else "")
            out.print(f"  {name}: {_clip(f.value, 160)}", markup=False, highlight=False)
    out.print(f"\nattempts ({len(d.attempts)}, newest first):", style="bold")
    for a in d.attempts:
        when = a.timestamp_text or "undated"
        kind = (a.kind.value if a.kind else None) or a.kind_text or ""
        label = "" if a.label in (kind, a.kind_text) else a.label  # said once, not twice
        out.print(
            "  ".join(x for x in (f"  {when}", label, kind) if x) + f"  (line {a.line})",
            markup=False,
            highlight=False,
        )
        if a.summary:
            out.print(f"    {_clip(a.summary, 200)}", markup=False, highlight=False)


def _form_text(item) -> str:
    """`checkbox item under High Priority; ID from its title`."""
    text = ("optional " if item.optional else "") + f"{item.form.value} item"
    text += f" under {item.group}" if item.group else ""
    return text + ("; ID from its title" if item.derived_id else "")


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def export(
    ctx: typer.Context,
    file: FileOpt = None,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", metavar="FORMAT", help="Output format.")
    ] = ExportFormat.json,
) -> None:
    """The whole model as JSON (with a top-level schema_version)."""
    from .. import views

    loaded = open_ledger(ctx, file)
    print_json(views.export(loaded.ledger))
