"""Typed model of a fix-plan ledger: frozen records over a lossless document.

Every `Ledger` holds the `Document` it was parsed from (its exact lines), and `ledger.dumps`
renders by returning that text. Records are frozen so a mutation can never silently fail to reach
the file; changes go through `ledger.edit`, which splices new lines into the document and parses
the result again.

The records are `typing.NamedTuple`s: immutable, named and typed, and built at the speed of a
tuple, which keeps `ledger status` and `ledger check` fast and lets a reset-layout ledger of
16 000 attempt headings parse in milliseconds (decision 0074). `replace(record, **changes)` makes a
changed copy; `to_json` gives their JSON form.

Line numbers are 1-based and inclusive (`line` .. `end_line`), as an editor shows them.
"""

# No `from __future__ import annotations`: `typing.NamedTuple` would compile every field's
# annotation from its string form when the module is imported, which costs more than building
# the classes themselves (a start-up cost of every command).
import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from .vocab import (
    CLOSED_STATUSES,
    AttemptDialect,
    AttemptKind,
    ItemForm,
    Priority,
    Status,
)

if TYPE_CHECKING:  # pragma: no cover
    from .document import Document
    from .ids import IdMatcher

SCHEMA_VERSION = 1

__all__ = [
    "CLOSED_STATUSES",
    "SCHEMA_VERSION",
    "Attempt",
    "AttemptDialect",
    "AttemptKind",
    "Block",
    "BlockKind",
    "Field",
    "FocusItem",
    "Header",
    "IndexRow",
    "IndexTable",
    "ItemForm",
    "Ledger",
    "Priority",
    "Status",
    "Step",
    "replace",
    "to_json",
]

_NOT_IN_JSON = {"json": False}


class Attempt(NamedTuple):
    """One entry of a focus's attempts history."""

    line: int
    end_line: int
    label: str
    dialect: AttemptDialect
    timestamp: datetime | None = None
    timestamp_text: str | None = None
    kind: AttemptKind | None = None
    kind_text: str | None = None
    number: int | None = None
    actor: str | None = None
    result: str | None = None
    summary: str = ""
    text: str = ""
    focus_ref: str | None = None
    indent: str = ""


class Field(NamedTuple):
    """A `- Name (qualifier) [annotation]: value` bullet and everything indented under it."""

    name: str
    line: int
    end_line: int
    qualifier: str | None = None
    annotation: str | None = None
    value: str = ""
    bold: bool = False
    bullet: str = "- "
    text: str = ""

    @property
    def key(self) -> str:
        """Lower-case base name used for lookups (`Return Conditions` -> `return conditions`)."""
        return self.name.lower()


class Step(NamedTuple):
    """A sub-step of a work item: a checkbox nested under it (`  - [x] Cap retries at 5`)."""

    line: int
    done: bool
    text: str


class FocusItem(NamedTuple):
    """A work item: one `## [ID] Title` focus section (or, in the reset layout, an ID named by
    attempts), or an item in one of the other forms (`form`: a checkbox, a numbered entry, a
    heading item, a bold-ID paragraph, a table row, a dated Completed line).

    `id` is the written ID, or one derived from the title when none is written (`derived_id`;
    docs/format.md says how). `group` is the heading the item sits under; `steps` are its
    nested checkboxes; `optional` marks Kiro `- [ ]*` tasks and items under `## Optional`."""

    id: str
    line: int
    end_line: int
    title: str = ""
    level: int = 2
    status: Status = Status.unknown
    status_text: str = ""
    priority: Priority | None = None
    priority_text: str = ""
    depends_on: list[str] = []  # noqa: RUF012 - never mutated; the parser passes its own lists
    depends_on_text: str = ""
    return_conditions: list[str] = []  # noqa: RUF012
    fields: list[Field] = []  # noqa: RUF012
    attempts: list[Attempt] = []  # noqa: RUF012
    has_section: bool = True
    form: ItemForm = ItemForm.section
    group: str | None = None
    steps: list[Step] = []  # noqa: RUF012
    optional: bool = False
    derived_id: bool = False

    def field(self, *names: str) -> Field | None:
        """The first field whose name is one of `names` (case-insensitive)."""
        wanted = {n.lower() for n in names}
        return next((f for f in self.fields if f.key in wanted), None)

    def fields_named(self, *names: str) -> list[Field]:
        wanted = {n.lower() for n in names}
        return [f for f in self.fields if f.key in wanted]

    @property
    def last_attempt(self) -> Attempt | None:
        """The most recent attempt by timestamp (ties and undated ones: document order)."""
        best: Attempt | None = None
        for a in self.attempts:
            if a.timestamp is not None and (best is None or a.timestamp > best.timestamp):  # type: ignore[operator]
                best = a
        if best is not None:
            return best
        return self.attempts[-1] if self.attempts else None


class Header(NamedTuple):
    """The ledger's title and header lines."""

    title: str | None = None
    title_line: int | None = None
    last_updated: str | None = None
    last_updated_line: int | None = None
    last_updated_date: date | None = None
    active_focus: str | None = None
    active_focus_line: int | None = None
    active_focus_id: str | None = None


class IndexRow(NamedTuple):
    """One row of the index table."""

    line: int
    id: str
    anchor: str | None = None
    title: str | None = None
    priority: str | None = None
    status_text: str | None = None
    status: Status = Status.unknown
    cells: list[str] = []  # noqa: RUF012


class IndexTable(NamedTuple):
    """A `| ID | Title | Priority | Status |` table under an `## Index` heading."""

    line: int
    end_line: int
    columns: list[str]
    rows: list[IndexRow] = []  # noqa: RUF012

    @property
    def column_keys(self) -> list[str]:
        """The column names as lookup keys (`**Status**` -> `status`)."""
        return [c.strip("* ").lower() for c in self.columns]


class BlockKind(str, Enum):
    """What a block of whole lines is."""

    front_matter = "front_matter"
    preamble = "preamble"
    section = "section"
    group = "group"
    attempt = "attempt"
    break_ = "break"
    prose = "prose"


class Block(NamedTuple):
    """A run of whole lines of the source. The blocks of a ledger cover every line, in order.
    (`text` is not part of the JSON form: it is the ledger's own text.)"""

    kind: BlockKind
    line: int
    end_line: int
    focus_id: str | None = None
    text: str = ""


@dataclass(frozen=True)
class Ledger:
    """A parsed ledger: header, focus items, orphan attempts, the blocks and the document."""

    header: Header
    focus_items: list[FocusItem] = field(default_factory=list)
    orphan_attempts: list[Attempt] = field(default_factory=list)
    index: IndexTable | None = None
    blocks: list[Block] = field(default_factory=list)
    document: "Document" = field(default=None, repr=False, compare=False, metadata=_NOT_IN_JSON)  # type: ignore[assignment]
    _by_id: dict[str, list[FocusItem]] = field(
        default_factory=dict, init=False, repr=False, compare=False, metadata=_NOT_IN_JSON
    )

    def __post_init__(self) -> None:
        if self.document is None:  # a hand-built ledger: its text is its blocks' text
            from .document import Document

            text = "".join(b.text for b in self.blocks)
            object.__setattr__(self, "document", Document.parse(text))
        for item in self.focus_items:
            self._by_id.setdefault(item.id, []).append(item)

    def get(self, focus_id: str) -> FocusItem | None:
        """The first focus item with this ID, or None."""
        copies = self._by_id.get(focus_id)
        return copies[0] if copies else None

    def all_named(self, focus_id: str) -> list[FocusItem]:
        """Every focus item with this ID (more than one: a duplicated section)."""
        return list(self._by_id.get(focus_id, ()))

    @property
    def ids(self) -> list[str]:
        """Distinct focus IDs in document order."""
        return list(self._by_id)

    @property
    def id_matcher(self) -> "IdMatcher":
        """Finds this ledger's IDs in free text (compiled once per set of IDs)."""
        from .ids import matcher

        return matcher(frozenset(self._by_id))

    @property
    def text(self) -> str:
        """The exact source text (what `dumps` returns)."""
        return self.document.text

    @property
    def newline(self) -> str:
        return self.document.newline

    @property
    def line_count(self) -> int:
        return len(self.document)

    @property
    def attempt_count(self) -> int:
        return sum(len(f.attempts) for f in self.focus_items) + len(self.orphan_attempts)


R = TypeVar("R", bound=tuple)


def replace(record: R, **changes: Any) -> R:
    """A copy of a record with some fields changed."""
    return record._replace(**changes)  # type: ignore[attr-defined]


# Fields that are the ledger's own text, not data about it: left out of the JSON form.
_NOT_JSON_FIELDS: dict[type, frozenset[str]] = {Block: frozenset({"text"})}


def to_json(value: Any) -> Any:
    """The JSON form of a record (or of lists and dicts of them): enums as their values, dates
    in ISO 8601, the ledger's own text and document left out."""
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        skip = _NOT_JSON_FIELDS.get(type(value), frozenset())
        return {k: to_json(v) for k, v in zip(value._fields, value) if k not in skip}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_json(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.metadata.get("json", True)
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value
