"""`ledger attempt add`, `ledger set`, `ledger focus new`, `ledger header`: safe edits.

Each command parses its options, then runs one operation of `ledger.workspace` (an edit from
`ledger.edit` inside `fileio.locked_update`: lock, re-read check, atomic replace; the MCP server
runs the same ones). `--dry-run` prints a unified diff and writes nothing; otherwise the written
lines are printed (stdout is data).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Annotated

import typer

from ..vocab import AttemptKind, Priority
from ._common import (
    KIND_CHOICES,
    PRIORITY_CHOICES,
    STATUS_CHOICES,
    FileOpt,
    JsonOpt,
    choice,
    display_path,
    ledger_path,
    print_json,
    settings,
    warn,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..edit import EditResult
    from ..workspace import AppliedEdit


def _now() -> datetime:
    """The clock used for new timestamps (tests replace it)."""
    return datetime.now(timezone.utc)


_clock: Callable[[], datetime] = _now

PriorityOpt = Annotated[
    Priority | None,
    typer.Option(
        "--priority",
        "-p",
        parser=choice(Priority.choose, PRIORITY_CHOICES, "priority"),
        metavar="PRIORITY",
        help="New priority (any case): " + ", ".join(PRIORITY_CHOICES) + ".",
    ),
]
DryRunOpt = Annotated[
    bool,
    typer.Option("--dry-run", "-n", help="Print a unified diff of the change and write nothing."),
]
LineOpt = Annotated[
    int | None,
    typer.Option(
        "--line",
        metavar="N",
        help="When the ID has several sections, the heading line of the one to edit.",
    ),
]


def register(app: typer.Typer) -> None:
    """Add `attempt add`, `set`, `focus new` and `header` to the app."""
    attempt_app = typer.Typer(
        help="Record attempts (loops) on a focus item.", no_args_is_help=True, rich_markup_mode=None
    )
    attempt_app.command("add")(attempt_add)
    app.add_typer(attempt_app, name="attempt")
    app.command("set")(set_command)
    focus_app = typer.Typer(help="Create focus items.", no_args_is_help=True, rich_markup_mode=None)
    focus_app.command("new")(focus_new)
    app.add_typer(focus_app, name="focus")
    app.command("header")(header)


# --- what every edit prints -----------------------------------------------------------------


def _shown(applied: AppliedEdit, dry_run: bool, show_diff: bool = True) -> AppliedEdit:
    """Print the edit's warnings and, with `dry_run` (unless `show_diff` is off, for `--json`),
    its unified diff."""
    for message in applied.result.warnings:
        warn(message)
    if dry_run and show_diff:
        sys.stdout.write(applied.diff(display_path(applied.path)))
    return applied


def _print_lines(lines: list[str]) -> None:
    for line in lines:
        typer.echo(line)


# --- attempt add ---------------------------------------------------------------------------


def attempt_add(
    ctx: typer.Context,
    focus_id: Annotated[
        str, typer.Argument(metavar="ID", help="Focus item to record the attempt on.")
    ],
    kind: Annotated[
        AttemptKind,
        typer.Option(
            "--kind",
            "-k",
            parser=choice(AttemptKind.choose, KIND_CHOICES, "kind of attempt"),
            metavar="KIND",
            help="What kind of loop this was (any case): " + ", ".join(KIND_CHOICES) + ".",
        ),
    ],
    summary: Annotated[
        str | None,
        typer.Option(
            "--summary",
            "-m",
            metavar="TEXT",
            help="What was done (1-3 lines). `-` reads it from stdin.",
        ),
    ] = None,
    edit: Annotated[
        bool, typer.Option("--edit", "-e", help="Write the summary in $EDITOR.")
    ] = False,
    result: Annotated[
        str | None,
        typer.Option(
            "--result", metavar="RESULT", help="Outcome: success, partial, failed, blocked ..."
        ),
    ] = None,
    timestamp: Annotated[
        str | None,
        typer.Option(
            "--timestamp",
            "-t",
            metavar="TIMESTAMP",
            help="When (default: now, UTC), written in the focus's own format.",
        ),
    ] = None,
    artifact: Annotated[
        list[str] | None,
        typer.Option("--artifact", metavar="PATH", help="Artifact path (repeatable)."),
    ] = None,
    commit: Annotated[
        list[str] | None,
        typer.Option("--commit", "-c", metavar="SHA", help="Commit SHA (repeatable)."),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option("--actor", metavar="NAME", help="Who ran the loop (e.g. ralph, galph)."),
    ] = None,
    line: LineOpt = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write even into a section that seems to hold another focus whose heading was "
            "lost (refused otherwise).",
        ),
    ] = False,
    file: FileOpt = None,
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Record an attempt on focus ID, in the dialect and place that focus already uses.

    The entry goes where the focus keeps its attempts (never at the end of the file, never in
    another section), newest-first or oldest-first as the section already is, with the next
    attempt number where attempts are numbered. Prints the added lines; with --dry-run, a
    unified diff; with --json, the new attempt as the model reads it. An item of a plan's
    queue gets a dated note nested under it.
    """
    from ..edit import NewAttempt
    from ..timestamps import parse_timestamp
    from ..workspace import record_attempt

    text = _summary_text(summary, edit)
    when: datetime | None = None
    if timestamp is not None:
        when = parse_timestamp(timestamp)
        if when is None:
            raise _usage(
                f"--timestamp {timestamp!r} is not a date or timestamp (e.g. 2026-01-23T08:35Z)"
            )
    spec = NewAttempt(
        summary=text,
        kind=kind.value,
        result=result,
        timestamp=when,
        artifacts=tuple(artifact or ()),
        commits=tuple(commit or ()),
        actor=actor,
    )
    applied = record_attempt(
        ledger_path(ctx, file),
        settings(ctx).config,
        focus_id,
        spec,
        now=_clock(),
        line=line,
        force=force,
        dry_run=dry_run,
    )
    res = _shown(applied, dry_run, show_diff=not as_json).result
    if as_json:
        from ..model import to_json

        data = to_json(res.attempt) if res.attempt else None
        out = {"focus": focus_id, "written": not dry_run, "attempt": data}
        if dry_run:
            out["diff"] = applied.diff(display_path(applied.path))
        print_json(out)
    elif not dry_run:
        _print_lines(res.added_lines)


def _usage(message: str):
    from ..errors import UsageError

    return UsageError(message)


def _summary_text(summary: str | None, edit: bool) -> str:
    if edit and summary is not None:
        raise _usage("give either --summary or --edit, not both")
    if edit:
        text = _from_editor()
    elif summary == "-":
        text = sys.stdin.read()
    elif summary is None:
        raise _usage("missing --summary TEXT (or --summary - for stdin, or --edit)")
    else:
        text = summary
    if not text.strip():
        raise _usage("the summary is empty")
    return text


def _from_editor() -> str:
    """Open $VISUAL/$EDITOR on a temp file; lines starting with `#` are dropped."""
    import shlex
    import subprocess
    import tempfile

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise _usage("--edit needs $EDITOR (or $VISUAL) to be set")
    with tempfile.NamedTemporaryFile(
        "w+", suffix=".md", prefix="ledger-attempt-", delete=False
    ) as handle:
        handle.write(
            "\n# Summary of this attempt (1-3 lines). Lines starting with # are ignored.\n"
        )
        name = handle.name
    try:
        try:
            argv = [*shlex.split(editor), name]
            code = subprocess.call(argv)
        except (OSError, ValueError) as exc:  # not found, not executable, bad quoting
            reason = getattr(exc, "strerror", None) or str(exc)
            raise _usage(
                f"cannot start the editor {editor!r} ({reason}); nothing was recorded"
            ) from exc
        if code != 0:
            raise _usage(f"the editor exited with status {code}; nothing was recorded")
        with open(name, encoding="utf-8") as handle:
            lines = [line for line in handle.read().splitlines() if not line.startswith("#")]
    finally:
        os.unlink(name)
    return "\n".join(lines).strip()


# --- set -----------------------------------------------------------------------------------


def set_command(
    ctx: typer.Context,
    focus_id: Annotated[str, typer.Argument(metavar="ID", help="Focus item to change.")],
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            "-s",
            metavar="STATUS",
            help="New status (any case): "
            + ", ".join(STATUS_CHOICES)
            + ", or another word of check.statuses. A word of check.statuses is written as "
            "given (in lower case); a synonym such as wip as the status it names.",
        ),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option(
            "--note",
            metavar="TEXT",
            help="Reason written after the status, in the ledger's qualifier style.",
        ),
    ] = None,
    priority: PriorityOpt = None,
    depends_on: Annotated[
        list[str] | None,
        typer.Option(
            "--depends-on",
            "-d",
            metavar="ID",
            help="Dependency ID (repeatable); replaces the list. `none` clears it.",
        ),
    ] = None,
    move_to_completed: Annotated[
        bool,
        typer.Option(
            "--move-to-completed",
            help="Also move the item where the plan keeps finished items (its `## Completed` "
            "group, written as that group writes entries); implies --status done. For "
            "checkbox and numbered items.",
        ),
    ] = False,
    line: LineOpt = None,
    file: FileOpt = None,
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Change a focus item's Status, Priority or Depends on.

    Only the field's own line changes (and the matching index-table cells, when the ledger has
    an index). A --note keeps the ledger's qualifier style: `blocked — reason` or
    `done (reason)`. A missing field is added next to the other status fields.

    An item of a plan's queue changes in its own form: a checkbox is ticked (`[ ]` -> `[x]`),
    `[BLOCKED:reason]` replaces the box of a blocked one (--note gives the reason), another
    status is written after the title, `(deferred)`; a table row's Status cell changes.
    """
    from ..workspace import change_fields

    deps = None
    if depends_on is not None:
        deps = [] if [d.lower() for d in depends_on] == ["none"] else list(depends_on)
    applied = change_fields(
        ledger_path(ctx, file),
        settings(ctx).config,
        focus_id,
        status=status,
        note=note,
        priority=priority.value if priority else None,
        depends_on=deps,
        line=line,
        move_to_completed=move_to_completed,
        now=_clock(),
        dry_run=dry_run,
    )
    _report(_shown(applied, dry_run, show_diff=not as_json).result, dry_run, as_json, focus_id)


def _report(res: EditResult, dry_run: bool, as_json: bool, focus_id: str | None) -> None:
    if as_json:
        from .. import views
        from ..model import to_json

        focus = res.focus if focus_id else None
        print_json(
            {
                "written": not dry_run and res.changed,
                "lines": res.added_lines,
                "focus": views.status_row(res.ledger, focus).to_json() if focus else None,
                "header": to_json(res.ledger.header),
            }
        )
    elif not dry_run:
        if not res.changed:
            warn("nothing changed")
        _print_lines(res.added_lines)


# --- focus new -----------------------------------------------------------------------------


def focus_new(
    ctx: typer.Context,
    focus_id: Annotated[
        str, typer.Argument(metavar="ID", help="New focus ID, e.g. FIX-LOADER-001.")
    ],
    title: Annotated[
        str, typer.Option("--title", "-T", metavar="TEXT", help="One-line title for the heading.")
    ],
    priority: PriorityOpt = None,
    depends_on: Annotated[
        list[str] | None,
        typer.Option("--depends-on", "-d", metavar="ID", help="Dependency ID (repeatable)."),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="NAME",
            help="Owner written in Owner/Date, when the ledger has that field.",
        ),
    ] = None,
    no_plans: Annotated[
        bool,
        typer.Option("--no-plans", help="Do not create the plan files (links are still written)."),
    ] = False,
    file: FileOpt = None,
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Add a focus item section in the ledger's own layout, with plan files.

    The section copies its neighbours' heading level, field order and separators, links
    `Working Plan` and `Summary` to plans/active/ID/{implementation,summary}.md (created from
    templates; existing files are left alone), and gets an index row when the ledger has an
    index. An ID that already exists is refused (exit 1).

    In a plan of another form (a checkbox queue, task list, numbered queue, heading items, a
    task table) the item is written like its neighbours under the group stating its priority
    (`## High Priority`), with no plan files.
    """
    from ..edit import NewFocus
    from ..workspace import create_focus

    spec = NewFocus(
        id=focus_id,
        title=title,
        priority=priority.value if priority else None,
        depends_on=tuple(depends_on or ()),
        owner=owner,
    )
    made = create_focus(
        ledger_path(ctx, file),
        settings(ctx).config,
        spec,
        now=_clock(),
        plans=not no_plans,
        dry_run=dry_run,
    )
    res = _shown(made.applied, dry_run, show_diff=not as_json).result
    for relative in made.kept:
        warn(f"{relative} exists; left unchanged")
    if as_json:
        from .. import views

        focus = res.focus
        print_json(
            {
                "written": not dry_run,
                "focus": views.status_row(res.ledger, focus).to_json() if focus else None,
                "plan_files": made.created,
                "lines": res.added_lines,
            }
        )
    elif not dry_run:
        _print_lines(res.added_lines)
        for relative in made.created:
            typer.echo(f"ledger: created {relative}", err=True)


# --- header --------------------------------------------------------------------------------


def header(
    ctx: typer.Context,
    last_updated: Annotated[
        str | None,
        typer.Option(
            "--last-updated",
            "-u",
            metavar="DATE",
            help="`auto` (today, UTC, in the existing format) or the exact text.",
        ),
    ] = None,
    active_focus: Annotated[
        str | None,
        typer.Option("--active-focus", metavar="ID", help="Focus ID to name as the active focus."),
    ] = None,
    file: FileOpt = None,
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Update the ledger header: `**Last Updated:**` and the active focus line."""
    from ..edit import set_header
    from ..workspace import apply_edit

    if last_updated is not None and not last_updated.strip():
        raise _usage("--last-updated needs `auto` or a text")
    now = _clock()
    applied = apply_edit(
        ledger_path(ctx, file),
        lambda ledger: set_header(
            ledger, last_updated=last_updated, active_focus=active_focus, now=now
        ),
        dry_run=dry_run,
    )
    _report(_shown(applied, dry_run, show_diff=not as_json).result, dry_run, as_json, None)
