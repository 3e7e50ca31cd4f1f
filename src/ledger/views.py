"""Read-only views of a ledger, shared by the CLI's tables and its `--json` output.

The views are frozen records (`StatusRow`, `LedgerSummaryView`, `FocusDetail`, `AttemptBrief`);
each one's `to_json()` is the `--json` form. Nothing here prints; the CLI renders these values as
rich tables or JSON.

Views are where text meets the reader, so their text reads as it was meant to: mojibake is
repaired here (`ledger.encoding.display`, `displayed(item)`), never in the model or the file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .encoding import display
from .errors import AmbiguousFocus, UnknownFocusError, UsageError
from .model import (
    CLOSED_STATUSES,
    SCHEMA_VERSION,
    Attempt,
    AttemptKind,
    Field,
    FocusItem,
    ItemForm,
    Ledger,
    Priority,
    Status,
    replace,
    to_json,
)


def require_focus(
    ledger: Ledger, focus_id: str, *, line: int | None = None, unique: bool = False
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
    import difflib  # lazily: only a miss pays for it

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
    statuses: Sequence[Status] | None = None,
    priorities: Sequence[Priority | None] | None = None,
    active: bool = False,
) -> list[FocusItem]:
    """The focus items with one of `statuses` and one of `priorities` (None in it: items with no
    priority), only open ones with `active`; empty or None filters let everything through."""
    out = []
    for item in ledger.focus_items:
        if statuses and item.status not in statuses:
            continue
        if priorities and item.priority not in priorities:
            continue
        if active and not is_active(item):
            continue
        out.append(item)
    return out


class _View:
    """A view record whose `--json` form is its fields (enums as values, dates in ISO 8601)."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        """The `--json` form of this view."""
        return to_json(self)


@dataclass(frozen=True, slots=True)
class AttemptBrief(_View):
    """An attempt in one line of a table: where, when and what kind."""

    line: int
    timestamp: datetime | None
    timestamp_text: str | None
    kind: AttemptKind | None
    label: str


@dataclass(frozen=True, slots=True)
class StatusRow(_View):
    """One row of `ledger status`."""

    id: str
    title: str
    line: int
    level: int
    status: Status
    status_text: str
    priority: Priority | None
    attempts: int
    last_attempt: AttemptBrief | None
    depends_on: list[str]
    unmet_dependencies: list[str]
    has_section: bool
    form: ItemForm  # how the plan writes the item (`section`, `checkbox`, `numbered`, ...)
    group: str | None  # the heading it sits under (H1 never)


@dataclass(frozen=True, slots=True)
class LedgerSummaryView(_View):
    """The summary under `ledger status`: counts, the active focus, the file's size."""

    focus_items: int
    by_status: dict[str, int]  # status word -> count, most frequent first
    attempts: int
    orphan_attempts: int
    active_focus: str | None
    active_focus_text: str | None
    last_updated: str | None
    size_bytes: int
    lines: int


def attempt_brief(attempt: Attempt | None) -> AttemptBrief | None:
    """An attempt's line, timestamp and kind (None for no attempt)."""
    if attempt is None:
        return None
    return AttemptBrief(
        attempt.line,
        attempt.timestamp,
        attempt.timestamp_text,
        attempt.kind,
        display(attempt.label),
    )


def status_row(ledger: Ledger, item: FocusItem) -> StatusRow:
    """The `ledger status` row of a focus item."""
    return StatusRow(
        id=item.id,
        title=display(item.title),
        line=item.line,
        level=item.level,
        status=item.status,
        status_text=display(item.status_text),
        priority=item.priority,
        attempts=len(item.attempts),
        last_attempt=attempt_brief(item.last_attempt),
        depends_on=item.depends_on,
        unmet_dependencies=unmet_dependencies(ledger, item),
        has_section=item.has_section,
        form=item.form,
        group=display(item.group) if item.group else None,
    )


def summary(ledger: Ledger, size_bytes: int) -> LedgerSummaryView:
    """Counts by status, attempts, the active focus and the size of a ledger of `size_bytes`."""
    counts = Counter(f.status.value for f in ledger.focus_items)
    return LedgerSummaryView(
        focus_items=len(ledger.focus_items),
        by_status=dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        attempts=ledger.attempt_count,
        orphan_attempts=len(ledger.orphan_attempts),
        active_focus=ledger.header.active_focus_id,
        active_focus_text=ledger.header.active_focus and display(ledger.header.active_focus),
        last_updated=ledger.header.last_updated and display(ledger.header.last_updated),
        size_bytes=size_bytes,
        lines=ledger.line_count,
    )


def attempts_newest_first(item: FocusItem) -> list[Attempt]:
    """Dated attempts newest first, then undated ones in document order."""
    dated = sorted(
        (a for a in item.attempts if a.timestamp is not None),
        key=lambda a: (a.timestamp, a.line),
        reverse=True,
    )
    return dated + [a for a in item.attempts if a.timestamp is None]


@dataclass(frozen=True, slots=True)
class FocusDetail:
    """One focus in full for `ledger show`: the item, its attempts newest first, the items that
    depend on it, its open dependencies and the other lines where its ID has a section."""

    item: FocusItem
    attempts: list[Attempt]
    dependents: list[str]
    unmet_dependencies: list[str]
    duplicates: list[int]

    def to_json(self) -> dict[str, Any]:
        """The focus item as the model has it (attempts newest first) plus the relations."""
        return {
            **to_json(self.item),
            "attempts": to_json(self.attempts),
            "dependents": self.dependents,
            "unmet_dependencies": self.unmet_dependencies,
            "duplicates": self.duplicates,
        }


def focus_detail(ledger: Ledger, item: FocusItem) -> FocusDetail:
    """Everything `ledger show` tells about one focus item, its text as it was meant to read."""
    shown = displayed(item)
    return FocusDetail(
        item=shown,
        attempts=attempts_newest_first(shown),
        dependents=dependents(ledger, item.id),
        unmet_dependencies=unmet_dependencies(ledger, item),
        duplicates=[f.line for f in ledger.all_named(item.id) if f.line != item.line],
    )


def displayed(item: FocusItem) -> FocusItem:
    """A copy of `item` whose text reads as it was meant to (mojibake repaired in its title,
    values, fields and attempts); the item itself, and so the file, keep their bytes."""
    return replace(
        item,
        title=display(item.title),
        status_text=display(item.status_text),
        priority_text=display(item.priority_text),
        depends_on_text=display(item.depends_on_text),
        return_conditions=[display(rc) for rc in item.return_conditions],
        fields=[_displayed_field(f) for f in item.fields],
        attempts=[_displayed_attempt(a) for a in item.attempts],
    )


def _displayed_field(f: Field) -> Field:
    return replace(
        f,
        name=display(f.name),
        qualifier=f.qualifier and display(f.qualifier),
        annotation=f.annotation and display(f.annotation),
        value=display(f.value),
        text=display(f.text),
    )


def _displayed_attempt(a: Attempt) -> Attempt:
    return replace(
        a,
        label=display(a.label),
        kind_text=a.kind_text and display(a.kind_text),
        result=a.result and display(a.result),
        summary=display(a.summary),
        text=display(a.text),
    )


def export(ledger: Ledger) -> dict[str, Any]:
    """The whole model as JSON-ready data, with a top-level `schema_version`; the text exactly as
    the file has it (no repair for display: an export is data)."""
    data = to_json(ledger)
    return {"schema_version": SCHEMA_VERSION, **data}
