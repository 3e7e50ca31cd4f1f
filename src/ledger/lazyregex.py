"""Regular expressions compiled on first use.

Compiling a pattern runs Python code (`re._parser`, `re._compiler`): a few hundred microseconds
for the larger patterns of the attempt dialects and the other plan forms. Compiled at import,
they cost every command, `ledger check` on every commit included, even when the ledger at hand
has no entry in that dialect or no item in that form. `lazy_compile` defers the work to the first
call; from then on the pattern's methods are the compiled pattern's own, reached as plain
attributes, so a hot loop pays nothing for the deferral.
"""

from __future__ import annotations

import re
from typing import Any, cast

# What callers use of a pattern; each becomes an attribute of the lazy object when it compiles.
_FORWARDED = (
    "match",
    "fullmatch",
    "search",
    "finditer",
    "findall",
    "sub",
    "subn",
    "split",
    "groups",
    "groupindex",
)


class _LazyPattern:
    """Stands for `re.compile(pattern, flags)` until an attribute other than `pattern` and
    `flags` is first read."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:  # only for attributes not set yet: the first use
        compiled = re.compile(self.pattern, self.flags)
        for attribute in _FORWARDED:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r})"


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, done when the pattern is first used."""
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))
