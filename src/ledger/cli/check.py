"""`ledger check` (consistency findings, like a linter) and `ledger fix` (safe repairs).

Both take the files to work on as arguments, which is how pre-commit calls them; without
arguments they use the located ledger. `check` prints `path:line:col: CODE message` lines and a
summary (or JSON, or GitHub workflow annotations) and exits 1 when any finding is an error.
`fix` rewrites files atomically (or shows the diff) and exits 1 when it changed anything, the
convention pre-commit expects from fixers.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import (
    FileOpt,
    display_path,
    ledger_path,
    plural,
    print_json,
    screen,
    settings,
    use_color,
    write,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..checks import Finding
    from .tables import Table


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
            metavar="FORMAT",
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
        return f"All checks passed ({plural(files, 'file')})."
    s = _summary(findings)
    parts = [plural(s["errors"], "error"), plural(s["warnings"], "warning")]
    if s["info"]:
        parts.append(f"{s['info']} info")
    fixable = sum(1 for f in findings if f.as_dict()["fixable"])
    tail = f" ({fixable} fixable with `ledger fix`)" if fixable else ""
    return f"Found {plural(s['findings'], 'finding')}: {', '.join(parts)}{tail}."


_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _statistics_table(findings: list[Finding]) -> Table:
    """Findings per rule, most frequent first: count, code, `[severity] name` (no header)."""
    from ..checks import statistics
    from .tables import Cell, Column, Justify, Table

    table = Table([Column("", Justify.right, min_width=5), Column(""), Column("")], header=False)
    for row in statistics(findings):
        table.add_row(
            str(row["count"]),
            Cell(row["code"], _SEVERITY_STYLE.get(row["severity"], "")),
            f"[{row['severity']}] {row['name']}",
        )
    return table


def _print_text(
    ctx: typer.Context, findings: list[Finding], files: int, show_statistics: bool
) -> None:
    from ..checks import Severity
    from ._style import styled

    color = use_color(ctx)
    if show_statistics:
        lines = _statistics_table(findings).render(screen(ctx))
    else:
        lines = [
            f"{styled(f'{f.path}:{f.line}:{f.col}:', 'bold', color)} "
            f"{styled(f.code, _SEVERITY_STYLE.get(f.severity.value, ''), color)} {f.message}"
            for f in findings
        ]
    failed = any(f.severity is Severity.error for f in findings)
    lines.append(styled(_summary_line(findings, files), "bold red" if failed else "green", color))
    write("\n".join(lines) + "\n")


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
        from .tables import Screen

        out.extend(_statistics_table(findings).render(Screen()))
    out.append(_summary_line(findings, len({f.path for f in findings}) or 1))
    write("\n".join(out) + "\n")


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
    write(
        "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            for line in lines
        )
    )
