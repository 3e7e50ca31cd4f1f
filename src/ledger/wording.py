"""How `ledger` words counts in the text it prints or writes, for the CLI and the core alike
(the report page, the MCP server's answers): one home, so `1 findings` cannot creep back in."""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`1 focus item`, `2 focus items`, `0 focus items` (`nouns`: an irregular plural)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"
