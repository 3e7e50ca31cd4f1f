"""Group headings of a plan: what a heading says about the items under it.

`Completed`, `Done`, a `✅` close their items; `Optional` marks them optional; `Notes`,
`Rules`, `Legend` hold no items; a heading may state a priority (`## High Priority`,
`## Priority 1: Core`, `(Priority: P1)`) and say it holds a queue (`## Queue`, `## Tasks`,
`## Phase 2`). The scanner of the other forms (`parse.forms`) keeps a stack of them; edits
(`edit.forms`) find where a plan keeps its finished items with `group_headings`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..document import HEADING, Document
from ..vocab import LEADING_NUMBERING, heading_priority

# Group headings: what their first words say about the items under them.
_DONE_HEADS = frozenset(
    {"completed", "complete", "done", "finished", "archived", "resolved", "fixed", "shipped"}
)
_OPTIONAL_HEADS = frozenset({"optional", "nice-to-have", "nice", "stretch"})
_NOTES_HEADS = frozenset(
    {"notes", "note", "references", "links", "legend", "format", "glossary", "context",
     "background", "rules", "备注", "说明"}
)  # fmt: skip
_DONE_PHRASES = ("已实施", "已完成", "✅")
_QUEUE_WORDS = re.compile(
    r"(?i)\b(?:tasks?|todo|to-do|to do|queue|backlog|next|steps|actions?|action items|work items"
    r"|fix(?:es)?|items|plan|phase|priority|milestone|sprint)\b|任务|待办|计划"
)
_HEAD_WORD = re.compile(r"[\w'-]+")


class Group:
    """A heading on the stack: its text, level, placement and stated priority."""

    __slots__ = ("level", "placement", "priority", "queue", "text")

    def __init__(self, level: int, text: str) -> None:
        self.level = level
        self.text = text
        label = LEADING_NUMBERING.sub("", text.strip())
        head = _HEAD_WORD.search(label.lower())
        word = head.group(0) if head else ""
        self.placement = ""
        if word in _DONE_HEADS or any(p in text for p in _DONE_PHRASES):
            self.placement = "done"
        elif word in _OPTIONAL_HEADS:
            self.placement = "optional"
        elif word in _NOTES_HEADS:
            self.placement = "notes"
        self.priority = heading_priority(text)
        self.queue = bool(_QUEUE_WORDS.search(text)) or self.placement == "done"


class GroupHeading(NamedTuple):
    """A heading below the document title, what it says about the items under it, and its
    scope (to the next heading of its level or higher)."""

    line: int  # 0-based
    level: int
    text: str
    placement: str  # "done", "optional", "notes" or ""
    scope_end: int  # 0-based, exclusive


def group_headings(doc: Document) -> list[GroupHeading]:
    """Every heading of the document below its title, in order (one pass over the headings)."""
    marks = [i for i in doc.marks if doc.classes[i] == HEADING]
    out: list[GroupHeading] = []
    open_: list[int] = []  # indexes into `out` whose scope is still open
    for i in marks:
        h = doc.headings[i]
        while open_ and out[open_[-1]].level >= h.level:
            out[open_[-1]] = out[open_[-1]]._replace(scope_end=i)
            open_.pop()
        if h.level > 1:
            out.append(GroupHeading(i, h.level, h.text, Group(h.level, h.text).placement, len(doc)))
            open_.append(len(out) - 1)
    return out
