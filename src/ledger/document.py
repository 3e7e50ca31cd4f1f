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
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Optional

# An ATX heading's marker, and the opening of a fenced code block (its fence is group 1). The
# pieces are shared with `heading_pattern`, for scanners that find a few kinds of lines in a
# whole text at once without classifying every line (`parse.blocks.section_starts`).
_HEADING_MARK = r"#{1,6}"
FENCE_PATTERN = r" {0,3}(`{3,}|~{3,})"
_HEADING = re.compile(rf"({_HEADING_MARK})(?:[ \t]+(.*?))?[ \t]*\r?$")
_FENCE = re.compile(FENCE_PATTERN)
_BREAK = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})\r?$")


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
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"


@dataclass(frozen=True, slots=True)
class Heading:
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
    classes: list[LineClass] = [TEXT] * len(lines)
    headings: dict[int, Heading] = {}
    fence: str | None = None
    for i, raw in enumerate(lines):
        line = strip_eol(raw)
        if fence is not None:
            classes[i] = CODE
            if closes_fence(line, fence):
                fence = None
            continue
        if not line.strip():
            classes[i] = BLANK
            continue
        first = line[0]
        if first == "#":
            m = _HEADING.match(line)
            if m:
                classes[i] = HEADING
                headings[i] = Heading(len(m.group(1)), _strip_closing_hashes(m.group(2) or ""))
                continue
        elif first in " `~":
            fence = fence_opening(line)
            if fence is not None:
                classes[i] = CODE
                continue
        if first in "-*_ " and _BREAK.match(line):
            classes[i] = BREAK
    return classes, headings


def _strip_closing_hashes(text: str) -> str:
    stripped = text.rstrip("#")
    if stripped != text and (not stripped or stripped[-1] in " \t"):
        return stripped.rstrip()
    return text


@dataclass(frozen=True, slots=True)
class Splice:
    """Replace lines `[start, stop)` (0-based) with `lines` (contents, without endings).

    `start == stop` inserts before `start`; empty `lines` deletes. A replaced line keeps its own
    ending; new lines get the document's newline style."""

    start: int
    stop: int
    lines: tuple[str, ...] = ()

    @classmethod
    def insert(cls, index: int, lines: Iterable[str]) -> "Splice":
        return cls(index, index, tuple(lines))

    @classmethod
    def replace(cls, index: int, content: str) -> "Splice":
        return cls(index, index + 1, (content,))

    @classmethod
    def delete(cls, start: int, stop: int) -> "Splice":
        return cls(start, stop, ())


@dataclass(frozen=True, eq=False)
class Document:
    """A text read once: its lines (with endings), their contents and classes, the headings and
    the newline style. Every byte of `text` is in exactly one line."""

    text: str
    lines: list[str] = field(repr=False)
    contents: list[str] = field(repr=False)
    classes: list[LineClass] = field(repr=False)
    headings: dict[int, Heading] = field(repr=False)
    newline: str = "\n"
    _slugs: dict = field(default_factory=dict, repr=False)

    @classmethod
    def parse(cls, text: str) -> "Document":
        lines = split_lines(text)
        classes, headings = classify(lines)
        return cls(
            text=text,
            lines=lines,
            contents=[strip_eol(line) for line in lines],
            classes=classes,
            headings=headings,
            newline=dominant_newline(text),
        )

    def __len__(self) -> int:
        return len(self.lines)

    def content(self, index: int) -> str:
        """Line `index` (0-based) without its ending."""
        return self.contents[index]

    def span(self, start: int, stop: int) -> str:
        """The exact text of lines `[start, stop)` (0-based)."""
        return "".join(self.lines[start:stop])

    def last_content_line(self, start: int, stop: int) -> int:
        """0-based index of the last non-blank line in `[start, stop)` (start if all blank)."""
        j = stop - 1
        while j > start and not self.lines[j].strip():
            j -= 1
        return j

    def heading_slugs(self) -> dict[int, str]:
        """GitHub's anchor of every heading, by 1-based line (computed once)."""
        if not self._slugs:
            from .markdown import heading_slugs

            self._slugs.update(heading_slugs(self.contents, self.classes))
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


def heading_text(doc: Document, index: int) -> Optional[str]:
    """The text of the heading on line `index` (0-based), or None."""
    h = doc.headings.get(index)
    return h.text if h is not None else None
