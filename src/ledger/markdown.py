"""What GitHub renders from Markdown: the plain text of inline markup and heading anchors.

Index tables link to sections by anchor (`[ID](#slug)`); `ledger check` verifies those anchors,
`ledger fix` regenerates them and `ledger focus new` writes them, all with these functions.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from .document import HEADING, LineClass

# github-slugger keeps letters, marks, decimal and letter numbers, connector punctuation
# (`_`), spaces and hyphens; everything else (emoji, `²`, `·`, U+2011, NBSP) is dropped.
_KEEP_CATEGORIES = ("L", "M")
_KEEP_EXACT = {"Nd", "Nl", "Pc"}


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading with this text (before de-duplication)."""
    text = plain_text(text).lower()
    out = []
    for ch in text:
        if ch == " " or ch == "-":
            out.append("-" if ch == " " else ch)
            continue
        cat = unicodedata.category(ch)
        if cat[0] in _KEEP_CATEGORIES or cat in _KEEP_EXACT:
            out.append(ch)
    return "".join(out)


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_HTML_TAG = re.compile(r"<[^>\n]+>")
_CLOSING_HASHES = re.compile(r"\s+#+\s*$")


def plain_text(text: str) -> str:
    """The rendered text of inline markdown (links to their text, tags dropped)."""
    text = _MD_LINK.sub(r"\1", text)
    return _HTML_TAG.sub("", text).strip()


def heading_slugs(lines: Sequence[str], classes: Sequence[LineClass]) -> dict[int, str]:
    """GitHub's anchors for every ATX heading, repeated slugs suffixed `-1`, `-2`, ..."""
    seen: Counter[str] = Counter()
    out: dict[int, str] = {}
    for i, cls in enumerate(classes):
        if cls != HEADING:
            continue
        text = lines[i].lstrip("#").strip()
        text = _CLOSING_HASHES.sub("", text)
        base = github_slug(text)
        slug = base if not seen[base] else f"{base}-{seen[base]}"
        seen[base] += 1
        out[i + 1] = slug
    return out
