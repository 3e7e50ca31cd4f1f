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
from typing import NamedTuple

from .lazyregex import lazy_compile

_FIRST_WORD = re.compile(r"\s*[*`_ ]*([^\s*`(,;:.—–]*)")


def first_word(text: str) -> str:
    """First word of a value as written (`**done** (x)` -> `done`), lower case."""
    # One match at the start, not a strip, lower and split of the whole value (values can be
    # kilobytes long): the blanks, the emphasis marks, then the word up to its first separator.
    return _FIRST_WORD.match(text).group(1).lower()  # type: ignore[union-attr]


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
        """Read a Status value (`blocked — reason`, `done (archived)`, `**Done**`, `✅`,
        `blocked_pending_review`, `done_with_caveat`)."""
        token = first_word(text)
        found = STATUS_WORDS.get(token) or STATUS_WORDS.get(token.replace("-", "_"))
        if found is not None:
            return found
        if token.startswith("✅"):
            return cls.done
        # A qualified word keeps the status of its head: `blocked_pending_environment` is
        # blocked, `done_with_environment_caveat` is done.
        head = token.replace("-", "_").split("_", 1)[0]
        if head != token and STATUS_WORDS.get(head) in _QUALIFIABLE:
            return STATUS_WORDS[head]
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
    "partial": Status.in_progress,
    "partially": Status.in_progress,
    "deferred": Status.deferred,
    "postponed": Status.deferred,
    "done": Status.done,
    "complete": Status.done,
    "completed": Status.done,
    "implemented": Status.done,
    "resolved": Status.done,
    "fixed": Status.done,
    "✅": Status.done,
    "archived": Status.archived,
    "superseded": Status.superseded,
    # Chinese plan files: implemented, completed, done; in progress; blocked; postponed; to do.
    "已实施": Status.done,
    "已完成": Status.done,
    "完成": Status.done,
    "进行中": Status.in_progress,
    "阻塞": Status.blocked,
    "暂缓": Status.deferred,
    "待处理": Status.pending,
}
# Words whose qualified forms (`blocked_pending_x`, `done_with_x`) keep their status.
_QUALIFIABLE = frozenset({Status.blocked, Status.done, Status.deferred, Status.paused})


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
        """Read a Priority value (`**High** (unblocks ...)`, `critical`, `P1`, `Tier 0`,
        `Gap (HIGH)`); None when it names none."""
        return read_priority(text).priority

    @classmethod
    def choose(cls, text: str) -> Priority | None:
        """The priority a user typed (`high`, `HIGH`), or None when it names none."""
        return _CHOSEN_WORDS.get(text.strip().lower())

    @classmethod
    def of_level(cls, level: int) -> Priority:
        """The priority of a numbered level: 0 (`P0`, `Tier 0`) is Critical, 1 High, 2 Medium,
        3 and beyond Low."""
        return PRIORITY_ORDER[min(level, len(PRIORITY_ORDER) - 1)]


PRIORITY_ORDER = (Priority.critical, Priority.high, Priority.medium, Priority.low)
_CHOSEN_WORDS = {p.value.lower(): p for p in Priority}
_PRIORITY_WORDS = _CHOSEN_WORDS | {
    "highest": Priority.critical,
    "urgent": Priority.critical,
    "最高优先": Priority.critical,
    "最高优先级": Priority.critical,
    "高优先": Priority.high,
    "高优先级": Priority.high,
    "中优先": Priority.medium,
    "中优先级": Priority.medium,
    "低优先": Priority.low,
    "低优先级": Priority.low,
}


class PriorityReading(NamedTuple):
    """A priority as written: its level (None when it names none or a range) and its label
    (`High`, `P1`, `1`; `Critical/High` for a range; empty when nothing is stated)."""

    priority: Priority | None = None
    label: str = ""

    @property
    def stated(self) -> bool:
        """Whether the text states a priority at all (a range does, without a level)."""
        return bool(self.label)


_NO_PRIORITY = PriorityReading()
_PRIORITY_WORD = r"critical|highest|high|medium|low|urgent"
# `P1`, `Tier 0`, `Priority 2`, a bare `1` at the start of a value.
_LEVEL_VALUE = lazy_compile(r"(?i)\s*(?:\*\*)?(?:(p)|(tier)\s*|priority\s*)?([0-9])\b")
_PAREN_WORD = lazy_compile(rf"(?i)\((?:[^()]*?\s)?({_PRIORITY_WORD})\)")
# In a heading: `High Priority`, `Critical/High Issues`, `(Priority: P1)`, `Priority 1: Core`.
_HEADING_PRIORITY_OF = re.compile(rf"(?i)\bpriority\s*[:：]?\s*(p[0-9]|[0-9]|{_PRIORITY_WORD})\b")
_WORD_RUN = rf"(?:{_PRIORITY_WORD})(?:\s*(?:[/&,]|and)\s*(?:{_PRIORITY_WORD}))*"
_HEADING_WORDS = re.compile(
    rf"(?i)\b({_WORD_RUN})\s+priority\b"
    rf"|(?:^|\(\s*|[:：]\s*|\s[—–-]\s+)({_WORD_RUN})"
    rf"(?=\s*(?:issues?\b|\)|[:：]|$)|\s+[—–-]\s)"
)
_HEADING_LEVEL = re.compile(r"(?i)^(p[0-9])(?=\s*(?:[:：—–-]|$|\s))")
_WORD_SPLIT = re.compile(r"(?i)\s*(?:[/&,]|\band\b)\s*")
# A heading's own numbering (`2. `, `二、`), no part of what it says.
LEADING_NUMBERING = re.compile(r"^(?:[0-9]+[.)]|[一二三四五六七八九十]+、)\s*")


def read_priority(text: str) -> PriorityReading:
    """The priority a field or table cell states (`High (unblocks X)`, `P1`, `Tier 0` -> P0,
    `Gap (HIGH)`, `Highest`)."""
    word = first_word(text)
    found = _PRIORITY_WORDS.get(word)
    if found is not None:
        return PriorityReading(found, found.value)
    m = _LEVEL_VALUE.match(text)
    if m:
        level = int(m.group(3))
        label = f"P{level}" if m.group(1) or m.group(2) else str(level)
        return PriorityReading(Priority.of_level(level), label)
    m = _PAREN_WORD.search(text)
    if m:
        found = _PRIORITY_WORDS[m.group(1).lower()]
        return PriorityReading(found, found.value)
    return _NO_PRIORITY


def heading_priority(text: str) -> PriorityReading:
    """The priority a group heading states (`High Priority`, `Low：其他`, `Priority 1: Core`,
    `... (Priority: P1)`, `Phase 2 (Medium)`, `P0`); a range (`Critical/High Issues`) is stated
    without a level. `Tier N` headings are groups, not priorities."""
    label = LEADING_NUMBERING.sub("", text.strip())
    m = _HEADING_PRIORITY_OF.search(label)
    if m:
        return read_priority(m.group(1) if m.group(1)[:1].isalpha() else m.group(0))
    m = _HEADING_LEVEL.match(label)
    if m:
        return read_priority(m.group(1))
    m = _HEADING_WORDS.search(label)
    if m:
        run = m.group(1) or m.group(2)
        levels = {_PRIORITY_WORDS[w.lower()] for w in _WORD_SPLIT.split(run) if w}
        if len(levels) > 1:
            return PriorityReading(None, run)
        found = levels.pop()
        return PriorityReading(found, found.value)
    for word, found in _PRIORITY_WORDS.items():
        if not word.isascii() and word in label:
            return PriorityReading(found, found.value)
    return _NO_PRIORITY


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


class ItemForm(_Word):
    """How a work item is written. `section` is the `## [ID] Title` focus section with
    `- Field:` bullets; the others are the forms other agent loops keep (docs/format.md)."""

    section = "section"  # ## [ID] Title  + - Status: ... bullets
    reset = "reset"  # an ID named only by the reset layout's attempt headings
    roadmap = "roadmap"  # - [ID] (Title) — **status**   (an ID with no section of its own)
    checkbox = "checkbox"  # - [ ] T001 Title   /   - [x] CR-01: Title
    numbered = "numbered"  # 1. Title  (+ nested - Spec: / - Done when: bullets)
    log = "log"  # - 2026-02-27: Implemented ...   (a dated line under Completed)
    heading = "heading"  # ### W1: Title   /   ### P5（暂缓）：Title
    bold = "bold"  # **FIX-01**  + - Priority: / - File: / - Issue: bullets
    table = "table"  # | [C-01] Title | High | ... | [x] Complete |

    @property
    def is_ledger_section(self) -> bool:
        """The hoidn forms: a focus section, or an ID the reset layout's attempts name."""
        return self in (ItemForm.section, ItemForm.reset)


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
