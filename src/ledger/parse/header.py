"""The ledger header: title, `**Last Updated:**`, and which focus is active.

The Active Focus is read from `**Active Focus:** text`, from bullets under a bare
`**Active Focus:**` (nanoBragg), or from the line under a `## Current Focus` heading (the reset
layout). `active_focus_id` picks the focus ID that text names; dwell uses the same function on
old ledger versions, so both always agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..document import BLANK, BREAK, CODE, HEADING, Document
from ..ids import matcher
from ..model import Header
from ..timestamps import parse_timestamp

_HEADER_FIELD = re.compile(
    r"\s*(?:[-*]\s+)?\*\*(?P<name>Last Updated|Active Focus|Current Focus|Status)\s*:?\*\*\s*:?"
    r"\s*(?P<value>.*)",
    re.IGNORECASE,
)


def active_focus_id(focus: str | None, known: Iterable[str]) -> str | None:
    """The focus ID an Active Focus text names: a known ID first, else any ID-shaped token,
    else a first word that is a known ID (`seed — Inbox monitoring`)."""
    if not focus:
        return None
    known = known if isinstance(known, frozenset) else frozenset(known)
    ids = matcher(known)
    named = ids.first_known(focus)
    if named is not None:
        return named
    first = next(ids.tokens(focus), None)  # no known ID: the first ID-shaped token
    if first is not None:
        return first
    token = focus.split()[0].strip("*`[]") if focus.split() else ""
    return token if token in known else None


def read_header(doc: Document, first_section: int, known: Iterable[str]) -> Header:
    """The header: everything before the first focus section."""
    title = title_line = None
    last_updated = lu_line = None
    focus = focus_line = None
    classes, content = doc.classes, doc.contents
    for j in range(first_section):
        cls = classes[j]
        if cls == CODE:
            continue
        if cls == HEADING:
            h = doc.headings[j]
            if h.level == 1 and title is None:
                title, title_line = h.text, j + 1
            elif h.text.strip().lower() == "current focus" and focus is None:
                k = j + 1
                while k < first_section and classes[k] == BLANK:
                    k += 1
                if k < first_section and classes[k] not in (HEADING, BREAK):
                    focus, focus_line = content[k].strip().strip("*").strip(), k + 1
            continue
        line = content[j]
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
                while k < first_section and content[k].lstrip().startswith(("-", "*")):
                    bullets.append(content[k].strip())
                    k += 1
                value = "\n".join(bullets)
            focus, focus_line = value, j + 1
    lu_date = parse_timestamp(last_updated)
    return Header(
        title=title,
        title_line=title_line,
        last_updated=last_updated,
        last_updated_line=lu_line,
        last_updated_date=lu_date.date() if lu_date else None,
        active_focus=focus,
        active_focus_line=focus_line,
        active_focus_id=active_focus_id(focus, known),
    )
