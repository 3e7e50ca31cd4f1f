"""The lossless document: text -> lines -> structural line classes, and the one line splice.

This layer knows nothing about focus items. It splits text into lines *keeping* their endings
(only `\\n` ends a line, so `\\r\\n`, a lone `\\r`, form feeds and U+2028 survive untouched),
tracks fenced code blocks so that a `## [ID]` inside a fence is not a heading, and recognizes
ATX headings and thematic breaks, in one linear pass.

A `Document` is built once by the parser and held by the `Ledger`; edits, checks, fixes,
compaction and merges all read its lines and classes, and every change to the text is a list
of `Splice`s applied by `Document.splice`, so there is one way to change a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import IntEnum
from itertools import accumulate
from typing import NamedTuple

# An ATX heading's marker, and the opening of a fenced code block (its fence is group 1). The
# pieces are shared with `heading_pattern`, for scanners that find a few kinds of lines in a
# whole text at once without classifying every line (`parse.blocks.section_starts`).
_HEADING_MARK = r"#{1,6}"
FENCE_PATTERN = r" {0,3}(`{3,}|~{3,})"
_HEADING = re.compile(rf"({_HEADING_MARK})(?:[ \t]+(.*?))?[ \t]*\r?$")
_FENCE = re.compile(FENCE_PATTERN)
_BREAK = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})\r?$")


# Spans of more lines than this are sliced from the text at precomputed line offsets (made once,
# on the first such span); shorter ones, most attempts, are joined from their lines.
_SHORT_SPAN = 8


class LineClass(IntEnum):
    """What a line is, structurally."""

    TEXT = 0
    BLANK = 1
    HEADING = 2
    BREAK = 3
    CODE = 4  # inside (or delimiting) a fenced code block


TEXT = LineClass.TEXT
BLANK = LineClass.BLANK
HEADING = LineClass.HEADING
BREAK = LineClass.BREAK
CODE = LineClass.CODE


def split_lines(text: str) -> list[str]:
    """Split on `\\n` only, keeping the ending on every line; `''.join(result) == text`."""
    if not text:
        return []
    lines = text.split("\n")
    last = lines.pop()
    out = [line + "\n" for line in lines]
    if last:
        out.append(last)
    return out


def strip_eol(line: str) -> str:
    """The line's content without its `\\n` / `\\r\\n` ending."""
    if line.endswith("\n"):
        line = line[:-1]
        if line.endswith("\r"):
            line = line[:-1]
    return line


def ending(line: str) -> str:
    """The line's ending: `\\n`, `\\r\\n`, or `` for an unended last line."""
    return line[len(strip_eol(line)) :]


def dominant_newline(text: str) -> str:
    """`\\r\\n` when most line endings are CRLF, else `\\n`."""
    if "\r" not in text:  # most ledgers: no need to count every line ending
        return "\n"
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"


class Heading(NamedTuple):
    level: int
    text: str


def heading_pattern(text: str) -> str:
    """Regex source matching, at the start of a line, a heading whose text starts with `text`.

    `classify` reads the text after the marker and its blanks, so a line matches exactly when
    `classify` makes it a heading whose text matches `text` (fences aside: the caller's job)."""
    return rf"{_HEADING_MARK}[ \t]+{text}"


def fence_opening(line: str) -> str | None:
    """The fence string (```` ``` ````, `~~~~`, ...) if `line` opens a fenced code block."""
    m = _FENCE.match(line)
    if m and not (m.group(1)[0] == "`" and "`" in line[m.end() :]):
        return m.group(1)
    return None


def closes_fence(line: str, fence: str) -> bool:
    """Whether `line` closes the code block opened by `fence` (same char, at least as long)."""
    stripped = line.lstrip(" ")
    return (
        len(line) - len(stripped) <= 3
        and stripped.startswith(fence)
        and not stripped.lstrip(fence[0]).strip()
    )


def classify(lines: list[str]) -> tuple[list[LineClass], dict[int, Heading]]:
    """Class of every line (0-based) and the headings by line index, fences respected."""
    classes, headings, _marks = _classify([strip_eol(line) for line in lines])
    return classes, headings


def _classify(contents: list[str]) -> tuple[list[LineClass], dict[int, Heading], list[int]]:
    """One pass over the line contents: classes, headings, and the structural lines (headings
    and breaks outside fences). Cheap first-character tests decide which lines need a regex."""
    classes: list[LineClass] = [TEXT] * len(contents)
    headings: dict[int, Heading] = {}
    marks: list[int] = []
    fence: str | None = None
    for i, line in enumerate(contents):
        if fence is not None:
            classes[i] = CODE
            if line[:4].lstrip(" ")[:1] == fence[0] and closes_fence(line, fence):
                fence = None
            continue
        if not line or line.isspace():
            classes[i] = BLANK
            continue
        first = line[0]
        if first == "#":
            level = len(line) - len(line.lstrip("#"))
            rest = line[level:]
            if level <= 6 and (not rest or rest[0] in " \t" or rest == "\r"):
                classes[i] = HEADING
                text = (rest[:-1] if rest[-1:] == "\r" else rest).strip(" \t")
                if text[-1:] == "#":  # closing hashes (`## Title ##`) are not part of the text
                    text = _heading_text(line)
                headings[i] = new_heading(Heading, (level, text))
                marks.append(i)
                continue
        elif first in " `~":
            # a fence's first mark is within the first four characters: most indented lines
            # have none there, and are not copied further
            head = line[:4]
            if ("`" in head or "~" in head) and line[:6].lstrip(" ")[:3] in ("```", "~~~"):
                fence = fence_opening(line)
                if fence is not None:
                    classes[i] = CODE
                    continue
        # A break ends in its mark or blanks: the last character rules out most bullet lines
        # before any copy of the line is made.
        if (
            first in "-*_ "
            and line[-1] in "-*_ \t\r"
            and line.rstrip()[-1:] in ("-", "*", "_")
            and _BREAK.match(line)
        ):
            classes[i] = BREAK
            marks.append(i)
    return classes, headings, marks


new_heading = tuple.__new__


def _heading_text(line: str) -> str:
    m = _HEADING.match(line)
    return _strip_closing_hashes(m.group(2) or "") if m else ""


def _strip_closing_hashes(text: str) -> str:
    stripped = text.rstrip("#")
    if stripped != text and (not stripped or stripped[-1] in " \t"):
        return stripped.rstrip()
    return text


class Splice(NamedTuple):
    """Replace lines `[start, stop)` (0-based) with `lines` (contents, without endings).

    `start == stop` inserts before `start`; empty `lines` deletes. A replaced line keeps its own
    ending; new lines get the document's newline style."""

    start: int
    stop: int
    lines: tuple[str, ...] = ()

    @classmethod
    def insert(cls, index: int, lines: Iterable[str]) -> Splice:
        return cls(index, index, tuple(lines))

    @classmethod
    def replace(cls, index: int, content: str) -> Splice:
        return cls(index, index + 1, (content,))

    @classmethod
    def delete(cls, start: int, stop: int) -> Splice:
        return cls(start, stop, ())


class Document:
    """A text read once: its lines, their contents and classes, the headings and the newline
    style. Every byte of `text` is in exactly one line.

    `contents` are the lines without their endings; `lines` (with endings) are made on first
    use. `marks` lists the lines that structure the text (headings and thematic breaks outside
    fenced code), in order, so the parser visits only those to cut blocks."""

    __slots__ = (
        "_ends_with_newline",
        "_lengths_before",
        "_lines",
        "_slugs",
        "classes",
        "contents",
        "headings",
        "lf_only",
        "marks",
        "newline",
        "text",
    )

    def __init__(
        self,
        text: str,
        contents: list[str],
        classes: list[LineClass],
        headings: dict[int, Heading],
        marks: list[int],
        newline: str = "\n",
    ) -> None:
        self.text = text
        self.contents = contents
        self.classes = classes
        self.headings = headings
        self.marks = marks
        self.newline = newline
        self.lf_only = "\r" not in text  # contents joined by `\n` give the text back
        self._ends_with_newline = text.endswith("\n")
        self._lines: list[str] | None = None
        self._lengths_before: list[int] | None = None
        self._slugs: dict[int, str] | None = None

    def __repr__(self) -> str:
        return f"Document({len(self.contents)} lines, {len(self.text)} characters)"

    @classmethod
    def parse(cls, text: str) -> Document:
        """Read `text`: one split, one pass classifying every line."""
        if not text:
            return cls(text, [], [], {}, [], "\n")
        raw = text.split("\n")
        if raw[-1] == "":
            raw.pop()  # the text ends with a newline: no unended last line
            ended = len(raw)
        else:
            ended = len(raw) - 1
        if "\r" in text:
            contents = [c[:-1] if i < ended and c.endswith("\r") else c for i, c in enumerate(raw)]
        else:
            contents = raw
        classes, headings, marks = _classify(contents)
        return cls(text, contents, classes, headings, marks, dominant_newline(text))

    @property
    def lines(self) -> list[str]:
        """The lines with their endings (`"".join(doc.lines) == doc.text`)."""
        if self._lines is None:
            self._lines = split_lines(self.text)
        return self._lines

    def __len__(self) -> int:
        return len(self.contents)

    def content(self, index: int) -> str:
        """Line `index` (0-based) without its ending."""
        return self.contents[index]

    def span(self, start: int, stop: int) -> str:
        """The exact text of lines `[start, stop)` (0-based)."""
        if self._lines is not None:
            return "".join(self._lines[start:stop])
        if start >= stop:
            return ""
        if self.lf_only:
            if stop - start > _SHORT_SPAN:  # one slice of the text, at the lines' offsets
                # (line k starts at the length of the lines before it plus their k newlines)
                lengths = self._lengths_before or self._cumulative_lengths()
                return self.text[lengths[start] + start : lengths[stop] + stop]
            # a few lines: their contents joined back, and the last line's ending
            body = "\n".join(self.contents[start:stop])
            return body + "\n" if stop < len(self.contents) or self._ends_with_newline else body
        return "".join(self.lines[start:stop])

    def _cumulative_lengths(self) -> list[int]:
        """The total length of the contents before each line (and before the end): line `k`
        starts at that plus `k` in an LF-only text."""
        self._lengths_before = list(accumulate(map(len, self.contents), initial=0))
        return self._lengths_before

    def last_content_line(self, start: int, stop: int) -> int:
        """0-based index of the last non-blank line in `[start, stop)` (start if all blank)."""
        j = stop - 1
        contents = self.contents
        while j > start and (not contents[j] or contents[j].isspace()):
            j -= 1
        return j

    def heading_slugs(self) -> dict[int, str]:
        """GitHub's anchor of every heading, by 1-based line (computed once)."""
        if self._slugs is None:
            from .markdown import heading_slugs

            self._slugs = heading_slugs(self.contents, self.classes)
        return self._slugs

    def splice(self, changes: Iterable[Splice]) -> str:
        """The text with every change applied (changes must not overlap).

        Untouched lines keep their bytes; a replaced line keeps its ending; new lines take the
        document's newline; a file without a final newline keeps not having one."""
        lines = list(self.lines)
        for ch in sorted(changes, key=lambda c: (c.start, c.stop), reverse=True):
            open_end = bool(lines) and ch.stop >= len(lines) and not lines[-1].endswith("\n")
            if open_end and ch.start >= len(lines):  # appending after an unended last line
                lines[-1] += self.newline
            old = lines[ch.start : ch.stop]
            new = [
                content + (ending(old[k]) if k < len(old) else self.newline)
                for k, content in enumerate(ch.lines)
            ]
            if open_end:
                if new:
                    new = [line if ending(line) else line + self.newline for line in new]
                    new[-1] = strip_eol(new[-1])
                elif ch.start > 0:  # the new last line stays unended
                    lines[ch.start - 1] = strip_eol(lines[ch.start - 1])
            lines[ch.start : ch.stop] = new
        return "".join(lines)


def heading_text(doc: Document, index: int) -> str | None:
    """The text of the heading on line `index` (0-based), or None."""
    h = doc.headings.get(index)
    return h.text if h is not None else None
