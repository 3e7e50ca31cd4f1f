"""`ledger next`, `ledger brief`, `ledger graph`.

The commands an agent loop runs at the start of every turn (what to work on, and a brief of it
that fits in a prompt), and a picture of how the work hangs together.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._common import (
    STATUS_STYLES,
    TIER_STYLES,
    FileOpt,
    JsonOpt,
    NoGitOpt,
    console,
    open_ledger,
    print_json,
    print_lines,
    print_table,
    warn,
    write,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..dwell import DwellTable
    from ..planning import Candidate
    from .tables import Table


class GraphFormat(str, Enum):
    mermaid = "mermaid"
    dot = "dot"
    tree = "tree"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add this family's commands to the app."""
    app.command("next")(next_)
    app.command("brief")(brief)
    app.command("graph")(graph)


def _dwell(ctx: typer.Context, loaded: Any, no_git: bool) -> DwellTable | None:
    """Dwell at HEAD from the dwell command family, when it is available and applicable."""
    if no_git:
        return None
    try:
        from .dwell import status_dwell
    except ImportError:
        return None
    from ..errors import LedgerError

    try:
        result = status_dwell(ctx, loaded)
    except LedgerError as exc:  # dwell is optional here: say why it is missing and go on
        warn(f"dwell not used: {exc.message}")
        return None
    return result


# --- next ---------------------------------------------------------------------------------------


def next_(
    ctx: typer.Context,
    file: FileOpt = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="Say why each other item is not ready, and why the first one won."
        ),
    ] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", metavar="N", min=1, help="Show at most N ready items.")
    ] = None,
    no_git: NoGitOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """The focus items that can be worked on now, best first.

    Ready: status not done/archived/superseded/blocked*, every dependency that is a focus item is
    closed, and no open return condition names an unfinished focus. Order: priority, then the
    header's Active Focus, then dwell (lower first), then the oldest last attempt, then document
    order.

    Cycles (--explain): the blocking ones, over `Depends on` and open return conditions, whose
    members are all unfinished, so none can become ready. They are among the cycles `ledger
    check` (LDG302) and `ledger graph` report; a cycle through a closed item blocks nothing and
    is not named here.
    """
    from ..planning import plan

    loaded = open_ledger(ctx, file)
    table = _dwell(ctx, loaded, no_git)
    result = plan(loaded.ledger, table.marks(loaded.ledger.focus_items) if table else None)
    if as_json:
        print_json({"file": str(loaded.path), **result.as_dict(limit=limit, explain=explain)})
        return
    _print_next(ctx, result, limit, explain)


def _print_next(ctx: typer.Context, result: Any, limit: int | None, explain: bool) -> None:
    shown = result.ready if limit is None else result.ready[:limit]
    if shown:
        print_table(ctx, _ready_table(shown))
    else:
        write("no focus item is ready\n")
    if len(shown) < len(result.ready):
        write(f"… {len(result.ready) - len(shown)} more ready\n")
    if not explain:
        return
    lines: list[tuple[str, str]] = []
    if result.why_first:
        lines += [("", ""), ("why first:", "bold")]
        lines += [(f"  {reason}", "") for reason in result.why_first]
    if result.waiting:
        lines += [("", ""), ("not ready:", "bold")]
        for c in result.waiting:
            lines.append((f"  {c.id}", "bold"))
            lines += [(f"    - {r.message}", "") for r in c.reasons]
    if result.cycles:
        lines += [("", ""), ("cycles:", "bold red")]
        lines += [(f"  {cyc.name}", "") for cyc in result.cycles]
    if result.duplicates:
        lines += [("", ""), ("duplicate sections (the first one is used):", "bold yellow")]
        lines += [
            (f"  {focus_id}: lines {', '.join(map(str, numbers))}", "")
            for focus_id, numbers in result.duplicates.items()
        ]
    print_lines(ctx, lines)


def _ready_table(ready: list[Candidate]) -> Table:
    """The table of `ledger next`, best first.

    On a narrow screen the Title shrinks first (down to 20 columns), then Last attempt, Note,
    Priority and Dwell are dropped in that order, and only then does the Title shrink further;
    #, ID, Status and Title are always shown (docs/commands/loop.md).
    """
    from .tables import Cell, Column, Justify, Overflow, Table

    with_dwell = any(c.dwell is not None for c in ready)
    with_note = any(c.active_focus for c in ready)
    table = Table(
        [
            Column("#", justify=Justify.right),
            Column("ID", style="bold"),
            Column("Priority", drop=3),
            Column("Status"),
            *([Column("Dwell", drop=4)] if with_dwell else []),
            Column("Last attempt", drop=1),
            *([Column("Note", drop=2)] if with_note else []),
            Column("Title", overflow=Overflow.ellipsis, shrink=1, shrink_to=20),
        ]
    )
    for rank, c in enumerate(ready, 1):
        status = c.item.status.value
        dwell = "-" if c.dwell is None else f"{c.dwell}" + (f" (T{c.tier})" if c.tier else "")
        table.add_row(
            str(rank),
            c.id,
            c.priority.value if c.priority else "-",
            Cell(status, STATUS_STYLES.get(status, "")),
            *([Cell(dwell, TIER_STYLES.get(c.tier or 0, ""))] if with_dwell else []),
            _last(c),
            *(["active focus" if c.active_focus else ""] if with_note else []),
            c.item.title or "",
        )
    return table


def _last(c: Candidate) -> str:
    if not c.attempted:
        return "never"
    if c.last_attempt is None:
        return "undated"
    return c.last_attempt.date().isoformat()


# --- brief --------------------------------------------------------------------------------------


def brief(
    ctx: typer.Context,
    focus_id: Annotated[
        str, typer.Argument(metavar="ID", help="Focus ID, e.g. FIX-TF-C1D-SCALED-RERUN-001.")
    ],
    file: FileOpt = None,
    attempts: Annotated[
        int,
        typer.Option(
            "--attempts", metavar="N", min=0, help="How many of the latest attempts to include."
        ),
    ] = 3,
    max_bytes: Annotated[
        int,
        typer.Option(
            "--max-bytes",
            metavar="N",
            min=300,
            help="Upper bound on the brief's size in UTF-8 bytes.",
        ),
    ] = 4000,
    no_git: NoGitOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """A compact Markdown brief of one focus for an agent's prompt, never over --max-bytes.

    Shows status, priority, dwell and tier (with what the tier demands when the focus is
    flagged; a parked or closed focus is told why nothing is), dependencies with their statuses,
    the items that depend on this one, the blocking cycles through it (the ones `ledger next`
    names), then every field of the focus: return conditions, error signature, root cause,
    impact, repro, scope, Do Now, the steps of a queue item, working plan, exit criteria, notes,
    the rest in document order; then the latest attempts. Ends with exactly what was left out to
    fit.
    """
    from ..brief import build_brief
    from ..views import require_focus

    loaded = open_ledger(ctx, file)
    item = require_focus(loaded.ledger, focus_id)
    table = _dwell(ctx, loaded, no_git)
    # With history read, a focus the supervisor never turned to has dwell 0.
    dwell = None if table is None else table.mark(item.id, item.status)
    result = build_brief(loaded.ledger, item, attempts=attempts, max_bytes=max_bytes, dwell=dwell)
    if as_json:
        print_json({"file": str(loaded.path), **result.as_dict()})
        return
    typer.echo(result.markdown, nl=False)


# --- graph --------------------------------------------------------------------------------------


def graph(
    ctx: typer.Context,
    file: FileOpt = None,
    fmt: Annotated[
        GraphFormat,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="mermaid (GitHub renders it), dot (graphviz), tree, or json.",
        ),
    ] = GraphFormat.mermaid,
    active: Annotated[
        bool, typer.Option("--active", "-a", help="Only open items and what they depend on.")
    ] = False,
) -> None:
    """The dependency graph: nodes coloured by status, cycles drawn in red and named.

    `A --> B` means A depends on B; a dashed edge means an open return condition of A waits on B.
    Cycles run over both kinds of edge: the same cycles `ledger check` reports (LDG302),
    including those through closed items; with --active, the blocking cycles `ledger next` names.
    """
    from .. import graph as graphs

    loaded = open_ledger(ctx, file)
    g = graphs.build_graph(loaded.ledger, active=active)
    if fmt is GraphFormat.mermaid:
        typer.echo(graphs.to_mermaid(g), nl=False)
    elif fmt is GraphFormat.dot:
        typer.echo(graphs.to_dot(g), nl=False)
    elif fmt is GraphFormat.json:
        print_json(g.as_dict())
    else:
        _print_tree(ctx, graphs.to_tree(g), g.cycles)


def _print_tree(ctx: typer.Context, roots: list[dict], cycles: list[Any]) -> None:
    from rich.text import Text
    from rich.tree import Tree

    from ..depgraph import EdgeKind

    def label(node: dict) -> Text:
        text = Text()
        if node["edge"] is EdgeKind.waits_on:
            text.append("waits on ", style="dim")
        text.append(node["id"], style="bold")
        text.append(" ")
        text.append(node["status"], style=STATUS_STYLES.get(node["status"], "dim"))
        if node["title"]:
            text.append(f"  {node['title']}")
        if node["cycle"]:
            text.append("  ↺ cycle", style="bold red")
        elif node["seen"]:
            text.append("  (shown above)", style="dim")
        return text

    def add(parent: Tree, node: dict) -> None:
        branch = parent.add(label(node))
        for child in node["children"]:
            add(branch, child)

    out = console(ctx)
    tree = Tree("dependencies (A → its dependencies)", guide_style="dim")
    for root in roots:
        add(tree, root)
    out.print(tree)
    for i, cyc in enumerate(cycles, 1):
        out.print(f"cycle {i}: {cyc.name}", style="red", markup=False, highlight=False)
