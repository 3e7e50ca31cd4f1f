"""Fields of a focus section: `- Name (qualifier) [annotation]: value` bullets, and the focus
item built from them (status, priority, dependencies, return conditions).

The rule that fits every real ledger (docs/format.md): a column-0 bullet whose name starts with
an upper-case letter and ends at the first colon; bold names (`- **Status:**`) too; a bare
`Attempts History:` line at column 0 also opens a field. Everything indented under a field
belongs to it.
"""

from __future__ import annotations

import re

from ..ids import dependency_ids
from ..model import Attempt, Field, FocusItem, ItemForm
from ..vocab import STATUS_WORDS, Priority, Status

_FIELD = re.compile(
    r"(?P<bullet>[-*] )(?P<b1>\*\*)?(?P<name>[A-Z][^:()\[\]*`;\n]{0,48}?)\s*"
    r"(?P<qual>\([^)\n]*\))?\s*(?P<ann>\[[^\]\n]*\])?\s*"
    r"(?P<b2>\*\*)?:(?P<b3>\*\*)?[ \t]?(?P<value>.*)"
)
_BOLD_WORD = re.compile(r"\*\*([a-z_]+)\*\*")
_BARE_FIELD = re.compile(r"(?P<name>[A-Z][A-Za-z/&' -]{0,40}?)\s*(?P<qual>\([^)\n]*\))?:\s*$")


def read_field(line: str, number: int, end_line: int, text: str) -> Field | None:
    """The field opened by `line` (1-based `number`), or None when the line opens none."""
    m = _FIELD.match(line)
    if m:
        bold = bool(m.group("b1"))
        value = m.group("value")
        if bold and value.startswith("**"):
            value = value[2:].lstrip()
        return Field(
            name=m.group("name").strip(),
            line=number,
            end_line=end_line,
            qualifier=m.group("qual"),
            annotation=m.group("ann"),
            value=value,
            bold=bold,
            bullet=m.group("bullet"),
            text=text,
        )
    m = _BARE_FIELD.match(line)
    if m:
        return Field(
            name=m.group("name").strip(),
            line=number,
            end_line=end_line,
            qualifier=m.group("qual"),
            value="",
            bullet="",
            text=text,
        )
    return None


class SectionBuilder:
    """What the block cutter collects for one focus item before it becomes a `FocusItem`."""

    __slots__ = ("attempts", "end", "fields", "has_section", "id", "level", "start", "title")

    def __init__(self, focus_id: str, title: str, start: int, level: int, has_section: bool = True):
        self.id = focus_id
        self.title = title
        self.start = start
        self.end = start
        self.level = level
        self.fields: list[Field] = []
        self.attempts: list[Attempt] = []
        self.has_section = has_section


def focus_item(s: SectionBuilder, status_text: str | None = None) -> FocusItem:
    """The focus item of a section (`status_text` overrides the section's own, for the reset
    layout's `## Status`)."""
    fields = s.fields
    status_f = next((f for f in fields if f.key == "status"), None)
    priority_f = next((f for f in fields if f.key == "priority"), None)
    depends_f = next((f for f in fields if f.key in ("depends on", "depends")), None)
    if status_text is None:
        status_text = status_f.value.strip() if status_f else ""
        if not status_f and s.has_section:
            status_text = _status_from_title(s.title)
    depends_text = depends_f.value.strip() if depends_f else ""
    depends = [d for d in dependency_ids(depends_text) if d != s.id] if depends_text else []
    return FocusItem(
        id=s.id,
        line=s.start + 1,
        end_line=s.end,
        title=s.title,
        level=s.level,
        status=Status.parse(status_text),
        status_text=status_text,
        priority=Priority.parse(priority_f.value) if priority_f else None,
        priority_text=priority_f.value.strip() if priority_f else "",
        depends_on=depends,
        depends_on_text=depends_text,
        return_conditions=return_conditions(fields),
        fields=fields,
        attempts=s.attempts,
        has_section=s.has_section,
        form=ItemForm.section if s.has_section else ItemForm.reset,
    )


def _status_from_title(title: str) -> str:
    """`### [ID] — **archived** (...)`: some ledgers put the status in the heading."""
    m = _BOLD_WORD.search(title)
    return m.group(1) if m and m.group(1) in STATUS_WORDS else ""


def return_conditions(fields: list[Field]) -> list[str]:
    """The conditions of every `Return Condition(s)` field: its value and its sub-bullets."""
    out: list[str] = []
    for f in fields:
        if not f.key.startswith("return condition"):
            continue
        if f.value.strip():
            out.append(f.value.strip())
        for sub in f.text.splitlines()[1:]:
            s = sub.strip()
            if s[:2] in ("- ", "* "):
                out.append(s[2:].strip())
            elif s and s[0].isdigit() and ". " in s[:4]:
                out.append(s.split(". ", 1)[1].strip())
    return out
