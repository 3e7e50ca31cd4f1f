"""The ledger's vocabularies, each in one place: statuses, priorities, attempt kinds, dialects,
check severities.

Each is an enum that knows how to read itself from the words real ledgers use (case does not
matter: `Done`, `done` and `**DONE**` are the same status) and how it orders or groups. The
parser, the checks, the planner, dwell and the CLI's option choices all read these enums, so a
word means the same thing in every command.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum

_WORD_END = re.compile(r"[\s*`(,;:.—–]")


def first_word(text: str) -> str:
    """First word of a value as written (`**done** (x)` -> `done`), lower case."""
    cleaned = text.strip().lstrip("*`_ ").lower()
    return _WORD_END.split(cleaned, maxsplit=1)[0] if cleaned else ""


class _Word(str, Enum):
    """An enum whose members print as the word they stand for (`f"{Priority.high}"` is `High`)."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class Status(_Word):
    """Normalized focus status. The raw value is kept in `FocusItem.status_text`."""

    pending = "pending"
    planning = "planning"
    in_progress = "in_progress"
    ready_for_implementation = "ready_for_implementation"
    blocked = "blocked"
    blocked_escalation = "blocked_escalation"
    paused = "paused"
    deferred = "deferred"
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
        """Blocked or escalated: someone decided work must wait."""
        return self in (Status.blocked, Status.blocked_escalation)

    @property
    def is_open(self) -> bool:
        return not self.is_closed

    @classmethod
    def parse(cls, text: str) -> Status:
        """Read a Status value (`blocked — reason`, `done (archived)`, `**Done**`, `✅`)."""
        token = first_word(text)
        found = STATUS_WORDS.get(token) or STATUS_WORDS.get(token.replace("-", "_"))
        if found is not None:
            return found
        if token.startswith("✅"):
            return cls.done
        return cls.unknown

    @classmethod
    def choose(cls, text: str) -> Status | None:
        """The status a user typed (`Done`, `in-planning`), or None when it names none."""
        token = text.strip().lower()
        return STATUS_WORDS.get(token) or STATUS_WORDS.get(token.replace("-", "_"))


def status_word(text: str, vocabulary: Iterable[str]) -> str | None:
    """The word `ledger set --status` writes for what a user typed: the word in lower case when
    the configured vocabulary has it (`in_planning` stays `in_planning`), else the word of the
    status it names (`Done` -> `done`, `wip` -> `in_progress`); None when it names none."""
    word = text.strip().lower()
    if word in {v.lower() for v in vocabulary}:
        return word
    status = Status.choose(word)
    return status.value if status is not None else None


CLOSED_STATUSES = frozenset({Status.done, Status.archived, Status.superseded})
# Statuses that record a decision to wait (dwell reports them, never flags them).
DEFAULT_PARKED = (Status.blocked, Status.blocked_escalation, Status.paused, Status.deferred)

# The words real ledgers write for each status (first word of the value, lower case).
STATUS_WORDS: dict[str, Status] = {
    "pending": Status.pending,
    "new": Status.pending,
    "queued": Status.pending,
    "todo": Status.pending,
    "open": Status.pending,
    "planning": Status.planning,
    "in_planning": Status.planning,
    "gathering_evidence": Status.planning,
    "in_progress": Status.in_progress,
    "active": Status.in_progress,
    "wip": Status.in_progress,
    "ready_for_implementation": Status.ready_for_implementation,
    "blocked": Status.blocked,
    "blocked_escalation": Status.blocked_escalation,
    "paused": Status.paused,
    "on_hold": Status.paused,
    "deferred": Status.deferred,
    "done": Status.done,
    "complete": Status.done,
    "completed": Status.done,
    "implemented": Status.done,
    "resolved": Status.done,
    "fixed": Status.done,
    "✅": Status.done,
    "archived": Status.archived,
    "superseded": Status.superseded,
}


class Priority(_Word):
    """Priority, highest first; the value is how ledgers write it."""

    critical = "Critical"
    high = "High"
    medium = "Medium"
    low = "Low"

    @property
    def rank(self) -> int:
        """0 for Critical ... 3 for Low (no priority ranks after all of them)."""
        return PRIORITY_ORDER.index(self)

    @classmethod
    def parse(cls, text: str) -> Priority | None:
        """Read a Priority value (`**High** (unblocks ...)`, `critical`); None when unknown."""
        return _PRIORITY_WORDS.get(first_word(text))

    @classmethod
    def choose(cls, text: str) -> Priority | None:
        """The priority a user typed (`high`, `HIGH`), or None when it names none."""
        return _PRIORITY_WORDS.get(text.strip().lower())


PRIORITY_ORDER = (Priority.critical, Priority.high, Priority.medium, Priority.low)
_PRIORITY_WORDS = {p.value.lower(): p for p in Priority}


def priority_rank(priority: Priority | str | None) -> int:
    """Sort key: Critical 0 ... Low 3, none 4."""
    if isinstance(priority, str) and not isinstance(priority, Priority):
        priority = Priority.choose(priority)
    return priority.rank if priority is not None else len(PRIORITY_ORDER)


class AttemptKind(_Word):
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

    @classmethod
    def parse(cls, text: str | None) -> AttemptKind | None:
        """Read a kind label (`Planning`, `implementation (COMPLETE)`, `shipped`)."""
        if not text:
            return None
        return KIND_WORDS.get(first_word(text))

    @classmethod
    def choose(cls, text: str) -> AttemptKind | None:
        """The kind a user typed (`Planning`, `evidence-only`, `review`), or None."""
        token = text.strip().lower()
        return KIND_WORDS.get(token) or KIND_WORDS.get(token.replace("-", "_"))


KIND_WORDS: dict[str, AttemptKind] = {
    "planning": AttemptKind.planning,
    "plan": AttemptKind.planning,
    "scoped": AttemptKind.planning,
    "blueprint": AttemptKind.planning,
    "implementation": AttemptKind.implementation,
    "shipped": AttemptKind.implementation,
    "evidence_only": AttemptKind.evidence_only,
    "evidence-only": AttemptKind.evidence_only,
    "evidence_collection": AttemptKind.evidence_only,
    "execution": AttemptKind.execution,
    "verification": AttemptKind.verification,
    "review_or_housekeeping": AttemptKind.review_or_housekeeping,
    "housekeeping": AttemptKind.review_or_housekeeping,
    "review": AttemptKind.review_or_housekeeping,
    "maintenance": AttemptKind.maintenance,
    "escalation": AttemptKind.escalation,
    "debug": AttemptKind.debug,
}


class AttemptDialect(_Word):
    """How an attempt entry is written; new attempts are written in the dialect a focus uses."""

    latest = "latest"  # - Latest Attempt (2025-11-19T190500Z): planning — text
    numbered = "numbered"  # * [2025-10-15] Attempt #22 (ralph loop) — Result: ...
    dated = "dated"  # * 2025-12-04T120500Z — text   (under Attempts History)
    italic = "italic"  # - *2026-01-13T000000Z (label):* text
    heading = "heading"  # ### 2026-01-22T02:40Z — ID.F1 (label)
    attempt_heading = "attempt_heading"  # ### Attempt #84 — title
    bold = "bold"  # **2026-01-23T12:35Z — title** (a reset-layout log entry written as a paragraph)

    @classmethod
    def writable(cls) -> tuple[AttemptDialect, ...]:
        """The dialects `attempt add` can write (`### Attempt #N` blocks and bold paragraphs are
        read only)."""
        return tuple(d for d in cls if d not in _READ_ONLY_DIALECTS)

    @property
    def is_writable(self) -> bool:
        """`attempt add` can write an entry in this dialect (and copy its style)."""
        return self not in _READ_ONLY_DIALECTS


_READ_ONLY_DIALECTS = frozenset({AttemptDialect.attempt_heading, AttemptDialect.bold})


class Severity(_Word):
    """How much a `ledger check` finding matters (each rule has a default; `check.severity`
    overrides it)."""

    error = "error"
    warning = "warning"
    info = "info"

    @classmethod
    def choose(cls, text: str) -> Severity | None:
        """The severity a user wrote (`error`, `Warning`), or None when it names none."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            return None
