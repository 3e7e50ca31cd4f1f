"""`ledger report --html`: the ledger as one self-contained HTML page.

Thin: the report is computed and rendered by `ledger.report`; this module reads the options,
writes the page through `fileio.atomic_write` and prints one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import FileOpt, NoGitOpt, display_path, open_ledger, plural, settings


def register(app: typer.Typer) -> None:
    """Add this family's commands to the app."""
    app.command("report")(report)


def report(
    ctx: typer.Context,
    file: FileOpt = None,
    html: Annotated[
        bool, typer.Option("--html", help="An HTML page (the only format so far, the default).")
    ] = True,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Where to write the page; `-' prints it to stdout.",
        ),
    ] = Path("report.html"),
    no_git: NoGitOpt = False,
) -> None:
    """One self-contained HTML page of the ledger: board, dependency graph, dwell over time and
    `ledger check`'s findings linked to the ledger's text.

    Nothing on the page is fetched from the network: it opens from disk or as a CI artifact.
    The board, the graph (the one `ledger graph` draws, cycles named), the dwell charts (each
    open focus's `ledger dwell --timeline`, and the supervisor turns and implementation
    evidence per day) and the findings are those the other commands report.
    """
    from ..errors import UsageError
    from ..fileio import atomic_write, encode_text, real_target
    from ..report import DwellPart, build, render_html

    loaded = open_ledger(ctx, file)
    to_stdout = str(output) == "-"
    if not to_stdout and real_target(output) == real_target(loaded.path):
        raise UsageError(f"{output} is the ledger itself: choose another --output")
    result = build(
        loaded.ledger,
        loaded.path,
        settings(ctx),
        source=display_path(loaded.path),
        size=loaded.size,
        use_git=not no_git,
    )
    page = encode_text(render_html(result))
    if to_stdout:
        import sys

        sys.stdout.buffer.write(page)
        sys.stdout.flush()
        return
    written = atomic_write(output, page)
    cards = sum(len(c.cards) for c in result.board.columns)
    dwell = (
        plural(len(result.dwell.series), "dwell chart")
        if isinstance(result.dwell, DwellPart)
        else "no dwell charts"
    )
    typer.echo(
        f"{'wrote' if written else 'unchanged'} {display_path(output)}: "
        f"{plural(cards, 'focus item')}, {plural(len(result.graph.cycles), 'cycle')}, "
        f"{plural(len(result.health.findings), 'finding')}, {dwell}"
    )
