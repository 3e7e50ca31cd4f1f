"""LDG4xx status: words outside the vocabulary, `done` with an open Do Now, `blocked` without
a return condition."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Field, Status
from ..vocab import first_word
from .registry import WARNING, Context, Finding, rule


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
