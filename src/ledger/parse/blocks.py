"""The block cutter: one linear pass that cuts the document into blocks and reads each one.

* a heading whose text starts with `[ID]` opens a focus *section*; it runs until a heading of the
  same or a higher level, a thematic break (`---`), or another `[ID]` heading;
* any other heading opens a *group* (`## Index`, `## Completed / Archived Items`,
  `## Attempts History`, ...); a heading deeper than the open section stays inside it;
* a heading that is an attempt (`### ts — ID (label)`, `### Attempt #N`) is an *attempt* block;
* a thematic break closes whatever is open; text after it is *prose* until the next heading.

Inside a section, column-0 bullets are fields (`parse.fields`) and attempts are recognised in
every dialect (`parse.attempts`). Attempts outside any section are orphans, except the reset
layout's heading attempts under `## Attempts History` (`parse.reset`).
"""

from __future__ import annotations

import re
from typing import Optional

from ..document import (
    BLANK,
    BREAK,
    CODE,
    FENCE_PATTERN,
    HEADING,
    Document,
    closes_fence,
    fence_opening,
    heading_pattern,
)
from ..model import Attempt, Block, BlockKind, IndexTable
from ..timestamps import parse_timestamp
from ..vocab import AttemptDialect, AttemptKind
from . import attempts as dialects
from .fields import SectionBuilder, read_field

# A heading whose text starts with `[ID]` opens a focus section.
_ID_IN_BRACKETS = r"\[([^\]\n]+)\]"
_ID_HEADING = re.compile(rf"{_ID_IN_BRACKETS}\s*(.*)")
# The lines `section_starts` looks at: fence lines, and headings that open a focus section.
_SECTION_OR_FENCE = re.compile(
    rf"^(?:(?P<fence>{FENCE_PATTERN}.*)|{heading_pattern(_ID_IN_BRACKETS)})", re.MULTILINE
)


def section_starts(text: str) -> list[int]:
    """Offsets of the lines where `BlockCutter` opens a focus section (not at offset 0).

    The same headings and fence rules as the cutter, found by one regex scan of the text instead
    of classifying every line: an `[ID]` heading closes whatever is open, so the text between two
    offsets parses alone as it does in the whole document (dwell's section-wise summaries rely on
    it; front matter is the caller's business)."""
    starts = []
    fence: str | None = None
    for m in _SECTION_OR_FENCE.finditer(text):
        if m.group("fence") is None:
            if fence is None and m.start():
                starts.append(m.start())
            continue
        line = m.group(0).rstrip("\r")
        if fence is not None:
            if closes_fence(line, fence):
                fence = None
        else:
            fence = fence_opening(line)
    return starts


class BlockCutter:
    """Cuts a `Document` into blocks, collecting sections, attempts, orphans and the index."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.lines = doc.lines
        self.content = doc.contents
        self.classes = doc.classes
        self.headings = doc.headings
        self.blocks: list[Block] = []
        self.sections: list[SectionBuilder] = []
        self.virtual: dict[str, SectionBuilder] = {}
        self.orphans: list[Attempt] = []
        self.index: Optional[IndexTable] = None
        # The `##` group the latest blocks sit under, while only attempt blocks follow it: where
        # the reset layout keeps its log (`## Attempts History`).
        self._group_run = ""

    # block structure ------------------------------------------------------------------------

    def cut(self) -> None:
        n = len(self.lines)
        i = 0
        if n and self.content[0] == "---":
            i = self._front_matter()
        kind, start, focus_id = BlockKind.preamble, i, None
        open_level = 0  # heading level of the open section or group
        headings, classes = self.headings, self.classes
        group_name = ""
        while i < n:
            cls = classes[i]
            if cls == HEADING:
                h = headings[i]
                m = _ID_HEADING.match(h.text)
                if m:
                    self._close(kind, start, i, focus_id, group_name)
                    kind, start, focus_id, open_level = BlockKind.section, i, m.group(1), h.level
                    self.sections.append(SectionBuilder(m.group(1), m.group(2).strip(), i, h.level))
                elif kind in (BlockKind.section, BlockKind.attempt) and h.level > open_level:
                    pass  # a sub-heading inside the focus section or attempt block
                else:
                    self._close(kind, start, i, focus_id, group_name)
                    if dialects.is_heading_entry(h.text):
                        kind = BlockKind.attempt
                    else:
                        kind, group_name = BlockKind.group, h.text
                    start, focus_id, open_level = i, None, h.level
            elif cls == BREAK:
                self._close(kind, start, i, focus_id, group_name)
                self._add(BlockKind.break_, i, i + 1, None)
                kind, start, focus_id, open_level, group_name = BlockKind.prose, i + 1, None, 0, ""
            i += 1
        self._close(kind, start, n, focus_id, group_name)

    def _add(self, kind: BlockKind, start: int, end: int, focus_id: Optional[str]) -> None:
        self.blocks.append(
            Block(kind, start + 1, end, focus_id, "".join(self.lines[start:end]))
        )
        if kind is BlockKind.group:
            self._group_run = self.headings[start].text
        elif kind is not BlockKind.attempt:
            self._group_run = ""

    def _front_matter(self) -> int:
        for j in range(1, len(self.lines)):
            if self.content[j] in ("---", "..."):
                self._add(BlockKind.front_matter, 0, j + 1, None)
                return j + 1
        return 0

    def _close(
        self, kind: BlockKind, start: int, end: int, focus_id: Optional[str], group: str
    ) -> None:
        if end <= start:
            return
        if kind is BlockKind.section:
            section = self.sections[-1]
            section.end = end
            self._add(kind, start, end, focus_id)
            self._section_body(section, start + 1, end)
            return
        if kind is BlockKind.attempt:
            attempt = self._heading_attempt(start, end)
            self._add(kind, start, end, attempt.focus_ref)
            in_history = self._group_run.lower().startswith("attempts history")
            if attempt.dialect is AttemptDialect.heading and attempt.focus_ref and in_history:
                self.virtual_item(attempt.focus_ref, start).attempts.append(attempt)
            else:
                self.orphans.append(attempt)
            return
        self._add(kind, start, end, None)
        if kind is BlockKind.group and group.lower().startswith("index"):
            from .index import read_index

            found = read_index(self.doc, start + 1, end)
            if found is not None:
                self.index = found
        self._loose_attempts(start, end)

    def virtual_item(self, ref: str, line: int) -> SectionBuilder:
        """The focus item a reset-layout attempt heading names (made on first mention)."""
        if ref not in self.virtual:
            self.virtual[ref] = SectionBuilder(ref, "", line, 3, has_section=False)
        return self.virtual[ref]

    # section bodies ---------------------------------------------------------------------------

    def _section_body(self, section: SectionBuilder, start: int, end: int) -> None:
        content, classes = self.content, self.classes
        i = start
        in_history = False  # the last field opened is `Attempts History`
        while i < end:
            cls = classes[i]
            line = content[i]
            if cls in (BLANK, CODE, BREAK):
                i += 1
                continue
            if cls == HEADING:
                h = self.headings[i]
                if dialects.is_heading_entry(h.text):
                    stop = self._heading_end(i, end, h.level)
                    section.attempts.append(self._heading_attempt(i, stop))
                    i = stop
                    continue
                in_history = False
                i += 1
                continue
            if line[0] not in " \t":
                stop = self._column0_end(i, end)
                found = dialects.latest_entry(line)
                if found is not None:
                    section.attempts.append(self._attempt(found, i, stop))
                    in_history = False
                    i = stop
                    continue
                attempt = self._nested_attempt(i, end, in_history)
                if attempt is not None:  # `* [date] Attempt #N` written at column 0
                    section.attempts.append(attempt)
                    i = attempt.end_line
                    continue
                fld = read_field(line, i + 1, stop, self._text(i, stop))
                if fld is not None:
                    section.fields.append(fld)
                    in_history = fld.key.startswith("attempts history")
                else:
                    in_history = False
                i += 1  # nested attempts under the field are scanned line by line
                continue
            attempt = self._nested_attempt(i, end, in_history)
            if attempt is not None:
                section.attempts.append(attempt)
                i = attempt.end_line  # end_line is 1-based inclusive == next 0-based index
                continue
            i += 1

    def _loose_attempts(self, start: int, end: int) -> None:
        """Attempt entries outside any section are orphans."""
        content, classes = self.content, self.classes
        i = start
        while i < end:
            if classes[i] in (BLANK, CODE, BREAK, HEADING):
                i += 1
                continue
            line = content[i]
            if line[0] not in " \t":
                found = dialects.latest_entry(line)
                if found is not None:
                    attempt = self._attempt(found, i, self._column0_end(i, end))
                    self.orphans.append(attempt)
                    i = attempt.end_line
                    continue
            attempt = self._nested_attempt(i, end, False)
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
            if cls != CODE and content[j][0] not in " \t":
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
            if cls != CODE and dialects.looks_like_entry(line):  # a sibling indented too deep
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
        return self._trim(i, j)

    def _text(self, start: int, stop: int) -> str:
        return "".join(self.lines[start : self._trim(start, stop)])

    def _trim(self, start: int, stop: int) -> int:
        """`stop` moved back over trailing blank lines (never before `start + 1`)."""
        while stop - 1 > start and self.classes[stop - 1] == BLANK:
            stop -= 1
        return stop

    # attempts -------------------------------------------------------------------------------

    def _attempt(self, found: tuple, start: int, stop: int, body: Optional[list] = None) -> Attempt:
        row, m = found
        parts = dialects.read(row, m, body)
        return Attempt(
            line=start + 1,
            end_line=stop,
            label=parts.label,
            dialect=parts.dialect,
            timestamp=parse_timestamp(parts.timestamp_text),
            timestamp_text=parts.timestamp_text,
            kind=AttemptKind.parse(parts.kind_text),
            kind_text=parts.kind_text,
            number=parts.number,
            actor=parts.actor,
            result=parts.result,
            summary=parts.summary,
            text=self._text(start, stop),
            focus_ref=parts.focus_ref,
            indent=parts.indent,
        )

    def _nested_attempt(self, i: int, end: int, in_history: bool) -> Optional[Attempt]:
        found = dialects.nested_entry(self.content[i], in_history)
        if found is None:
            return None
        indent = found[1].group("indent")
        return self._attempt(found, i, self._indented_end(i, end, len(indent)))

    def _heading_attempt(self, start: int, stop: int) -> Attempt:
        found = dialects.heading_entry(self.headings[start].text)
        assert found is not None
        attempt = self._attempt(found, start, stop, self.content[start + 1 : stop])
        end_line = self._trim(start, stop)
        if end_line == attempt.end_line:
            return attempt
        from dataclasses import replace

        return replace(attempt, end_line=end_line)
