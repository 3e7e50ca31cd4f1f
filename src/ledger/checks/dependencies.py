"""LDG3xx dependencies: IDs that are not focus sections, cycles, done items waiting on open ones."""

from __future__ import annotations

from collections.abc import Iterator

from ..depgraph import EdgeKind
from ..ids import ID_WORD_RE, bracketed_tokens
from ..model import Field, FocusItem, Status
from .links import read_inside
from .registry import ERROR, WARNING, Context, Finding, rule


def _depends_field(item: FocusItem) -> Field | None:
    return item.field("depends on", "depends")


@rule("LDG301", "unknown-dependency", WARNING, "A dependency that is not a focus section.")
def unknown_dependency(ctx: Context) -> Iterator[Finding]:
    mentioned: dict[str, int] | None = None
    for item in ctx.sections:
        f = _depends_field(item)
        if f is None:
            continue
        for dep in item.depends_on:
            if dep in ctx.all_ids:
                continue
            where = _finding_file(ctx, dep)
            if where:
                extra = f"; it is defined in {where} (a finding, not a focus)"
            else:
                if mentioned is None:
                    mentioned = bracketed_tokens(ctx.lines)
                if dep in mentioned:
                    extra = f"; it is mentioned at line {mentioned[dep]} but has no section"
                elif ctx.root is not None:
                    files = ", ".join(ctx.config.findings_files) or "any findings file"
                    extra = f"; it is not in {files} either"
                else:
                    extra = ""
            yield ctx.finding(
                "LDG301",
                f.line,
                f"{item.id} depends on {dep}, which is not a focus section{extra}",
                ctx.col_of(f.line, dep),
            )


def _finding_file(ctx: Context, focus_id: str) -> str | None:
    """The first configured findings file (inside the repository) that mentions `focus_id`."""
    if ctx.root is None:
        return None
    cache = ctx.findings_words
    for rel in ctx.config.findings_files:
        if rel not in cache:  # read each file once, as a set of ID-like words
            cache[rel] = set(ID_WORD_RE.findall(read_inside(ctx.root, rel)))
        if focus_id in cache[rel]:
            return rel
    return None


@rule("LDG302", "dependency-cycle", ERROR, "Focus items that depend on each other in a cycle.")
def dependency_cycle(ctx: Context) -> Iterator[Finding]:
    # The cycles `ledger graph` draws (decision 0080): over `Depends on` and open return
    # conditions, blocking ones and those through closed items alike.
    for cycle in ctx.dependency_graph.cycles():
        first = cycle.edges[0]
        waits = [e for e in cycle.edges if e.kind is EdgeKind.waits_on]
        note = "; ".join(f"{e.source} waits on {e.target} in a return condition" for e in waits)
        yield ctx.finding(
            "LDG302",
            first.line,
            "dependency cycle: "
            + " -> ".join([*cycle.ids, cycle.ids[0]])
            + (f" ({note})" if note else ""),
            ctx.col_of(first.line, first.target),
        )


@rule("LDG303", "done-depends-on-open", WARNING, "A done focus depends on one that is still open.")
def done_depends_on_open(ctx: Context) -> Iterator[Finding]:
    for item in ctx.sections:
        if item.status is not Status.done:
            continue
        f = _depends_field(item)
        for dep in item.depends_on:
            target = ctx.first_section.get(dep)
            if target is None or target.status is Status.unknown or target.status.is_closed:
                continue
            yield ctx.finding(
                "LDG303",
                f.line if f else item.line,
                f"{item.id} is done but depends on {dep}, "
                f"which is {target.status.value} (line {target.line})",
                ctx.col_of(f.line, dep) if f else 1,
            )
