"""`set_field` and `set_header`: change the one line that holds a value, keeping its style.

A field change keeps the field's bullet, bold markup and the status's qualifier style
(`blocked — reason` or `done (reason)`); the matching index-table cells change with it (through
`ledger.tables`). A missing field is added next to the other status fields. The header's
`Last Updated` and active-focus lines change in place, or are added under the title.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime

from ..document import Splice, heading_text
from ..errors import EditRefused, UnknownFocusError, UsageError
from ..model import BlockKind, Field, FocusItem, ItemForm, Ledger
from ..tables import replace_cell
from ..timestamps import timestamp_format, utc
from ..views import require_focus, suggest_ids
from ..vocab import Priority, Status
from .result import EditResult, bullet_of, finish, majority, mojibake_warning, priority_word

_STATUS_VALUE = re.compile(
    r"(?P<pre>[*`]*)(?P<token>[^\s*`(—–,;:]+)(?P<post>[*`]*)(?P<rest>.*)", re.DOTALL
)
# A qualifier after a dash; `‚Äî` and `‚Äì` are the two dashes as mojibake.
_DASH_QUAL = re.compile(r"\s*(—|–|‚Äî|‚Äì| - |--)\s*")
_FIELD_HEAD = re.compile(r"(.*?:(?:\*\*)?[ \t]?)")
_HEADER_LABEL = re.compile(r"(.*?\*\*[^*]+\*\*:?\s*)")
# `**Active Focus:**` alone on its line: the focus items are bullets under it.
_FOCUS_LABEL_ONLY = re.compile(r"\s*(?:[-*]\s+)?\*\*(?:Active|Current) Focus:?\*\*:?\s*$")


# --- set: one field's line ----------------------------------------------------------------


def set_field(
    ledger: Ledger,
    focus_id: str,
    *,
    status: str | None = None,
    note: str | None = None,
    priority: Priority | str | None = None,
    depends_on: list[str] | None = None,
    line: int | None = None,
    move_to_completed: bool = False,
    now: datetime | None = None,
) -> EditResult:
    """Change Status (with an optional note), Priority and/or Depends on of one focus item.

    `line` picks one section of a duplicated ID (refused without it). An item of the other
    forms changes in its own form (`edit.forms`); `move_to_completed` also moves it where the
    file keeps finished items."""
    focus = require_focus(ledger, focus_id, line=line, unique=True)
    if move_to_completed and status is None:
        status = "done"
    if status is None and priority is None and depends_on is None:
        raise UsageError("nothing to set: give --status, --priority or --depends-on")
    if note is not None and status is None:
        raise UsageError("--note qualifies a new status: give --status too")
    priority = priority_word(priority) if priority is not None else None
    warnings = mojibake_warning(ledger, focus)
    if not focus.form.is_ledger_section:
        from .forms import read_back

        changes = _item_changes(
            ledger, focus, status, note, priority, depends_on, moving=move_to_completed
        )
        if move_to_completed:
            from .completed import move_to_completed as moved

            changes = moved(ledger, focus, changes, utc(now))
        result = finish(ledger, changes, focus.id, warnings)
        if status is None:
            return result
        said = read_back(result, focus, status, move_to_completed)
        return dataclasses.replace(result, warnings=(*result.warnings, *said)) if said else result
    if move_to_completed:
        raise EditRefused(
            f"{focus_id} is a focus section: it stays where it is (its status says it is done)"
        )
    status_change = priority_change = depends_change = []
    if status is not None:
        value = _status_value(ledger, focus, status, note)
        status_change = _field_change(ledger, focus, ("status",), "Status", value)
    if priority is not None:
        priority_change = _field_change(ledger, focus, ("priority",), "Priority", priority)
    if depends_on is not None:
        value = ", ".join(depends_on) if depends_on else "none"
        keys = ("depends on", "depends")
        depends_change = _field_change(ledger, focus, keys, "Depends on", value)
        warnings += _unknown_dependencies(ledger, depends_on)
    # Missing fields added at one place come out as Depends on, Priority, Status.
    changes = depends_change + priority_change + status_change
    changes += _index_changes(ledger, focus, status=status, priority=priority)
    return finish(ledger, changes, focus_id, warnings)


def _unknown_dependencies(ledger: Ledger, depends_on: list[str]) -> tuple[str, ...]:
    """One warning naming the dependencies that are no focus of this ledger (written all the
    same: ledgers also depend on finding IDs such as `PINN-CHUNKED-001`)."""
    unknown = [d for d in depends_on if ledger.get(d) is None]
    if not unknown:
        return ()
    names = ", ".join(unknown)
    return (
        f"Depends on names {names}, which {'is' if len(unknown) == 1 else 'are'} not a focus of "
        "this ledger (written anyway: it may be a finding ID)",
    )


def _item_changes(
    ledger: Ledger,
    focus: FocusItem,
    status: str | None,
    note: str | None,
    priority: str | None,
    depends_on: list[str] | None,
    *,
    moving: bool = False,
) -> list[Splice]:
    """An item of the other forms: its status in its own form (`moving` to Completed: a place
    that says done); priority and dependencies in fields where it has them (a heading or
    bold-ID item), inline otherwise."""
    from . import forms

    changes: list[Splice] = []
    if status is not None:
        implied = Status.done if moving else None
        own = forms.status_changes(ledger, focus, status, note, implied=implied)
        if own is None:
            value = _status_value(ledger, focus, status, note)
            own = _field_change(ledger, focus, ("status",), "Status", value)
        changes += own
    with_fields = focus.form in (ItemForm.heading, ItemForm.bold)
    if priority is not None:
        if not with_fields:
            raise EditRefused(
                f"{focus.id} takes its priority from its group ({focus.group or 'none'})",
                hint="move it under the group of the priority you want",
            )
        changes += _field_change(ledger, focus, ("priority",), "Priority", priority)
    if depends_on is not None:
        value = ", ".join(depends_on) if depends_on else "none"
        if with_fields:
            changes += _field_change(ledger, focus, ("depends on", "depends"), "Depends on", value)
        else:
            changes = forms.depends_changes(ledger, focus, depends_on, changes)
    return changes


def _status_value(ledger: Ledger, focus: FocusItem, status: str, note: str | None) -> str:
    """The new status in the old value's markup, with the note in the ledger's qualifier style."""
    old = focus.status_text
    m = _STATUS_VALUE.match(old) if old else None
    pre, post = (m.group("pre"), m.group("post")) if m else ("", "")
    if pre != post[::-1]:  # `**G-scaled ✅ COMPLETE**`: the markup spans more than the word
        pre = post = ""
    value = f"{pre}{status}{post}"
    if note:
        style = _qualifier_style(m.group("rest") if m else "") or _ledger_qualifier_style(ledger)
        value += f" ({note})" if style == "paren" else f" {style} {note}"
    return value


def _qualifier_style(rest: str) -> str | None:
    """`paren` for `done (reason)`, the dash itself for `blocked — reason`, None if unqualified."""
    if not rest.strip():
        return None
    if rest.lstrip().startswith("("):
        return "paren"
    m = _DASH_QUAL.match(rest)
    if not m:
        return None
    dash = m.group(1).strip()
    return {"‚Äî": "—", "‚Äì": "–"}.get(dash, dash)  # re-encoded with the rest of the value


def _ledger_qualifier_style(ledger: Ledger) -> str:
    """The qualifier style most statuses of the ledger use (a dash when none is qualified)."""
    styles = []
    for f in ledger.focus_items:
        m = _STATUS_VALUE.match(f.status_text) if f.status_text else None
        styles.append(_qualifier_style(m.group("rest")) if m else None)
    return majority(styles, "—")


def _field_change(
    ledger: Ledger, focus: FocusItem, keys: tuple[str, ...], name: str, value: str
) -> list[Splice]:
    """The field's line with the new value, or a new field line when the focus lacks it."""
    fld = focus.field(*keys)
    if fld is not None:
        index = fld.line - 1
        return [Splice.replace(index, _field_head(ledger.document.content(index), fld) + value)]
    if not focus.has_section:
        if keys == ("status",) and focus.id == ledger.header.active_focus_id:
            return _reset_status_change(ledger, value)
        if keys == ("status",):
            raise EditRefused(
                f"{focus.id} has no section; the `## Status` line belongs to the current focus "
                f"{ledger.header.active_focus_id}",
                hint=f"make it current first: ledger header --active-focus {focus.id}",
            )
        raise EditRefused(f"{focus.id} has no section of its own to hold a {name} field")
    return [Splice.insert(_new_field_index(focus), [_new_field_line(focus, name, value)])]


def _new_field_line(focus: FocusItem, name: str, value: str) -> str:
    """A field line written like the focus's fields: a section's bullet; in the body of a
    heading or bold-ID item, the bullet and bold label most of its fields have
    (`**Status:** pending` lines)."""
    if focus.form.is_ledger_section or not focus.fields:
        return f"{bullet_of(focus)}{name}: {value}"
    bullet = majority([f.bullet for f in focus.fields], "- ")
    bold = majority([f.bold for f in focus.fields], False)
    return f"{bullet}{f'**{name}:**' if bold else f'{name}:'} {value}"


def _field_head(line: str, fld: Field) -> str:
    """Everything before the field's value on its line (`- **Status:** `)."""
    if fld.value and line.endswith(fld.value):
        return line[: len(line) - len(fld.value)]
    m = _FIELD_HEAD.match(line)
    return m.group(1) if m else line + " "


def _new_field_index(focus: FocusItem) -> int:
    """A missing field goes after the status-like fields at the top, or under the heading."""
    top = [f for f in focus.fields if f.key in ("priority", "status", "depends on")]
    if top:
        return max(f.end_line for f in top)
    return focus.line  # right after the heading line


def _reset_status_change(ledger: Ledger, value: str) -> list[Splice]:
    """The reset layout keeps the status as a backticked line under `## Status`."""
    doc = ledger.document
    for b in ledger.blocks:
        if b.kind == BlockKind.group and (heading_text(doc, b.line - 1) or "").lower() == "status":
            for j in range(b.line, b.end_line):
                if doc.contents[j].strip():
                    m = _STATUS_VALUE.match(value)
                    token, rest = (m.group("token"), m.group("rest")) if m else (value, "")
                    return [Splice.replace(j, f"`{token}`{rest}")]
    raise EditRefused("the ledger has no `## Status` heading to change")


def _index_changes(
    ledger: Ledger, focus: FocusItem, *, status: str | None, priority: str | None
) -> list[Splice]:
    """The focus's index rows with the Status and Priority cells changed the same way."""
    if ledger.index is None:
        return []
    columns = ledger.index.column_keys
    out = []
    for row in ledger.index.rows:
        if row.id != focus.id:
            continue
        line = ledger.document.content(row.line - 1)
        for col, value in (("status", status), ("priority", priority)):
            if value is not None and col in columns:
                line = replace_cell(line, columns.index(col), value)
        out.append(Splice.replace(row.line - 1, line))
    return out


# --- header --------------------------------------------------------------------------------


def set_header(
    ledger: Ledger,
    *,
    last_updated: str | None = None,
    active_focus: str | None = None,
    now: datetime | None = None,
) -> EditResult:
    """Change the `**Last Updated:**` value (`auto`: today) and/or the active focus line."""
    if last_updated is None and active_focus is None:
        raise UsageError("nothing to set: give --last-updated or --active-focus")
    header = ledger.header
    warnings = mojibake_warning(ledger, None)
    changes: list[Splice] = []
    # Missing header lines are added together under the title (after `**Last Updated:**` when
    # that is there), in the order ledgers write them: Last Updated, then Active Focus.
    added: list[str] = []
    if last_updated is not None:
        value = _auto_date(header.last_updated, now) if last_updated == "auto" else last_updated
        if header.last_updated_line:
            index = header.last_updated_line - 1
            line = ledger.document.content(index)
            changes.append(
                Splice.replace(index, _replace_header_value(line, header.last_updated, value))
            )
        else:
            added.append(f"**Last Updated:** {value}")
    if active_focus is not None:
        item = ledger.get(active_focus)
        if item is None:
            raise UnknownFocusError(active_focus, suggest_ids(ledger.ids, active_focus))
        if header.active_focus_line is None:
            added.append(f"**Active Focus:** {_focus_text(item)}")
        else:
            changes += _active_focus_change(ledger, item)
    if added:
        changes.append(Splice.insert(header.last_updated_line or header.title_line or 0, added))
    return finish(ledger, changes, None, warnings)


def _auto_date(old: str | None, now: datetime | None) -> str:
    """Today, in the format the old value was written in."""
    return utc(now).strftime(timestamp_format(old) or "%Y-%m-%d")


def _replace_header_value(line: str, old: str | None, value: str) -> str:
    if old and line.rstrip().endswith(old):
        stripped = line.rstrip()
        return stripped[: len(stripped) - len(old)] + value
    m = _HEADER_LABEL.match(line)
    return (m.group(1) if m else "") + value


def _focus_text(item: FocusItem) -> str:
    """How the header names a focus: `ID — title`."""
    return f"{item.id} — {item.title}" if item.title else item.id


def _active_focus_change(ledger: Ledger, item: FocusItem) -> list[Splice]:
    """The change to an existing active focus line (or the bullets under it)."""
    header = ledger.header
    dash = "—"
    text = _focus_text(item)
    assert header.active_focus_line is not None
    index = header.active_focus_line - 1
    line = ledger.document.content(index)
    if _FOCUS_LABEL_ONLY.match(line):
        # nanoBragg form: the focus items are bullets under the label; the first one counts.
        return [Splice.insert(index + 1, [f"- `[{item.id}]` {dash} {item.title}".rstrip()])]
    if line.lstrip().startswith("**") and "Focus" not in line.split("**")[1]:
        # Reset layout: `## Current Focus` holds `**ID — title**` and a description, and
        # `## Status` is that focus's status. Renaming the line alone would hand the old focus's
        # status and description to the new one, so say what to edit instead.
        if item.id == header.active_focus_id:
            return []
        raise EditRefused(
            f"this ledger keeps its current focus ({header.active_focus_id}) as the "
            f"`## Current Focus` and `## Status` sections, which describe that focus; switching "
            f"the line alone would give {item.id} its status and description, so nothing was "
            "written",
            hint=f"edit both by hand: name {item.id} and its goal under `## Current Focus` "
            f"(line {index + 1}) and set `## Status` to its status",
        )
    return [Splice.replace(index, _replace_header_value(line, header.active_focus, text))]
