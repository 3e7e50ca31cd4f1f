"""Lossless line scan: text -> lines -> structural line classes.

This layer knows nothing about focus items. It splits text into lines *keeping* their endings
(only `\\n` ends a line, so `\\r\\n`, a lone `\\r`, form feeds and U+2028 survive untouched),
tracks fenced code blocks so that a `## [ID]` inside a fence is not a heading, and recognizes
ATX headings and thematic breaks. Everything is one linear pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"(#{1,6})(?:[ \t]+(.*?))?[ \t]*\r?$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_BREAK = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})\r?$")

# Line classes
TEXT = 0
BLANK = 1
HEADING = 2
BREAK = 3
CODE = 4  # inside (or delimiting) a fenced code block


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


def dominant_newline(text: str) -> str:
    """`\\r\\n` when most line endings are CRLF, else `\\n`."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str


def fence_opening(line: str) -> str | None:
    """The fence string (```` ``` ````, `~~~~`, ...) if `line` opens a fenced code block."""
    m = _FENCE.match(line)
    if m and not (m.group(1)[0] == "`" and "`" in line[m.end():]):
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


def classify(lines: list[str]) -> tuple[list[int], dict[int, Heading]]:
    """Class of every line (0-based) and the headings by line index, fences respected."""
    classes: list[int] = [TEXT] * len(lines)
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
