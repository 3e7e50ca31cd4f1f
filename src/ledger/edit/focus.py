"""`new_focus`: a new `[ID] Title` section in the ledger's own layout, its index row, its plans.

The section copies its neighbour's heading level, field order, bullets and bold labels, and the
gap the ledger leaves between sections; it goes after the last active section. When the ledger
has an index table, a row is added in the table's own shape. The plan files it links to
(`Working Plan`, `Summary`) are created from templates through the one write path.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import datetime
from pathlib import Path

from ..document import Splice
from ..errors import EditRefused, UsageError
from ..ids import check_new_id
from ..markdown import github_slug
from ..model import Field, FocusItem, ItemForm, Ledger
from ..tables import escape, row_text
from ..timestamps import utc
from ..vocab import Priority
from .result import EditResult, NewFocus, bullet_of, finish, majority, priority_word

DEFAULT_PLANS_DIR = "plans/active"
_BREAKS = ("---", "***", "___")
# The fields a new section can have, in the order of the canonical template.
_FIELD_NAMES = {
    "depends on": "Depends on",
    "priority": "Priority",
    "status": "Status",
    "owner/date": "Owner/Date",
    "working plan": "Working Plan",
    "summary": "Summary",
    "attempts history": "Attempts History",
}
_KNOWN_FIELDS = tuple(_FIELD_NAMES)


def new_focus(
    ledger: Ledger,
    spec: NewFocus,
    *,
    plans_dir: str = DEFAULT_PLANS_DIR,
    now: datetime | None = None,
) -> EditResult:
    """Add a `[ID] Title` section in the ledger's own layout, next to the last active section."""
    check_new_id(spec.id)
    if not spec.title.strip():
        raise UsageError("the title is empty")
    if any(f.id == spec.id for f in ledger.focus_items):
        raise EditRefused(f"focus {spec.id} already exists", hint=f"see `ledger show {spec.id}`")
    priority = priority_word(spec.priority) if spec.priority else None
    doc = ledger.document
    sections = [f for f in ledger.focus_items if f.form is ItemForm.section]
    if not sections and any(not f.form.is_ledger_section for f in ledger.focus_items):
        from .new_item import new_item  # a plan in another form: an item in that form

        changes, notes = new_item(ledger, dataclasses.replace(spec, priority=priority))
        result = finish(ledger, changes, spec.id)
        if result.focus is None:  # named by its title: find it by the line written
            written = range(result.line, result.line + len(result.added_lines))
            found = next((f for f in result.ledger.focus_items if f.line in written), None)
            result = dataclasses.replace(result, focus=found)
        return dataclasses.replace(result, warnings=(*result.warnings, *notes))
    day = utc(now).strftime("%Y-%m-%d")
    if not sections:
        # A ledger without sections gets one at level 2 after its last line. No neighbour says
        # which fields to write: the template's, with its default priority.
        template = FocusItem(id="", line=1, end_line=1, level=2, fields=[])
        priority = priority or priority_word(Priority.medium)
        body = _section_lines(template, spec, priority, plans_dir, day)
        lead = [""] if doc.lines and doc.contents[-1].strip() else []
        return finish(ledger, [Splice.insert(len(doc), lead + body)], spec.id)
    active = [f for f in sections if not f.status.is_closed]
    neighbour = (active or sections)[-1]
    body = _section_gap(ledger, sections) + _section_lines(
        neighbour, spec, priority, plans_dir, day
    )
    section = Splice.insert(doc.last_content_line(neighbour.line - 1, neighbour.end_line) + 1, body)
    row = _index_row(ledger, spec, priority)
    if row is None:
        return finish(ledger, [section], spec.id)
    # At one place, the row goes above the section (an index right before it).
    changes = [row, section] if row.start <= section.start else [section, row]
    return finish(ledger, changes, spec.id)


def _section_gap(ledger: Ledger, sections: list[FocusItem]) -> list[str]:
    """The lines between two consecutive sections (`""`, or `"", "---", ""`), most common first."""
    doc = ledger.document
    gaps = []
    for a, b in itertools.pairwise(sections):
        last = doc.last_content_line(a.line - 1, a.end_line)
        between = doc.contents[last + 1 : b.line - 1]
        if all(not s.strip() or s.strip() in _BREAKS for s in between):
            gaps.append(tuple(between))
    gap = majority(gaps, ("",))
    return list(gap) if gap else []


def _section_lines(
    neighbour: FocusItem, spec: NewFocus, priority: str | None, plans_dir: str, day: str
) -> list[str]:
    """The heading and field lines, in the neighbour's field order and markup."""
    paths = plan_paths(spec.id, plans_dir)
    values = {
        "depends on": ", ".join(spec.depends_on) or "none",
        "priority": priority or Priority.medium.value,
        "status": spec.status,
        "owner/date": f"{spec.owner or 'TBD'}/{day}",
        "working plan": f"`{paths['Working Plan']}`",
        "summary": f"`{paths['Summary']}`",
        "attempts history": "",
    }
    order: list[tuple[str, Field | None]] = []
    seen = set()
    for f in neighbour.fields:
        key = f.key if f.key != "depends" else "depends on"
        if key in _KNOWN_FIELDS and key not in seen:
            seen.add(key)
            order.append((key, f))
    wanted = ["status", "working plan", "summary"]
    if priority:
        wanted.insert(0, "priority")
    if spec.depends_on:
        wanted.insert(0, "depends on")
    for key in wanted:  # fields the neighbour lacks go where the canonical template has them
        if key not in seen:
            order.insert(_canonical_position(key, [k for k, _ in order]), (key, None))
            seen.add(key)
    out = [f"{'#' * neighbour.level} [{spec.id}] {spec.title.strip()}"]
    default_bullet = bullet_of(neighbour)
    for key, model in order:  # the neighbour's field, None for one it lacks
        name = model.name if model else _FIELD_NAMES[key]
        bullet = model.bullet if model and model.bullet else default_bullet
        label = f"**{name}:**" if model and model.bold else f"{name}:"
        out.append(f"{bullet}{label} {values[key]}".rstrip())
    return out


def _canonical_position(key: str, present: list[str]) -> int:
    """Where `key` goes among the `present` fields: before the first that the template lists
    after it."""
    rank = _KNOWN_FIELDS.index(key)
    for i, k in enumerate(present):
        if k in _KNOWN_FIELDS and _KNOWN_FIELDS.index(k) > rank:
            return i
    return len(present)


def _index_row(ledger: Ledger, spec: NewFocus, priority: str | None) -> Splice | None:
    """The new focus's index row, after the last row, shaped like the rows already there."""
    index = ledger.index
    if index is None:
        return None
    anchored = any(r.anchor for r in index.rows)
    cells = []
    for col in index.column_keys:
        if col == "id":
            slug = github_slug(f"[{spec.id}] {spec.title}")
            cells.append(f"[{spec.id}](#{slug})" if anchored else spec.id)
        elif col == "title":
            cells.append(escape(spec.title.strip()))
        elif col == "priority":
            cells.append(priority or Priority.medium.value)
        elif col == "status":
            cells.append(escape(spec.status))
        else:
            cells.append("")
    # After the last row, else after the header's separator line (0-based insertion points).
    after = index.rows[-1].line if index.rows else index.line + 1
    shape = ledger.document.content(after - 1)
    return Splice.insert(after, [row_text(cells, shape)])


# --- plan files ----------------------------------------------------------------------------


def plan_paths(focus_id: str, plans_dir: str = DEFAULT_PLANS_DIR) -> dict[str, str]:
    """Repository-relative paths of the plan files of a focus (`Working Plan`, `Summary`)."""
    base = f"{plans_dir.rstrip('/')}/{focus_id}"
    return {"Working Plan": f"{base}/implementation.md", "Summary": f"{base}/summary.md"}


def plan_files(root: Path, focus_id: str, plans_dir: str = DEFAULT_PLANS_DIR) -> dict[str, Path]:
    """The plan files of a new focus under the repository `root`, by field name.

    The ID and the configured folder are checked first, and every path must resolve inside
    `root` (`PathOutsideRoot` otherwise), so an ID such as `../../x` never writes outside."""
    from ..fileio import check_can_create, inside

    check_new_id(focus_id)
    files = {
        name: inside(root, rel, what=f"the {name} file")
        for name, rel in plan_paths(focus_id, plans_dir).items()
    }
    for path in files.values():  # a read-only plans folder is refused before the ledger changes
        check_can_create(path)
    return files


def write_plan_files(
    files: dict[str, Path], spec: NewFocus, now: datetime | None = None
) -> list[Path]:
    """Create the plan files that do not exist yet (each through the one write path); returns
    the files created. Existing files are left alone."""
    from ..fileio import create_file

    templates = plan_templates(spec, now)
    keys = {"Working Plan": "implementation", "Summary": "summary"}
    created = []
    for name, path in files.items():
        if create_file(path, templates[keys[name]].encode("utf-8"), create_folders=True):
            created.append(path)
    return created


def plan_templates(spec: NewFocus, now: datetime | None = None) -> dict[str, str]:
    """Initial contents of `implementation.md` and `summary.md` for a new focus."""
    day = utc(now).strftime("%Y-%m-%d")
    deps = ", ".join(spec.depends_on) or "none"
    implementation = (
        f"# {spec.id} — implementation plan\n\n"
        f"Focus: `[{spec.id}] {spec.title}` in the ledger (created {day}).\n\n"
        f"- Depends on: {deps}\n"
        f"- Exit criteria: _state what must be true for this focus to be done._\n\n"
        "## Phases\n\n"
        "| Phase | Goal | State |\n"
        "| --- | --- | --- |\n"
        "| A | _first step_ | pending |\n\n"
        "## Notes\n\n"
        "_Decisions, commands and findings go here; record each loop with "
        f"`ledger attempt add {spec.id}`._\n"
    )
    summary = (
        f"# {spec.id} — summary\n\n"
        f"{spec.title}\n\n"
        f"- Status: {spec.status} (since {day})\n"
        "- Latest result: _none yet_\n\n"
        "## Turn summaries\n\n"
        "_Newest first, one short paragraph per loop._\n"
    )
    return {"implementation": implementation, "summary": summary}
