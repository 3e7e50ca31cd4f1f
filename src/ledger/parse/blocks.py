"""The block cutter: cuts the document into blocks and reads each one, in linear time.

* a heading whose text starts with `[ID]` opens a focus *section*; it runs until a heading of the
  same or a higher level, a thematic break (`---`), or another `[ID]` heading;
* any other heading opens a *group* (`## Index`, `## Completed / Archived Items`,
  `## Attempts History`, ...); a heading deeper than the open section stays inside it;
* a heading that is an attempt (`### ts — ID (label)`, `### Attempt #N`) is an *attempt* block;
* a thematic break closes whatever is open; text after it is *prose* until the next heading.

Blocks are cut by visiting only the structural lines the `Document` found (headings and breaks).
The body of each block is then read in one forward pass (`_Body`): a column-0 bullet opens a
field (`parse.fields`) that runs to the next column-0 line; an attempt in any dialect
(`parse.attempts`) runs to the next line indented no deeper than its bullet. Attempts outside
any section are orphans, except the reset layout's log: heading attempts that name their focus
(and, once such a log runs, bold-paragraph entries), which `parse.reset` files.
"""

from __future__ import annotations

import re
from functools import cache

from ..document import (
    BLANK,
    CODE,
    FENCE_PATTERN,
    HEADING,
    Document,
    closes_fence,
    fence_opening,
    heading_pattern,
)
from ..model import Attempt, Block, BlockKind, Field, IndexTable
from ..vocab import AttemptDialect
from . import attempts as dialects
from .fields import SectionBuilder, read_field
from .reset import ARCHIVED_POINTER, ResetLog

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


# An indented line that may start an attempt entry: numbered (`- [`), dated (`- 2026-`, `- [`)
# or italic (`- *2026-`, `- *Last (`) bullets; not a bold sub-bullet (`- **Metrics:**`).
_NESTED_CANDIDATE = re.compile(r"[ \t]*[-*] (?:[\[0-9]|\*[FL0-9])")


def _is_history(name: str) -> bool:
    """Whether a group heading or a field is the attempts history (`Attempts History`,
    `Attempts History (newest first)`)."""
    return name.lower().startswith("attempts history")


@cache
def _entry_end(indent: int) -> re.Pattern:
    """What may end an entry whose bullet is at `indent`: a line indented no deeper (an empty
    match), or a deeper bullet that may be a sibling entry, which ends the entry however deep
    it is (a match past the indent, to be confirmed): a numbered one (`- [`) or an italic one
    (`- *2026-…`, `- *Last (…`), not a bold sub-bullet (`- **Metrics:**`). Every other line
    continues the entry, and gets no match object at all: this is the most frequent test of the
    whole parse."""
    sibling = r"[-*] (?:\[|\*(?:First|Last|Latest|\d{4}-))"
    # `(?=([ \t]*))\1` takes all the blanks at once (an atomic group, which `re` has only from
    # Python 3.11): the sibling test is tried once, not at every blank given back.
    return re.compile(rf"(?![ \t]{{{indent + 1}}})|(?=([ \t]*))\1(?={sibling})")


_new_attempt = tuple.__new__  # records are NamedTuples: built at the speed of a tuple
_new_block = tuple.__new__


class BlockCutter:
    """Cuts a `Document` into blocks, collecting sections, attempts, orphans and the index."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.content = doc.contents
        self.classes = doc.classes
        self.headings = doc.headings
        self.blocks: list[Block] = []
        self.sections: list[SectionBuilder] = []
        self.virtual: dict[str, SectionBuilder] = {}
        self.orphans: list[Attempt] = []
        # Heading attempts outside sections that name a focus: the reset layout's log, filed
        # once the cut is done (`parse.reset`).
        self.log = ResetLog()
        self.index: IndexTable | None = None
        # The `##` group the latest blocks sit under, while only attempt blocks follow it: where
        # the reset layout keeps its log (`## Attempts History`).
        self._group_run = ""

    # block structure ------------------------------------------------------------------------

    def cut(self) -> None:
        n = len(self.content)
        start = 0
        if n and self.content[0] == "---":
            start = self._front_matter()
        kind, focus_id = BlockKind.preamble, None
        open_level = 0  # heading level of the open section or group
        headings, classes = self.headings, self.classes
        group_name = ""
        entry: tuple = ()  # the dialect match of an open attempt block
        for i in self.doc.marks:
            if i < start:
                continue  # inside the front matter
            if classes[i] == HEADING:
                h = headings[i]
                text = h.text
                m = _ID_HEADING.match(text) if text[:1] == "[" else None
                if m:
                    self._close(kind, start, i, focus_id, group_name, entry)
                    kind, start, focus_id, open_level = BlockKind.section, i, m.group(1), h.level
                    self.sections.append(SectionBuilder(m.group(1), m.group(2).strip(), i, h.level))
                elif kind in (BlockKind.section, BlockKind.attempt) and h.level > open_level:
                    pass  # a sub-heading inside the focus section or attempt block
                else:
                    self._close(kind, start, i, focus_id, group_name, entry)
                    found = dialects.heading_entry(text)
                    if found is not None:
                        kind, entry = BlockKind.attempt, found
                    else:
                        kind, group_name = BlockKind.group, text
                    start, focus_id, open_level = i, None, h.level
            else:  # a thematic break
                self._close(kind, start, i, focus_id, group_name, entry)
                self._add(BlockKind.break_, i, i + 1, None)
                kind, start, focus_id, open_level, group_name = BlockKind.prose, i + 1, None, 0, ""
        self._close(kind, start, n, focus_id, group_name, entry)

    def _add(self, kind: BlockKind, start: int, end: int, focus_id: str | None) -> None:
        self.blocks.append(
            _new_block(Block, (kind, start + 1, end, focus_id, self.doc.span(start, end)))
        )
        if kind is BlockKind.group:
            self._group_run = self.headings[start].text
        elif kind is not BlockKind.attempt:
            self._group_run = ""

    def _front_matter(self) -> int:
        for j in range(1, len(self.content)):
            if self.content[j] in ("---", "..."):
                self._add(BlockKind.front_matter, 0, j + 1, None)
                return j + 1
        return 0

    def _close(
        self,
        kind: BlockKind,
        start: int,
        end: int,
        focus_id: str | None,
        group: str,
        entry: tuple = (),
    ) -> None:
        if end <= start:
            return
        if kind is BlockKind.section:
            section = self.sections[-1]
            section.end = end
            self._add(kind, start, end, focus_id)
            _Body(self, start + 1, end, section).read()
            return
        if kind is BlockKind.attempt:
            attempt = self.heading_attempt(start, end, entry)
            self._add(kind, start, end, attempt.focus_ref)
            if attempt.dialect is AttemptDialect.heading and attempt.focus_ref:
                in_history = _is_history(self._group_run)
                self.log.add(attempt, in_history)
            else:
                self.orphans.append(attempt)
            return
        self._add(kind, start, end, None)
        if kind is BlockKind.group and _is_history(group):
            # a log whose entries were all archived is still the log: the headings it goes on
            # with elsewhere keep counting for the IDs they name
            contents = self.content
            if any(ARCHIVED_POINTER.match(contents[j]) for j in range(start + 1, end)):
                self.log.kept = True
        if kind is BlockKind.group and group.lower().startswith("index"):
            from .index import read_index

            found = read_index(self.doc, start + 1, end)
            if found is not None:
                self.index = found
        _Body(self, start, end, None).read()

    def read_fields(self, start: int, end: int) -> list[Field]:
        """The fields of lines `start`..`end` read as a section body (its attempts were read
        where they are: this reads a group's bullets as fields, such as the reset layout's
        `## Current Focus`)."""
        holder = SectionBuilder("", "", start, 0, has_section=False)
        _Body(self, start, end, holder).read()
        return holder.fields

    def virtual_item(self, ref: str, line: int) -> SectionBuilder:
        """The focus item a reset-layout attempt heading names (made on first mention)."""
        if ref not in self.virtual:
            self.virtual[ref] = SectionBuilder(ref, "", line, 3, has_section=False)
        return self.virtual[ref]

    # attempts -------------------------------------------------------------------------------

    def trim(self, start: int, stop: int) -> int:
        """`stop` moved back over trailing blank lines (never before `start + 1`)."""
        classes = self.classes
        while stop - 1 > start and classes[stop - 1] == BLANK:
            stop -= 1
        return stop

    def attempt(self, found: tuple, start: int, stop: int, body: list | None = None) -> Attempt:
        """The attempt recognised as `found` on line `start`, running to `stop` (exclusive,
        already trimmed)."""
        return dialects.record(found, start, stop, self.doc.span(start, stop), body)

    def heading_attempt(self, start: int, stop: int, found: tuple) -> Attempt:
        """The attempt whose heading on line `start` was recognised as `found`, its block
        running to `stop`."""
        body = (
            self.content[start + 1 : stop]
            if found[0].dialect is AttemptDialect.attempt_heading
            else None
        )
        return self.attempt(found, start, self.trim(start, stop), body)

    def heading_end(self, i: int, end: int, level: int) -> int:
        """End of the heading attempt at `i`: the next heading of its level or higher."""
        from bisect import bisect_right

        headings, classes, marks = self.headings, self.classes, self.doc.marks
        for k in range(bisect_right(marks, i), len(marks)):
            j = marks[k]
            if j >= end:
                break
            if classes[j] != HEADING or headings[j].level <= level:
                return self.trim(i, j)
        return self.trim(i, end)


class _Body:
    """One forward pass over the body of a block, reading fields and attempts as it goes.

    In a section, a column-0 bullet opens a field that runs to the next column-0 line, heading or
    break (code and blank lines inside it belong to it); attempts nested under it are read on the
    way. A column-0 `Latest Attempt` entry runs the same way but nothing inside it is read. A
    nested entry runs to the next line indented no deeper than its bullet, or the next sibling
    entry. Outside sections (groups, prose) only attempts are read: they are orphans.
    """

    __slots__ = ("cutter", "end", "out", "section", "start")

    def __init__(self, cutter: BlockCutter, start: int, end: int, section: SectionBuilder | None):
        self.cutter = cutter
        self.start = start
        self.end = end
        self.section = section
        self.out = section.attempts if section is not None else cutter.orphans

    def read(self) -> None:
        cutter = self.cutter
        content, classes = cutter.content, cutter.classes
        section = self.section
        out = self.out
        end = self.end
        # The open column-0 item: a field (read when it opens, finished when it ends) or a
        # `Latest Attempt` entry, and its last non-blank line.
        item_start = -1
        item_field: Field | None = None
        item_latest: tuple = ()
        last = -1
        in_history = False  # the last field opened is `Attempts History`
        # The open nested entry: its line, match, continuation test and last non-blank line.
        entry_start = -1
        entry_found: tuple = ()
        entry_end = _entry_end(0).match  # a line that may end it
        entry_last = -1
        i = self.start
        while i < end:
            cls = classes[i]
            if cls == BLANK:
                i += 1
                continue
            line = content[i]
            if entry_start >= 0:  # inside a nested entry: does this line end it?
                end_mark = entry_end(line) if cls != CODE else None
                if end_mark is None or (end_mark.end() and not dialects.looks_like_entry(line)):
                    entry_last = i
                    if item_start >= 0:
                        last = i
                    i += 1
                    continue
                out.append(cutter.attempt(entry_found, entry_start, entry_last + 1))
                entry_start = -1
            if cls == CODE:
                if item_start >= 0:
                    last = i
                i += 1
                continue
            if cls != HEADING and line[0] in (" ", "\t"):  # an indented line
                if item_start >= 0:
                    last = i
                    if item_latest:
                        i += 1
                        continue  # nothing inside a `Latest Attempt` entry is read
                if _NESTED_CANDIDATE.match(line):
                    found = dialects.nested_entry(line, in_history)
                    if found is not None:
                        entry_start, entry_found, entry_last = i, found, i
                        entry_end = _entry_end(len(found[1].group("indent"))).match
                i += 1
                continue
            # a heading or a column-0 line: it ends the open item
            if item_start >= 0:
                self._close_item(item_start, last + 1, item_field, item_latest)
                item_start, item_field, item_latest = -1, None, ()
            if cls == HEADING:
                h = cutter.headings[i]
                found = dialects.heading_entry(h.text)
                if found is not None:
                    stop = cutter.heading_end(i, end, h.level)
                    out.append(cutter.heading_attempt(i, stop, found))
                    i = stop
                    continue
                in_history = False
                i += 1
                continue
            if section is None and cutter.log.kept and line[:2] == "**":
                found = dialects.bold_entry(line)
                if found is not None:  # a reset-log entry written as a bold paragraph
                    i = self._paragraph(found, i)
                    continue
            found = dialects.latest_entry(line)
            if found is not None:
                item_start, item_latest, last = i, found, i
                in_history = False
                i += 1
                continue
            found = dialects.nested_entry(line, in_history) if line[0] in "-*" else None
            if found is not None:  # `* [date] Attempt #N` written at column 0
                entry_start, entry_found, entry_last = i, found, i
                entry_end = _entry_end(0).match
                i += 1
                continue
            if section is not None:
                item_field = read_field(line, i + 1, i + 1, "")
                in_history = item_field is not None and _is_history(item_field.key)
                if item_field is not None:
                    item_start, last = i, i
            i += 1
        if entry_start >= 0:
            out.append(cutter.attempt(entry_found, entry_start, entry_last + 1))
        if item_start >= 0:
            self._close_item(item_start, last + 1, item_field, item_latest)

    def _paragraph(self, found: tuple, start: int) -> int:
        """A bold-paragraph log entry on line `start`: it runs to the next such entry or the end
        of the block. Returns where reading goes on."""
        cutter = self.cutter
        content, classes = cutter.content, cutter.classes
        stop = start + 1
        while stop < self.end and not (
            classes[stop] != CODE and dialects.bold_entry(content[stop]) is not None
        ):
            stop += 1
        cutter.log.add_paragraph(cutter.attempt(found, start, cutter.trim(start, stop)))
        return stop

    def _close_item(self, start: int, stop: int, field: Field | None, latest: tuple) -> None:
        """A column-0 item ended before line `stop`: a `Latest Attempt` entry, or a field."""
        cutter = self.cutter
        if latest:
            self.out.append(cutter.attempt(latest, start, stop))
        elif field is not None and self.section is not None:
            text = cutter.doc.span(start, stop)
            self.section.fields.append(field._replace(end_line=stop, text=text))
