"""Focus IDs: what a new ID may be.

A new ID (`ledger focus new`, an agent's `focus_new`) becomes a heading, an index cell and the
name of a folder under `plans/active/`, so it must be safe as all three: letters, digits, `.`,
`_` and `-`, starting with a letter or digit, without `..`, not ending in `.`. IDs already in a
ledger are read as written (real ledgers have `seed`, U+2011 hyphens and `ID.F1` suffixes); only
new ones are held to this rule.
"""

from __future__ import annotations

import re

from .errors import UsageError

MAX_ID_LENGTH = 100

_NEW_ID = re.compile(r"(?!.*\.\.)[^\W_][\w.-]*(?<!\.)")


def is_valid_new_id(text: str) -> bool:
    """Whether `text` may name a new focus item (and a plan folder)."""
    return len(text) <= MAX_ID_LENGTH and _NEW_ID.fullmatch(text) is not None


def check_new_id(text: str) -> str:
    """`text` when it is a valid new ID, else one clear `UsageError` (exit 2)."""
    if not is_valid_new_id(text):
        raise UsageError(
            f"{text!r} is not a usable focus ID: use letters, digits, '.', '_' and '-' "
            f"(starting with a letter or digit, no '..', no '/', at most {MAX_ID_LENGTH} "
            "characters), e.g. FIX-LOADER-001"
        )
    return text
