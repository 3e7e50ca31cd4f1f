"""The typer application, its global options, and the one error boundary.

Each command family lives in its own module with a `register(app)` function; this module only
assembles them. `LedgerError`s raised anywhere below are turned into one line on stderr and the
error's exit code here (`_LedgerGroup.invoke`), so commands never handle exit codes themselves.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from ..errors import LedgerError

# Command families, in the order `ledger --help` lists them.
FAMILIES = ("status", "attempt", "check", "dwell", "archive", "loop", "merge")


@dataclass
class State:
    """Global options, shared with every command through `ctx.obj`."""

    file: Optional[Path] = None
    config: Optional[Path] = None
    debug: bool = False
    color: Optional[bool] = None
    extra: dict = field(default_factory=dict)


class _LedgerGroup(TyperGroup):
    """Maps `LedgerError` to a clean message and its exit code (the single boundary)."""

    def invoke(self, ctx: typer.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except LedgerError as exc:
            state = ctx.obj if isinstance(ctx.obj, State) else None
            if state is not None and state.debug:
                raise
            typer.echo(f"ledger: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None

    def list_commands(self, ctx: typer.Context) -> list[str]:  # keep registration order
        return list(self.commands)


HELP = """Typed, lossless tooling for fix-plan ledgers (docs/fix_plan.md).

Read a ledger (status, show, export); record work safely (attempt add, set,
focus new, header); check it on every commit (check, fix); measure supervisor
dwell from git history (dwell, log); hand an agent its next task (next, brief,
graph); keep an append-only archive (archive); merge parallel branches by focus
and attempt (merge-driver, merge). New project: `ledger init`.

Exit codes: 0 ok, 1 findings or a refused operation, 2 usage error."""


def build_app() -> typer.Typer:
    app = typer.Typer(
        cls=_LedgerGroup,
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def _global(
        ctx: typer.Context,
        file: Annotated[
            Optional[Path],
            typer.Option("--file", "-f", help="Ledger file (default: docs/fix_plan.md found upward from cwd)."),
        ] = None,
        config: Annotated[
            Optional[Path], typer.Option("--config", help="Configuration file (default: .ledger.yaml found upward).")
        ] = None,
        color: Annotated[
            Optional[bool],
            typer.Option("--color/--no-color", help="Force colours on or off (default: only on a terminal, and never with NO_COLOR)."),
        ] = None,
        debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors.")] = False,
        version: Annotated[
            bool, typer.Option("--version", help="Print the version and exit.", is_eager=True)
        ] = False,
    ) -> None:
        if version:
            from .. import __version__

            typer.echo(f"ledger {__version__}")
            raise typer.Exit(0)
        ctx.obj = State(file=file, config=config, debug=debug, color=color)

    for name in FAMILIES:
        module = importlib.import_module(f"{__package__}.{name}")
        module.register(app)
    return app


def run(argv: Optional[list[str]] = None) -> int:
    """Run the CLI in-process and return its exit code (used by tests and benchmarks)."""
    app = build_app()
    try:
        app(args=argv, prog_name="ledger", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
