"""Edits of the items in the other forms (checkbox, numbered, heading, bold-ID, table, log and
roadmap items), each in the item's own form.

* a status: a checkbox is ticked or cleared (a one-character diff), `[BLOCKED:reason]` replaces
  the box of a blocked one, and any other status is a marker after the title (`(deferred)`, in
  the parentheses the line already uses); a heading or bold-ID item with a Status field has
  that field changed; a table row has its Status cell changed; a roadmap bullet its bold word;
* `move_to_completed`: the item's lines leave their group for the one where the file keeps
  finished items (`## Completed`), written as that group writes its entries (a ticked box or a
  dated line); a file without one gets a `## Completed` at its end;
* `new_item`: a new item under the right group (the one stating the priority asked for, else the
  first group with open items), written like the last item there;
* `item_attempt`: a dated note nested under the item (`  - 2026-02-03T04:05Z (planning) — text`),
  insert-only.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..document import Splice
from ..errors import EditRefused, UsageError
from ..model import FocusItem, ItemForm, Ledger
from ..parse.forms import group_headings
from ..parse.markers import read_label
from ..tables import cells, escape, header_row, replace_cell
from ..timestamps import DEFAULT_FORMAT
from ..vocab import AttemptDialect, Priority, Status
from .result import NewAttempt, NewFocus

_BOX = re.compile(r"^(?P<lead>[ \t]*(?:[-*+]|[0-9]+[.)])[ \t]+)\[(?P<box>[ xX~/-])\](?P<opt>\*?)")
_BLOCKED_BOX = re.compile(r"^(?P<lead>[ \t]*[-*+][ \t]+)\[BLOCKED[^\]]*\]")
_NUMBER = re.compile(r"^(?P<lead>[ \t]*)(?P<number>[0-9]+)(?P<delim>[.)])(?P<space>[ \t]+)")
_DATED_LEAD = re.compile(
    r"^[-*+][ \t]+(?:\[[0-9-]{10}\][ \t]*|[0-9]{4}-[0-9]{2}-[0-9]{2}[:：]?[ \t]*)"
)
_ROADMAP_STATUS = re.compile(r"(?P<mark>\*\*|\*)(?P<word>[^*\n]+)(?P=mark)")
_WIDE = ("（", "）")
_BOX_OF = {Status.done: "x", Status.pending: " "}
# Statuses a ticked box stands for: nothing more is expected of the item.
_TICKED = frozenset({Status.done, Status.archived, Status.superseded})


# --- status ------------------------------------------------------------------------------


def status_changes(
    ledger: Ledger, item: FocusItem, word: str, note: str | None
) -> list[Splice] | None:
    """The one line that says `item`'s status, rewritten to say `word`; None when the item
    keeps its status in a field (the caller changes the field)."""
    status = Status.parse(word)
    index = item.line - 1
    line = ledger.document.content(index)
    form = item.form
    if form in (ItemForm.heading, ItemForm.bold) and item.field("status") is not None:
        return None
    if form is ItemForm.bold:
        return None  # a bold-ID item gets a Status field among its bullets
    if form is ItemForm.table:
        return [Splice.replace(index, _table_status(line, ledger, item, word, status))]
    if form is ItemForm.roadmap:
        m = _ROADMAP_STATUS.search(line, line.find(")"))
        if m is None:
            raise EditRefused(f"{item.id}: the roadmap bullet on line {item.line} has no status")
        new = line[: m.start("word")] + word + line[m.end("word") :]
        return [Splice.replace(index, new)]
    if status is Status.blocked and form is ItemForm.checkbox:
        if not note:
            raise UsageError(
                f"{item.id} is a checkbox item: a blocked one says why",
                hint=f'ledger set {item.id} --status blocked --note "waiting on …"',
            )
        cleared = _without_marker(line, item)
        m = _BOX.match(cleared) or _BLOCKED_BOX.match(cleared)
        if m is None:
            raise EditRefused(f"{item.id}: no checkbox on line {item.line}")
        level = f"{item.priority_text}:" if re.fullmatch(r"P[0-9]", item.priority_text) else ""
        return [
            Splice.replace(index, f"{m.group('lead')}[BLOCKED:{level}{note}]{cleared[m.end() :]}")
        ]
    new = _without_marker(line, item)
    if form is ItemForm.checkbox:
        new = _set_box(new, status)
        if status not in _BOX_OF and not (status in _TICKED and status is not Status.done):
            new = _with_marker(new, word, note, ledger)
        elif note:
            new = _with_marker(new, None, note, ledger)
    elif status is not _implied_status(item) or note:
        new = _with_marker(new, word if status is not _implied_status(item) else None, note, ledger)
    return [Splice.replace(index, new)]


_DEPENDS_MARK = re.compile(r"\s*\((?:depends on|after|needs|requires)\s+[^)]*\)", re.IGNORECASE)


def depends_changes(
    ledger: Ledger, item: FocusItem, depends_on: list[str], changes: list[Splice]
) -> list[Splice]:
    """`changes` with the item's line carrying `(depends on A, B)` (none: without it)."""
    index = item.line - 1
    earlier = next((c for c in changes if c.start == index and c.lines), None)
    line = earlier.lines[0] if earlier else ledger.document.content(index)
    line = _DEPENDS_MARK.sub("", line)
    if depends_on:
        line = f"{line.rstrip()} (depends on {', '.join(depends_on)})"
    return [c for c in changes if c is not earlier] + [Splice.replace(index, line)]


def _implied_status(item: FocusItem) -> Status:
    """The status an item in its place has without any marker (a Completed group's: done)."""
    return Status.done if item.form is ItemForm.log else Status.pending


def _set_box(line: str, status: Status) -> str:
    box = "x" if status in _TICKED else " "
    m = _BLOCKED_BOX.match(line)
    if m:
        return f"{m.group('lead')}[{box}]{line[m.end() :]}"
    m = _BOX.match(line)
    if m is None:
        return line
    return f"{m.group('lead')}[{box}]{m.group('opt')}{line[m.end() :]}"


def _without_marker(line: str, item: FocusItem) -> str:
    """`line` without the status marker the parser read on it (`(deferred)`, `✅`, `DONE`)."""
    text = item.status_text
    if (
        not text
        or text.startswith("[")
        or not line.rstrip().endswith((text, f"{text})", f"{text}）", f"{text}**", f"{text}*"))
    ):
        if text.startswith("[BLOCKED"):
            return line.replace(text, "[ ]", 1)
        return line
    stripped = line.rstrip()
    for wrapped in (f"({text})", f"（{text}）", f"**{text}**", f"*{text}*", text):
        if stripped.endswith(wrapped):
            return (
                stripped[: -len(wrapped)].rstrip(" —–-")
                if wrapped != text
                else (stripped[: -len(wrapped)].rstrip())
            )
    return line


def _with_marker(line: str, word: str | None, note: str | None, ledger: Ledger) -> str:
    """`line` with `(word — note)` after the title, in the parentheses the file uses."""
    inside = " — ".join(x for x in (word, note) if x)
    if not inside:
        return line
    # A file that writes its markers in full-width parentheses (`（暂缓）`) gets them too.
    wide = any(_WIDE[0] in f"{f.status_text}{f.title}" for f in ledger.focus_items)
    left, right, space = (*_WIDE, "") if wide else ("(", ")", " ")
    return f"{line.rstrip()}{space}{left}{inside}{right}"


def _table_status(line: str, ledger: Ledger, item: FocusItem, word: str, status: Status) -> str:
    """The row with its Status cell saying `word` (a `[x] Complete` cell stays a checkbox)."""
    header = _table_header(ledger, item.line - 1)
    keys = [c.strip("* ").lower() for c in cells(header)] if header else []
    col = next(
        (k for k, key in enumerate(keys) if key in ("status", "state", "状态", "进度")), None
    )
    if col is None:
        row = cells(line)
        title_col = next(
            (k for k, c in enumerate(row) if item.title and item.title in c.replace("**", "")), 0
        )
        marked = f"{row[title_col]} ({word})" if status is not Status.pending else row[title_col]
        return replace_cell(line, title_col, escape(marked))
    old = cells(line)[col] if col < len(cells(line)) else ""
    if re.match(r"\[[ xX~/-]\]", old):
        value = (
            "[x] Complete" if status in _TICKED else f"[ ] {word.replace('_', ' ').capitalize()}"
        )
    else:
        value = word
    return replace_cell(line, col, escape(value))


def _table_header(ledger: Ledger, index: int) -> str | None:
    return header_row(ledger.document.contents, index)


# --- moving a finished item ----------------------------------------------------------------


def move_to_completed(
    ledger: Ledger, item: FocusItem, first_line: str, now: datetime
) -> list[Splice]:
    """Splices moving `item` (its first line already rewritten as `first_line`) to the end of
    the group where the file keeps finished items, in that group's way of writing entries."""
    if item.form not in (ItemForm.checkbox, ItemForm.numbered):
        raise EditRefused(
            f"{item.id} is a {item.form.value} item: only checkbox and numbered entries move "
            "to Completed"
        )
    doc = ledger.document
    start, stop = item.line - 1, item.end_line
    lines = [first_line] + [doc.content(k) for k in range(start + 1, stop)]
    done = [g for g in group_headings(doc) if g.placement == "done"]
    siblings = [
        f for f in ledger.focus_items if f.group is not None and done and f.group == done[0].text
    ]
    entry = _completed_entry(lines, item, siblings, now, ledger)
    removal = _removal(ledger, start, stop)
    if not done:
        level = min((h.level for h in group_headings(doc)), default=2)
        lead = [""] if doc.contents and doc.contents[-1].strip() else []
        return [removal, Splice.insert(len(doc), [*lead, f"{'#' * level} Completed", *entry])]
    group = done[0]
    end = doc.last_content_line(group.line, group.scope_end) + 1
    placeholder = [
        k for k in range(group.line + 1, end) if re.fullmatch(r"\s*[(（].*[)）]\s*", doc.content(k))
    ]
    if placeholder and not siblings:  # `(none yet)`: the first entry takes its place
        return [removal, Splice(placeholder[0], placeholder[0] + 1, tuple(entry))]
    if siblings:
        last = max(siblings, key=lambda f: f.end_line)
        spaced = (
            doc.content(last.line - 2).strip() == ""
            if last.line >= 2 and len(siblings) > 1
            else False
        )
        at = max(end, last.end_line)
        return [removal, Splice.insert(at, ([""] if spaced else []) + entry)]
    return [removal, Splice.insert(end, ([""] if end == group.line + 1 else []) + entry)]


def _removal(ledger: Ledger, start: int, stop: int) -> Splice:
    """The item's lines out, with one of the blank lines around them when both sides have one."""
    contents = ledger.document.contents
    before_blank = start > 0 and not contents[start - 1].strip()
    while stop < len(contents) and not contents[stop].strip() and before_blank:
        stop += 1
        break
    return Splice.delete(start, stop)


def _completed_entry(
    lines: list[str], item: FocusItem, siblings: list[FocusItem], now: datetime, ledger: Ledger
) -> list[str]:
    """The moved lines as the Completed group writes its entries."""
    head, body = lines[0], lines[1:]
    dated = sum(1 for f in siblings if f.form is ItemForm.log)
    boxed = sum(1 for f in siblings if f.form is ItemForm.checkbox)
    text, old_indent = _entry_text(head, item)
    if dated > boxed or (not siblings and item.form is ItemForm.numbered):
        new_head = f"- {now.strftime('%Y-%m-%d')}: {text}"
    else:
        new_head = f"- [x] {text}"
    reindented = [_reindent(b, old_indent, 2) for b in body]
    return [new_head, *reindented]


def _entry_text(head: str, item: FocusItem) -> tuple[str, int]:
    """The text after the item's list marker, and the indentation of the lines under it."""
    m = _BOX.match(head) or _BLOCKED_BOX.match(head)
    if m:
        return head[m.end() :].strip(), len(m.group("lead"))
    m = _NUMBER.match(head)
    if m:
        return head[m.end() :].strip(), m.end()
    return head.strip(), 2


def _reindent(line: str, old: int, new: int) -> str:
    if not line.strip():
        return ""
    depth = len(line) - len(line.lstrip(" "))
    return " " * max(depth - old + new, new) + line.lstrip(" ")


# --- attempts ------------------------------------------------------------------------------


def item_attempt(
    ledger: Ledger, item: FocusItem, attempt: NewAttempt, when: datetime, ts_format: str | None
) -> tuple[int, list[str]]:
    """Where a dated note about `item` goes (after its last line) and its lines."""
    from .attempts import AttemptStyle, render

    if item.form in (ItemForm.table, ItemForm.roadmap):
        raise EditRefused(
            f"{item.id} is a {item.form.value} row: it has no room for notes",
            hint="record the attempt under an item with a body, or give it a section",
        )
    doc = ledger.document
    head = doc.content(item.line - 1)
    if item.form in (ItemForm.heading, ItemForm.bold):
        indent = ""
    else:
        m = (
            _BOX.match(head)
            or _BLOCKED_BOX.match(head)
            or _NUMBER.match(head)
            or _DATED_LEAD.match(head)
        )
        lead = len(head) - len(head.lstrip(" \t"))
        width = len(m.group(0)) - lead if m else 2
        indent = " " * (lead + min(width, 4) if item.form is ItemForm.numbered else lead + 2)
    style = AttemptStyle(
        dialect=AttemptDialect.dated,
        ts_format=ts_format or DEFAULT_FORMAT,
        indent=indent,
        bullet="- ",
        brackets=False,
    )
    lines = render(style, attempt, when, item)
    at = doc.last_content_line(item.line - 1, item.end_line) + 1
    return at, lines


# --- new items -----------------------------------------------------------------------------


def new_item(ledger: Ledger, spec: NewFocus) -> tuple[list[Splice], list[str]]:
    """A new item in the file's own form, under the group that states the priority asked for
    (else the first group with open items); the splices and any warnings."""
    items = [f for f in ledger.focus_items if f.form not in (ItemForm.log, ItemForm.roadmap)]
    if not items:
        raise EditRefused(
            "this plan has no items to copy the form of", hint="add the first item by hand"
        )
    wanted = Priority.choose(str(spec.priority)) if spec.priority else None
    groups = [f.group for f in items]
    target_group = None
    if wanted is not None:
        target_group = next((f.group for f in items if f.priority is wanted and f.group), None)
    if target_group is None:
        target_group = next(
            (f.group for f in items if not f.status.is_closed and not f.optional), groups[0]
        )
    siblings = [f for f in items if f.group == target_group]
    sibling = max(siblings, key=lambda f: f.line)
    warnings: list[str] = []
    written_ids = any(not f.derived_id for f in siblings)
    if not written_ids:
        warnings.append(
            f"the items of {target_group or 'this plan'} have no written IDs: "
            f"the new one is named by its title, not {spec.id}"
        )
    if wanted is not None and sibling.priority is not wanted:
        warnings.append(
            f"no group states priority {wanted}; added under {target_group or 'the plan'}"
        )
    lines = _item_lines(ledger, sibling, siblings, spec, written_ids)
    at = ledger.document.last_content_line(sibling.line - 1, sibling.end_line) + 1
    if sibling.form is ItemForm.table:
        at = sibling.line
        while at < len(ledger.document) and ledger.document.content(at).lstrip().startswith("|"):
            at += 1
    return [Splice.insert(at, lines)], warnings


def _item_lines(
    ledger: Ledger, sibling: FocusItem, siblings: list[FocusItem], spec: NewFocus, with_id: bool
) -> list[str]:
    doc = ledger.document
    head = doc.content(sibling.line - 1)
    label = read_label(head)
    ident = spec.id if with_id else None
    deps = f" (depends on {', '.join(spec.depends_on)})" if spec.depends_on else ""
    form = sibling.form
    if form is ItemForm.checkbox:
        m = _BOX.match(head) or _BLOCKED_BOX.match(head)
        lead = m.group("lead") if m else "- "
        text = _with_id(head[m.end() :] if m else head, sibling, ident, spec.title)
        return [f"{lead}[ ] {text}{deps}"]
    if form is ItemForm.numbered:
        numbers = [
            int(n.group("number"))
            for f in siblings
            if (n := _NUMBER.match(doc.content(f.line - 1)))
        ]
        m = _NUMBER.match(head)
        delim, space = (m.group("delim"), m.group("space")) if m else (".", " ")
        gap = (
            [""]
            if sibling.end_line < len(doc) and not doc.content(sibling.end_line).strip()
            else []
        )
        text = _with_id(head[m.end() :] if m else head, sibling, ident, spec.title)
        return [*gap, f"{max(numbers, default=0) + 1}{delim}{space}{text}{deps}"]
    if form is ItemForm.heading:
        marks = head[: len(head) - len(head.lstrip("#"))]
        sep = _separator(head.lstrip("# "), sibling)
        return ["", f"{marks} {spec.id}{sep}{spec.title}"] + (
            [f"- Depends on: {', '.join(spec.depends_on)}"] if spec.depends_on else []
        )
    if form is ItemForm.bold:
        names = [f.name for f in sibling.fields]
        title_field = next(
            (
                n
                for n in names
                if n.lower()
                in ("title", "issue", "problem", "summary", "task", "description", "what")
            ),
            "Title",
        )
        out = ["", f"**{spec.id}**"]
        if spec.priority and any(n.lower() == "priority" for n in names):
            out.append(f"- Priority: {spec.priority}")
        out.append(f"- {title_field}: {spec.title}")
        if spec.depends_on:
            out.append(f"- Depends on: {', '.join(spec.depends_on)}")
        return out
    if form is ItemForm.table:
        row = cells(head)
        title_text = f"[{spec.id}] {spec.title}" if with_id and "[" in head else spec.title
        new = ["" for _ in row]
        header = _table_header(ledger, sibling.line - 1) or ""
        keys = [c.strip("* ").lower() for c in cells(header)]
        for k, key in enumerate(keys[: len(new)]):
            if key in ("status", "state"):
                new[k] = (
                    "[ ] Pending"
                    if re.match(r"\[[ xX]\]", row[k] if k < len(row) else "")
                    else "pending"
                )
            elif key in ("priority", "prio") and spec.priority:
                new[k] = str(spec.priority)
            elif key == "id" and with_id:
                new[k] = spec.id
        title_col = next(
            (k for k, c in enumerate(row) if label.title and label.title in c.replace("**", "")), 0
        )
        bold = row[title_col].startswith("**") if title_col < len(row) else False
        new[title_col] = f"**{escape(title_text)}**" if bold else escape(title_text)
        return ["| " + " | ".join(new) + " |"]
    raise EditRefused(f"cannot add an item in the {form.value} form")


def _with_id(rest: str, sibling: FocusItem, ident: str | None, title: str) -> str:
    """`title` with `ident` in front, separated the way the sibling's ID is."""
    if ident is None or sibling.derived_id:
        return title
    sep = _separator(rest, sibling)
    return f"{ident}{sep}{title}"


def _separator(rest: str, sibling: FocusItem) -> str:
    """What follows the sibling's ID before its title (`: `, `：`, ` — `, ` `)."""
    k = rest.find(sibling.id)
    if k < 0:
        return ": "
    after = rest[k + len(sibling.id) :]
    m = re.match(r"\**[ \t]*(?:[:：]|[—–]|-(?=\s))?[ \t]*", after)
    sep = m.group(0).replace("**", "") if m else " "
    return sep or " "
