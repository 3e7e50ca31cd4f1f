"""LDG3xx dependencies: IDs that are not items of the ledger, cycles, done items waiting on open
ones. Dependencies are read from items of every form (`Depends on:` fields of focus sections,
`(depends on T009)` on a checkbox line, `Dependencies:` bullets)."""

from __future__ import annotations

from collections.abc import Iterator

from ..depgraph import EdgeKind
from ..ids import ID_WORD_RE, bracketed_tokens
from ..model import Field, FocusItem, Status
from .links import read_inside
from .registry import ERROR, WARNING, Context, Finding, rule


def _depends_field(item: FocusItem) -> Field | None:
    return item.field("depends on", "depends")


def _written_at(ctx: Context, item: FocusItem, dep: str) -> int | None:
    """The line where `item` names the dependency `dep`: its `Depends on` field in a focus
    section; in the other forms, the first of the item's lines that names it (the item's own
    `(depends on T009)`, a `Depends on:` or `Dependencies:` bullet). None: a section without the
    field (nothing to point at)."""
    if item.form.is_ledger_section:
        f = _depends_field(item)
        return f.line if f is not None else None
    for n in range(item.line, min(item.end_line, len(ctx.lines)) + 1):
        if dep in ctx.lines[n - 1]:
            return n
    return item.line


@rule("LDG301", "unknown-dependency", WARNING, "A dependency that is not an item of the ledger.")
def unknown_dependency(ctx: Context) -> Iterator[Finding]:
    mentioned: dict[str, int] | None = None
    for item in ctx.items:
        for dep in item.depends_on:
            if dep in ctx.all_ids:
                continue
            line = _written_at(ctx, item, dep)
            if line is None:
                continue
            section = item.form.is_ledger_section
            where = _finding_file(ctx, dep)
            if where:
                extra = f"; it is defined in {where} (a finding, not a focus)"
            else:
                if mentioned is None:
                    mentioned = bracketed_tokens(ctx.lines)
                if dep in mentioned:
                    has_none = "has no section" if section else "is not an item"
                    extra = f"; it is mentioned at line {mentioned[dep]} but {has_none}"
                elif ctx.root is not None:
                    files = ", ".join(ctx.config.findings_files) or "any findings file"
                    extra = f"; it is not in {files} either"
                else:
                    extra = ""
            what = "a focus section" if section else "an item of this plan"
            yield ctx.finding(
                "LDG301",
                line,
                f"{item.id} depends on {dep}, which is not {what}{extra}",
                ctx.col_of(line, dep),
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


@rule("LDG303", "done-depends-on-open", WARNING, "A done item depends on one that is still open.")
def done_depends_on_open(ctx: Context) -> Iterator[Finding]:
    for item in ctx.items:
        if item.status is not Status.done:
            continue
        for dep in item.depends_on:
            target = ctx.first_item.get(dep)
            if target is None or target.status is Status.unknown or target.status.is_closed:
                continue
            line = _written_at(ctx, item, dep)
            yield ctx.finding(
                "LDG303",
                line or item.line,
                f"{item.id} is done but depends on {dep}, "
                f"which is {target.status.value} (line {target.line})",
                ctx.col_of(line, dep) if line else 1,
            )
