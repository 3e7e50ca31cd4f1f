"""Typed model of a fix-plan ledger.

The model is a *read view* over a lossless document: every `Ledger` keeps the exact lines it was
parsed from in `blocks`, and `ledger.dumps` renders by concatenating them. Models are frozen so a
mutation can never silently fail to reach the file; changes go through `ledger.edit`, which
splices new lines into the text and parses the result again.

Line numbers are 1-based and inclusive (`line` .. `end_line`), as an editor shows them.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Optional

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField

SCHEMA_VERSION = 1


class Status(str, Enum):
    """Normalized focus status. The raw value is kept in `FocusItem.status_text`."""

    pending = "pending"
    planning = "planning"
    in_progress = "in_progress"
    ready_for_implementation = "ready_for_implementation"
    blocked = "blocked"
    blocked_escalation = "blocked_escalation"
    paused = "paused"
    done = "done"
    archived = "archived"
    superseded = "superseded"
    unknown = "unknown"

    @property
    def is_closed(self) -> bool:
        """Done, archived or superseded: nothing more is expected of the focus."""
        return self in CLOSED_STATUSES

    @property
    def is_blocked(self) -> bool:
        return self in (Status.blocked, Status.blocked_escalation)


CLOSED_STATUSES = frozenset({Status.done, Status.archived, Status.superseded})


class AttemptKind(str, Enum):
    """What kind of loop produced an attempt (the vocabulary of the supervisor prompts)."""

    planning = "planning"
    implementation = "implementation"
    evidence_only = "evidence_only"
    execution = "execution"
    verification = "verification"
    review_or_housekeeping = "review_or_housekeeping"
    maintenance = "maintenance"
    escalation = "escalation"
    debug = "debug"


class AttemptDialect(str, Enum):
    """How an attempt entry is written; new attempts are written in the dialect a focus uses."""

    latest = "latest"  # - Latest Attempt (2025-11-19T190500Z): planning — text
    numbered = "numbered"  # * [2025-10-15] Attempt #22 (ralph loop) — Result: ...
    dated = "dated"  # * 2025-12-04T120500Z — text   (under Attempts History)
    italic = "italic"  # - *2026-01-13T000000Z (label):* text
    heading = "heading"  # ### 2026-01-22T02:40Z — ID.F1 (label)
    attempt_heading = "attempt_heading"  # ### Attempt #84 — title


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


class Attempt(_Frozen):
    """One entry of a focus's attempts history."""

    line: int
    end_line: int
    timestamp: Optional[datetime] = None
    timestamp_text: Optional[str] = None
    kind: Optional[AttemptKind] = None
    kind_text: Optional[str] = None
    label: str
    number: Optional[int] = None
    actor: Optional[str] = None
    result: Optional[str] = None
    summary: str = ""
    text: str = ""
    dialect: AttemptDialect
    focus_ref: Optional[str] = None
    indent: str = ""


class Field(_Frozen):
    """A `- Name (qualifier) [annotation]: value` bullet and everything indented under it."""

    name: str
    qualifier: Optional[str] = None
    annotation: Optional[str] = None
    value: str = ""
    line: int
    end_line: int
    bold: bool = False
    bullet: str = "- "
    text: str = ""

    @property
    def key(self) -> str:
        """Lower-case base name used for lookups (`Return Conditions` -> `return conditions`)."""
        return self.name.lower()


class FocusItem(_Frozen):
    """A focus item: one `## [ID] Title` section (or, in the reset layout, an ID named by attempts)."""

    id: str
    title: str = ""
    line: int
    end_line: int
    level: int = 2
    status: Status = Status.unknown
    status_text: str = ""
    priority: Optional[str] = None
    priority_text: str = ""
    depends_on: list[str] = PydanticField(default_factory=list)
    depends_on_text: str = ""
    return_conditions: list[str] = PydanticField(default_factory=list)
    fields: list[Field] = PydanticField(default_factory=list)
    attempts: list[Attempt] = PydanticField(default_factory=list)
    has_section: bool = True

    def field(self, *names: str) -> Optional[Field]:
        """The first field whose name is one of `names` (case-insensitive)."""
        wanted = {n.lower() for n in names}
        return next((f for f in self.fields if f.key in wanted), None)

    def fields_named(self, *names: str) -> list[Field]:
        wanted = {n.lower() for n in names}
        return [f for f in self.fields if f.key in wanted]

    @property
    def last_attempt(self) -> Optional[Attempt]:
        """The most recent attempt by timestamp (ties and undated ones: document order)."""
        dated = [a for a in self.attempts if a.timestamp is not None]
        if dated:
            return max(dated, key=lambda a: a.timestamp)
        return self.attempts[-1] if self.attempts else None


class Header(_Frozen):
    """The ledger's title and header lines."""

    title: Optional[str] = None
    title_line: Optional[int] = None
    last_updated: Optional[str] = None
    last_updated_line: Optional[int] = None
    last_updated_date: Optional[date] = None
    active_focus: Optional[str] = None
    active_focus_line: Optional[int] = None
    active_focus_id: Optional[str] = None


class IndexRow(_Frozen):
    line: int
    id: str
    anchor: Optional[str] = None
    title: Optional[str] = None
    priority: Optional[str] = None
    status_text: Optional[str] = None
    status: Status = Status.unknown
    cells: list[str] = PydanticField(default_factory=list)


class IndexTable(_Frozen):
    """A `| ID | Title | Priority | Status |` table under an `## Index` heading."""

    line: int
    end_line: int
    columns: list[str]
    rows: list[IndexRow] = PydanticField(default_factory=list)


class Block(_Frozen):
    """A run of whole lines of the source. The blocks of a ledger cover every byte, in order."""

    kind: str  # front_matter | preamble | section | group | attempt | break | prose
    line: int
    end_line: int
    focus_id: Optional[str] = None
    text: str = PydanticField(default="", exclude=True, repr=False)


class Ledger(_Frozen):
    """A parsed ledger: header, focus items, orphan attempts, and the lossless blocks."""

    header: Header
    focus_items: list[FocusItem] = PydanticField(default_factory=list)
    orphan_attempts: list[Attempt] = PydanticField(default_factory=list)
    index: Optional[IndexTable] = None
    blocks: list[Block] = PydanticField(default_factory=list)
    newline: str = "\n"
    line_count: int = 0

    def get(self, focus_id: str) -> Optional[FocusItem]:
        """The first focus item with this ID, or None."""
        return next((f for f in self.focus_items if f.id == focus_id), None)

    def all_named(self, focus_id: str) -> list[FocusItem]:
        return [f for f in self.focus_items if f.id == focus_id]

    @property
    def ids(self) -> list[str]:
        """Distinct focus IDs in document order."""
        return list(dict.fromkeys(f.id for f in self.focus_items))

    @property
    def text(self) -> str:
        """The exact source text (what `dumps` returns)."""
        return "".join(b.text for b in self.blocks)

    @property
    def attempt_count(self) -> int:
        return sum(len(f.attempts) for f in self.focus_items) + len(self.orphan_attempts)
