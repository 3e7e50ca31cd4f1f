"""`new_item`: a new item of a plan in another form (checkbox, numbered, heading, bold-ID,
table), written like the last item of the group it goes under.

* the group: the first heading stating the priority asked for (`## High Priority`,
  `## Priority 1: Core`, `(Priority: P1)`), else the group of the first open item; Completed
  and Notes groups never get a new item;
* the item copies its neighbour's list marker, ID separator, heading level, field names or
  table columns; a checkbox item is a `- [ ]` box, a numbered entry takes the next number;
* items named by their titles (no written IDs around them) get no ID either: the new one is
  named by its title, and the caller is told;
* no plan files: a queue item has no Working Plan.
"""

from __future__ import annotations

import re

from ..document import Splice
from ..errors import EditRefused
from ..model import Field, FocusItem, ItemForm, Ledger
from ..parse.forms import ID_COLUMNS, PRIORITY_COLUMNS, STATUS_COLUMNS, TITLE_FIELDS
from ..parse.groups import GroupHeading, group_headings
from ..parse.markers import clean
from ..tables import cells, escape
from ..vocab import Priority, heading_priority
from .forms import BLOCKED_BOX, BOX, NUMBER, table_header
from .result import NewFocus

# What follows an ID before its title (`: `, `：`, ` — `, Kiro's `. `), past a status marker
# (`（暂缓）`).
_SEPARATOR_AFTER_ID = re.compile(
    r"(?:[ \t]*[（(][^）)\n]{1,12}[）)])?(?P<sep>\**[ \t]*(?:[:：]|[—–]|[-.](?=\s))?[ \t]*)"
)
_CLOSED_PLACEMENTS = ("done", "notes")


def new_item(ledger: Ledger, spec: NewFocus) -> tuple[list[Splice], list[str]]:
    """A new item in the file's own form under the group of the priority asked for (else the
    first group with open items); the splices and what the caller should be told."""
    items = [f for f in ledger.focus_items if f.form not in (ItemForm.log, ItemForm.roadmap)]
    if not items:
        raise EditRefused(
            "this plan has no items to copy the form of", hint="add the first item by hand"
        )
    wanted = (
        spec.priority
        if isinstance(spec.priority, Priority) or spec.priority is None
        else Priority.choose(spec.priority)
    )
    heading_items = {f.line - 1 for f in items if f.form is ItemForm.heading}
    groups = [g for g in group_headings(ledger.document) if g.line not in heading_items]
    heading = _priority_group(groups, wanted) if wanted is not None else None
    notes: list[str] = []
    if heading is not None:
        siblings = [f for f in items if heading.line < f.line - 1 < heading.scope_end]
    else:
        first_open = next((f for f in items if not f.status.is_closed and not f.optional), None)
        siblings = [f for f in items if f.group == (first_open or items[0]).group]
        if wanted is not None:
            where = siblings[0].group or "the plan"
            notes.append(f"no group states priority {wanted.value}; added under {where}")
    # The last item of the outermost level (a Kiro sub-task is no model for a task).
    pool = siblings or items
    outer = min(_indent(_head(ledger, f)) for f in pool)
    model = max((f for f in pool if _indent(_head(ledger, f)) == outer), key=lambda f: f.line)
    written_ids = any(not f.derived_id for f in siblings or items)
    if not written_ids:
        notes.append(
            f"the items {('of ' + model.group) if model.group else 'of this plan'} have no "
            f"written IDs: the new one is named by its title, not {spec.id}"
        )
    lines = _item_lines(ledger, model, siblings, spec, written_ids)
    doc = ledger.document
    if not siblings:  # an empty priority group: the item goes at the end of it
        assert heading is not None
        at = doc.last_content_line(heading.line, heading.scope_end) + 1
        gap = [""] if lines[0] else []
        return [Splice.insert(at, [*gap, *lines] if at == heading.line + 1 else lines)], notes
    if model.form is ItemForm.table:
        at = model.line
        while at < len(doc) and doc.content(at).lstrip().startswith("|"):
            at += 1
    else:
        at = doc.last_content_line(model.line - 1, model.end_line) + 1
    return [Splice.insert(at, lines)], notes


def _priority_group(groups: list[GroupHeading], wanted: Priority) -> GroupHeading | None:
    """The first heading stating `wanted` that can hold open items."""
    return next(
        (
            g
            for g in groups
            if g.placement not in _CLOSED_PLACEMENTS and heading_priority(g.text).priority is wanted
        ),
        None,
    )


def _item_lines(
    ledger: Ledger, model: FocusItem, siblings: list[FocusItem], spec: NewFocus, with_id: bool
) -> list[str]:
    """The new item's lines, written like `model` (a blank line first where items are apart)."""
    doc = ledger.document
    head = doc.content(model.line - 1)
    ident = spec.id if with_id else None
    title = spec.title.strip()
    deps = f" (depends on {', '.join(spec.depends_on)})" if spec.depends_on else ""
    form = model.form
    if form is ItemForm.checkbox:
        m = BOX.match(head) or BLOCKED_BOX.match(head)
        lead = m.group("lead") if m else "- "
        text = _with_id(head[m.end() :] if m else head, model, ident, title)
        return [*_gap(ledger, model, siblings), f"{lead}[ ] {text}{deps}"]
    if form is ItemForm.numbered:
        numbers = [
            int(n.group("number")) for f in siblings if (n := NUMBER.match(_head(ledger, f)))
        ]
        m = NUMBER.match(head)
        lead, delim, space = (
            (m.group("lead"), m.group("delim"), m.group("space")) if m else ("", ".", " ")
        )
        text = _with_id(head[m.end() :] if m else head, model, ident, title)
        return [
            *_gap(ledger, model, siblings),
            f"{lead}{max(numbers, default=0) + 1}{delim}{space}{text}{deps}",
        ]
    if form is ItemForm.heading:
        marks = head[: len(head) - len(head.lstrip("#"))]
        text = _with_id(head.lstrip("# "), model, ident, title)
        depends = [f"**Depends on:** {', '.join(spec.depends_on)}"] if spec.depends_on else []
        body = [*_status_line(ledger, siblings or [model]), *depends]
        return ["", f"{marks} {text}", *(["", *body] if body else [])]
    if form is ItemForm.bold:
        return _bold_lines(model, spec, title)
    if form is ItemForm.table:
        return [_table_row(ledger, model, spec, title, with_id)]
    raise EditRefused(f"cannot add an item in the {form.value} form")


def _status_line(ledger: Ledger, siblings: list[FocusItem]) -> list[str]:
    """The Status line of the last sibling that has one, saying `pending` (none when no sibling
    keeps its status in a field)."""
    fields = [f for s in siblings if (f := s.field("status")) is not None]
    if not fields:
        return []
    status = fields[-1]
    line = _head(ledger, status)
    value = status.value.strip()
    k = line.rfind(value) if value else -1
    return [f"{line[:k] if k >= 0 else line.rstrip() + ' '}pending"]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _head(ledger: Ledger, item: FocusItem | Field) -> str:
    """The first line of an item or field."""
    return ledger.document.content(item.line - 1)


def _gap(ledger: Ledger, model: FocusItem, siblings: list[FocusItem]) -> list[str]:
    """A blank line before the new entry when the entries of its list are apart (a blank line
    before the model entry, which is not the first)."""
    contents = ledger.document.contents
    apart = len(siblings) > 1 and model.line >= 2 and not contents[model.line - 2].strip()
    return [""] if apart else []


def _bold_lines(model: FocusItem, spec: NewFocus, title: str) -> list[str]:
    """`**ID**` and the model's title (and priority, dependency) fields."""
    names = [f.name for f in model.fields]
    bullet = next((f.bullet for f in model.fields if f.bullet), "- ")
    title_field = next((n for n in names if n.lower() in TITLE_FIELDS), "Title")
    out = ["", f"**{spec.id}**"]
    priority = next((n for n in names if n.lower() == "priority"), None)
    if spec.priority and priority:
        value = spec.priority.value if isinstance(spec.priority, Priority) else spec.priority
        out.append(f"{bullet}{priority}: {value}")
    out.append(f"{bullet}{title_field}: {title}")
    if spec.depends_on:
        out.append(f"{bullet}Depends on: {', '.join(spec.depends_on)}")
    return out


def _table_row(ledger: Ledger, model: FocusItem, spec: NewFocus, title: str, with_id: bool) -> str:
    """A row with the model row's columns: title, ID, Status `pending`, Priority."""
    head = _head(ledger, model)
    row = cells(head)
    header = table_header(ledger, model.line - 1) or ""
    keys = [clean(c).lower() for c in cells(header)]
    new = ["" for _ in row]
    has_id_column = False
    for k, key in enumerate(keys[: len(new)]):
        if key in STATUS_COLUMNS:
            new[k] = "[ ] Pending" if re.match(r"\[[ xX]\]", row[k]) else "pending"
        elif key in PRIORITY_COLUMNS and spec.priority:
            new[k] = spec.priority.value if isinstance(spec.priority, Priority) else spec.priority
        elif key in ID_COLUMNS and with_id:
            new[k], has_id_column = spec.id, True
    title_col = next((k for k, c in enumerate(row) if model.title and model.title in clean(c)), 0)
    text = f"[{spec.id}] {title}" if with_id and not has_id_column else title
    bold = row[title_col].startswith("**")
    new[title_col] = f"**{escape(text)}**" if bold else escape(text)
    return "| " + " | ".join(new) + " |"


def _with_id(rest: str, model: FocusItem, ident: str | None, title: str) -> str:
    """`title` with `ident` in front, separated the way the model's ID is (`T001 `, `W1: `),
    and the model's spec-kit tags dropped."""
    if ident is None or model.derived_id:
        return title
    k = rest.find(model.id)
    if k < 0:
        return f"{ident}: {title}"
    m = _SEPARATOR_AFTER_ID.match(rest, k + len(model.id))
    sep = (m.group("sep").replace("**", "") if m else "") or " "
    bold = rest[:k].endswith("**")
    return f"**{ident}**{sep}{title}" if bold else f"{ident}{sep}{title}"
