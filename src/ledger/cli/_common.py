"""Plumbing shared by the command modules: options, locating and loading the ledger, output.

Stdout is data, stderr is chatter: JSON and tables go to stdout, progress and warnings to
stderr. Colours only on a terminal, never when NO_COLOR is set, always overridable with
`--color/--no-color`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, TypeVar

import typer

from ..vocab import AttemptKind, Priority, Status
from ..wording import plural  # noqa: F401  (one home; CLI modules import it from here)

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from ..config import Settings
    from ..model import Ledger
    from .tables import Screen, Table

FileOpt = Annotated[
    Path | None,
    typer.Option(
        "--file",
        "-f",
        metavar="PATH",
        help="Ledger file (default: docs/fix_plan.md found upward from cwd).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts and agents.")]
NoGitOpt = Annotated[
    bool,
    typer.Option(
        "--no-git",
        help="Do not read git history: no dwell or tier (every reading command takes it).",
    ),
]

STATUS_STYLES = {
    "pending": "white",
    "planning": "cyan",
    "in_progress": "bold blue",
    "ready_for_implementation": "bold cyan",
    "blocked": "bold red",
    "blocked_escalation": "bold white on red",
    "paused": "yellow",
    "done": "green",
    "archived": "dim green",
    "superseded": "dim",
    "unknown": "magenta",
}
# Dwell tiers 1, 2, 3 (a closed focus is never flagged, so never coloured).
TIER_STYLES = {0: "", 1: "yellow", 2: "bold yellow", 3: "bold red"}


# The words option values are chosen from, derived from the vocabularies (any case is accepted,
# and the synonyms `Status.choose` and `AttemptKind.choose` know, such as `wip` or `review`).
STATUS_CHOICES = tuple(s.value for s in Status if s is not Status.unknown)
PRIORITY_CHOICES = tuple(p.value for p in Priority)
KIND_CHOICES = tuple(k.value for k in AttemptKind)

T = TypeVar("T")


def choice(
    choose: Callable[[str], T | None], words: Sequence[str], what: str
) -> Callable[[str], T]:
    """A typer `parser=` reading one word of a vocabulary with its `choose` (a usage error, exit
    2, naming the accepted words when it names nothing)."""

    def parse(text: str) -> T:
        value = choose(text)
        if value is None:
            raise typer.BadParameter(f"{text!r} is not a {what} (choose from {', '.join(words)})")
        return value

    return parse


def state(ctx: typer.Context) -> Any:
    from ._app import State

    root = ctx.find_root()
    return root.obj if isinstance(root.obj, State) else State()


def settings(ctx: typer.Context) -> Settings:
    """The resolved configuration (cached on the context)."""
    st = state(ctx)
    cached = st.extra.get("settings")
    if cached is None:
        from ..config import load_settings

        cached = load_settings(config_path=st.config)
        st.extra["settings"] = cached
    return cached


def ledger_path(ctx: typer.Context, file: Path | None = None) -> Path:
    """`--file`, else the configured or found ledger (the configuration is read only then)."""
    explicit = file or state(ctx).file
    if explicit is not None:
        return explicit
    from ..config import locate_ledger

    return locate_ledger(settings(ctx))


class Loaded(NamedTuple):
    path: Path
    ledger: Ledger
    size: int


def open_ledger(ctx: typer.Context, file: Path | None = None) -> Loaded:
    """Locate, read and parse the ledger (a missing file is one clear error, exit 1)."""
    from ..fileio import read_ledger
    from ..parse import loads

    path = ledger_path(ctx, file)
    text, size = read_ledger(path)
    return Loaded(path=path, ledger=loads(text), size=size)


def use_color(ctx: typer.Context, stream=None) -> bool:
    forced = state(ctx).color
    if forced is not None:
        return forced
    if os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def console(ctx: typer.Context, *, stderr: bool = False) -> Console:
    """A rich console for what is not a table (the tree of `graph`, `show`, progress bars)."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    color = use_color(ctx, stream)
    return Console(
        file=stream,
        no_color=not color,
        color_system="auto" if color else None,
        highlight=False,
        soft_wrap=False,
        force_terminal=color or None,
        width=None if getattr(stream, "isatty", lambda: False)() else 200,
    )


def screen(ctx: typer.Context) -> Screen:
    """Where stdout's tables go: `--width`, else the terminal's width on a terminal, else
    unlimited; colours as `use_color` says; a header rule only on a terminal."""
    import shutil

    from .tables import Screen

    terminal = bool(getattr(sys.stdout, "isatty", lambda: False)())
    width = state(ctx).width
    if width is None and terminal:
        width = shutil.get_terminal_size().columns
    return Screen(width=width, color=use_color(ctx), terminal=terminal)


def print_table(ctx: typer.Context, table: Table) -> None:
    """A table on stdout, laid out for this screen."""
    write("".join(line + "\n" for line in table.render(screen(ctx))))


def print_lines(ctx: typer.Context, lines: Sequence[tuple[str, str]]) -> None:
    """Lines of text on stdout, each in its style ("": none), wrapped at spaces to the width
    `console` uses (the terminal's, else 200 columns); rich is not imported."""
    import shutil

    from ._style import styled
    from .tables import wrap

    terminal = bool(getattr(sys.stdout, "isatty", lambda: False)())
    width = shutil.get_terminal_size().columns if terminal else 200
    color = use_color(ctx)
    out = []
    for text, style in lines:
        for part in text.split("\n"):
            pieces = wrap(part, width, keep_blanks=True)
            out += [styled(piece, style, color) + "\n" for piece in pieces]
    write("".join(out))


def write(text: str) -> None:
    """Text to stdout as UTF-8 whatever the locale; undecodable ledger bytes go out unchanged."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8", "surrogateescape"))
    buffer.flush()


def print_json(data: Any) -> None:
    """JSON to stdout, UTF-8, stable key order as given."""
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def warn(message: str) -> None:
    typer.echo(f"ledger: warning: {message}", err=True)


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1000 or unit == "MB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000  # type: ignore[assignment]
    return f"{size} B"
