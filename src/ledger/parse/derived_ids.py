"""IDs of the items that have none written (docs/format.md, "Derived IDs"): a slug of the title
(`ids.derive_id`), made unique in the ledger. A status marker is no part of a title, so the ID
stays when the status changes."""

from __future__ import annotations

from collections.abc import Iterable

from ..ids import derive_id
from ..model import FocusItem


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
