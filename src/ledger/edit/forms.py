"""Status edits of the items in the other forms (checkbox, numbered, heading, bold-ID, table,
log and roadmap items), each in the item's own form, and the dated notes `attempt add` nests
under them.

* a checkbox is ticked or cleared (a one-character diff); `[BLOCKED:reason]` replaces the box of
  a blocked one (keeping a `P1:` level); any other status is a marker after the title,
  `(deferred)`, in the parentheses the file writes its markers in (`（deferred）`);
* an old marker is changed where it is (`### P5（暂缓）：Title` -> `### P5（done）：Title`), or
  dropped when the item's place already says the new status (a numbered entry of a queue is
  pending, a line under `## Completed` done); a marker goes after the title, before an
  emphasis such as `⭐ 最高优先`;
* a bold-ID item, and a heading item with a Status field, keeps its status in that field
  (`status_changes` returns None: `edit.fields` writes the field);
* a table row has its Status cell changed (a `[x] Complete` cell keeps its box where a box can
  say the status), a row without a Status column a marker after its title;
* a roadmap bullet has its bold word changed;
* a note goes where the form holds one: in `[BLOCKED:…]`, the Status cell, the roadmap's bold
  word, else a `Note:` line nested under the item's first line (rewritten if it has one).

`read_back` refuses an edit whose new text would not read as meant (the item gone, or still in
its old status because its place says otherwise). Moving a finished item is `edit.completed`;
a new item, `edit.new_item`.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..document import Splice
from ..errors import EditRefused, UsageError
from ..model import FocusItem, ItemForm, Ledger
from ..parse.forms import STATUS_COLUMNS
from ..parse.groups import group_headings
from ..parse.markers import DEPENDS_MARK, clean
from ..tables import cells, escape, header_row, replace_cell
from ..timestamps import DEFAULT_FORMAT
from ..vocab import AttemptDialect, Status
from .result import EditResult, NewAttempt

# The list marker and box of a checkbox line (`- [ ] `, `1. [x] `, Kiro's optional `- [ ]*`).
BOX = re.compile(r"^(?P<lead>[ \t]*(?:[-*+]|[0-9]+[.)])[ \t]+)\[(?P<box>[ xX~/-])\](?P<opt>\*?)")
BLOCKED_BOX = re.compile(r"^(?P<lead>[ \t]*[-*+][ \t]+)\[BLOCKED[^\]]*\]")
NUMBER = re.compile(r"^(?P<lead>[ \t]*)(?P<number>[0-9]+)(?P<delim>[.)])(?P<space>[ \t]+)")
_ROADMAP_STATUS = re.compile(r"(?P<mark>\*\*|\*)(?P<word>[^*\n]+)(?P=mark)")
_CELL_BOX = re.compile(r"\[(?P<box>[ xX~/-])\]")
_STAR = re.compile(r"[ \t]*⭐")
_TRAILING_DASH = re.compile(r"\s+[—–-]+$")
_P_LEVEL = re.compile(r"P[0-9]")
# Statuses a ticked box stands for: nothing more is expected of the item.
_TICKED = frozenset({Status.done, Status.archived, Status.superseded})
# Statuses a box says on its own, without a marker after the title.
_BOXED = _TICKED | {Status.pending}


# --- status ------------------------------------------------------------------------------


def status_changes(
    ledger: Ledger,
    item: FocusItem,
    word: str,
    note: str | None,
    *,
    implied: Status | None = None,
) -> list[Splice] | None:
    """The splices that make `item` say `word` (and `note`) in its own form; None when the item
    keeps its status in a field (`edit.fields` changes the field). `implied`: the status the
    item's place says without a marker (default: the place it is in now)."""
    form = item.form
    if form is ItemForm.bold or (form is ItemForm.heading and item.field("status") is not None):
        return None
    status = Status.parse(word)
    index = item.line - 1
    line = ledger.document.content(index)
    if form is ItemForm.table:
        return [Splice.replace(index, _table_status(ledger, item, line, word, note))]
    if form is ItemForm.roadmap:
        return [Splice.replace(index, _roadmap_status(item, line, word, note))]
    if form is ItemForm.checkbox and status is Status.blocked:
        return [Splice.replace(index, _blocked_box(item, line, note))]
    if implied is None:
        implied = _implied_status(ledger, item, line)
    wide = _wide_markers(ledger, line)
    if form is ItemForm.checkbox:
        line = _set_box(line, status)
        marker = None if status in _BOXED else word
    else:
        marker = None if status is implied else word
    new = _restatus(line, item, marker, wide)
    return [Splice.replace(index, new), *_note_changes(ledger, item, note)]


def _implied_status(ledger: Ledger, item: FocusItem, line: str) -> Status:
    """What the item reads as without a status marker on `line`: its place (a Completed group:
    done), or, when its status is not written there, the status it has now (its body says it)."""
    text = item.status_text
    if not text or text not in line:
        return item.status
    return Status.done if placed_done(ledger, item) else Status.pending


def placed_done(ledger: Ledger, item: FocusItem) -> bool:
    """Whether the item sits where the file keeps finished items (under `## Completed`, `✅`)."""
    if item.form is ItemForm.log:
        return True
    index = item.line - 1
    around = [g for g in group_headings(ledger.document) if g.line < index < g.scope_end]
    return next((g.placement for g in reversed(around) if g.placement), "") == "done"


def _set_box(line: str, status: Status) -> str:
    """The line with its box saying `status` (ticked for a closed one; `[BLOCKED:…]` becomes a
    box again); a box that already says it stays as written (`[X]`)."""
    ticked = status in _TICKED
    m = BLOCKED_BOX.match(line)
    if m:
        return f"{m.group('lead')}[{'x' if ticked else ' '}]{line[m.end() :]}"
    m = BOX.match(line)
    if m is None:
        return line
    old = m.group("box")
    box = old if old in " xX" and (old != " ") == ticked else "x" if ticked else " "
    return f"{m.group('lead')}[{box}]{m.group('opt')}{line[m.end() :]}"


def _blocked_box(item: FocusItem, line: str, note: str | None) -> str:
    """The checkbox line with `[BLOCKED:P1:note]` in place of its box (and no other marker)."""
    if not note:
        raise UsageError(
            f"{item.id} is a checkbox item: a blocked one says why",
            hint=f'ledger set {item.id} --status blocked --note "waiting on …"',
        )
    if "]" in note or "\n" in note:
        raise UsageError("the reason of a blocked checkbox item cannot hold `]` or a line break")
    cleared = _restatus(_set_box(line, Status.pending), item, None, False)
    m = BOX.match(cleared)
    if m is None:
        raise EditRefused(f"{item.id}: no checkbox on line {item.line}")
    level = item.priority_text if _P_LEVEL.fullmatch(item.priority_text) else ""
    # `[BLOCKED:why]` holds one part: a reason with a colon of its own needs the level's place.
    head = f"{level}:" if level or ":" in note else ""
    return f"{m.group('lead')}[BLOCKED:{head}{note}]{cleared[m.end() :]}"


def _restatus(text: str, item: FocusItem, word: str | None, wide: bool) -> str:
    """`text` with the status marker the parser read in it replaced by `(word)` (dropped for
    None): where it is when it follows a written ID (`### P5（暂缓）：Title`), else after the
    title."""
    span = _marker_span(text, item.status_text)
    if span is not None:
        start, end = span
        before, after = text[:start].rstrip(), text[end:]
        if after.strip() and not item.derived_id and before.endswith(item.id):
            return text[:start] + _paren(word, wide) + after if word else before + after
        if after.strip():  # a leading marker (`✅ Title`): the title keeps its place
            text = text[:start] + after.lstrip()
        else:  # a trailing one, with the dash that led to it (` — **archived**`)
            text = _TRAILING_DASH.sub("", before) + after
    return _append_marker(text, word, wide) if word else text


def _marker_span(text: str, status_text: str) -> tuple[int, int] | None:
    """Where in `text` the written status marker is, with its parentheses or markup."""
    if not status_text or status_text.startswith("["):
        return None
    marker = status_text
    for wrapped in (f"（{marker}）", f"({marker})", f"**{marker}**", f"*{marker}*", marker):
        k = text.rfind(wrapped)
        if k >= 0:
            return k, k + len(wrapped)
    return None


def _paren(word: str, wide: bool) -> str:
    return f"（{word}）" if wide else f"({word})"


def _append_marker(text: str, word: str, wide: bool) -> str:
    """`text` with `(word)` after the title: before an emphasis (`⭐ 最高优先`), else at the end."""
    marker = _paren(word, wide) if wide else f" {_paren(word, wide)}"
    star = _STAR.search(text)
    if star:
        return text[: star.start()] + marker + text[star.start() :]
    return text.rstrip() + marker


def _wide_markers(ledger: Ledger, line: str) -> bool:
    """Whether a marker is written in full-width parentheses: as the file's markers are, else
    as the line's own punctuation is (`：`, `（`)."""
    doc = ledger.document
    for f in ledger.focus_items:
        text = f.status_text
        if text and not text.startswith("[") and f.form is not ItemForm.table:
            own = doc.content(f.line - 1)
            if f"（{text}）" in own:
                return True
            if f"({text})" in own:
                return False
    return "（" in line or "：" in line


def _note_changes(ledger: Ledger, item: FocusItem, note: str | None) -> list[Splice]:
    """A note about the new status as a `Note:` line under the item's first line (its old
    `Note:` line rewritten)."""
    if not note:
        return []
    old = item.field("note")
    if old is not None:
        line = ledger.document.content(old.line - 1)
        lead = line[: len(line) - len(line.lstrip())]
        label = f"**{old.name}:**" if old.bold else f"{old.name}:"
        return [Splice.replace(old.line - 1, f"{lead}{old.bullet}{label} {note}")]
    indent = nested_indent(ledger.document.content(item.line - 1), item.form)
    return [Splice.insert(item.line, [f"{indent}- Note: {note}"])]


def nested_indent(head: str, form: ItemForm) -> str:
    """The indentation of a line nested under an item whose first line is `head` (column 0
    in the body of a heading or bold-ID item)."""
    if form in (ItemForm.heading, ItemForm.bold):
        return ""
    lead = len(head) - len(head.lstrip(" \t"))
    if form is ItemForm.numbered:
        m = NUMBER.match(head)
        return " " * (lead + min(len(m.group(0)) - lead, 4) if m else lead + 2)
    return " " * (lead + 2)


def _table_status(ledger: Ledger, item: FocusItem, line: str, word: str, note: str | None) -> str:
    """The row with its Status cell saying `word` (and `— note`); a `[x] Complete` cell keeps
    its box for a status a box says. A row without a Status column: a marker after its title."""
    col = _status_column(ledger, item)
    row = cells(line)
    if col is None:
        if note:
            raise EditRefused(
                f"{item.id}'s table has no Status column to hold a note; nothing was written",
                hint="drop --note, or record the reason with `ledger attempt add` on another item",
            )
        return _title_cell_status(ledger, item, line, row, word)
    old = row[col] if col < len(row) else ""
    status = Status.parse(word)
    box = _CELL_BOX.match(old)
    if box and status in _BOXED:
        if (box.group("box") in "xX") == (status in _TICKED) and not note:
            return line  # the box already says it
        value = "[x] Complete" if status in _TICKED else "[ ] Pending"
    else:
        value = word
    value += f" — {note}" if note else ""
    return replace_cell(line, col, escape(value))


def _title_cell_status(
    ledger: Ledger, item: FocusItem, line: str, row: list[str], word: str
) -> str:
    """A row without a Status column: `(word)` after the title in its cell, outside its bold."""
    col = next((k for k, c in enumerate(row) if item.title and item.title in clean(c)), 0)
    text = row[col]
    implied = _implied_status(ledger, item, text)
    marker = None if Status.parse(word) is implied else word
    new = _restatus(text, item, marker, _wide_markers(ledger, line))
    return replace_cell(line, col, new, keep_bold=False)


def _status_column(ledger: Ledger, item: FocusItem) -> int | None:
    """The index of the Status column of the item's table (None when it has none)."""
    header = table_header(ledger, item.line - 1)
    keys = [clean(c).lower() for c in cells(header)] if header else []
    return next((k for k, key in enumerate(keys) if key in STATUS_COLUMNS), None)


def table_header(ledger: Ledger, index: int) -> str | None:
    """The header row of the table holding line `index` (0-based)."""
    return header_row(ledger.document.contents, index)


def _roadmap_status(item: FocusItem, line: str, word: str, note: str | None) -> str:
    """The roadmap bullet with its bold word saying `word` (`**blocked — note**`)."""
    m = _ROADMAP_STATUS.search(line, line.find(")"))
    if m is None:
        raise EditRefused(f"{item.id}: the roadmap bullet on line {item.line} has no status")
    value = f"{word} — {note}" if note else word
    return line[: m.start("word")] + value + line[m.end("word") :]


def depends_changes(
    ledger: Ledger, item: FocusItem, depends_on: list[str], changes: list[Splice]
) -> list[Splice]:
    """`changes` with the item's line carrying `(depends on A, B)` after its title (in its
    title cell for a table row; none: without it)."""
    if item.form is ItemForm.roadmap:
        raise EditRefused(
            f"{item.id} is a roadmap bullet: it has no place for dependencies",
            hint="give it a section with a Depends on field",
        )
    index = item.line - 1
    earlier = next((c for c in changes if c.start == index and c.lines), None)
    line = earlier.lines[0] if earlier else ledger.document.content(index)
    if item.form is ItemForm.table:
        row = cells(line)
        col = next((k for k, c in enumerate(row) if item.title and item.title in clean(c)), 0)
        cell = _with_depends(row[col], depends_on)
        line = replace_cell(line, col, cell, keep_bold=False)
    else:
        line = _with_depends(line, depends_on)
    return [c for c in changes if c is not earlier] + [Splice.replace(index, line)]


def _with_depends(text: str, depends_on: list[str]) -> str:
    text = DEPENDS_MARK.sub("", text)
    return f"{text.rstrip()} (depends on {', '.join(depends_on)})" if depends_on else text


# --- reading the edit back -----------------------------------------------------------------


def read_back(result: EditResult, item: FocusItem, word: str, moved: bool) -> tuple[str, ...]:
    """Refuse an edit whose text does not read as meant: the item must still be there (on its
    line, or where it moved to) with the new status (any closed one where the form cannot tell
    them apart: a ticked box). A warning when its derived ID changed (a same-titled item now
    comes first)."""
    wanted = Status.parse(word)
    found = _reread(result, item, moved) if result.changed else item
    if found is None:
        raise EditRefused(
            f"{item.id}: the new line would no longer read as this item; nothing was written"
        )
    same = found.status is wanted or (found.status.is_closed and wanted.is_closed)
    if wanted is not Status.unknown and not same:
        where = f" under {item.group}" if item.group else ""
        raise EditRefused(
            f"{item.id} would read as {found.status.value}, not {word}, in its place{where}; "
            "nothing was written",
            hint="move it out of that group by hand, or choose another status",
        )
    if found.id != item.id:
        return (f"{item.id} now reads as {found.id} (a same-titled item comes first)",)
    return ()


def _reread(result: EditResult, item: FocusItem, moved: bool) -> FocusItem | None:
    items = result.ledger.focus_items
    if moved:  # written at the end of its new group: the first such item from there on
        return next((f for f in items if f.line >= result.line and f.title == item.title), None)
    return next((f for f in items if f.line == item.line and f.form is item.form), None)


# --- attempts ------------------------------------------------------------------------------


def item_attempt(
    ledger: Ledger, item: FocusItem, attempt: NewAttempt, when: datetime, ts_format: str | None
) -> tuple[int, list[str]]:
    """Where a dated note about `item` goes (after its last line) and its lines, written like
    its other notes (else at the indentation of a line nested under it)."""
    from .attempts import AttemptStyle, render, style_from

    if item.form in (ItemForm.table, ItemForm.roadmap):
        raise EditRefused(
            f"{item.id} is a {item.form.value} row: it has no room for notes",
            hint="record the attempt under an item with a body, or give it a section",
        )
    doc = ledger.document
    notes = [a for a in item.attempts if a.dialect is AttemptDialect.dated]
    if notes:
        style = style_from(notes, doc)
    else:
        style = AttemptStyle(
            dialect=AttemptDialect.dated,
            ts_format=ts_format or DEFAULT_FORMAT,
            indent=nested_indent(doc.content(item.line - 1), item.form),
            bullet="- ",
            brackets=False,
        )
    lines = render(style, attempt, when, item)
    at = doc.last_content_line(item.line - 1, item.end_line) + 1
    return at, lines
