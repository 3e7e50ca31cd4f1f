"""`ledger check` (consistency findings, like a linter) and `ledger fix` (safe repairs).

Both take the files to work on as arguments, which is how pre-commit calls them; without
arguments they use the located ledger. `check` prints `path:line:col: CODE message` lines and a
summary (or JSON, or GitHub workflow annotations) and exits 1 when any finding is an error.
`fix` rewrites files atomically (or shows the diff) and exits 1 when it changed anything, the
convention pre-commit expects from fixers.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import FileOpt, display_path, ledger_path, print_json, settings, use_color

if TYPE_CHECKING:  # pragma: no cover
    from ..checks import Finding


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


FilesArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Ledger files (default: the located ledger; pre-commit passes the staged ones).",
        show_default=False,
        metavar="FILES",
    ),
]


def register(app: typer.Typer) -> None:
    """Add `check` and `fix` to the app."""
    app.command("check")(check)
    app.command("fix")(fix)


def _targets(ctx: typer.Context, files: list[Path] | None, file: Path | None) -> list[Path]:
    return list(files) if files else [ledger_path(ctx, file)]


def check(
    ctx: typer.Context,
    files: FilesArg = None,
    file: FileOpt = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            help="text (path:line:col: CODE message), json, or github (workflow annotations).",
        ),
    ] = OutputFormat.text,
    show_statistics: Annotated[
        bool, typer.Option("--statistics", help="Count findings per rule instead of listing them.")
    ] = False,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            metavar="CODES",
            help="Only these rules: codes, prefixes (LDG2) or names; comma-separated or "
            "repeated. Replaces check.select.",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="CODES", help="Skip these rules (added to check.ignore)."),
    ] = None,
) -> None:
    """Check ledgers for duplicate IDs, lost headings, orphan attempts, index drift and more.

    Prints one `path:line:col: CODE message` line per finding and a summary. Exit 1 if any
    finding is an error (warnings and info do not fail), else 0. Rules, codes and severities:
    docs/commands/check.md; configure them under `check:` in .ledger.yaml.

    Cycles (LDG302) run over `Depends on` and open return conditions: every cycle `ledger graph`
    draws, those through closed items included; the blocking ones are those `ledger next` names.
    """
    from ..checks import Severity, check_text
    from ..fileio import containment_root, read_ledger

    config = settings(ctx).config.check
    findings: list[Finding] = []
    paths = _targets(ctx, files, file)
    for path in paths:
        text, size = read_ledger(path)
        findings.extend(
            check_text(
                text,
                config,
                path=display_path(path),
                root=containment_root(path),
                size=size,
                select=select,
                ignore=ignore,
            )
        )
    if output_format is OutputFormat.json:
        _print_json(findings, paths, show_statistics)
    elif output_format is OutputFormat.github:
        _print_github(findings, show_statistics)
    else:
        _print_text(ctx, findings, len(paths), show_statistics)
    if any(f.severity is Severity.error for f in findings):
        raise typer.Exit(1)


def _summary(findings: list[Finding]) -> dict:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.severity.value] += 1
    return {
        "findings": len(findings),
        "errors": counts["error"],
        "warnings": counts["warning"],
        "info": counts["info"],
    }


def _summary_line(findings: list[Finding], files: int) -> str:
    if not findings:
        return f"All checks passed ({files} file{'s' if files != 1 else ''})."
    s = _summary(findings)
    parts = [
        f"{s['errors']} error{'s' if s['errors'] != 1 else ''}",
        f"{s['warnings']} warning{'s' if s['warnings'] != 1 else ''}",
    ]
    if s["info"]:
        parts.append(f"{s['info']} info")
    fixable = sum(1 for f in findings if f.as_dict()["fixable"])
    tail = f" ({fixable} fixable with `ledger fix`)" if fixable else ""
    plural = "s" if s["findings"] != 1 else ""
    return f"Found {s['findings']} finding{plural}: {', '.join(parts)}{tail}."


def _statistics_lines(findings: list[Finding]) -> list[str]:
    from ..checks import statistics

    return [
        f"{row['count']:>5}  {row['code']}  [{row['severity']}] {row['name']}"
        for row in statistics(findings)
    ]


_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _print_text(
    ctx: typer.Context, findings: list[Finding], files: int, show_statistics: bool
) -> None:
    lines = (
        _statistics_lines(findings)
        if show_statistics
        else [f"{f.path}:{f.line}:{f.col}: {f.code} {f.message}" for f in findings]
    )
    summary = _summary_line(findings, files)
    if not use_color(ctx):  # plain text: no rich import on the hot path (pre-commit, pipes)
        _write("\n".join([*lines, summary]) + "\n")
        return
    from rich.text import Text

    from ._common import console

    con = console(ctx)
    if show_statistics:
        for line in lines:
            con.print(Text(line))
    else:
        for f in findings:
            text = Text()
            text.append(f"{f.path}:{f.line}:{f.col}:", style="bold")
            text.append(" ")
            text.append(f.code, style=_SEVERITY_STYLE.get(f.severity.value, ""))
            text.append(f" {f.message}")
            con.print(text)
    con.print(
        Text(
            summary,
            style="bold red" if any(f.severity.value == "error" for f in findings) else "green",
        )
    )


def _print_json(findings: list[Finding], paths: list[Path], show_statistics: bool) -> None:
    from ..checks import statistics

    data: dict = {
        "files": [display_path(p) for p in paths],
        "summary": _summary(findings),
        "findings": [f.as_dict() for f in findings],
    }
    if show_statistics:
        data["statistics"] = statistics(findings)
    print_json(data)


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


_GH_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _print_github(findings: list[Finding], show_statistics: bool) -> None:
    out = []
    for f in findings:
        props = (
            f"file={_gh_escape(f.path, True)},line={f.line},col={f.col},"
            f"title={_gh_escape(f.code, True)}"
        )
        out.append(
            f"::{_GH_LEVEL[f.severity.value]} {props}::{_gh_escape(f'{f.code} {f.message}')}"
        )
    if show_statistics:
        out.extend(_statistics_lines(findings))
    out.append(_summary_line(findings, len({f.path for f in findings}) or 1))
    _write("\n".join(out) + "\n")


def _write(text: str) -> None:
    """UTF-8 to stdout whatever the locale; undecodable ledger bytes go out unchanged."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8", "surrogateescape"))
    buffer.flush()


def fix(
    ctx: typer.Context,
    files: FilesArg = None,
    file: FileOpt = None,
    diff: Annotated[
        bool,
        typer.Option("--diff", help="Print a unified diff of what would change; write nothing."),
    ] = False,
) -> None:
    """Repair what needs no judgement: mojibake, index rows, exact duplicate attempts.

    Trailing whitespace is stripped only with `check.fix_trailing_whitespace: true`. Nothing
    that is not an exact duplicate is ever deleted; everything else stays a `ledger check`
    finding. Files are replaced atomically. Exit 1 if anything changed (or, with --diff, would
    change), else 0, the convention pre-commit expects from fixers.
    """
    from ..fix import fix_file

    config = settings(ctx).config.check
    changed_any = False
    for path in _targets(ctx, files, file):
        result = fix_file(path, config, dry_run=diff)
        if not result.changed:
            continue
        changed_any = True
        shown = display_path(path)
        if diff:
            _print_diff(shown, result.before, result.text)
            verb = "would fix"
        else:
            verb = "fixed"
        counts = ", ".join(f"{n} {kind}" for kind, n in result.counts().items())
        typer.echo(f"{verb} {shown}: {counts}", err=True)
    if changed_any:
        raise typer.Exit(1)


def _print_diff(path: str, before: str, after: str) -> None:
    import difflib

    from ..document import split_lines

    lines = difflib.unified_diff(
        split_lines(before), split_lines(after), fromfile=f"a/{path}", tofile=f"b/{path}"
    )
    _write(
        "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            for line in lines
        )
    )
