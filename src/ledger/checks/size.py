"""LDG9xx size: a ledger over the configured size, which should be snapshotted into the archive."""

from __future__ import annotations

from collections.abc import Iterator

from .registry import WARNING, Context, Finding, rule


@rule("LDG901", "ledger-too-large", WARNING, "The ledger is over the configured size: snapshot it.")
def ledger_too_large(ctx: Context) -> Iterator[Finding]:
    size = ctx.size
    if size is None:
        size = len(ctx.document.text.encode("utf-8", "surrogateescape"))
    n = len(ctx.lines)
    over = []
    if size > ctx.config.max_bytes:
        over.append(f"{size:,} bytes > {ctx.config.max_bytes:,}")
    if n > ctx.config.max_lines:
        over.append(f"{n:,} lines > {ctx.config.max_lines:,}")
    if over:
        yield ctx.finding(
            "LDG901",
            1,
            f"ledger is too large ({'; '.join(over)}); "
            "move closed items to the archive with `ledger archive`",
        )
