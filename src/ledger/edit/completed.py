"""`move_to_completed`: a finished checkbox or numbered item leaves its group for the one where
the file keeps finished items, written as that group writes its entries.

* the item's lines (with the status change and any `Note:` line the edit made) leave their
  place, with one of the blank lines around them when both sides have one;
* they go after the last entry of the first `## Completed` (`Done`, `✅`, `已完成`) group: as a
  ticked box (`- [x] Title`) when the group holds boxes, as a dated line
  (`- 2026-02-03: Title`) when it holds a dated log (a numbered queue's Completed log); a
  placeholder such as `(none yet)` gives way to the first entry;
* a file without such a group gets a `## Completed` at its end, at the level of its groups.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..document import Splice
from ..errors import EditRefused
from ..model import FocusItem, ItemForm, Ledger
from ..parse.groups import group_headings
from .forms import BLOCKED_BOX, BOX, NUMBER

_PLACEHOLDER = re.compile(r"\s*[(（].*[)）]\s*")


def move_to_completed(
    ledger: Ledger, item: FocusItem, changes: list[Splice], now: datetime
) -> list[Splice]:
    """Splices moving `item`, with `changes` to its own lines applied, to the end of the group
    where the file keeps finished items, in that group's way of writing entries."""
    if item.form not in (ItemForm.checkbox, ItemForm.numbered):
        raise EditRefused(
            f"{item.id} is a {item.form.value} item: only checkbox and numbered entries move "
            "to Completed",
            hint=f"ledger set {item.id} --status done",
        )
    doc = ledger.document
    start, stop = item.line - 1, item.end_line
    groups = group_headings(doc)
    done = next((g for g in groups if g.placement == "done"), None)
    if done is not None and done.line < start < done.scope_end:
        raise EditRefused(f"{item.id} is already under {done.text}")
    lines = _own_lines(ledger, start, stop, changes)
    siblings = [f for f in ledger.focus_items if done and done.line < f.line - 1 < done.scope_end]
    entry = _completed_entry(lines, item, siblings, now)
    removal = _removal(ledger, start, stop)
    if done is None:
        level = min((g.level for g in groups), default=2)
        lead = [""] if doc.contents and doc.contents[-1].strip() else []
        return [removal, Splice.insert(len(doc), [*lead, f"{'#' * level} Completed", "", *entry])]
    end = doc.last_content_line(done.line, done.scope_end) + 1
    if not siblings:
        placeholder = next(
            (k for k in range(done.line + 1, end) if _PLACEHOLDER.fullmatch(doc.content(k))), None
        )
        if placeholder is not None:  # `(none yet)`: the first entry takes its place
            return [removal, Splice(placeholder, placeholder + 1, tuple(entry))]
        return [removal, Splice.insert(end, ([""] if end == done.line + 1 else []) + entry)]
    last = max(siblings, key=lambda f: f.end_line)
    at = doc.last_content_line(last.line - 1, last.end_line) + 1
    spaced = len(siblings) > 1 and not doc.content(last.line - 2).strip()
    return [removal, Splice.insert(at, ([""] if spaced else []) + entry)]


def _own_lines(ledger: Ledger, start: int, stop: int, changes: list[Splice]) -> list[str]:
    """The item's lines `start:stop` with the edit's changes to them applied (a replaced line,
    a `Note:` line inserted under the first)."""
    doc = ledger.document
    out: list[str] = []
    for k in range(start, stop + 1):
        out += [s for c in changes if c.start == c.stop == k and start < k for s in c.lines]
        if k == stop:
            break
        replaced = next((c for c in changes if c.start == k and c.stop == k + 1), None)
        out += list(replaced.lines) if replaced else [doc.content(k)]
    while out and not out[-1].strip():
        out.pop()
    return out


def _removal(ledger: Ledger, start: int, stop: int) -> Splice:
    """The item's lines out, with the blank line after them when there is one before too."""
    contents = ledger.document.contents
    before_blank = start > 0 and not contents[start - 1].strip()
    if before_blank and stop < len(contents) and not contents[stop].strip():
        stop += 1
    return Splice.delete(start, stop)


def _completed_entry(
    lines: list[str], item: FocusItem, siblings: list[FocusItem], now: datetime
) -> list[str]:
    """The moved lines as the Completed group writes its entries (a dated line for a numbered
    queue's log, a ticked box otherwise)."""
    head, body = lines[0], lines[1:]
    dated = sum(1 for f in siblings if f.form is ItemForm.log)
    boxed = sum(1 for f in siblings if f.form is ItemForm.checkbox)
    text, old_indent = _entry_text(head)
    if dated > boxed or (not siblings and item.form is ItemForm.numbered):
        new_head = f"- {now.strftime('%Y-%m-%d')}: {text}"
    else:
        box = BOX.match(head)
        new_head = f"- [{box.group('box') if box else 'x'}] {text}"
    return [new_head, *(_reindent(b, old_indent, 2) for b in body)]


def _entry_text(head: str) -> tuple[str, int]:
    """The text after the item's list marker, and the indentation of the lines under it."""
    m = BOX.match(head) or BLOCKED_BOX.match(head)
    if m:
        lead = m.group("lead")
        return head[m.end() :].strip(), len(lead) - len(lead.lstrip()) + 2
    m = NUMBER.match(head)
    if m:
        return head[m.end() :].strip(), min(m.end(), len(m.group("lead")) + 4)
    return head.strip(), 2


def _reindent(line: str, old: int, new: int) -> str:
    """A nested line moved from under a marker `old` wide to one `new` wide."""
    if not line.strip():
        return ""
    depth = len(line) - len(line.lstrip(" "))
    return " " * max(depth - old + new, new) + line.lstrip(" ")
