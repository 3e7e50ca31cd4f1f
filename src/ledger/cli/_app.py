"""The typer application, its global options, and the one error boundary.

Each command family lives in its own module with a `register(app)` function; this module only
assembles them. `LedgerError`s raised anywhere below are turned into one line on stderr and the
error's exit code here (`_LedgerGroup.invoke`), so commands never handle exit codes themselves.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:  # the pinned typer vendors click; mypy reads that one whether or not click is
    # installed too (the MCP SDK brings it), so no ignore comment depends on the environment
    from typer._click import Context as ClickContext
    from typer._click.exceptions import ClickException
else:
    try:  # typer vendors click from 0.20 on
        from typer._click import Context as ClickContext
        from typer._click.exceptions import ClickException
    except ImportError:  # pragma: no cover
        from click import Context as ClickContext
        from click.exceptions import ClickException

from ..errors import LedgerError
from ._common import FileOpt

# Command families, in the order `ledger --help` lists them.
FAMILIES = (
    "status",
    "attempt",
    "check",
    "dwell",
    "archive",
    "loop",
    "agents",
    "report",
    "config",
    "merge",
)
# Which family defines each top-level command. Only that family is imported and registered to
# run a command: building every command's parameters costs more than the command itself on a
# small ledger. A test checks this table against what the families register.
COMMANDS = {
    "status": "status",
    "show": "status",
    "export": "status",
    "attempt": "attempt",
    "set": "attempt",
    "focus": "attempt",
    "header": "attempt",
    "check": "check",
    "fix": "check",
    "dwell": "dwell",
    "log": "dwell",
    "archive": "archive",
    "next": "loop",
    "brief": "loop",
    "graph": "loop",
    "prime": "agents",
    "mcp": "agents",
    "setup": "agents",
    "report": "report",
    "init": "config",
    "config": "config",
    "merge-driver": "merge",
    "merge": "merge",
}
# Global options that take a value (the command name is the first other word).
_VALUED = frozenset({"-f", "--file", "--config", "--width"})


def family_of(argv: list[str] | None) -> str | None:
    """The family defining the command `argv` runs, or None (help, an unknown word: all)."""
    args = sys.argv[1:] if argv is None else argv
    i = 0
    while i < len(args):
        word = args[i]
        if word in ("-h", "--help", "--version"):
            return None
        if word in _VALUED:
            i += 2
            continue
        if word.startswith("-"):
            i += 1
            continue
        return COMMANDS.get(word)
    return None


@dataclass
class State:
    """Global options, shared with every command through `ctx.obj`."""

    file: Path | None = None
    config: Path | None = None
    debug: bool = False
    color: bool | None = None
    width: int | None = None
    extra: dict = field(default_factory=dict)


class _LedgerGroup(TyperGroup):
    """The single error boundary: every failure becomes one line on stderr and an exit code.

    `LedgerError`s carry their own code; click's usage errors exit 2; Ctrl-C exits 130 (the
    shell's code for SIGINT); a reader that closed our stdout ends the command quietly with 1,
    as click does; anything unexpected is reported as an internal error in one line. `--debug`
    shows the traceback instead.
    """

    def invoke(self, ctx: typer.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, ClickException):
            raise
        except LedgerError as exc:
            if _debug(ctx):
                raise
            typer.echo(f"ledger: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            if _debug(ctx):
                raise
            typer.echo("ledger: interrupted", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(1) from None
        except Exception as exc:  # the last line of defence: never a traceback for a user
            if _debug(ctx):
                raise
            typer.echo(
                f"ledger: internal error: {type(exc).__name__}: {exc} "
                "(run with --debug for the traceback)",
                err=True,
            )
            raise typer.Exit(1) from None

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        args = hoist_global_options(self, sys.argv[1:] if args is None else list(args))
        run = partial(
            super().main,
            args,
            prog_name,
            complete_var,
            standalone_mode=False,
            windows_expand_args=windows_expand_args,
            **extra,
        )
        if not standalone_mode:
            return run()
        try:
            result = run()
        except ClickException as exc:  # usage errors: one line, not click's usage block
            if type(exc).__name__ == "NoArgsIsHelpError":  # `ledger`, `ledger attempt`: help
                typer.echo(exc.format_message())
                sys.exit(0)
            typer.echo(f"ledger: error: {_usage_message(exc)}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("ledger: aborted", err=True)
            sys.exit(1)
        except BrokenPipeError:
            _silence_stdout()
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def list_commands(self, ctx: ClickContext) -> list[str]:  # keep registration order
        return list(self.commands)


def hoist_global_options(group: Any, args: list[str]) -> list[str]:
    """`args` with the global options written after the command moved before it.

    `ledger check --no-color` means `ledger --no-color check`. An option the command defines
    itself (`--file`) stays the command's; a word that is the value of an option stays where it
    is (`status -f --no-color` reads the file `--no-color`); nothing after `--` moves.
    """
    hoistable = {name: param for param in group.params for name in _names(param)}
    start = index = _skip_options(args, 0, hoistable)
    command = group
    while index < len(args) and args[index] in getattr(command, "commands", {}):
        command = command.commands[args[index]]
        index += 1
    if command is group:
        return args
    own = {name: param for param in command.params for name in _names(param)}
    end = index
    kept: list[str] = []
    moved: list[str] = []
    while index < len(args):
        word = args[index]
        if word == "--":
            kept += args[index:]
            break
        name = word.split("=", 1)[0] if word.startswith("--") else word[:2]
        param = own.get(name) or hoistable.get(name)
        if not word.startswith("-") or param is None:
            kept.append(word)
            index += 1
            continue
        # the option and, when it takes one and `--opt=value`/`-fVALUE` did not give it, its value
        width = 2 if _takes_value(param) and name == word else 1
        (kept if name in own else moved).extend(args[index : index + width])
        index += width
    if not moved:
        return args
    # after the global options written before the command: the last word of a flag wins
    return [*args[:start], *moved, *args[start:end], *kept]


def _names(param: Any) -> list[str]:
    return [*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())]


def _takes_value(param: Any) -> bool:
    return param.param_type_name == "option" and not (param.is_flag or param.count)


def _skip_options(args: list[str], index: int, known: dict[str, Any]) -> int:
    """The index of the first word of `args` from `index` on that is not an option of `known`
    (nor the value of one)."""
    while index < len(args) and args[index].startswith("-") and args[index] != "--":
        param = known.get(args[index])
        index += 2 if param is not None and _takes_value(param) else 1
    return index


def _debug(ctx: typer.Context) -> bool:
    state = ctx.obj if isinstance(ctx.obj, State) else None
    return bool(state is not None and state.debug)


def _usage_message(exc: ClickException) -> str:
    message = exc.format_message()
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        message += f" (see `{ctx.command_path} --help`)"
    return message


def _silence_stdout() -> None:
    """The reader of our stdout went away (`ledger status | head`): drop what is left quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


HELP = """Typed, lossless tooling for fix-plan ledgers (docs/fix_plan.md).

Read a ledger (status, show, export); record work safely (attempt add, set,
focus new, header); check it on every commit (check, fix); measure supervisor
dwell from git history (dwell, log); hand an agent its next task (next, brief,
graph); serve agents (prime, mcp, setup); see it all on one HTML page (report); keep an
append-only archive (archive);
merge parallel branches by focus and attempt (merge-driver, merge). New project:
`ledger init`.

Exit codes: 0 ok, 1 findings or a refused operation, 2 usage error."""


def build_app(argv: list[str] | None = None, *, every_family: bool = True) -> typer.Typer:
    """The application; with `every_family=False`, only the family of the command `argv`
    runs is registered (all of them when that cannot be told)."""
    app = typer.Typer(
        cls=_LedgerGroup,
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback(invoke_without_command=True)
    def _global(
        ctx: typer.Context,
        file: FileOpt = None,
        config: Annotated[
            Path | None,
            typer.Option(
                "--config",
                metavar="PATH",
                help="Configuration file (default: .ledger.yaml found upward).",
            ),
        ] = None,
        color: Annotated[
            bool | None,
            typer.Option(
                "--color/--no-color",
                help="Force colours on or off "
                "(default: only on a terminal, and never with NO_COLOR).",
            ),
        ] = None,
        width: Annotated[
            int | None,
            typer.Option(
                "--width",
                min=20,
                metavar="N",
                help="Lay tables out for N columns "
                "(default: the terminal's width; unlimited when not a terminal).",
            ),
        ] = None,
        debug: Annotated[
            bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors.")
        ] = False,
        version: Annotated[
            bool, typer.Option("--version", help="Print the version and exit.", is_eager=True)
        ] = False,
    ) -> None:
        if version:
            from .. import __version__

            typer.echo(f"ledger {__version__}")
            raise typer.Exit(0)
        ctx.obj = State(file=file, config=config, debug=debug, color=color, width=width)
        if ctx.invoked_subcommand is None:  # `ledger --debug` alone: show what there is
            typer.echo(ctx.get_help())
            raise typer.Exit(0)

    wanted = None if every_family else family_of(argv)
    for name in FAMILIES if wanted is None else (wanted,):
        module = importlib.import_module(f"{__package__}.{name}")
        module.register(app)
    return app


def run(argv: list[str] | None = None) -> int:
    """Run the CLI in-process and return its exit code (used by tests and benchmarks)."""
    app = build_app(argv, every_family=False)
    try:
        app(args=argv, prog_name="ledger", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
