"""Mojibake: UTF-8 text that was once decoded as Mac Roman or cp1252, and its repair.

Real ledgers carry it (the seed shows `‚Äî` for an em dash, three junk characters per dash).
This is the one place that recognises it: `ledger check` reports it (LDG801), `ledger fix`
repairs the file, edits warn when they write next to it, and the views show repaired text
without touching the file.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# UTF-8 lead bytes of the characters that get mangled in practice: Latin-1 letters and NBSP
# (C2, C3), dashes, quotes and bullets (E2), BOM and specials (EF), emoji (F0). Requiring them
# keeps real text such as `Å³` (cp1252 bytes C5 B3, which happen to be valid UTF-8) intact.
_MOJIBAKE_LEADS = frozenset(b"\xc2\xc3\xe2\xef\xf0")
# Those lead bytes as Mac Roman (‚ √ ¬ Ô, U+F8FF) and cp1252 (â Ã Â ï ð) show them: a cheap
# pre-filter before trying to re-encode a line.
_LEAD_CHARS = "\u201a\u221a\u00ac\u00d4\uf8ff\u00e2\u00c3\u00c2\u00ef\u00f0"
_MOJIBAKE_LEAD_CHARS = re.compile(f"[{_LEAD_CHARS}]")
# Control characters: C0 but tab and newline, DEL, C1.
_CONTROL_CHARS = "\x00-\x08\x0b-\x0d\x0e-\x1f\x7f-\x9f"
ENCODING_NAMES = {"mac_roman": "Mac Roman", "cp1252": "cp1252"}
# Bytes that are not UTF-8, as the file was read (`surrogateescape` keeps each as U+DC80-DCFF).
_UNDECODABLE_CHARS = "\udc80-\udcff"
UNDECODABLE = re.compile(f"[{_UNDECODABLE_CHARS}]")
# The three kinds at once: a character class costs the regex engine a few nanoseconds per
# character of a wide string, so `suspects` scans the text once for all of them.
_SUSPECT = re.compile(f"[{_LEAD_CHARS}{_CONTROL_CHARS}{_UNDECODABLE_CHARS}]")


def demojibake(line: str) -> tuple[str, str] | None:
    """`(repaired, encoding)` when `line` is UTF-8 that was decoded as Mac Roman or cp1252."""
    if line.isascii() or _MOJIBAKE_LEAD_CHARS.search(line) is None:
        return None
    for encoding in ("mac_roman", "cp1252"):
        try:
            raw = line.encode(encoding)
            fixed = raw.decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != line and all(b in _MOJIBAKE_LEADS for b in raw if b >= 0xC0):
            return fixed, encoding
    return None


class Suspects(NamedTuple):
    """Where a text may be damaged, from one scan: the 0-based lines holding a mojibake lead
    character and those holding bytes that were not UTF-8 (each once, in order), and the first
    control character of each line that has one as `(line, column, character)`, both 0-based."""

    mojibake_lines: list[int]
    controls: list[tuple[int, int, str]]
    undecodable_lines: list[int]


def suspects(text: str) -> Suspects:
    """The lines of `text` (split at `\\n`) that may be mojibake, its control characters and
    its lines holding undecodable bytes."""
    found = Suspects([], [], [])
    line, line_start, pos = 0, 0, 0  # pos: where counting newlines goes on
    for m in _SUSPECT.finditer(text):
        start, char = m.start(), m.group()
        newlines = text.count("\n", pos, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", pos, start) + 1
        pos = start
        if char in _LEAD_CHARS:
            _add_line(found.mojibake_lines, line)
        elif "\udc80" <= char <= "\udcff":
            _add_line(found.undecodable_lines, line)
        elif not found.controls or found.controls[-1][0] != line:
            found.controls.append((line, start - line_start, char))
    return found


def _add_line(lines: list[int], line: int) -> None:
    if not lines or lines[-1] != line:
        lines.append(line)


def has_mojibake(text: str) -> bool:
    """Whether any line of `text` is mojibake."""
    if text.isascii() or _MOJIBAKE_LEAD_CHARS.search(text) is None:
        return False
    return any(demojibake(line) is not None for line in text.splitlines())


def display(text: str) -> str:
    """`text` as it was meant to read: each mojibake line repaired, everything else as is."""
    if text.isascii() or _MOJIBAKE_LEAD_CHARS.search(text) is None:
        return text
    out = []
    for line in text.splitlines(keepends=True):
        found = demojibake(line)
        out.append(found[0] if found is not None else line)
    return "".join(out)
