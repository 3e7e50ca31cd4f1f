"""`ledger archive ...`: append-only snapshots of the ledger, compaction, and the history guard.

Thin: the archive format, compaction (with its two file writes, archive first, then the live
ledger, each atomic and locked) and the append-only check live in `ledger.archive`; git is read
through `ledger.history`. This module parses options, calls the core and renders.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import (
    FileOpt,
    JsonOpt,
    console,
    human_size,
    ledger_path,
    open_ledger,
    plural,
    print_json,
    print_table,
    settings,
    write,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..archive import Archive
    from .tables import Table

ArchiveOpt = Annotated[
    Path | None,
    typer.Option(
        "--archive",
        metavar="PATH",
        help="Archive file (default: archive.path of the configuration, docs/fix_plan_archive.md).",
    ),
]
SnapshotArg = Annotated[
    str,
    typer.Argument(
        metavar="DATE",
        help="Snapshot date YYYY-MM-DD (the last one of that day), DATE#K, "
        "its number in `list`, or latest.",
    ),
]


def register(app: typer.Typer) -> None:
    """Add the `archive` sub-app to the main app."""
    sub = typer.Typer(
        help="Append-only snapshots of the ledger, compaction of the live ledger, "
        "and a history guard.",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    sub.command("snapshot")(snapshot)
    sub.command("list")(list_snapshots)
    sub.command("show")(show)
    sub.command("diff")(diff)
    sub.command("compact")(compact)
    sub.command("verify")(verify)
    app.add_typer(sub, name="archive")


# --- plumbing -----------------------------------------------------------------------------


def _archive_path(ctx: typer.Context, explicit: Path | None) -> Path:
    if explicit is not None:
        return explicit
    st = settings(ctx)
    return st.resolve(st.config.archive.path)


def _display(ctx: typer.Context, path: Path) -> str:
    """A path as the user thinks of it: relative to the repository root when inside it."""
    root = settings(ctx).root
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _read_archive(path: Path) -> Archive:
    from ..archive import split_archive
    from ..fileio import read_text

    return split_archive(read_text(path))


def _today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


# --- snapshot -----------------------------------------------------------------------------


def snapshot(
    ctx: typer.Context,
    file: FileOpt = None,
    archive: ArchiveOpt = None,
    day: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="Snapshot date (default: today, UTC)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Append the ledger's exact bytes to the archive as a dated snapshot.

    Writes `---`, `# Snapshot DATE Fix Plan Ledger` and the ledger after the archive's last
    byte; nothing before it is touched. A missing archive is created with the standard preamble.
    When the latest snapshot already holds exactly these bytes, nothing is written.
    """
    from ..archive import check_date

    day = check_date(day) if day else _today()
    loaded = open_ledger(ctx, file)
    path = _archive_path(ctx, archive)
    from ..archive import append_to_archive

    done = append_to_archive(path, loaded.ledger.text, day, ledger_name=_display(ctx, loaded.path))
    taken, appended = done.date, done.appended
    snap = _read_archive(path).snapshots[-1]
    if as_json:
        print_json(
            {
                "archive": str(path),
                "ledger": str(loaded.path),
                "appended": appended,
                "snapshot": {
                    "number": snap.number,
                    "date": taken,
                    "line": snap.line,
                    "size_bytes": snap.size,
                },
            }
        )
        return
    out = console(ctx)
    if appended:
        out.print(
            f"snapshot {taken} of {_display(ctx, loaded.path)} appended to {_display(ctx, path)} "
            f"(snapshot {snap.number}, line {snap.line}, {human_size(snap.size)})",
            markup=False,
            highlight=False,
        )
    else:
        out.print(
            f"unchanged: snapshot {snap.number} ({taken}) of {_display(ctx, path)} "
            "already holds these bytes",
            markup=False,
            highlight=False,
        )


# --- list / show / diff -------------------------------------------------------------------


def list_snapshots(
    ctx: typer.Context, archive: ArchiveOpt = None, as_json: JsonOpt = False
) -> None:
    """The archive's snapshots: number, date, line, size, focus items and attempts."""
    from ..archive import snapshot_rows

    path = _archive_path(ctx, archive)
    rows = snapshot_rows(_read_archive(path))
    if as_json:
        print_json({"archive": str(path), "snapshots": rows})
        return
    if rows:
        print_table(ctx, _snapshot_table(rows))
    write(f"{_display(ctx, path)}: {plural(len(rows), 'snapshot')}\n")


def _snapshot_table(rows: list[dict]) -> Table:
    """The table of `archive list`: on a narrow screen the Title shrinks (to 20 columns), then
    Line, Size, Attempts and Focus are dropped in that order; #, Date and Title are always
    shown."""
    from .tables import Column, Justify, Overflow, Table

    right = Justify.right
    table = Table(
        [
            Column("#", justify=right),
            Column("Date"),
            Column("Line", justify=right, drop=1),
            Column("Size", justify=right, drop=2),
            Column("Focus", justify=right, drop=4),
            Column("Attempts", justify=right, drop=3),
            Column("Title", overflow=Overflow.ellipsis, shrink=1, shrink_to=20),
        ]
    )
    for r in rows:
        table.add_row(
            str(r["number"]),
            r["date"],
            str(r["line"]),
            human_size(r["size_bytes"]),
            str(r["focus_items"]),
            str(r["attempts"]),
            r["title"] or "",
        )
    return table


def show(
    ctx: typer.Context, which: SnapshotArg, archive: ArchiveOpt = None, as_json: JsonOpt = False
) -> None:
    """One snapshot as a ledger: the status table of its focus items."""
    from .. import views

    path = _archive_path(ctx, archive)
    snap = _read_archive(path).find(which)
    led = snap.ledger()
    rows = [views.status_row(led, item) for item in led.focus_items]
    summary = views.summary(led, snap.size)
    ref = {"number": snap.number, "date": snap.date, "line": snap.line}
    if as_json:
        focus = [row.to_json() for row in rows]
        data = {"archive": str(path), "snapshot": ref, "summary": summary.to_json(), "focus": focus}
        print_json(data)
        return

    from .status import focus_table, summary_line

    if rows:
        print_table(ctx, focus_table(rows))
    write(
        f"{summary_line(summary)}\n"
        f"{_display(ctx, path)}: snapshot {snap.number} ({snap.date}) at line {snap.line}, "
        f"{human_size(snap.size)}, {plural(summary.lines, 'line')}\n"
    )


def diff(
    ctx: typer.Context,
    first: SnapshotArg,
    second: SnapshotArg,
    archive: ArchiveOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What changed per focus between two snapshots: items added/removed, status, attempts."""
    from ..archive import diff_snapshots

    path = _archive_path(ctx, archive)
    result = diff_snapshots(_read_archive(path), first, second)
    if as_json:
        print_json({"archive": str(path), **result})
        return
    out = console(ctx)
    a, b = result["from"], result["to"]
    lines = [f"snapshot {a['number']} ({a['date']}) -> snapshot {b['number']} ({b['date']})"]
    lines += [_focus_line("+", item) for item in result["added"]]
    lines += [_focus_line("-", item) for item in result["removed"]]
    for entry in result["changed"]:
        parts = []
        if "status" in entry:
            parts.append(f"status {entry['status']['old']} -> {entry['status']['new']}")
        if entry.get("attempts_added"):
            parts.append(f"{plural(len(entry['attempts_added']), 'attempt')} added")
        if entry.get("attempts_removed"):
            parts.append(f"{plural(entry['attempts_removed'], 'attempt')} no longer present")
        lines.append(f"~ {entry['id']}: " + "; ".join(parts))
        for att in entry.get("attempts_added", []):
            head = " ".join(x for x in (att["timestamp"], att["label"], att["kind"]) if x)
            lines.append(f"    + {head}: {att['summary'][:120]}".rstrip(": "))
    if len(lines) == 1:
        lines.append("no focus-level changes")
    for line in lines:
        out.print(line, markup=False, highlight=False)


def _focus_line(sign: str, item: dict) -> str:
    """A focus item added (`+`) or removed (`-`) between two snapshots."""
    counted = plural(item["attempts"], "attempt")
    return f"{sign} {item['id']}  {item['title']}  [{item['status']}, {counted}]"


# --- compact ------------------------------------------------------------------------------


def compact(
    ctx: typer.Context,
    file: FileOpt = None,
    archive: ArchiveOpt = None,
    keep_attempts: Annotated[
        str | None,
        typer.Option(
            "--keep-attempts",
            metavar="KEEP",
            help="Attempts each live focus keeps: first,last (default from "
            "archive.keep_attempts), N most recent, or a mix like first,3.",
        ),
    ] = None,
    day: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="Snapshot date (default: today, UTC)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the sizes; write nothing.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Snapshot the ledger, then condense it; refuses if the snapshot cannot be taken.

    Every live focus keeps its heading, the fields in archive.keep_fields, its first and last
    attempts and a pointer line to the snapshot; done, archived and superseded items keep their
    heading and Status line plus a pointer. Header, index and prose are kept. Everything removed
    is byte-identical in the snapshot. Prints the sizes before and after.
    """
    from ..archive import KeepAttempts, check_date, compact_ledger_file

    st = settings(ctx)
    spec = KeepAttempts.parse(keep_attempts or st.config.archive.keep_attempts)
    day = check_date(day) if day else _today()
    path = _archive_path(ctx, archive)
    ledger_file = ledger_path(ctx, file)
    done = compact_ledger_file(
        ledger_file,
        path,
        day=day,
        keep_attempts=spec,
        keep_fields=st.config.archive.keep_fields,
        archive_name=_display(ctx, path),
        ledger_name=_display(ctx, ledger_file),
        dry_run=dry_run,
    )
    result = done.compaction
    existing = done.snapshot_existed
    snapshot_day, appended = done.snapshot_date, done.appended
    summary = {
        "ledger": str(ledger_file),
        "archive": str(path),
        "dry_run": dry_run,
        **result.summary(),
    }
    summary["snapshot_appended"] = appended
    if as_json:
        print_json(summary)
        return
    out = console(ctx)
    name = _display(ctx, ledger_file)
    if not result.changed:
        out.print(
            f"{name}: already compact ({human_size(result.before_bytes)}); nothing written",
            markup=False,
        )
        return
    verb = "would shrink" if dry_run else "shrank"
    out.print(
        f"{name}: {verb} from {human_size(result.before_bytes)} "
        f"to {human_size(result.after_bytes)} ({summary['saved_percent']}% smaller)",
        markup=False,
        highlight=False,
    )
    snap_note = (
        f"would append snapshot {day}"
        if dry_run and not existing
        else f"snapshot {snapshot_day} {'appended to' if appended else 'already in'}"
    )
    out.print(
        f"{snap_note} {_display(ctx, path)}; "
        f"{plural(len(result.condensed), 'live focus item')} condensed, "
        f"{plural(len(result.stubbed), 'closed item')} stubbed, "
        f"{plural(result.attempts_removed, 'attempt')} moved out ({result.attempts_kept} kept)",
        markup=False,
        highlight=False,
    )


# --- verify -------------------------------------------------------------------------------


def verify(
    ctx: typer.Context,
    archive: ArchiveOpt = None,
    rev: Annotated[
        str | None,
        typer.Option(
            "--rev",
            "-r",
            metavar="REV",
            help="Check the history of this revision (default: HEAD, plus the working copy).",
        ),
    ] = None,
    staged: Annotated[
        bool,
        typer.Option(
            "--staged",
            help="Check the staged (index) archive against HEAD instead of the working copy "
            "(for pre-commit).",
        ),
    ] = False,
    no_history: Annotated[
        bool,
        typer.Option("--no-history", help="Only compare the working copy (or index) with HEAD."),
    ] = False,
    allow_missing: Annotated[
        bool,
        typer.Option(
            "--allow-missing",
            help="Pass when there is no archive at all (by default that is an error, so a wrong "
            "archive.path cannot turn the check into a no-op).",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Check that the archive was only ever appended to; exit 1 naming the first rewrite.

    Every first-parent committed version must start with the bytes of the version before it,
    and the working copy (with --staged: the index) must start with HEAD's version. With --rev
    only that revision's history is checked. No archive at all (nothing committed, nothing in
    the working copy) is an error unless --allow-missing.
    """
    from .. import history
    from ..archive import Against, verify_archive
    from ..errors import GitError

    path = _archive_path(ctx, archive)
    probe = path.parent if path.parent.is_dir() else settings(ctx).root
    repo = history.find_repo_fast(probe.resolve())
    if repo is None:
        raise GitError(f"{path}: not inside a git repository")
    rel = history.repo_relative(repo, path.resolve())
    against = Against.staged if staged else Against.working_copy if rev is None else Against.nothing
    report = verify_archive(repo, rel, against, rev=rev or "HEAD", history=not no_history)
    rewrites, checked = report.rewrites, report.versions_checked
    current_label = report.checked.value if report.checked is not None else None
    name = _display(ctx, path)
    if report.missing and not allow_missing:
        from ..errors import LedgerFileError

        raise LedgerFileError(
            f"{name}: no archive to verify (not in the working copy and never committed)",
            hint="check archive.path in .ledger.yaml (or --archive); pass --allow-missing "
            "when having no archive yet is expected",
        )
    if as_json:
        print_json(
            {
                "archive": name,
                "ok": not rewrites,
                "versions_checked": checked,
                "checked": current_label,
                "rewrites": [r.as_dict() for r in rewrites],
            }
        )
    else:
        out = console(ctx)
        if not rewrites:
            extra = f"; the {current_label} starts with HEAD's bytes" if current_label else ""
            if report.no_commits:
                extra = "; the repository has no commits yet: nothing to compare with"
            out.print(
                f"ok: {name} is append-only "
                f"({plural(checked, 'committed version')} checked{extra})",
                markup=False,
                highlight=False,
            )
        else:
            out.print(f"{name}: history was rewritten", markup=False, highlight=False)
            for r in rewrites:
                out.print(f"  {r.describe()}", markup=False, highlight=False)
    if rewrites:
        raise typer.Exit(1)
