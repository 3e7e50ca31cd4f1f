"""LDG4xx status: words outside the vocabulary, `done` with an open Do Now, `blocked` without
a return condition (focus sections); and in the other forms: an open box under a Completed
group, a done item with open sub-steps, `blocked` without a reason."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Field, FocusItem, ItemForm, Status
from ..parse.groups import GroupHeading, group_headings
from ..parse.markers import read_label
from ..tables import cells, header_row
from ..vocab import STATUS_WORDS, first_word
from .registry import WARNING, Context, Finding, line_list, rule


@rule("LDG401", "unknown-status", WARNING, "A Status value outside the configured vocabulary.")
def unknown_status(ctx: Context) -> Iterator[Finding]:
    vocabulary = {s.lower() for s in ctx.config.statuses}
    for item in ctx.sections:
        f = item.field("status")
        if f is None or not item.status_text.strip():
            continue
        token = first_word(item.status_text)
        if token not in vocabulary:
            yield ctx.finding(
                "LDG401",
                f.line,
                f"status {token or item.status_text.strip()!r} of {item.id} "
                f"is not one of: {', '.join(ctx.config.statuses)}",
                ctx.col_of(f.line, item.status_text.strip()[:8]),
            )


_CLOSED_DO_NOW = re.compile(
    r"supersed|\bdone\b|complete|\bn/a\b|\bnone\b|^\s*[—-]\s*$|✅", re.IGNORECASE
)


def _do_now_open(f: Field) -> bool:
    if _CLOSED_DO_NOW.search(f.qualifier or "") or _CLOSED_DO_NOW.search(f.value or ""):
        return False
    items = [ln.strip() for ln in f.text.splitlines()[1:] if ln.strip()]
    if items and all(_CLOSED_DO_NOW.search(i) or i.startswith(("- [x]", "* [x]")) for i in items):
        return False
    return bool(f.value.strip() or items)


@rule("LDG402", "done-with-open-do-now", WARNING, "A done focus still has an open Do Now.")
def done_with_open_do_now(ctx: Context) -> Iterator[Finding]:
    for item in ctx.sections:
        if item.status is not Status.done:
            continue
        for f in item.fields:
            if f.key.startswith("do now") and _do_now_open(f):
                yield ctx.finding(
                    "LDG402",
                    f.line,
                    f"{item.id} is done but its `{f.name}` (line {f.line}) is still open; "
                    "mark it superseded or drop it",
                )


@rule(
    "LDG403",
    "blocked-without-return-condition",
    WARNING,
    "A blocked focus with no return condition.",
)
def blocked_without_return(ctx: Context) -> Iterator[Finding]:
    for item in ctx.sections:
        if not item.status.is_blocked:
            continue
        has = any(f.key.startswith(("return condition", "unblock", "resume")) for f in item.fields)
        if has or "return condition" in item.status_text.lower():
            continue
        f = item.field("status")
        yield ctx.finding(
            "LDG403",
            f.line if f else item.line,
            f"{item.id} is {item.status.value} "
            "but has no `Return Condition:` saying when to resume",
        )


# --- the other forms -----------------------------------------------------------------------


def open_boxes_under_done(items: list[FocusItem]) -> list[FocusItem]:
    """Checkbox items whose box is open (`- [ ]`) under a Completed/Done group (shared with
    `ledger fix`, which ticks them). The parser reads them as done, as their place says, and
    keeps `[ ]` as their written status: the two disagree, and one of them is stale."""
    return [
        f
        for f in items
        if f.form is ItemForm.checkbox and f.status is Status.done and f.status_text == "[ ]"
    ]


@rule(
    "LDG404",
    "open-box-under-done",
    WARNING,
    "An unticked checkbox under a Completed/Done group.",
    fixable=True,
)
def open_box_under_done(ctx: Context) -> Iterator[Finding]:
    items = open_boxes_under_done(ctx.items)
    if not items:
        return
    done_groups = [g for g in group_headings(ctx.document) if g.placement == "done"]
    open_groups: list[GroupHeading] = []  # the done groups whose scope holds the item, nested
    k = 0
    for item in items:  # document order: one sweep over the groups
        index = item.line - 1
        while k < len(done_groups) and done_groups[k].line < index:
            open_groups.append(done_groups[k])
            k += 1
        while open_groups and open_groups[-1].scope_end <= index:
            open_groups.pop()
        where = f"`{open_groups[-1].text}`" if open_groups else "a done group"
        yield ctx.finding(
            "LDG404",
            item.line,
            f"{item.id} sits under {where}, which says it is done, but its box is open; "
            "tick it (`ledger fix` does) or move it out",
            ctx.col_of(item.line, "[ ]"),
        )


@rule("LDG405", "done-with-open-steps", WARNING, "A done item whose sub-steps are not all ticked.")
def done_with_open_steps(ctx: Context) -> Iterator[Finding]:
    for item in ctx.items:
        if item.status is not Status.done or not item.steps:
            continue
        open_steps = [s.line for s in item.steps if not s.done]
        if open_steps:
            yield ctx.finding(
                "LDG405",
                item.line,
                f"{item.id} is done but {len(open_steps)} of its {len(item.steps)} steps "
                f"are open (lines {line_list(open_steps)})",
                ctx.col_of(item.line, item.status_text) if item.status_text else 1,
            )


# Fields and table columns that say why an item waits.
_REASON_NAMES = (
    "reason", "why", "blocker", "blocked by", "blocked on", "waiting", "note", "comment",
    "remark", "return condition", "unblock", "resume", "原因", "备注", "说明",
)  # fmt: skip
# The words that only say "blocked" (`blocked`, `blocked_escalation`, `阻塞`), split at `_`.
_BLOCKED_WORDS = frozenset(
    part for word, status in STATUS_WORDS.items() if status.is_blocked for part in word.split("_")
)
_WORDS = re.compile(r"[^\W_]+")


@rule(
    "LDG406",
    "blocked-without-reason",
    WARNING,
    "A blocked item (not a focus section) that does not say why.",
)
def blocked_without_reason(ctx: Context) -> Iterator[Finding]:
    # Focus sections say it in a return condition (LDG403); the other forms say it in their
    # marker (`[BLOCKED:P1:reason]`), after the status word, or in a note under the item.
    for item in ctx.items:
        if item.form.is_ledger_section or not item.status.is_blocked:
            continue
        if _says_why(ctx, item):
            continue
        marker = item.status_text.strip() or item.status.value
        yield ctx.finding(
            "LDG406",
            item.line,
            f"{item.id} is blocked ({marker}) but does not say why; write the reason in the "
            "marker (`[BLOCKED:P1:waiting on …]`) or a note under the item",
            ctx.col_of(item.line, marker) if item.status_text.strip() else 1,
        )


def _says_why(ctx: Context, item: FocusItem) -> bool:
    """Whether a blocked item gives a reason: in its `[BLOCKED:…:reason]` marker, in words after
    the status word, in a reason or note field or column, by a dependency, in a dated note, or
    in any line under it that is not a field or a sub-step."""
    text = item.status_text.strip()
    if text.startswith("[BLOCKED"):
        if read_label(text).reason:
            return True
    elif any(w.lower() not in _BLOCKED_WORDS for w in _WORDS.findall(text)):
        return True
    if item.depends_on or item.attempts:
        return True
    if any(f.key.startswith(_REASON_NAMES) and _has_text(f) for f in item.fields):
        return True
    if item.form is ItemForm.table:
        return _table_note(ctx, item)
    if item.form is ItemForm.roadmap and _after_status(ctx.lines[item.line - 1], text):
        return True
    return _free_lines(ctx, item)


def _has_text(f: Field) -> bool:
    """A field with a value, or with lines under it."""
    return bool(f.value.strip()) or "\n" in f.text.strip()


def _after_status(line: str, status_text: str) -> bool:
    """Words after the status on a roadmap bullet (`— **blocked** (waiting on the GPU quota)`)."""
    at = line.find(status_text) if status_text else -1
    return at >= 0 and bool(_WORDS.search(line[at + len(status_text) :]))


def _table_note(ctx: Context, item: FocusItem) -> bool:
    """A row with text in a column that says why (`Notes`, `Reason`, `Blocker`)."""
    header = header_row(ctx.lines, item.line - 1)
    if header is None:
        return False
    names = [c.strip("* ").lower() for c in cells(header)]
    row = cells(ctx.lines[item.line - 1])
    return any(
        name.startswith(_REASON_NAMES) and value.strip("*_ ") for name, value in zip(names, row)
    )


def _free_lines(ctx: Context, item: FocusItem) -> bool:
    """A line under the item that is neither one of its fields nor a sub-step: a note."""
    taken = {s.line for s in item.steps}
    for f in item.fields:
        taken.update(range(f.line, f.end_line + 1))
    return any(
        ctx.lines[n - 1].strip() and n not in taken
        for n in range(item.line + 1, min(item.end_line, len(ctx.lines)) + 1)
    )
