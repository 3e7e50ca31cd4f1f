"""Parse ledger text into the typed model (`loads`), keeping every byte in some block.

Structure, in one linear pass over the classified lines (`ledger.document`):

* a heading whose text starts with `[ID]` opens a focus *section*; it runs until a heading of the
  same or a higher level, a thematic break (`---`), or another `[ID]` heading;
* any other heading opens a *group* (`## Index`, `## Completed / Archived Items`,
  `## Attempts History`, ...); a group heading deeper than the open section stays inside it;
* a thematic break closes whatever is open; text after it is *prose* until the next heading.

Inside a section, column-0 bullets `- Name (qualifier) [annotation]: value` are fields and own the
lines indented under them; attempt entries are recognized in every dialect of `AttemptDialect`.
Attempts outside any section are *orphans*, except the reset layout's `### ts — ID (label)`
blocks under `## Attempts History`, which belong to the focus they name.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Optional

from .document import (
    BLANK,
    BREAK,
    CODE,
    HEADING,
    classify,
    dominant_newline,
    split_lines,
    strip_eol,
)
from .model import (
    Attempt,
    AttemptDialect,
    AttemptKind,
    Block,
    Field,
    FocusItem,
    Header,
    IndexRow,
    IndexTable,
    Ledger,
    Status,
)

# --- vocabularies --------------------------------------------------------------------------

STATUS_ALIASES: dict[str, Status] = {
    "pending": Status.pending,
    "new": Status.pending,
    "queued": Status.pending,
    "todo": Status.pending,
    "planning": Status.planning,
    "in_planning": Status.planning,
    "gathering_evidence": Status.planning,
    "in_progress": Status.in_progress,
    "in-progress": Status.in_progress,
    "active": Status.in_progress,
    "ready_for_implementation": Status.ready_for_implementation,
    "blocked": Status.blocked,
    "blocked_escalation": Status.blocked_escalation,
    "paused": Status.paused,
    "deferred": Status.paused,
    "on_hold": Status.paused,
    "done": Status.done,
    "complete": Status.done,
    "completed": Status.done,
    "implemented": Status.done,
    "resolved": Status.done,
    "✅": Status.done,
    "archived": Status.archived,
    "superseded": Status.superseded,
}

KIND_ALIASES: dict[str, AttemptKind] = {
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

PRIORITIES = ("Critical", "High", "Medium", "Low")

# --- patterns ----------------------------------------------------------------------------------

# Dashes, including their Mac Roman mojibake (`‚Äî`, `‚Äì`) found in real ledgers.
_DASH = r"(?:—|–|-|‚Äî|‚Äì)"
_TS = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:?\d{2}(?::?\d{2}(?:\.\d+)?)?Z?)?"
_TS_RANGE = rf"{_TS}(?:\s*{_DASH}+\s*{_TS})?"
TIMESTAMP_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:\.\d+)?)?Z?)?"
)

_ID_HEADING = re.compile(r"\[([^\]\n]+)\]\s*(.*)")
_FIELD = re.compile(
    r"(?P<bullet>[-*] )(?P<b1>\*\*)?(?P<name>[A-Z][^:()\[\]*`;\n]{0,48}?)\s*"
    r"(?P<qual>\([^)\n]*\))?\s*(?P<ann>\[[^\]\n]*\])?\s*(?P<b2>\*\*)?:(?P<b3>\*\*)?[ \t]?(?P<value>.*)"
)
_BARE_FIELD = re.compile(r"(?P<name>[A-Z][A-Za-z/&' -]{0,40}?)\s*(?P<qual>\([^)\n]*\))?:\s*$")
_LATEST = re.compile(
    r"(?P<bullet>[-*] )(?P<label>(?:Latest )?Attempt)\s*\((?P<ts>[^)\n]*)\)\s*(?P<ann>\[[^\]\n]*\])?:\s*(?P<rest>.*)",
    re.IGNORECASE,
)
_NUMBERED = re.compile(
    r"(?P<indent>[ \t]*)(?P<bullet>[-*] )\[(?P<ts>[^\]\n]*)\]\s+(?P<label>Attempt\s+#(?P<num>\d+)(?:\s*\((?P<actor>[^)\n]*)\))?)"
    rf"\s*(?:(?::|{_DASH})+\s*)?(?P<rest>.*)"
)
_ITALIC = re.compile(
    rf"(?P<indent>[ \t]*)(?P<bullet>[-*] )\*(?:(?P<word>First|Last|Latest)\s*\((?P<wts>{_TS_RANGE})\)|(?P<ts>{_TS_RANGE})(?:\s*\((?P<label>[^)\n]*)\))?)\s*:\*\s*(?P<rest>.*)"
)
_DATED = re.compile(
    rf"(?P<indent>[ \t]+)(?P<bullet>[-*] )\[?(?P<ts>{_TS_RANGE})\]?\s*(?:\((?P<label>[^)\n]*)\))?\s*(?::|{_DASH})+\s*(?P<rest>.*)"
)
_D6_HEADING = re.compile(
    rf"(?P<ts>{_TS_RANGE})\s+{_DASH}+\s+(?P<ref>.+?)(?:\s+\((?P<label>[^()\n]*)\))?\s*$"
)
_ATTEMPT_HEADING = re.compile(rf"(?P<label>Attempt\s+#(?P<num>\d+))\b\s*(?:(?::|{_DASH})+\s*)?(?P<rest>.*)")
_RESULT = re.compile(r"Result:\s*(?P<result>.*?)(?:\s+\(|\.\s|;|$)")
_LEADING_KIND = re.compile(r"(?P<kind>[A-Za-z_-]+)(?P<qual>\s*\([^)\n]*\))?\s*(?:—|–|‚Äî|‚Äì)\s*(?P<rest>.*)")
_FOCUS_LINE = re.compile(r"\*\*Focus:\*\*\s*\[?([^\]\s]+)\]?")
_DATE_LINE = re.compile(r"\*\*Date:\*\*\s*(" + _TS + ")")
ID_TOKEN_RE = re.compile(r"(?<![\w/.-])\[?([A-Z][A-Z0-9]*(?:[-‑][A-Z0-9]+)+[a-z]?)\]?(?![\w/-])")
_HEADER_FIELD = re.compile(
    r"\s*(?:[-*]\s+)?\*\*(?P<name>Last Updated|Active Focus|Current Focus|Status)\s*:?\*\*\s*:?\s*(?P<value>.*)",
    re.IGNORECASE,
)
_TABLE_ROW = re.compile(r"\s*\|")
_LINK_CELL = re.compile(r"\[([^\]]+)\](?:\(#([^)]*)\))?")


def loads(text: str) -> Ledger:
    """Parse `text` into a `Ledger`; never raises on any input, `dumps(loads(t)) == t`."""
    return _Parser(text).parse()


def parse_timestamp(text: Optional[str]) -> Optional[datetime]:
    """Parse the ledger timestamp forms (`2025-11-19T190500Z`, `…T0849Z`, `…T02:40Z`, dates,
    ranges: the start counts) into an aware UTC datetime; None when there is no valid date."""
    if not text:
        return None
    m = TIMESTAMP_RE.search(text)
    if not m:
        return None
    y, mo, d, hh, mm, ss = m.groups()
    try:
        return datetime(
            int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0), tzinfo=timezone.utc
        )
    except ValueError:
        return None


def normalize_status(text: str) -> Status:
    """Map a Status value (`blocked — reason`, `done (archived)`, `**done**`) to `Status`."""
    token = _first_token(text)
    if token in STATUS_ALIASES:
        return STATUS_ALIASES[token]
    if token.startswith("✅"):
        return Status.done
    return Status.unknown


def normalize_kind(text: Optional[str]) -> Optional[AttemptKind]:
    if not text:
        return None
    return KIND_ALIASES.get(_first_token(text))


def normalize_priority(text: str) -> Optional[str]:
    token = _first_token(text)
    for p in PRIORITIES:
        if token == p.lower():
            return p
    return None


def status_token(text: str) -> str:
    """First word of a value as written (`**done** (x)` -> `done`), lower case."""
    cleaned = text.strip().lstrip("*`_ ").lower()
    return re.split(r"[\s*`(,;:.—–]", cleaned, maxsplit=1)[0] if cleaned else ""


def _first_token(text: str) -> str:
    token = status_token(text)
    return token.replace("-", "_") if token not in STATUS_ALIASES else token


def find_ids(text: str, known: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """IDs named in free text: bracketed or upper-case hyphenated tokens, plus any known ID."""
    found: dict[str, None] = {}
    for m in ID_TOKEN_RE.finditer(_drop_paths(text)):
        found.setdefault(m.group(1).replace("‑", "-") if m.group(1) not in known else m.group(1))
    for k in known:
        if k not in found and re.search(rf"(?<![\w/.-]){re.escape(k)}(?![\w/-])", text):
            found.setdefault(k)
    return list(found)


def _drop_paths(text: str) -> str:
    """Blank out path-like tokens so `plans/active/ID/implementation.md` is not a dependency."""
    return re.sub(r"\S*/\S*", " ", text)


# --- the parser ------------------------------------------------------------------------------


class _SectionBuilder:
    __slots__ = ("id", "title", "start", "end", "level", "fields", "attempts", "has_section")

    def __init__(self, focus_id: str, title: str, start: int, level: int, has_section: bool = True):
        self.id = focus_id
        self.title = title
        self.start = start
        self.end = start
        self.level = level
        self.fields: list[Field] = []
        self.attempts: list[Attempt] = []
        self.has_section = has_section


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = split_lines(text)
        self.content = [strip_eol(line) for line in self.lines]
        self.classes, self.headings = classify(self.lines)
        self.blocks: list[tuple[str, int, int, Optional[str]]] = []  # kind, start, end (0-based)
        self.sections: list[_SectionBuilder] = []
        self.virtual: dict[str, _SectionBuilder] = {}
        self.orphans: list[Attempt] = []
        self.index: Optional[IndexTable] = None

    # block structure ------------------------------------------------------------------------

    def parse(self) -> Ledger:
        n = len(self.lines)
        i = 0
        if n and self.content[0] == "---":
            i = self._front_matter()
        kind, start, focus_id = "preamble", i, None
        open_level = 0  # heading level of the open section or group
        headings = self.headings
        classes = self.classes
        group_name = ""
        while i < n:
            cls = classes[i]
            if cls == HEADING:
                h = headings[i]
                m = _ID_HEADING.match(h.text)
                if m:
                    self._close(kind, start, i, focus_id, group_name)
                    kind, start, focus_id, open_level = "section", i, m.group(1), h.level
                    self.sections.append(_SectionBuilder(m.group(1), m.group(2).strip(), i, h.level))
                elif kind == "section" and h.level > open_level:
                    pass  # a sub-heading inside the focus section
                elif kind == "attempt" and h.level > open_level:
                    pass
                else:
                    self._close(kind, start, i, focus_id, group_name)
                    if _D6_HEADING.match(h.text) or _ATTEMPT_HEADING.match(h.text):
                        kind = "attempt"
                    else:
                        kind, group_name = "group", h.text
                    start, focus_id, open_level = i, None, h.level
            elif cls == BREAK:
                self._close(kind, start, i, focus_id, group_name)
                self.blocks.append(("break", i, i + 1, None))
                kind, start, focus_id, open_level, group_name = "prose", i + 1, None, 0, ""
            i += 1
        self._close(kind, start, n, focus_id, group_name)
        return self._build()

    def _front_matter(self) -> int:
        for j in range(1, len(self.lines)):
            if self.content[j] in ("---", "..."):
                self.blocks.append(("front_matter", 0, j + 1, None))
                return j + 1
        return 0

    def _close(self, kind: str, start: int, end: int, focus_id: Optional[str], group: str) -> None:
        if end <= start:
            return
        if kind == "section":
            section = self.sections[-1]
            section.end = end
            self.blocks.append(("section", start, end, focus_id))
            self._parse_section_body(section, start + 1, end)
            return
        if kind == "attempt":
            attempt = self._heading_attempt(start, end)
            self.blocks.append(("attempt", start, end, attempt.focus_ref))
            in_history = self._last_group_name().lower().startswith("attempts history")
            if attempt.dialect == AttemptDialect.heading and attempt.focus_ref and in_history:
                self._virtual(attempt.focus_ref, start).attempts.append(attempt)
            else:
                self.orphans.append(attempt)
            return
        self.blocks.append((kind, start, end, None))
        if kind == "group" and group.lower().startswith("index"):
            self._parse_index(start + 1, end)
        self._scan_loose_attempts(start, end)

    def _last_group_name(self) -> str:
        for kind, start, _end, _fid in reversed(self.blocks):
            if kind == "group":
                return self.headings[start].text
            if kind not in ("attempt",):
                return ""
        return ""

    def _virtual(self, ref: str, line: int) -> _SectionBuilder:
        if ref not in self.virtual:
            self.virtual[ref] = _SectionBuilder(ref, "", line, 3, has_section=False)
        return self.virtual[ref]

    # section bodies ---------------------------------------------------------------------------

    def _parse_section_body(self, section: _SectionBuilder, start: int, end: int) -> None:
        content, classes = self.content, self.classes
        i = start
        current_field: Optional[str] = None
        while i < end:
            cls = classes[i]
            line = content[i]
            if cls in (BLANK, CODE, BREAK):
                i += 1
                continue
            if cls == HEADING:
                h = self.headings[i]
                if _D6_HEADING.match(h.text) or _ATTEMPT_HEADING.match(h.text):
                    stop = self._heading_end(i, end, h.level)
                    section.attempts.append(self._heading_attempt(i, stop))
                    i = stop
                    continue
                current_field = None
                i += 1
                continue
            if line[0] not in " \t":
                stop = self._column0_end(i, end)
                attempt = self._latest_attempt(i, stop)
                if attempt is not None:
                    section.attempts.append(attempt)
                    current_field = None
                    i = stop
                    continue
                attempt = self._nested_attempt(i, end, current_field)
                if attempt is not None:  # `* [date] Attempt #N` written at column 0
                    section.attempts.append(attempt)
                    i = attempt.end_line
                    continue
                fld = self._field(i, stop)
                if fld is not None:
                    section.fields.append(fld)
                    current_field = fld.key
                else:
                    current_field = None
                i += 1  # nested attempts under the field are scanned line by line
                continue
            attempt = self._nested_attempt(i, end, current_field)
            if attempt is not None:
                section.attempts.append(attempt)
                i = attempt.end_line  # end_line is 1-based inclusive == next 0-based index
                continue
            i += 1

    def _scan_loose_attempts(self, start: int, end: int) -> None:
        """Attempt entries outside any section are orphans."""
        content, classes = self.content, self.classes
        i = start
        while i < end:
            if classes[i] in (BLANK, CODE, BREAK, HEADING):
                i += 1
                continue
            line = content[i]
            if line[0] not in " \t":
                attempt = self._latest_attempt(i, self._column0_end(i, end))
                if attempt is not None:
                    self.orphans.append(attempt)
                    i = attempt.end_line
                    continue
            attempt = self._nested_attempt(i, end, None)
            if attempt is not None:
                self.orphans.append(attempt)
                i = attempt.end_line
                continue
            i += 1

    def _column0_end(self, i: int, end: int) -> int:
        """End (exclusive) of the column-0 item at `i`: up to the next column-0 non-blank line."""
        content, classes = self.content, self.classes
        j = i + 1
        last = i
        while j < end:
            cls = classes[j]
            if cls == BLANK:
                j += 1
                continue
            if cls == HEADING or cls == BREAK:
                break
            line = content[j]
            if cls != CODE and line[0] not in " \t":
                break
            last = j
            j += 1
        return last + 1

    def _indented_end(self, i: int, end: int, indent: int) -> int:
        content, classes = self.content, self.classes
        j = i + 1
        last = i
        while j < end:
            cls = classes[j]
            if cls == BLANK:
                j += 1
                continue
            if cls in (HEADING, BREAK):
                break
            line = content[j]
            if len(line) - len(line.lstrip(" \t")) <= indent and cls != CODE:
                break
            if cls != CODE and _looks_like_attempt(line):  # a sibling indented too deep
                break
            last = j
            j += 1
        return last + 1

    def _heading_end(self, i: int, end: int, level: int) -> int:
        j = i + 1
        while j < end:
            cls = self.classes[j]
            if cls == BREAK or (cls == HEADING and self.headings[j].level <= level):
                break
            j += 1
        while j - 1 > i and self.classes[j - 1] == BLANK:
            j -= 1
        return j

    def _text(self, start: int, stop: int) -> str:
        while stop - 1 > start and self.classes[stop - 1] == BLANK:
            stop -= 1
        return "".join(self.lines[start:stop])

    def _field(self, i: int, stop: int) -> Optional[Field]:
        line = self.content[i]
        m = _FIELD.match(line)
        if m:
            name = m.group("name").strip()
            bold = bool(m.group("b1"))
            value = m.group("value")
            if bold and value.startswith("**"):
                value = value[2:].lstrip()
            return Field.model_construct(
                name=name,
                qualifier=m.group("qual"),
                annotation=m.group("ann"),
                value=value,
                line=i + 1,
                end_line=stop,
                bold=bold,
                bullet=m.group("bullet"),
                text=self._text(i, stop),
            )
        m = _BARE_FIELD.match(line)
        if m:
            return Field.model_construct(
                name=m.group("name").strip(),
                qualifier=m.group("qual"),
                annotation=None,
                value="",
                line=i + 1,
                end_line=stop,
                bold=False,
                bullet="",
                text=self._text(i, stop),
            )
        return None

    # attempts -------------------------------------------------------------------------------

    def _latest_attempt(self, i: int, stop: int) -> Optional[Attempt]:
        line = self.content[i]
        if "ttempt" not in line[:24]:
            return None
        m = _LATEST.match(line)
        if not m:
            return None
        ts_text = m.group("ts")
        rest = m.group("rest")
        kind_text, summary = None, rest
        km = _LEADING_KIND.match(rest)
        if km:
            kind_text = (km.group("kind") + (km.group("qual") or "")).strip()
            summary = km.group("rest")
        label = m.group("label") + (f" {m.group('ann')}" if m.group("ann") else "")
        return Attempt.model_construct(
            line=i + 1,
            end_line=stop,
            timestamp=parse_timestamp(ts_text),
            timestamp_text=ts_text,
            kind=normalize_kind(kind_text),
            kind_text=kind_text,
            label=label,
            number=None,
            actor=None,
            result=None,
            summary=summary,
            text=self._text(i, stop),
            dialect=AttemptDialect.latest,
            focus_ref=None,
            indent="",
        )

    def _nested_attempt(self, i: int, end: int, field_key: Optional[str]) -> Optional[Attempt]:
        line = self.content[i]
        stripped = line.lstrip(" \t")
        if not stripped or stripped[0] not in "-*" or len(stripped) < 4:
            return None
        nxt = stripped[2:3]
        m = None
        dialect = None
        if nxt == "[" and "Attempt" in stripped:
            m = _NUMBERED.match(line)
            dialect = AttemptDialect.numbered
        elif nxt == "*":
            m = _ITALIC.match(line)
            dialect = AttemptDialect.italic
        elif field_key is not None and field_key.startswith("attempts history") and (
            nxt.isdigit() or nxt == "["
        ):
            m = _DATED.match(line)
            dialect = AttemptDialect.dated
        if m is None:
            return None
        indent = m.group("indent")
        stop = self._indented_end(i, end, len(indent))
        groups = m.groupdict()
        ts_text = groups.get("ts") or groups.get("wts")
        rest = groups.get("rest") or ""
        number = int(groups["num"]) if groups.get("num") else None
        if dialect == AttemptDialect.numbered:
            label = re.sub(r"\s+", " ", groups["label"])
        elif dialect == AttemptDialect.italic:
            label = groups.get("word") or groups.get("label") or ""
        else:
            label = groups.get("label") or ""
        result = None
        rm = _RESULT.search(rest[:200]) if dialect == AttemptDialect.numbered else None
        if rm:
            result = rm.group("result").replace("**", "").strip("*_ ") or None
        kind_text = groups.get("label") if dialect != AttemptDialect.numbered else None
        return Attempt.model_construct(
            line=i + 1,
            end_line=stop,
            timestamp=parse_timestamp(ts_text),
            timestamp_text=ts_text,
            kind=normalize_kind(kind_text),
            kind_text=kind_text,
            label=label,
            number=number,
            actor=groups.get("actor"),
            result=result,
            summary=rest,
            text=self._text(i, stop),
            dialect=dialect,
            focus_ref=None,
            indent=indent,
        )

    def _heading_attempt(self, start: int, stop: int) -> Attempt:
        h = self.headings[start]
        body = self.content[start + 1 : stop]
        m = _D6_HEADING.match(h.text)
        if m:
            ref = m.group("ref").strip()
            label = m.group("label") or ""
            return Attempt.model_construct(
                line=start + 1,
                end_line=self._trim(start, stop),
                timestamp=parse_timestamp(m.group("ts")),
                timestamp_text=m.group("ts"),
                kind=normalize_kind(label),
                kind_text=label or None,
                label=label,
                number=None,
                actor=None,
                result=None,
                summary=ref,
                text=self._text(start, stop),
                dialect=AttemptDialect.heading,
                focus_ref=focus_of_reference(ref),
                indent="",
            )
        m = _ATTEMPT_HEADING.match(h.text)
        assert m is not None
        focus_ref = date_text = None
        for line in body[:20]:
            fm = _FOCUS_LINE.search(line)
            if fm and focus_ref is None:
                focus_ref = fm.group(1)
            dm = _DATE_LINE.search(line)
            if dm and date_text is None:
                date_text = dm.group(1)
        return Attempt.model_construct(
            line=start + 1,
            end_line=self._trim(start, stop),
            timestamp=parse_timestamp(date_text),
            timestamp_text=date_text,
            kind=None,
            kind_text=None,
            label=m.group("label"),
            number=int(m.group("num")),
            actor=None,
            result=None,
            summary=m.group("rest"),
            text=self._text(start, stop),
            dialect=AttemptDialect.attempt_heading,
            focus_ref=focus_ref,
            indent="",
        )

    def _trim(self, start: int, stop: int) -> int:
        while stop - 1 > start and self.classes[stop - 1] == BLANK:
            stop -= 1
        return stop

    # index table ------------------------------------------------------------------------------

    def _parse_index(self, start: int, end: int) -> None:
        content = self.content
        i = start
        while i < end and not _TABLE_ROW.match(content[i]):
            i += 1
        if i + 1 >= end:
            return
        columns = _cells(content[i])
        if not columns or columns[0].strip("* ").lower() != "id" or "---" not in content[i + 1]:
            return
        first = i
        rows: list[IndexRow] = []
        j = i + 2
        lower = [c.strip("* ").lower() for c in columns]
        while j < end and _TABLE_ROW.match(content[j]):
            cells = _cells(content[j])
            rows.append(_index_row(j + 1, cells, lower))
            j += 1
        self.index = IndexTable.model_construct(
            line=first + 1, end_line=j, columns=columns, rows=rows
        )

    # model ----------------------------------------------------------------------------------

    def _build(self) -> Ledger:
        for ref in list(self.virtual):
            real = next((s for s in self.sections if s.id == ref), None)
            if real is not None:  # attempts naming a real section join it
                real.attempts.extend(self.virtual.pop(ref).attempts)
        items = [_focus_item(s) for s in self.sections]
        header = self._header({s.id for s in self.sections} | set(self.virtual))
        if header.active_focus_id and header.active_focus_id not in self.virtual and not any(
            s.id == header.active_focus_id for s in self.sections
        ) and self.virtual:
            self._virtual(header.active_focus_id, (header.active_focus_line or 1) - 1)
        status_text = self._d6_status() if self.virtual else None
        for ref, builder in self.virtual.items():
            if any(s.id == ref for s in self.sections):
                continue
            if header.active_focus_line and ref == header.active_focus_id:
                builder.start = min(builder.start, header.active_focus_line - 1)
                if header.active_focus and " — " in header.active_focus:
                    builder.title = header.active_focus.split(" — ", 1)[1].strip("* ")
            item = _focus_item(builder)
            if status_text and ref == header.active_focus_id:
                item = item.model_copy(
                    update={"status_text": status_text, "status": normalize_status(status_text)}
                )
            items.append(item)
        items.sort(key=lambda f: f.line)
        blocks = [
            Block.model_construct(
                kind=kind,
                line=s + 1,
                end_line=e,
                focus_id=fid,
                text="".join(self.lines[s:e]),
            )
            for kind, s, e, fid in sorted(self.blocks, key=lambda b: b[1])
        ]
        return Ledger.model_construct(
            header=header,
            focus_items=items,
            orphan_attempts=self.orphans,
            index=self.index,
            blocks=blocks,
            newline=dominant_newline(self.text),
            line_count=len(self.lines),
        )

    def _d6_status(self) -> Optional[str]:
        for kind, s, e, _ in self.blocks:
            if kind == "group" and self.headings[s].text.strip().lower() == "status":
                for j in range(s + 1, e):
                    if self.content[j].strip():
                        return self.content[j].strip().strip("`")
        return None

    def _header(self, known: set[str]) -> Header:
        title = title_line = None
        last_updated = lu_line = None
        focus = focus_line = None
        first_section = min((s.start for s in self.sections), default=len(self.lines))
        for j in range(0, first_section):
            cls = self.classes[j]
            if cls == CODE:
                continue
            if cls == HEADING:
                h = self.headings[j]
                if h.level == 1 and title is None:
                    title, title_line = h.text, j + 1
                elif h.text.strip().lower() == "current focus" and focus is None:
                    k = j + 1
                    while k < first_section and self.classes[k] == BLANK:
                        k += 1
                    if k < first_section and self.classes[k] not in (HEADING, BREAK):
                        focus, focus_line = self.content[k].strip().strip("*").strip(), k + 1
                continue
            line = self.content[j]
            if "**" not in line:
                continue
            m = _HEADER_FIELD.match(line)
            if not m:
                continue
            name = m.group("name").lower()
            value = m.group("value").strip()
            if name == "last updated" and last_updated is None:
                last_updated, lu_line = value, j + 1
            elif name in ("active focus", "current focus") and focus is None:
                if not value:  # the nanoBragg form lists the focus items as bullets below
                    k = j + 1
                    bullets = []
                    while k < first_section and self.content[k].lstrip().startswith(("-", "*")):
                        bullets.append(self.content[k].strip())
                        k += 1
                    value = "\n".join(bullets)
                focus, focus_line = value, j + 1
        focus_id = None
        if focus:
            ids = find_ids(focus, known)
            in_ledger = [i for i in ids if i in known]
            focus_id = (in_ledger or ids or [None])[0]
            if focus_id is None:
                token = focus.split()[0].strip("*`[]") if focus.split() else ""
                focus_id = token if token in known else None
        lu_date = parse_timestamp(last_updated)
        return Header.model_construct(
            title=title,
            title_line=title_line,
            last_updated=last_updated,
            last_updated_line=lu_line,
            last_updated_date=lu_date.date() if lu_date else None,
            active_focus=focus,
            active_focus_line=focus_line,
            active_focus_id=focus_id,
        )


def _looks_like_attempt(line: str) -> bool:
    stripped = line.lstrip(" \t")
    if stripped[:3] in ("* [", "- [") and "Attempt" in stripped[:40]:
        return _NUMBERED.match(line) is not None
    if stripped[:3] in ("* *", "- *"):
        return _ITALIC.match(line) is not None
    return False


def focus_of_reference(ref: str) -> Optional[str]:
    """`DEBUG-SIM-LINES-DOSE-001.F1` / `seed S1–S2` / `ID A1:` -> the focus ID they name."""
    token = ref.strip().strip("[]*`").split()[0] if ref.strip() else ""
    token = token.strip("[]*`:,")
    if "." in token:
        token = token.split(".", 1)[0]
    return token or None


def _cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", body)]  # `\|` is a literal pipe


def _index_row(line: int, cells: list[str], columns: list[str]) -> IndexRow:
    def col(name: str) -> Optional[str]:
        if name in columns:
            k = columns.index(name)
            return cells[k] if k < len(cells) else None
        return None

    first = cells[0] if cells else ""
    m = _LINK_CELL.search(first)
    focus_id, anchor = (m.group(1), m.group(2)) if m else (first.strip("`* "), None)
    status_text = col("status")
    return IndexRow.model_construct(
        line=line,
        id=focus_id,
        anchor=anchor,
        title=col("title"),
        priority=col("priority"),
        status_text=status_text,
        status=normalize_status(status_text or ""),
        cells=cells,
    )


def _focus_item(s: _SectionBuilder) -> FocusItem:
    fields = s.fields
    status_f = next((f for f in fields if f.key == "status"), None)
    priority_f = next((f for f in fields if f.key == "priority"), None)
    depends_f = next((f for f in fields if f.key in ("depends on", "depends")), None)
    status_text = status_f.value.strip() if status_f else ""
    if not status_f and s.has_section:
        status_text = _status_from_title(s.title)
    depends_text = depends_f.value.strip() if depends_f else ""
    depends = [d for d in find_ids(depends_text) if d != s.id] if depends_text else []
    return FocusItem.model_construct(
        id=s.id,
        title=s.title,
        line=s.start + 1,
        end_line=s.end,
        level=s.level,
        status=normalize_status(status_text),
        status_text=status_text,
        priority=normalize_priority(priority_f.value) if priority_f else None,
        priority_text=priority_f.value.strip() if priority_f else "",
        depends_on=depends,
        depends_on_text=depends_text,
        return_conditions=_return_conditions(fields),
        fields=fields,
        attempts=s.attempts,
        has_section=s.has_section,
    )


def _status_from_title(title: str) -> str:
    """`### [ID] — **archived** (...)`: some ledgers put the status in the heading."""
    m = re.search(r"\*\*([a-z_]+)\*\*", title)
    return m.group(1) if m and m.group(1) in STATUS_ALIASES else ""


def _return_conditions(fields: list[Field]) -> list[str]:
    out: list[str] = []
    for f in fields:
        if not f.key.startswith("return condition"):
            continue
        if f.value.strip():
            out.append(f.value.strip())
        for sub in f.text.splitlines()[1:]:
            s = sub.strip()
            if s[:2] in ("- ", "* "):
                out.append(s[2:].strip())
            elif s and s[0].isdigit() and ". " in s[:4]:
                out.append(s.split(". ", 1)[1].strip())
    return out
