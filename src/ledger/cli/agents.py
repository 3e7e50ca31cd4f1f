"""`ledger prime`, `ledger mcp`, `ledger setup claude|agents-md`: the agent interface.

`prime` prints what an agent needs at the start of a session (`ledger.prime`); `mcp` serves the
loop's operations over the Model Context Protocol (`ledger.mcp_server`, an optional extra);
`setup` wires an agent's configuration files to both (`ledger.setup`). These commands only parse
options, call the core and print.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import FileOpt, JsonOpt, NoGitOpt, ledger_path, print_json, settings, state, warn

if TYPE_CHECKING:  # pragma: no cover
    from ..setup import Target

MCP_MISSING = "`ledger mcp` needs the MCP SDK, an optional extra: pip install 'ledger[mcp]'"

DryRunOpt = Annotated[
    bool,
    typer.Option("--dry-run", "-n", help="Print the unified diff of each file; write nothing."),
]
RemoveOpt = Annotated[
    bool, typer.Option("--remove", help="Take out what `ledger setup` added (nothing else).")
]


def register(app: typer.Typer) -> None:
    """Add `prime`, `mcp` and the `setup` group to the app."""
    app.command("prime")(prime)
    app.command("mcp")(mcp)
    setup_app = typer.Typer(
        help="Wire an agent to the ledger (hooks, MCP server, instructions).",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    setup_app.command("claude")(setup_claude)
    setup_app.command("agents-md")(setup_agents_md)
    app.add_typer(setup_app, name="setup")


# --- prime --------------------------------------------------------------------------------------


def prime(
    ctx: typer.Context,
    file: FileOpt = None,
    no_git: NoGitOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """What an agent needs at the start of a session, in at most 2 000 bytes.

    The active focus (the header's Active Focus, else the first ready item) with its status,
    priority, dwell and tier and what the tier demands, its return conditions, the next ready
    items, the number of open `ledger check` errors, and the exact commands that record the
    loop. `ledger setup claude` runs it from a SessionStart hook.
    """
    from ..checks import Severity
    from ..prime import build_prime
    from ..workspace import check_snapshot, read_snapshot
    from .dwell import status_dwell

    loaded = read_snapshot(ledger_path(ctx, file))
    config = settings(ctx).config
    table = None if no_git else status_dwell(ctx, loaded)
    dwell = table.marks(loaded.ledger.focus_items) if table is not None else None
    findings = check_snapshot(loaded, config)
    errors = sum(1 for f in findings if f.severity is Severity.error)
    shown = _repository_path(loaded.path, settings(ctx).root)
    result = build_prime(loaded.ledger, shown, dwell=dwell, check_errors=errors)
    if as_json:
        print_json(result.as_dict())
        return
    typer.echo(result.text, nl=False)


def _repository_path(path: Path, root: Path) -> str:
    """The ledger's path inside the repository (as given when it lies outside)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


# --- mcp ----------------------------------------------------------------------------------------


def mcp(ctx: typer.Context, file: FileOpt = None) -> None:
    """Serve the ledger to agents over the Model Context Protocol (stdio).

    Tools: status, next, brief, attempt_add, set_status, focus_new, check; each focus's brief
    is also a resource, ledger://focus/ID. The ledger is located from the working directory
    as every command does (or --file); writes take the same lock as the CLI. Needs the
    optional extra: pip install 'ledger[mcp]'.
    """
    from ..errors import LedgerError
    from ..mcp_server import serve

    try:
        import mcp  # noqa: F401  (the server imports it when it is built)
    except ImportError:
        raise LedgerError(MCP_MISSING) from None

    st = state(ctx)
    serve(file=file or st.file, config=st.config)


# --- setup --------------------------------------------------------------------------------------


def setup_claude(ctx: typer.Context, dry_run: DryRunOpt = False, remove: RemoveOpt = False) -> None:
    """Claude Code: `ledger prime` as SessionStart and PreCompact hooks, and the MCP server.

    Adds the hooks to .claude/settings.json and the `ledger` server (`ledger mcp`) to .mcp.json
    at the repository root, keeping every other key and line. A second run changes nothing;
    --remove takes them out again.
    """
    from ..setup import Target

    _setup(ctx, Target.claude, dry_run, remove)


def setup_agents_md(
    ctx: typer.Context, dry_run: DryRunOpt = False, remove: RemoveOpt = False
) -> None:
    """A marked block in AGENTS.md (and CLAUDE.md when present): the commands of each loop.

    Any agent reading the file learns to start with `ledger prime`, to record each loop with
    `ledger attempt add` and `ledger set`, to run `ledger check`, and to publish the dwell
    checkpoint with `ledger dwell --push`. A second run changes nothing; --remove takes the
    block out again.
    """
    from ..setup import Target

    _setup(ctx, Target.agents_md, dry_run, remove)


def _setup(ctx: typer.Context, target: Target, dry_run: bool, remove: bool) -> None:
    import sys

    from ..setup import apply, transforms
    from ._common import display_path

    root = settings(ctx).root
    for path, transform in transforms(target, root, _ledger_file(ctx, root), remove=remove):
        change = apply(path, transform, dry_run=dry_run)
        shown = display_path(path)
        if dry_run:
            sys.stdout.write(change.diff(shown))
        elif change.written:
            typer.echo(f"{'removed from' if remove else 'wrote'} {shown}")
        elif change.before is not None or not remove:
            typer.echo(f"unchanged: {shown}")


def _ledger_file(ctx: typer.Context, root: Path) -> str:
    """The ledger's path for the instructions: the located one, else the configured one."""
    from ..errors import LedgerFileError

    try:
        return _repository_path(ledger_path(ctx), root)
    except LedgerFileError:
        warn(f"no ledger found yet; the instructions name {settings(ctx).config.file}")
        return settings(ctx).config.file
