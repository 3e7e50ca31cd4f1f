"""Read-only views of a ledger as plain data (dicts and lists), shared by the CLI and `--json`.

Nothing here prints; the CLI renders these values as rich tables or JSON.
"""

from __future__ import annotations

import difflib
from collections import Counter
from typing import Any, Iterable, Optional

from .errors import AmbiguousFocus, UnknownFocusError, UsageError
from .model import CLOSED_STATUSES, SCHEMA_VERSION, Attempt, FocusItem, Ledger, Status, to_json


def require_focus(
    ledger: Ledger, focus_id: str, *, line: Optional[int] = None, unique: bool = False
) -> FocusItem:
    """The focus item with this ID, or `UnknownFocusError` naming the closest IDs.

    `line` picks one of several sections with the same ID (by its heading line). With `unique`
    (every edit), an ID that has several sections is refused unless `line` picks one: writing
    to the first copy without a word is how edits get lost.
    """
    copies = ledger.all_named(focus_id)
    if not copies:
        raise UnknownFocusError(focus_id, suggest_ids(ledger.ids, focus_id))
    if line is not None:
        for item in copies:
            if item.line == line:
                return item
        where = ", ".join(str(f.line) for f in copies)
        raise UsageError(f"{focus_id} has no section at line {line} (it is at line {where})")
    if unique and len(copies) > 1:
        raise AmbiguousFocus(focus_id, [f.line for f in copies])
    return copies[0]


def suggest_ids(ids: Iterable[str], wanted: str, limit: int = 3) -> list[str]:
    ids = list(ids)
    by_upper = {i.upper(): i for i in ids}
    close = difflib.get_close_matches(wanted.upper(), list(by_upper), n=limit, cutoff=0.5)
    partial = [i for i in ids if wanted.upper() in i.upper() and i not in close]
    return [by_upper[c] for c in close][:limit] + partial[: max(0, limit - len(close))]


def unmet_dependencies(ledger: Ledger, item: FocusItem) -> list[str]:
    """Dependencies that are focus items of this ledger and not closed."""
    unmet = []
    for dep in item.depends_on:
        target = ledger.get(dep)
        if target is not None and target.status not in CLOSED_STATUSES:
            unmet.append(dep)
    return unmet


def dependents(ledger: Ledger, focus_id: str) -> list[str]:
    return list(dict.fromkeys(f.id for f in ledger.focus_items if focus_id in f.depends_on))


def is_active(item: FocusItem) -> bool:
    return item.status not in CLOSED_STATUSES


def filter_items(
    ledger: Ledger,
    statuses: Optional[list[Status]] = None,
    priorities: Optional[list[str]] = None,
    active: bool = False,
) -> list[FocusItem]:
    wanted_priorities = {p.lower() for p in priorities or []}
    out = []
    for item in ledger.focus_items:
        if statuses and item.status not in statuses:
            continue
        if wanted_priorities and (item.priority or "none").lower() not in wanted_priorities:
            continue
        if active and not is_active(item):
            continue
        out.append(item)
    return out


def attempt_brief(attempt: Optional[Attempt]) -> Optional[dict[str, Any]]:
    if attempt is None:
        return None
    return {
        "line": attempt.line,
        "timestamp": attempt.timestamp.isoformat() if attempt.timestamp else None,
        "timestamp_text": attempt.timestamp_text,
        "kind": attempt.kind.value if attempt.kind else None,
        "label": attempt.label,
    }


def status_row(ledger: Ledger, item: FocusItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "line": item.line,
        "level": item.level,
        "status": item.status.value,
        "status_text": item.status_text,
        "priority": item.priority,
        "attempts": len(item.attempts),
        "last_attempt": attempt_brief(item.last_attempt),
        "depends_on": item.depends_on,
        "unmet_dependencies": unmet_dependencies(ledger, item),
        "has_section": item.has_section,
    }


def summary(ledger: Ledger, size_bytes: int) -> dict[str, Any]:
    counts = Counter(f.status.value for f in ledger.focus_items)
    return {
        "focus_items": len(ledger.focus_items),
        "by_status": dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        "attempts": ledger.attempt_count,
        "orphan_attempts": len(ledger.orphan_attempts),
        "active_focus": ledger.header.active_focus_id,
        "active_focus_text": ledger.header.active_focus,
        "last_updated": ledger.header.last_updated,
        "size_bytes": size_bytes,
        "lines": ledger.line_count,
    }


def attempts_newest_first(item: FocusItem) -> list[Attempt]:
    """Dated attempts newest first, then undated ones in document order."""
    dated = sorted(
        (a for a in item.attempts if a.timestamp is not None),
        key=lambda a: (a.timestamp, a.line),
        reverse=True,
    )
    return dated + [a for a in item.attempts if a.timestamp is None]


def focus_detail(ledger: Ledger, item: FocusItem) -> dict[str, Any]:
    data = to_json(item)
    data["attempts"] = to_json(attempts_newest_first(item))
    data["dependents"] = dependents(ledger, item.id)
    data["unmet_dependencies"] = unmet_dependencies(ledger, item)
    data["duplicates"] = [f.line for f in ledger.all_named(item.id) if f.line != item.line]
    return data


def export(ledger: Ledger) -> dict[str, Any]:
    """The whole model as JSON-ready data, with a top-level `schema_version`."""
    data = to_json(ledger)
    return {"schema_version": SCHEMA_VERSION, **data}
