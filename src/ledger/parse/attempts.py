"""The attempt dialects: one table row per way real ledgers write an attempt.

Each row is `(dialect, pattern, builder)`: the pattern recognises the entry's first line, the
builder reads its parts (timestamp, label, kind, number, actor, result, summary). The block
cutter decides where an entry ends; nothing here knows about sections.

Bullet dialects (one line plus its continuation lines):

* `latest`   `- Latest Attempt (2025-11-19T190500Z): planning — text` (column 0);
* `numbered` `  * [2025-10-15] Attempt #22 (ralph loop) — Result: success ...`;
* `italic`   `  - *2026-01-13T000000Z (label):* text`, `- *Last (2025-11-19):* text`;
* `dated`    `  * 2025-12-04T120500Z — text`, only under an `Attempts History:` field.

Heading dialects (a heading and the block under it):

* `heading`         `### 2026-01-22T02:40Z — ID.F1 (label)` (the reset layout);
* `attempt_heading` `### Attempt #84 — title` with `**Focus:**` / `**Date:**` lines;
* `bold`            `**2026-01-23T12:35Z — title**` alone on a line: a reset-layout log entry
                    written as a paragraph (`parse.reset` decides when it counts).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from ..ids import ID_SHAPE, focus_of_reference
from ..lazyregex import lazy_compile
from ..model import Attempt
from ..timestamps import parse_timestamp
from ..vocab import AttemptDialect, AttemptKind

# Dashes, including their Mac Roman mojibake (`‚Äî`, `‚Äì`) found in real ledgers.
DASH = r"(?:—|–|-|‚Äî|‚Äì)"
TS = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:?\d{2}(?::?\d{2}(?:\.\d+)?)?Z?)?"
TS_RANGE = rf"{TS}(?:\s*{DASH}+\s*{TS})?"

LATEST = re.compile(
    r"(?P<bullet>[-*] )(?P<label>(?:Latest )?Attempt)\s*\((?P<ts>[^)\n]*)\)\s*"
    r"(?P<ann>\[[^\]\n]*\])?:\s*(?P<rest>.*)",
    re.IGNORECASE,
)
NUMBERED = re.compile(
    r"(?P<indent>[ \t]*)(?P<bullet>[-*] )\[(?P<ts>[^\]\n]*)\]\s+"
    r"(?P<label>Attempt\s+#(?P<num>\d+)(?:\s*\((?P<actor>[^)\n]*)\))?)"
    rf"\s*(?:(?::|{DASH})+\s*)?(?P<rest>.*)"
)
ITALIC = lazy_compile(
    rf"(?P<indent>[ \t]*)(?P<bullet>[-*] )\*"
    rf"(?:(?P<word>First|Last|Latest)\s*\((?P<wts>{TS_RANGE})\)"
    rf"|(?P<ts>{TS_RANGE})(?:\s*\((?P<label>[^)\n]*)\))?)\s*:\*\s*(?P<rest>.*)"
)
DATED = lazy_compile(
    rf"(?P<indent>[ \t]+)(?P<bullet>[-*] )\[?(?P<ts>{TS_RANGE})\]?\s*(?:\((?P<label>[^)\n]*)\))?"
    rf"\s*(?::|{DASH})+\s*(?P<rest>.*)"
)
HEADING = re.compile(
    rf"(?P<ts>{TS_RANGE})\s+{DASH}+\s+(?P<ref>.+?)(?:\s+\((?P<label>[^()\n]*)\))?\s*$"
)
# A bold paragraph opening with a full timestamp (a time, not only a date) and a dash.
_TS_WITH_TIME = r"\d{4}-\d{2}-\d{2}T\d{2}:?\d{2}(?::?\d{2}(?:\.\d+)?)?Z?"
BOLD = lazy_compile(
    rf"\*\*(?P<ts>{_TS_WITH_TIME})\s+{DASH}+\s+"
    r"(?P<ref>[^*\n]+?)(?:\s+\((?P<label>[^()\n]*)\))?\s*\*\*\s*$"
)
ATTEMPT_HEADING = re.compile(
    rf"(?P<label>Attempt\s+#(?P<num>\d+))\b\s*(?:(?::|{DASH})+\s*)?(?P<rest>.*)"
)
_RESULT = re.compile(r"Result:\s*(?P<result>.*?)(?:\s+\(|\.\s|;|$)")
_PAREN = re.compile(r"\s*\(([^)\n]*)\)")
_KIND_COLON = re.compile(r"([A-Za-z_-]+):\s")
_LEADING_KIND = re.compile(
    r"(?P<kind>[A-Za-z_-]+)(?P<qual>\s*\([^)\n]*\))?\s*(?:—|–|‚Äî|‚Äì)\s*(?P<rest>.*)"
)
_ID = re.compile(ID_SHAPE)
# What follows the `*` of an italic entry: `First`, `Last`, `Latest` or a timestamp's digit (a
# bold sub-bullet, `- **Metrics:**`, is never tried against the italic pattern).
_ITALIC_OPENINGS = frozenset("FL0123456789")
_FOCUS_LINE = re.compile(r"\*\*Focus:\*\*\s*\[?([^\]\s]+)\]?")
_DATE_LINE = lazy_compile(r"\*\*Date:\*\*\s*(" + TS + ")")


class Parts(NamedTuple):
    """What a dialect reads from an entry (the block cutter adds lines and text)."""

    dialect: AttemptDialect
    label: str
    timestamp_text: str | None = None
    kind_text: str | None = None
    number: int | None = None
    actor: str | None = None
    result: str | None = None
    summary: str = ""
    focus_ref: str | None = None
    indent: str = ""


class Dialect(NamedTuple):
    """One row of the table: how to recognise an entry and read its parts."""

    dialect: AttemptDialect
    pattern: re.Pattern
    build: Callable[[re.Match, list[str]], Parts]


# --- builders ------------------------------------------------------------------------------------


def _latest(m: re.Match, _body: list[str]) -> Parts:
    rest = m.group("rest")
    kind_text, summary = None, rest
    km = _LEADING_KIND.match(rest)
    if km:
        kind_text = (km.group("kind") + (km.group("qual") or "")).strip()
        summary = km.group("rest")
    label = m.group("label") + (f" {m.group('ann')}" if m.group("ann") else "")
    return Parts(AttemptDialect.latest, label, m.group("ts"), kind_text=kind_text, summary=summary)


def _numbered(m: re.Match, _body: list[str]) -> Parts:
    # one call for all the groups (the most frequent dialect of the largest ledgers)
    indent, _bullet, ts, label, number, actor, rest = m.groups()
    rest = rest or ""
    result = kind_text = None
    rm = _RESULT.search(rest, 0, 200)
    if rm:
        result = rm.group("result").replace("**", "").strip("*_ ") or None
        kind_text = _numbered_kind(rest, rm.end("result"), result)
    else:
        km = _KIND_COLON.match(rest)  # `Attempt #N — planning: text`
        if km and AttemptKind.parse(km.group(1)):
            kind_text = km.group(1)
    # positional, in `Parts` order (label with its blank runs as one space)
    label = " ".join(label.split())
    return Parts(
        AttemptDialect.numbered,
        label,
        ts,
        kind_text,
        int(number),
        actor,
        result,
        rest,
        None,
        indent,
    )


def _numbered_kind(rest: str, result_end: int, result: str | None) -> str | None:
    """The kind a `Result:` ending at `rest[result_end]` carries: the parenthesis after it when
    that names a kind (`Result: success (implementation).`), else the result itself when it is
    one (`Result: planning.`); None for free text (`Result: ✅ success (Phase A complete)`)."""
    pm = _PAREN.match(rest, result_end)
    for text in (pm.group(1) if pm else None, result):
        if text and AttemptKind.parse(text):
            return text
    return None


def _italic(m: re.Match, _body: list[str]) -> Parts:
    label = m.group("label")
    return Parts(
        AttemptDialect.italic,
        m.group("word") or label or "",
        m.group("ts") or m.group("wts"),
        kind_text=label,
        summary=m.group("rest") or "",
        indent=m.group("indent"),
    )


def _dated(m: re.Match, _body: list[str]) -> Parts:
    label = m.group("label")
    return Parts(
        AttemptDialect.dated,
        label or "",
        m.group("ts"),
        kind_text=label,
        summary=m.group("rest") or "",
        indent=m.group("indent"),
    )


def _heading(m: re.Match, _body: list[str]) -> Parts:
    ref = m.group("ref").strip()
    label = m.group("label") or ""
    return Parts(
        AttemptDialect.heading,
        label,
        m.group("ts"),
        kind_text=label or None,
        summary=ref,
        focus_ref=focus_of_reference(ref),
    )


def _attempt_heading(m: re.Match, body: list[str]) -> Parts:
    focus_ref = date_text = None
    for line in body[:20]:
        if "**" not in line:  # both lines are bold labels
            continue
        if focus_ref is None and "**Focus:**" in line:
            fm = _FOCUS_LINE.search(line)
            if fm:
                focus_ref = fm.group(1)
        if date_text is None and "**Date:**" in line:
            dm = _DATE_LINE.search(line)
            if dm:
                date_text = dm.group(1)
    return Parts(
        AttemptDialect.attempt_heading,
        m.group("label"),
        date_text,
        number=int(m.group("num")),
        summary=m.group("rest"),
        focus_ref=focus_ref,
    )


def _bold(m: re.Match, _body: list[str]) -> Parts:
    ref = m.group("ref").strip()
    label = m.group("label") or ""
    named = focus_of_reference(ref)
    return Parts(
        AttemptDialect.bold,
        label or ref,
        m.group("ts"),
        kind_text=label or None,
        summary=ref,
        # Only an ID-shaped first word names a focus (`Escalation Brief for …` names none).
        focus_ref=named if named and _ID.fullmatch(named) else None,
    )


# --- the tables ---------------------------------------------------------------------------------

LATEST_DIALECT = Dialect(AttemptDialect.latest, LATEST, _latest)
NUMBERED_DIALECT = Dialect(AttemptDialect.numbered, NUMBERED, _numbered)
ITALIC_DIALECT = Dialect(AttemptDialect.italic, ITALIC, _italic)
DATED_DIALECT = Dialect(AttemptDialect.dated, DATED, _dated)
BULLET_DIALECTS = (LATEST_DIALECT, NUMBERED_DIALECT, ITALIC_DIALECT, DATED_DIALECT)
# A dated note under an item of the other forms (`  - 2026-02-03T04:05Z (planning) — text`):
# the dated dialect, at any indentation (a heading item's notes are column-0 bullets).
NOTE_DIALECT = Dialect(
    AttemptDialect.dated, lazy_compile(DATED.pattern.replace("[ \\t]+", "[ \\t]*", 1)), _dated
)
BOLD_DIALECT = Dialect(AttemptDialect.bold, BOLD, _bold)
HEADING_DIALECT = Dialect(AttemptDialect.heading, HEADING, _heading)
ATTEMPT_HEADING_DIALECT = Dialect(AttemptDialect.attempt_heading, ATTEMPT_HEADING, _attempt_heading)


def latest_entry(line: str) -> tuple[Dialect, re.Match] | None:
    """A column-0 `Latest Attempt (ts):` entry."""
    if "ttempt" not in line[:24]:
        return None
    m = LATEST.match(line)
    return (LATEST_DIALECT, m) if m else None


def nested_entry(line: str, in_history: bool) -> tuple[Dialect, re.Match] | None:
    """A bullet entry in the numbered, italic or (under `Attempts History:`) dated dialect."""
    stripped = line.lstrip(" \t")
    if not stripped or stripped[0] not in "-*" or len(stripped) < 4:
        return None
    nxt = stripped[2:3]
    if nxt == "[" and "Attempt" in stripped:
        row = NUMBERED_DIALECT
    elif nxt == "*" and stripped[3:4] in _ITALIC_OPENINGS:
        row = ITALIC_DIALECT
    elif in_history and (nxt.isdigit() or nxt == "["):
        row = DATED_DIALECT
    else:
        return None
    m = row.pattern.match(line)
    return (row, m) if m else None


def note_entry(line: str) -> tuple[Dialect, re.Match] | None:
    """A dated note bullet (`- 2026-02-03 — text`, `  * [2026-02-03] text`), at any indent."""
    stripped = line.lstrip(" \t")
    if stripped[:2] not in ("- ", "* ") or not (stripped[2:3].isdigit() or stripped[2:3] == "["):
        return None
    m = NOTE_DIALECT.pattern.match(line)
    return (NOTE_DIALECT, m) if m else None


def record(found: tuple[Dialect, re.Match], start: int, stop: int, text: str, body=None) -> Attempt:
    """The attempt recognised as `found` on line `start` (0-based), running to `stop`
    (exclusive), whose lines are `text`."""
    row, m = found
    parts = read(row, m, body)
    ts = parts.timestamp_text
    return _new_attempt(
        Attempt,
        (
            start + 1,
            stop,
            parts.label,
            parts.dialect,
            parse_timestamp(ts) if ts else None,
            ts,
            AttemptKind.parse(parts.kind_text) if parts.kind_text else None,
            parts.kind_text,
            parts.number,
            parts.actor,
            parts.result,
            parts.summary,
            text,
            parts.focus_ref,
            parts.indent,
        ),
    )


_new_attempt = tuple.__new__  # records are NamedTuples: built at the speed of a tuple


def heading_entry(text: str) -> tuple[Dialect, re.Match] | None:
    """A heading that is an attempt (`### ts — ID (label)`, `### Attempt #N`)."""
    # The first character tells which pattern may match: a timestamp's digit or `Attempt`'s A
    # (most headings are neither, and are not tried against any).
    first = text[:1]
    if first.isdigit():
        m = HEADING.match(text)
        return (HEADING_DIALECT, m) if m else None
    if first == "A":
        m = ATTEMPT_HEADING.match(text)
        return (ATTEMPT_HEADING_DIALECT, m) if m else None
    return None


def bold_entry(line: str) -> tuple[Dialect, re.Match] | None:
    """A `**2026-01-23T12:35Z — title**` line (a log entry written as a bold paragraph)."""
    if line[:2] != "**" or not line[2:3].isdigit():
        return None
    m = BOLD.match(line)
    return (BOLD_DIALECT, m) if m else None


def looks_like_entry(line: str) -> bool:
    """A numbered or italic entry (a sibling that ends the entry above it)."""
    stripped = line.lstrip(" \t")
    if stripped[:3] in ("* [", "- [") and "Attempt" in stripped[:40]:
        return NUMBERED.match(line) is not None
    if stripped[:3] in ("* *", "- *"):
        return ITALIC.match(line) is not None
    return False


def read(row: Dialect, m: re.Match, body: list[str] | None = None) -> Parts:
    """The parts of an entry recognised by `row`."""
    return row.build(m, body or [])
