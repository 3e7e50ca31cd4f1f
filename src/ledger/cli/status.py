"""`ledger status`, `ledger show ID`, `ledger export`: reading a ledger."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from ..model import Status
from ._common import (
    STATUS_STYLES,
    FileOpt,
    JsonOpt,
    console,
    human_size,
    new_table,
    open_ledger,
    print_json,
    print_table,
)


class ExportFormat(str, Enum):
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("status")(status)
    app.command("show")(show)
    app.command("export")(export)


def status(
    ctx: typer.Context,
    file: FileOpt = None,
    status_filter: Annotated[
        Optional[list[Status]],
        typer.Option("--status", "-s", help="Only these statuses (repeatable)."),
    ] = None,
    priority: Annotated[
        Optional[list[str]],
        typer.Option("--priority", "-p", help="Only these priorities: critical, high, medium, low, none."),
    ] = None,
    active: Annotated[
        bool, typer.Option("--active", "-a", help="Only items not done, archived or superseded.")
    ] = False,
    no_git: Annotated[
        bool, typer.Option("--no-git", help="Do not read git history (no Dwell column).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Table of focus items: status, priority, attempts, last attempt, unmet dependencies."""
    from .. import views

    loaded = open_ledger(ctx, file)
    ledger = loaded.ledger
    wanted = list(status_filter) if status_filter else None
    items = views.filter_items(ledger, wanted, priority, active)
    rows = [views.status_row(ledger, item) for item in items]
    dwell = None if no_git else _dwell_column(ctx, loaded)
    if dwell is not None:
        for row in rows:
            row["dwell"] = dwell.get(row["id"])
    summary = views.summary(ledger, loaded.size)
    if as_json:
        print_json({"file": str(loaded.path), "summary": summary, "focus": rows})
        return
    _print_status(ctx, rows, summary, loaded, dwell is not None)


def _dwell_column(ctx: typer.Context, loaded) -> Optional[dict]:
    """Dwell per focus when the ledger is in a git repository (filled in by the dwell module)."""
    try:
        from . import dwell as dwell_cli
    except ImportError:  # pragma: no cover
        return None
    provider = getattr(dwell_cli, "status_dwell", None)
    return provider(ctx, loaded) if provider else None


def _print_status(ctx, rows, summary, loaded, with_dwell: bool) -> None:
    out = console(ctx)
    if rows:
        print_focus_table(out, rows, with_dwell=with_dwell)
    else:
        out.print("no focus items match")
    counts = ", ".join(f"{n} {s}" for s, n in summary["by_status"].items()) or "none"
    active = summary["active_focus"] or summary["active_focus_text"] or "-"
    out.print(
        f"{summary['focus_items']} focus items ({counts}); {summary['attempts']} attempts"
        + (f", {summary['orphan_attempts']} outside any focus" if summary["orphan_attempts"] else "")
        + f"\nactive focus: {active}"
        + f"\n{loaded.path}: {human_size(summary['size_bytes'])}, {summary['lines']} lines",
        highlight=False,
        markup=False,
    )


def print_focus_table(out, rows: list[dict], *, with_dwell: bool = False) -> None:
    """The focus table of `ledger status` (also used for archive snapshots)."""
    from rich.text import Text

    table = new_table(out)
    table.add_column("ID", no_wrap=True, style="bold")
    table.add_column("Title", overflow="ellipsis", max_width=48, no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Priority", no_wrap=True)
    table.add_column("Att.", justify="right")
    table.add_column("Last attempt", no_wrap=True)
    if with_dwell:
        table.add_column("Dwell", no_wrap=True)
    table.add_column("Unmet deps", overflow="fold")
    for row in rows:
        last = row["last_attempt"]
        last_text = ""
        if last:
            when = (last["timestamp"] or "")[:10] or (last["timestamp_text"] or "")
            last_text = f"{when} {last['kind'] or ''}".strip()
        cells = [
            row["id"] + ("" if row["has_section"] else " *"),
            row["title"],
            Text(row["status"], style=STATUS_STYLES.get(row["status"], "")),
            row["priority"] or "-",
            str(row["attempts"]),
            last_text,
        ]
        if with_dwell:
            cells.append(_dwell_text(row.get("dwell")))
        cells.append(", ".join(row["unmet_dependencies"]))
        table.add_row(*cells)
    print_table(out, table)


def _dwell_text(value) -> "object":
    from rich.text import Text

    if not value:
        return ""
    tier = value.get("tier", 0)
    style = {0: "", 1: "yellow", 2: "bold yellow", 3: "bold red"}.get(tier, "")
    return Text(f"{value['dwell']} (T{tier})" if tier else str(value["dwell"]), style=style)


def show(
    ctx: typer.Context,
    focus_id: Annotated[str, typer.Argument(metavar="ID", help="Focus ID, e.g. FIX-TF-C1D-SCALED-RERUN-001.")],
    file: FileOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One focus in full: fields, return conditions, attempts (newest first), dependents."""
    from .. import views

    loaded = open_ledger(ctx, file)
    item = views.require_focus(loaded.ledger, focus_id)
    detail = views.focus_detail(loaded.ledger, item)
    if as_json:
        print_json(detail)
        return
    _print_detail(ctx, detail, loaded)


def _print_detail(ctx, d: dict, loaded) -> None:
    from rich.text import Text

    out = console(ctx)
    head = Text()
    head.append(f"[{d['id']}] ", style="bold")
    head.append(d["title"] or "")
    out.print(head)
    where = f"{loaded.path}:{d['line']}" + ("" if d["has_section"] else " (no section of its own)")
    status = Text("status: ")
    status.append(d["status"], style=STATUS_STYLES.get(d["status"], ""))
    if d["status_text"] and d["status_text"] != d["status"]:
        status.append(f"  ({d['status_text']})", style="dim")
    out.print(where, markup=False, highlight=False)
    out.print(status)
    out.print(f"priority: {d['priority'] or '-'}", markup=False)
    if d["depends_on"]:
        unmet = set(d["unmet_dependencies"])
        deps = ", ".join(f"{x} (open)" if x in unmet else x for x in d["depends_on"])
        out.print(f"depends on: {deps}", markup=False)
    if d["dependents"]:
        out.print(f"dependents: {', '.join(d['dependents'])}", markup=False)
    if d["duplicates"]:
        out.print(f"also defined at lines: {', '.join(map(str, d['duplicates']))}", style="yellow")
    if d["return_conditions"]:
        out.print("\nreturn conditions:", style="bold")
        for rc in d["return_conditions"]:
            out.print(f"  - {rc}", markup=False)
    if d["fields"]:
        out.print("\nfields:", style="bold")
        for f in d["fields"]:
            name = f["name"] + (f" {f['qualifier']}" if f["qualifier"] else "")
            out.print(f"  {name}: {_clip(f['value'], 160)}", markup=False, highlight=False)
    out.print(f"\nattempts ({len(d['attempts'])}, newest first):", style="bold")
    for a in d["attempts"]:
        when = a["timestamp_text"] or "undated"
        kind = a["kind"] or a["kind_text"] or ""
        label = a["label"]
        out.print(
            f"  {when}  {label}  {kind}".rstrip() + f"  (line {a['line']})",
            markup=False,
            highlight=False,
        )
        if a["summary"]:
            out.print(f"    {_clip(a['summary'], 200)}", markup=False, highlight=False)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def export(
    ctx: typer.Context,
    file: FileOpt = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Output format.")] = ExportFormat.json,
) -> None:
    """The whole model as JSON (with a top-level schema_version)."""
    from .. import views

    loaded = open_ledger(ctx, file)
    print_json(views.export(loaded.ledger))
