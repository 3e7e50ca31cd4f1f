"""Mojibake: UTF-8 text that was once decoded as Mac Roman or cp1252, and its repair.

Real ledgers carry it (the seed shows `‚Äî` for an em dash, three junk characters per dash).
This is the one place that recognises it: `ledger check` reports it (LDG801), `ledger fix`
repairs the file, edits warn when they write next to it, and the views show repaired text
without touching the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# UTF-8 lead bytes of the characters that get mangled in practice: Latin-1 letters and NBSP
# (C2, C3), dashes, quotes and bullets (E2), BOM and specials (EF), emoji (F0). Requiring them
# keeps real text such as `Å³` (cp1252 bytes C5 B3, which happen to be valid UTF-8) intact.
_MOJIBAKE_LEADS = frozenset(b"\xc2\xc3\xe2\xef\xf0")
# Those lead bytes as Mac Roman (‚ √ ¬ Ô, U+F8FF) and cp1252 (â Ã Â ï ð) show them: a cheap
# pre-filter before trying to re-encode a line.
_MOJIBAKE_LEAD_CHARS = re.compile("[\u201a\u221a\u00ac\u00d4\uf8ff\u00e2\u00c3\u00c2\u00ef\u00f0]")

ENCODING_NAMES = {"mac_roman": "Mac Roman", "cp1252": "cp1252"}
# Bytes that are not UTF-8, as the file was read (`surrogateescape` keeps each as U+DC80-DCFF).
UNDECODABLE = re.compile("[\udc80-\udcff]")


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


def mojibake_candidates(text: str) -> Iterator[int]:
    """The 0-based numbers of the lines of `text` (split at `\\n`) that may be mojibake: those
    holding a lead character, found by one scan of the whole text, each once and in order."""
    if text.isascii():
        return
    line, pos = 0, 0
    for m in _MOJIBAKE_LEAD_CHARS.finditer(text):
        start = m.start()
        if start < pos:
            continue  # another lead character on a line already given
        line += text.count("\n", pos, start)
        yield line
        end = text.find("\n", start)
        if end < 0:
            return
        pos = end + 1
        line += 1


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
