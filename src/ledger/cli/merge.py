"""Command family `merge`: the git merge driver and a merge command for use outside git.

`ledger merge-driver %O %A %B --path %P` follows git's merge driver protocol: it reads the base,
ours and theirs files, writes the result over the ours file (`%A`) and exits 0 when the merge is
clean, 1 when conflict markers were left for a person. `--install` configures the driver for the
current repository. `ledger merge OURS BASE THEIRS -o OUT` runs the same merge on any three files.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import plural, settings

if TYPE_CHECKING:  # pragma: no cover
    from ..merge import MergeResult

DRIVER_NAME = "ledger: merge fix-plan ledgers by focus item and attempt"


def register(app: typer.Typer) -> None:
    """Add this family's commands to the app."""
    app.command("merge-driver")(merge_driver)
    app.command("merge")(merge_files)


def merge_driver(
    ctx: typer.Context,
    base: Annotated[
        Path | None,
        typer.Argument(
            metavar="BASE", help="%O: the common ancestor's version.", show_default=False
        ),
    ] = None,
    ours: Annotated[
        Path | None,
        typer.Argument(
            metavar="OURS", help="%A: our version; the result is written here.", show_default=False
        ),
    ] = None,
    theirs: Annotated[
        Path | None,
        typer.Argument(
            metavar="THEIRS", help="%B: the other branch's version.", show_default=False
        ),
    ] = None,
    path: Annotated[
        str | None,
        typer.Option(
            "--path", metavar="PATH", help="%P: the path being merged (used in messages)."
        ),
    ] = None,
    ours_name: Annotated[
        str | None,
        typer.Option(
            "--ours-name",
            metavar="NAME",
            help="%X: our branch's name, for conflict markers and notes.",
        ),
    ] = None,
    theirs_name: Annotated[
        str | None,
        typer.Option(
            "--theirs-name", metavar="NAME", help="%Y: their branch's name, for markers and notes."
        ),
    ] = None,
    install: Annotated[
        bool,
        typer.Option(
            "--install",
            help="Configure this driver for the current repository "
            "(git config + .gitattributes) and exit.",
        ),
    ] = False,
    program: Annotated[
        str,
        typer.Option(
            "--program",
            metavar="COMMAND",
            help="With --install: the command git runs to start ledger (e.g. 'python -m ledger').",
        ),
    ] = "ledger",
) -> None:
    """Git merge driver for ledgers: merge by focus item and attempt instead of by line.

    Writes the merged ledger over OURS (%A); exits 0 when clean, 1 when conflict markers
    (`<<<<<<< main` / `=======` / `>>>>>>> feature`, the branch names when git gives them, else
    ours/theirs) were left, so git reports the conflict. Two attempts added on both sides with
    one number: the later is renumbered, and a note on stderr says so.

    Set it up once per clone with `ledger merge-driver --install`, which runs
    `git config merge.ledger.driver "ledger merge-driver %O %A %B --path %P"` (plus
    `--ours-name %X --theirs-name %Y` with git 2.44 or later) and adds
    `docs/fix_plan.md merge=ledger` (the configured ledger path) to `.gitattributes`.
    """
    from ..errors import UsageError

    if install:
        _install(ctx, program)
        return
    if base is None or ours is None or theirs is None:
        raise UsageError("merge-driver needs the three files %O %A %B (or --install)")
    labels = _side_names(ours_name, theirs_name)
    result = _merge_into(base, ours, theirs, ours, labels)
    _report(path or str(ours), result)


def merge_files(
    ours: Annotated[
        Path,
        typer.Argument(
            metavar="OURS", help="Our version (the current branch).", show_default=False
        ),
    ],
    base: Annotated[
        Path,
        typer.Argument(metavar="BASE", help="The common ancestor's version.", show_default=False),
    ],
    theirs: Annotated[
        Path, typer.Argument(metavar="THEIRS", help="The other version.", show_default=False)
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Write the merged ledger here (default: print it to stdout).",
        ),
    ] = None,
) -> None:
    """Three-way merge of ledger files outside git (argument order as in `git merge-file`).

    Prints the merged ledger, or writes it atomically to --output. Exits 0 when clean, 1 when
    conflict markers were left.
    """
    _report(str(output) if output else None, _merge_into(base, ours, theirs, output))


def _merge_into(
    base: Path,
    ours: Path,
    theirs: Path,
    output: Path | None,
    labels: tuple[str, str] = ("ours", "theirs"),
) -> MergeResult:
    """Merge the three files; write the bytes to `output` (stdout when None)."""
    from ..fileio import decode, encode_text, locked_update, read_bytes
    from ..merge import merge_ledgers

    texts = [decode(read_bytes(p)) for p in (base, ours, theirs)]
    result = merge_ledgers(*texts, ours_label=labels[0], theirs_label=labels[1])
    if output is None:
        sys.stdout.buffer.write(encode_text(result.text))
        sys.stdout.flush()
    else:
        locked_update(output, lambda _current: result.text, missing_ok=True)
    return result


def _report(name: str | None, result: MergeResult) -> None:
    """The merge's notes and conflicts on stderr; exit 1 when a person must finish it."""
    prefix = f"ledger: {name}: " if name else "ledger: "
    for note in result.notes:
        typer.echo(prefix + note, err=True)
    if result.conflicts:
        typer.echo(f"{prefix}{plural(result.conflicts, 'conflict')} left with markers", err=True)
    if not result.clean:
        raise typer.Exit(1)


def _side_names(ours: str | None, theirs: str | None) -> tuple[str, str]:
    """Our and their branch names: as git passed them, else from its `GITHEAD_*` variables."""
    import os

    from ..merge.driver import side_names

    head = None
    if any(key.startswith("GITHEAD_") for key in os.environ):
        from .. import history
        from ..errors import GitError

        try:  # a merge driver runs at the root of the work tree being merged
            head = history.resolve(history.open_work_tree(Path.cwd()), "HEAD")
        except GitError:
            head = None
    return side_names(ours, theirs, os.environ, head)


def _install(ctx: typer.Context, program: str) -> None:
    """Set merge.ledger.* in the repository's config and route the ledger to it in
    .gitattributes."""
    from .. import history
    from ..fileio import locked_update

    repo = history.open_work_tree(Path.cwd())
    root = repo.work_tree
    assert root is not None  # open_work_tree refuses bare repositories
    ledger = settings(ctx).config.file.replace("\\", "/")
    history.set_config(repo, "merge.ledger.name", DRIVER_NAME)
    from ..merge.driver import driver_command

    history.set_config(repo, "merge.ledger.driver", driver_command(program, history.git_version()))
    attributes = root / ".gitattributes"
    line = f"{ledger} merge=ledger"

    def add_line(text: str | None) -> str:
        text = text or ""
        if line in (existing.strip() for existing in text.splitlines()):
            return text
        newline = "\r\n" if "\r\n" in text else "\n"
        if text and not text.endswith("\n"):
            text += newline
        return text + line + newline

    if locked_update(attributes, add_line, missing_ok=True).written:
        typer.echo(f"ledger: added `{line}` to {attributes}", err=True)
    typer.echo(f"ledger: merge driver `ledger` configured in {root}", err=True)
    import shlex
    import shutil

    first = shlex.split(program)[0] if program.strip() else program
    if shutil.which(first) is None:  # git runs the driver through the shell's PATH
        from ._common import warn

        warn(
            f"`{first}` is not on PATH, so git cannot start the driver; activate the environment "
            f"that has ledger, or re-run with --program '{sys.executable} -m ledger'"
        )
