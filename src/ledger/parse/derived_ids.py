"""IDs of the items that have none written: slugs of their titles (docs/format.md, "Other
forms"). A status marker is no part of a title, so the ID stays when the status changes."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import FocusItem

_SLUG_DROP = re.compile(r"[^\w]+")
MAX_DERIVED_LENGTH = 48


def derive_id(title: str) -> str:
    """The ID of an item that has none written: its title in lower case, words joined by `-`,
    cut at a word boundary to at most 48 characters (`Create src/ralph.sh - main loop script`
    -> `create-src-ralph-sh-main-loop-script`)."""
    slug = _SLUG_DROP.sub("-", title.lower()).strip("-_")
    if len(slug) > MAX_DERIVED_LENGTH:
        cut = slug[:MAX_DERIVED_LENGTH]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut
    return slug or "item"


def derive_ids(items: list[FocusItem], taken: Iterable[str] = ()) -> list[FocusItem]:
    """Give every item without a written ID a derived one, unique in the ledger (`-2`, `-3` in
    document order when two titles are the same)."""
    used = set(taken) | {f.id for f in items if f.id}
    out: list[FocusItem] = []
    for item in items:
        if item.id:
            out.append(item)
            continue
        base = derive_id(item.title)
        new_id, n = base, 1
        while new_id in used:
            n += 1
            new_id = f"{base}-{n}"
        used.add(new_id)
        out.append(item._replace(id=new_id, derived_id=True))
    return out
