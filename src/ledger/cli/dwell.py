"""`ledger dwell`, `ledger log ID`, and the Dwell column of `ledger status`.

Thin: options are parsed here, the history scan and the rule live in `ledger.dwell` (which
reads git through `ledger.history`), and this module only renders the records it returns
(`DwellReport`, `TimelineEntry`, `LogEvent`). Heavy imports (rich, the core) happen inside the
commands so `ledger --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._common import (
    STATUS_STYLES,
    TIER_STYLES,
    FileOpt,
    JsonOpt,
    console,
    plural,
    print_json,
    print_table,
    settings,
    state,
    write,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..dwell import CommitRef, DwellReport, DwellTable, FocusDwell, LogEvent, Scan
    from ..history import Repo
    from .tables import Table

RevOpt = Annotated[
    str,
    typer.Option(
        "--rev", "-r", metavar="REV", help="Revision whose history is read (any ref or sha)."
    ),
]
RepoOpt = Annotated[
    Path | None,
    typer.Option(
        "--repo",
        metavar="PATH",
        help="Repository to read (a working tree or a bare mirror; default: the one holding cwd).",
    ),
]


def register(app: typer.Typer) -> None:
    """Add this family's commands to the app."""
    app.command("dwell")(dwell)
    app.command("log")(log)


def dwell(
    ctx: typer.Context,
    rev: RevOpt = "HEAD",
    repo: RepoOpt = None,
    file: FileOpt = None,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Also list the focus items that never had a supervisor turn and those no "
            "longer in the ledger at the revision.",
        ),
    ] = False,
    fail_on_tier: Annotated[
        int | None,
        typer.Option(
            "--fail-on-tier",
            metavar="N",
            min=1,
            max=3,
            help="Exit 1 when a flagged focus (open, not parked) is at this tier or above.",
        ),
    ] = None,
    timeline: Annotated[
        str | None,
        typer.Option(
            "--timeline",
            metavar="ID",
            help="Show the turn-by-turn (single agent: iteration-by-iteration) dwell of one focus.",
        ),
    ] = None,
    push: Annotated[
        bool,
        typer.Option(
            "--push",
            help="Publish the dwell checkpoint of this revision to the remote (dwell.remote) as "
            "refs/notes/ledger, so a fresh clone starts from it instead of the whole history.",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Supervisor dwell per focus, computed from the first-parent git history.

    A turn is a run of SUPERVISOR commits; dwell counts a focus's turns since implementation
    evidence (a work commit touching code, not only docs/plans/reports). Tier 1/2/3 at dwell
    2/4/6. A history without SUPERVISOR commits is a single agent's loop: each commit is an
    iteration, and the next open item (as `ledger next` shows it) is stuck after
    dwell.stuck_after iterations (3) without being ticked or code landing; items ticked in
    docs-only commits are listed as done without evidence. Done, archived and superseded items,
    and parked ones (dwell.parked: blocked, blocked_escalation, paused, deferred), are listed
    with their tier but never flagged. The ledger path inside the repository is
    docs/fix_plan.md (or the configured one; --file names another).
    """
    scan = _scan(ctx, repo, rev, file)
    report = scan.report
    if push:
        _publish(ctx, repo, scan)
    if timeline is not None:
        _timeline(ctx, scan, timeline, as_json)
        return
    if as_json:
        print_json(report.to_json(include_all=show_all))
    else:
        _print_report(ctx, report, show_all)
    if fail_on_tier is not None:
        from ..dwell import fails

        failing = fails(report, fail_on_tier)
        if failing:
            names = ", ".join(f"{f.id} (dwell {f.dwell}, tier {f.tier})" for f in failing)
            typer.echo(f"ledger: dwell at tier {fail_on_tier} or above: {names}", err=True)
            raise typer.Exit(1)


def log(
    ctx: typer.Context,
    focus_id: Annotated[
        str, typer.Argument(metavar="ID", help="Focus ID, e.g. DEBUG-SIM-LINES-DOSE-001.")
    ],
    rev: RevOpt = "HEAD",
    repo: RepoOpt = None,
    file: FileOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The git history of one focus: when it appeared, status changes, attempts added, dwell."""
    from ..dwell import SCHEMA_VERSION, focus_log

    scan = _scan(ctx, repo, rev, file)
    _require_known(scan, focus_id)
    events = focus_log(scan.commits, scan.summaries, scan.report, focus_id)
    step = "iteration" if scan.report.single_agent else "turn"
    if as_json:
        print_json(
            {
                "schema_version": SCHEMA_VERSION,
                "rev": scan.report.rev,
                "id": focus_id,
                "events": [e.to_json() for e in events],
            }
        )
        return
    out = console(ctx)
    for e in events:
        out.print(
            f"{e.commit.date:%Y-%m-%d %H:%M} {e.commit.sha[:8]} "
            f"{_describe(e, step):<28} {e.commit.subject}",
            markup=False,
            highlight=False,
            soft_wrap=True,  # one event per line, whatever the width
            style=_event_style(e),
        )
    if not events:
        out.print(f"{focus_id}: no history in this revision", markup=False)


def _describe(event: LogEvent, step: str = "turn") -> str:
    from ..dwell import Appeared, AttemptsChanged, LogEventKind, StatusChanged, TurnTaken

    d = event.detail
    if isinstance(d, Appeared):
        return f"appeared ({d.status.value})"
    if isinstance(d, StatusChanged):
        return f"status {d.before.value} -> {d.after.value}"
    if isinstance(d, AttemptsChanged):
        return f"attempts {d.added:+d} (= {d.total})"
    if isinstance(d, TurnTaken):
        tier = f", tier {d.tier}" if d.tier else ""
        return f"{step} {d.turn}: dwell {d.dwell}{tier}"
    if event.kind is LogEventKind.removed:
        return "removed from the ledger"
    return "implementation evidence"


def _event_style(event: LogEvent) -> str:
    from ..dwell import LogEventKind, StatusChanged, TurnTaken

    d = event.detail
    if isinstance(d, TurnTaken):
        return TIER_STYLES.get(d.tier, "")
    if isinstance(d, StatusChanged):
        return STATUS_STYLES.get(d.after.value, "")
    return "green" if event.kind is LogEventKind.evidence else ""


# --- the scan -----------------------------------------------------------------------------------


def _scan(ctx: typer.Context, repo_opt: Path | None, rev: str, file: Path | None) -> Scan:
    from .. import history
    from ..dwell import scan_repository

    conf = settings(ctx).config
    if repo_opt is not None:
        repo = history.open_repo(repo_opt)
    else:
        repo = history.open_repo(Path.cwd(), search_parents=True)
    ledger_path = _ledger_in_repo(repo, file or state(ctx).file, conf.file)
    with _progress(ctx) as progress:
        scan = scan_repository(repo, rev, ledger_path, conf.dwell, conf.archive.path, progress)
    if scan.commits and not any(c.ledger_blob for c in scan.commits):
        from ..errors import LedgerFileError

        where = repo.work_tree or repo.git_dir
        raise LedgerFileError(
            f"{ledger_path} is not in the history of {rev} in {where}",
            hint=_missing_ledger_hint(repo, ledger_path, rev, given=file is not None),
        )
    return scan


def _missing_ledger_hint(repo: Repo, ledger_path: str, rev: str, *, given: bool) -> str:
    """What to do when no commit of the history has the ledger: another revision has it, or
    the path (the configured one, or --file's) is not where the ledger is."""
    from .. import history

    elsewhere = history.branches_with(repo, ledger_path)
    if elsewhere:
        return f"{', '.join(elsewhere[:3])} has it: pass --rev {elsewhere[0]}"
    if given:
        return "no branch has it either: --file names the ledger's path inside the repository"
    return (
        "no branch has it either: name the ledger's path inside the repository with --file "
        "PATH (the default is file: in .ledger.yaml, else docs/fix_plan.md)"
    )


def _publish(ctx: typer.Context, repo_opt: Path | None, scan: Scan) -> None:
    from .. import history
    from ..dwell import publish_checkpoint
    from ..errors import UsageError

    remote = settings(ctx).config.dwell.remote
    if not remote:
        raise UsageError("--push needs a remote: set dwell.remote in .ledger.yaml")
    repo = (
        history.open_repo(repo_opt)
        if repo_opt
        else history.open_repo(Path.cwd(), search_parents=True)
    )
    if scan.state is None or scan.state.commit is None:
        return
    publish_checkpoint(repo, scan.state, scan.checkpoint_key, remote, scan.summaries)
    typer.echo(
        f"ledger: dwell checkpoint of {scan.state.commit[:12]} pushed to {remote} "
        f"({history.NOTES_REF})",
        err=True,
    )


def _ledger_in_repo(repo: Repo, file: Path | None, default: str) -> str:
    """The ledger as a repository path: `--file` (a file in the working tree, or a repository
    path), else the configured `file`."""
    from .. import history

    if file is None:
        return Path(default).as_posix()
    if file.is_absolute():
        return history.repo_relative(repo, file)
    local = Path.cwd() / file
    if repo.work_tree is not None and local.exists():
        try:
            return local.resolve().relative_to(repo.work_tree).as_posix()
        except ValueError:
            pass
    return file.as_posix()


class _progress:
    """A rich progress bar on stderr for the parsing of ledger versions (only on a terminal)."""

    def __init__(self, ctx: typer.Context) -> None:
        self._ctx = ctx
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self):
        if not sys.stderr.isatty():
            return None
        return self._update

    def _update(self, done: int, total: int) -> None:
        if self._bar is None:
            if total < 20:  # quick: not worth a bar
                return
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("parsing ledger versions"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console(self._ctx, stderr=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("parse", total=total)
        self._bar.update(self._task, completed=done)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()


def _require_known(scan: Scan, focus_id: str) -> None:
    from ..dwell import known_ids
    from ..errors import UnknownFocusError
    from ..views import suggest_ids

    ids = known_ids(scan.commits, scan.summaries)
    if focus_id not in ids and focus_id not in scan.report.timelines:
        raise UnknownFocusError(focus_id, suggest_ids(ids, focus_id))


# --- rendering ----------------------------------------------------------------------------------


def _print_report(ctx: typer.Context, report: DwellReport, show_all: bool) -> None:
    single = report.single_agent
    rows = report.listed(include_all=show_all)
    if rows:
        print_table(ctx, dwell_table(rows, single_agent=single))
    elif single:
        write("no iteration had an open item to work on in this history\n")
    else:
        write("no supervisor turns in this history\n")
    if report.done_without_evidence:
        write(_done_without_evidence(report))
    flagged = [f for f in report.focus if f.flagged]
    rev = (report.rev or "")[:12]
    if single:
        summary = (
            f"{plural(report.iterations, 'single-agent iteration')} up to "
            f"{rev or 'an empty history'} (no supervisor commit: each commit is an iteration); "
        )
        flag_words = "stuck (tier 1 or above, not parked)"
    else:
        summary = (
            f"{plural(len(report.turns), 'supervisor turn')} up to {rev or 'an empty history'}; "
        )
        flag_words = "flagged (tier 1 or above, not parked)"
    summary += (
        f"{plural(len(flagged), 'active focus item')} {flag_words}"
        if flagged
        else "no active focus flagged"
    )
    hidden = len(report.focus) - len(rows)
    if hidden:
        gone = sum(1 for f in report.focus if f.status is None)
        idle = hidden - gone
        why = [
            *([f"{gone} no longer in the ledger"] if gone else []),
            *([f"{idle} {'never the next item' if single else 'without a turn'}"] if idle else []),
        ]
        summary += f"; {hidden} hidden: {', '.join(why)} (--all lists them)"
    write(summary + "\n")


def _done_without_evidence(report: DwellReport) -> str:
    """The items a commit touching only docs-only paths closed, one line each."""
    lines = ["done without evidence (closed by a commit that touched only docs-only paths):"]
    width = max(len(d.id) for d in report.done_without_evidence)
    for d in report.done_without_evidence:
        lines.append(f"  {d.id:<{width}}  {_ref(d.commit)}")
    return "".join(line + "\n" for line in lines)


def dwell_table(rows: list[FocusDwell], *, single_agent: bool = False) -> Table:
    """The table of `ledger dwell`.

    On a narrow screen Last evidence shrinks first, then Last turn (each down to 24 columns);
    then Last evidence, Turns and Last turn are dropped in that order; ID, Status, Dwell and
    Tier are always shown (docs/commands/dwell.md). A single agent's history counts
    iterations: the Turns and Last turn columns are Iterations and Last iteration.
    """
    from .tables import Cell, Column, Justify, Overflow, Table

    step = "iteration" if single_agent else "turn"
    table = Table(
        [
            Column("ID", style="bold"),
            Column("Status"),
            Column("Dwell", justify=Justify.right),
            Column("Tier"),
            Column(f"{step.capitalize()}s", justify=Justify.right, drop=2),
            Column(
                f"Last {step}",
                overflow=Overflow.ellipsis,
                max_width=60,
                shrink=2,
                shrink_to=24,
                drop=3,
            ),
            Column(
                "Last evidence",
                overflow=Overflow.ellipsis,
                max_width=60,
                shrink=1,
                shrink_to=24,
                drop=1,
            ),
        ]
    )
    for f in rows:
        style = TIER_STYLES.get(f.tier, "") if f.flagged else ("dim" if f.tier else "")
        status = f.status.value if f.status is not None else "(not in ledger)"
        table.add_row(
            f.id,
            Cell(status, STATUS_STYLES.get(status, "dim")),
            Cell(str(f.dwell), style),
            Cell(f.mark.tier_text, style),
            str(f.turns),
            _ref(f.last_turn),
            _ref(f.last_evidence),
        )
    return table


def _ref(ref: CommitRef | None) -> str:
    if ref is None:
        return "-"
    return f"{ref.date:%Y-%m-%d} {ref.sha[:8]} {ref.subject}"


def _timeline(ctx: typer.Context, scan: Scan, focus_id: str, as_json: bool) -> None:
    from ..dwell import SCHEMA_VERSION

    _require_known(scan, focus_id)
    entries = scan.report.timelines.get(focus_id, [])
    pending = scan.report.pending_evidence(focus_id)
    single = scan.report.single_agent
    step = "iteration" if single else "turn"
    unproven = {d.commit.sha for d in scan.report.done_without_evidence if d.id == focus_id}
    if as_json:
        print_json(
            {
                "schema_version": SCHEMA_VERSION,
                "rev": scan.report.rev,
                "id": focus_id,
                "timeline": [e.to_json() for e in entries],
                "pending_evidence": [c.to_json() for c in pending],
            }
        )
        return
    out = console(ctx)
    for e in entries:
        out.print(
            f"{step} {e.turn_number:>4}  {e.turn.date:%Y-%m-%d %H:%M} {e.turn.sha[:8]}"
            f"  dwell {e.dwell}"
            + (f" (T{e.tier})" if e.tier else "")
            + f"  [{e.basis.value}]  {e.turn.subject}"
            + ("  (closed without evidence)" if e.turn.sha in unproven else ""),
            markup=False,
            highlight=False,
            soft_wrap=True,
            style=TIER_STYLES.get(e.tier, ""),
        )
        for c in e.evidence:
            out.print(
                f"           evidence {c.sha[:8]} {c.subject}",
                markup=False,
                highlight=False,
                soft_wrap=True,
                style="green",
            )
    for c in pending:
        out.print(
            f"  pending evidence {c.sha[:8]} {c.subject} (resets dwell at the next turn)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if not entries:
        never = "never the next open item" if single else "no supervisor turn"
        out.print(f"{focus_id}: {never} in this history", markup=False)


# --- `ledger status` ----------------------------------------------------------------------------


def status_dwell(ctx: typer.Context, loaded) -> DwellTable | None:
    """Dwell and tier at HEAD for `ledger status`, `next` and `brief`, or None outside git
    (never raises)."""
    try:
        from ..workspace import dwell_table

        # a first scan of a long history takes seconds: a progress bar on a terminal
        with _progress(ctx) as progress:
            return dwell_table(loaded.path, settings(ctx).config, progress)
    except Exception:  # status must work whatever git says; --debug shows why
        if state(ctx).debug:
            raise
        return None
