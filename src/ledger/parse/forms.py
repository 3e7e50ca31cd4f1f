"""Work items in the forms other agent loops keep (docs/format.md, "Other forms").

The scanner reads the lines outside focus sections once, top to bottom, keeping the stack of
group headings above the current line:

* a heading whose text is a written code and a title (`### W1: Title`, `### P5（暂缓）：Title`,
  `### Task 1.2 Title`) is a *heading item*, unless checkbox items sit directly under it (then it
  is a group, like `## Phase 1: Setup`); everything in its scope is its body;
* under the groups: a column-0 checkbox is an item (nested checkboxes are its steps, except
  sub-tasks with their own number, Kiro's `  - [ ] 2.1`, which are items); `[BLOCKED:P1:why]` in
  place of the box is a blocked item; a numbered entry is an item in a queue or task group; a
  dated line is a done item in a Completed group; `**FIX-01**` followed by field bullets is an
  item; so is each row of a table whose columns name tasks;
* the groups (`parse.groups`) give each item its `group`, its placement (a Completed or ✅ group
  closes its items, an Optional group marks them optional, a Notes group has none) and its
  priority when the item states none (High Priority, Priority 1, P0, `(Priority: P1)`).

Items without a written ID get one derived from the title (`parse.derived_ids`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .. import tables
from ..document import BLANK, BREAK, CODE, HEADING, Document
from ..ids import dependency_ids
from ..lazyregex import lazy_compile
from ..model import Attempt, Field, FocusItem, ItemForm, Step
from ..vocab import PriorityReading, Status, read_priority
from .attempts import note_entry, record
from .fields import read_field
from .groups import Group
from .markers import Label, clean, emoji_status, read_label, status_word, written_codes

_CHECKBOX = lazy_compile(
    r"(?P<indent>[ \t]*)(?:[-*+]|[0-9]+[.)])[ \t]+\[(?P<box>[ xX~/-])\](?P<optional>\*)?"
    r"(?:[ \t]+(?P<text>.*))?$"
)
_BLOCKED_LINE = re.compile(r"(?P<indent>[ \t]*)[-*+][ \t]+(?P<text>\[BLOCKED[:\]].*)$")
_NUMBERED = re.compile(r"(?P<number>[0-9]+)[.)][ \t]+(?P<text>\S.*)$")
_DATED = lazy_compile(
    r"[-*+][ \t]+(?:\[(?P<bracketed>[0-9]{4}-[0-9]{2}-[0-9]{2})\]"
    r"|(?:\*\*)?(?P<plain>[0-9]{4}-[0-9]{2}-[0-9]{2})(?:\*\*)?[ \t]*[:：—–-])[ \t]*(?P<text>\S.*)$"
)
_BOLD_ID = lazy_compile(
    r"\*\*\[?(?P<id>(?=[A-Z][A-Za-z0-9_.-]*[0-9])[A-Z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*)\]?\*\*"
    r"[ \t]*(?:[:：—–-][ \t]*)?(?P<text>.*)$"
)
# An Execution Roadmap bullet of a sectioned ledger: `- [ID] (Title) — **status** (notes)`.
_ROADMAP = lazy_compile(
    r"[-*][ \t]+\[(?P<id>[^\]\s]+)\][ \t]+\((?P<title>[^)\n]*)\)[ \t]*[—–-]+[ \t]*"
    r"(?:\*\*(?P<bold>[^*\n]+)\*\*|\*(?P<italic>[^*\n]+)\*)"
)
_ROADMAP_AFTER_NEWLINE = lazy_compile(r"\n" + _ROADMAP.pattern)
_ROADMAP_HINTS = ("] (", "]\t", "]  ", "] \t")  # `\][ \t]+\(` starts with one of them
_BOLD_LABEL = lazy_compile(
    r"\*\*(?P<name>[^*\n:：]{1,40}?)[:：]?\*\*[ \t]*[:：]?[ \t]*(?P<value>.*)$"
)
_TABLE_RULE = re.compile(r"\s*\|?\s*:?-{3,}")
_PROGRESS = re.compile(
    r"\*\*[^*\n]*?(?:已实施|已完成|\b(?:implemented|completed|landed)\b)(?! when)"
)
_BOX_STATUS = {
    " ": Status.pending,
    "x": Status.done,
    "X": Status.done,
    "~": Status.in_progress,
    "/": Status.in_progress,
    "-": Status.superseded,
}
_TITLE_COLUMNS = frozenset(
    {"task", "tasks", "item", "items", "title", "issue", "issues", "problem", "problems",
     "change", "changes", "fix", "fixes", "todo", "action", "work item", "任务", "问题", "改动",
     "修改", "事项", "待办"}
)  # fmt: skip
# The columns and fields a task table or bold-ID item names its parts by (lower case).
STATUS_COLUMNS = frozenset({"status", "state", "状态", "进度"})
PRIORITY_COLUMNS = frozenset({"priority", "prio", "优先级"})
ID_COLUMNS = frozenset({"id", "key", "ticket"})
TITLE_FIELDS = ("title", "issue", "problem", "summary", "task", "description", "what")
_DEPENDS_FIELDS = ("depends on", "depends", "dependencies", "dependency")

# Forms whose notes are column-0 bullets in their body (the list forms nest theirs).
_BODY_FORMS = (ItemForm.heading, ItemForm.bold)
_CELL_CHECKBOX = re.compile(r"\[([ xX~/-])\]")


class _Scanner:
    """One forward pass over the regions of a document outside focus sections."""

    def __init__(
        self,
        doc: Document,
        skip_tables: Iterable[int] = (),
        sections: frozenset[str] = frozenset(),
        roadmap_only: bool = False,
    ) -> None:
        self.doc = doc
        self.roadmap_only = roadmap_only
        self.sections = sections
        # Roadmap bullets by the `##` region they sit in: (region, restates a section, item).
        self.roadmap: list[tuple[int, bool, FocusItem]] = []
        self.region = -1
        self.contents = doc.contents
        self.classes = doc.classes
        self.stack: list[Group] = []
        self.items: list[FocusItem] = []
        self.skip_tables = set(skip_tables)

    # context --------------------------------------------------------------------------------

    @property
    def group(self) -> str | None:
        return self.stack[-1].text if self.stack else None

    def placement(self) -> str:
        return next((g.placement for g in reversed(self.stack) if g.placement), "")

    def group_priority(self) -> PriorityReading | None:
        return next((g.priority for g in reversed(self.stack) if g.priority.stated), None)

    def push(self, index: int) -> None:
        h = self.doc.headings[index]
        if h.level <= 2:
            self.region = index
        while self.stack and self.stack[-1].level >= h.level:
            self.stack.pop()
        if h.level > 1:  # the document title is never a group
            self.stack.append(Group(h.level, h.text))

    # the pass -------------------------------------------------------------------------------

    def scan(self, start: int, stop: int) -> None:
        if self.roadmap_only:
            self._scan_roadmap(start, stop)
            return
        i = start
        classes, contents = self.classes, self.contents
        while i < stop:
            cls = classes[i]
            if cls == HEADING:
                i = self._heading(i, stop)
                continue
            if cls != 0 or self.placement() == "notes":  # blank, break, code
                i += 1
                continue
            line = contents[i]
            first = line[:1]
            if first == "|" or (first in " \t" and line.lstrip()[:1] == "|"):
                i = self._table(i, stop)
            elif first in "-*+" or first.isdigit() or first in " \t":
                i = self._list_line(i, stop)
            else:
                i += 1

    def _scan_roadmap(self, start: int, stop: int) -> None:
        contents, classes = self.contents, self.classes
        i = start
        while i < stop:
            if classes[i] == HEADING:
                self.push(i)
            elif classes[i] == 0 and contents[i][:3] in ("- [", "* ["):
                m = _ROADMAP.match(contents[i])
                if m:
                    i = self._roadmap(i, stop, m)
                    continue
            i += 1

    def _heading(self, i: int, stop: int) -> int:
        h = self.doc.headings[i]
        if (h.level > 1 and self.placement() != "notes") or (
            h.level > 1 and self._closes_notes(h.level)
        ):
            label = read_label(h.text)
            if label.id is not None and not self._has_direct_checkboxes(i, stop):
                return self._heading_item(i, stop, h.level, label)
        self.push(i)
        return i + 1

    def _closes_notes(self, level: int) -> bool:
        return all(g.level >= level for g in self.stack if g.placement == "notes")

    def _has_direct_checkboxes(self, i: int, stop: int) -> bool:
        j = i + 1
        while j < stop and self.classes[j] != HEADING:
            if self.classes[j] == 0 and _CHECKBOX.match(self.contents[j]):
                return True
            j += 1
        return False

    # heading items --------------------------------------------------------------------------

    def _heading_item(self, i: int, stop: int, level: int, label: Label) -> int:
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        j = i + 1
        while j < stop:
            c = self.classes[j]
            if c == BREAK or (c == HEADING and self.doc.headings[j].level <= level):
                break
            j += 1
        end = self.doc.last_content_line(i, j)
        fields = self._fields(i + 1, end + 1, 0)
        status, status_text = label.status, label.status_text
        field_status = _field(fields, "status")
        if status is None and field_status is not None:
            status, status_text = Status.parse(field_status.value), field_status.value.strip()
        if status is None and self.placement() == "done":
            status, status_text = Status.done, ""
        if status is None:
            progress = next(
                (m for k in range(i + 1, end + 1) if (m := _PROGRESS.search(self.contents[k]))),
                None,
            )
            if progress is not None:
                status, status_text = Status.in_progress, clean(progress.group(0))
        self._add(i, end, label, ItemForm.heading, status, status_text, fields, level=level)
        return j

    # list lines -----------------------------------------------------------------------------

    def _list_line(self, i: int, stop: int) -> int:
        line = self.contents[i]
        if self.sections:
            m = _ROADMAP.match(line)
            if m:
                return self._roadmap(i, stop, m)
        m = _CHECKBOX.match(line)
        if m and not m.group("indent"):
            return self._checkbox(i, stop, m)
        m = _BLOCKED_LINE.match(line)
        if m and not m.group("indent"):
            label = read_label(m.group("text"), numbers=True)  # Kiro's `1.` stays the ID
            return self._list_item(i, stop, label, ItemForm.checkbox, None)
        if line[:1].isdigit():
            m = _NUMBERED.match(line)
            if m and self.stack and self.stack[-1].queue:
                label = read_label(m.group("text"))
                return self._list_item(i, stop, label, ItemForm.numbered, None)
        if self.placement() == "done":
            m = _DATED.match(line)
            if m:
                label = read_label(m.group("text"))
                return self._list_item(i, stop, label, ItemForm.log, Status.done)
        m = _BOLD_ID.match(line) if line[:2] == "**" else None
        if m:
            return self._bold_item(i, stop, m)
        return i + 1

    def _extent(self, i: int, stop: int, indent: int) -> int:
        """The index after the last line of the list entry on line `i` (its nested lines)."""
        j = i + 1
        while j < stop:
            c = self.classes[j]
            if c in (HEADING, BREAK):
                break
            if c != BLANK and c != CODE:
                line = self.contents[j]
                if len(line) - len(line.lstrip(" \t")) <= indent:
                    break
            j += 1
        return j

    def _checkbox(self, i: int, stop: int, m: re.Match[str]) -> int:
        label = read_label(m.group("text") or "", numbers=True)
        box = m.group("box")
        j = self._extent(i, stop, 0)
        end = self.doc.last_content_line(i, j)
        steps: list[Step] = []
        for k in range(i + 1, end + 1):
            sub = _CHECKBOX.match(self.contents[k]) if self.classes[k] == 0 else None
            if sub is None:
                continue
            sub_label = read_label(sub.group("text") or "", numbers=True)
            if sub_label.id is not None:  # a numbered sub-task is an item of its own
                self._add_checkbox(k, self._extent(k, end + 1, len(sub.group("indent"))) - 1,
                                   sub, sub_label)  # fmt: skip
            else:
                steps.append(Step(k + 1, sub.group("box") in "xX", sub_label.title))
        self._add_checkbox(i, end, m, label, steps, box)
        return j

    def _add_checkbox(
        self,
        i: int,
        end: int,
        m: re.Match[str],
        label: Label,
        steps: list[Step] | None = None,
        box: str | None = None,
    ) -> None:
        box = m.group("box") if box is None else box
        end = self.doc.last_content_line(i, end + 1)
        status, status_text = label.status, label.status_text
        if status is None:
            status, status_text = _BOX_STATUS[box], f"[{box}]"
        if self.placement() == "done" and status is Status.pending:
            status = Status.done
        indent = len(m.group("indent")) + 2
        fields = self._fields(i + 1, end + 1, indent)
        self._add(i, end, label, ItemForm.checkbox, status, status_text, fields,
                  steps=steps or [], optional=bool(m.group("optional")))  # fmt: skip

    def _list_item(
        self, i: int, stop: int, label: Label, form: ItemForm, status: Status | None
    ) -> int:
        j = self._extent(i, stop, 0)
        end = self.doc.last_content_line(i, j)
        fields = self._fields(i + 1, end + 1, None)
        status_text = label.status_text
        if label.status is not None:
            status = label.status
        elif status is None:
            status = Status.done if self.placement() == "done" else Status.pending
        self._add(i, end, label, form, status, status_text, fields)
        return j

    def _bold_item(self, i: int, stop: int, m: re.Match[str]) -> int:
        j = i + 1
        while j < stop and self.classes[j] == BLANK:
            j += 1
        if j >= stop or not _is_bullet(self.contents[j]):
            return i + 1
        while j < stop:  # the field bullets (blank lines between them allowed)
            c = self.classes[j]
            if c in (HEADING, BREAK):
                break
            line = self.contents[j]
            if c == 0 and not _is_bullet(line) and not line[:1].isspace():
                break
            j += 1
        end = self.doc.last_content_line(i, j)
        fields = self._fields(i + 1, end + 1, 0)
        label = read_label(m.group("text"))
        title = label.title or next(
            (clean(f.value) for name in TITLE_FIELDS if (f := _field(fields, name))), ""
        )
        label = label._replace(id=m.group("id"), title=title)
        status, status_text = label.status, label.status_text
        field_status = _field(fields, "status")
        if status is None and field_status is not None:
            status, status_text = Status.parse(field_status.value), field_status.value.strip()
        if status is None:
            status = Status.done if self.placement() == "done" else Status.pending
        self._add(i, end, label, ItemForm.bold, status, status_text, fields)
        return j

    def _roadmap(self, i: int, stop: int, m: re.Match[str]) -> int:
        """A roadmap bullet: an item when its ID has no section and the roadmap restates
        sections (`roadmap_items` decides once the whole document is read)."""
        j = self._extent(i, stop, 0)
        end = self.doc.last_content_line(i, j)
        status_text = (m.group("bold") or m.group("italic") or "").strip()
        label = Label(
            m.group("id"), clean(m.group("title")), Status.parse(status_text), status_text
        )
        fields = self._fields(i + 1, end + 1, 2)
        before = len(self.items)
        self._add(i, end, label, ItemForm.roadmap, label.status, status_text, fields)
        item = self.items.pop(before)
        self.roadmap.append((self.region, item.id in self.sections, item))
        return j

    def roadmap_items(self) -> list[FocusItem]:
        """Roadmap bullets for IDs without a section, in regions whose bullets also restate
        sections (a list that restates no section is not an Execution Roadmap)."""
        restating = {region for region, restates, _ in self.roadmap if restates}
        return [item for region, restates, item in self.roadmap
                if not restates and region in restating]  # fmt: skip

    # tables ---------------------------------------------------------------------------------

    def _table(self, i: int, stop: int) -> int:
        j = i
        while j < stop and self.classes[j] == 0 and tables.is_row(self.contents[j]):
            j += 1
        if j - i < 3 or not _TABLE_RULE.match(self.contents[i + 1]) or i + 1 in self.skip_tables:
            return max(j, i + 1)
        keys = [clean(c).lower() for c in tables.cells(self.contents[i])]
        title_col = next((k for k, key in enumerate(keys) if key in _TITLE_COLUMNS), None)
        if title_col is None:
            return j
        status_col = next((k for k, key in enumerate(keys) if key in STATUS_COLUMNS), None)
        priority_col = next((k for k, key in enumerate(keys) if key in PRIORITY_COLUMNS), None)
        id_col = next((k for k, key in enumerate(keys) if key in ID_COLUMNS), None)
        for k in range(i + 2, j):
            cells = tables.cells(self.contents[k])
            if title_col >= len(cells) or not cells[title_col]:
                continue
            label = read_label(cells[title_col])
            if id_col is not None and id_col < len(cells) and cells[id_col]:
                label = label._replace(id=clean(cells[id_col]).strip("[]"))
            status, status_text = label.status, label.status_text
            if status_col is not None and status_col < len(cells):
                status, status_text = _cell_status(cells[status_col]) or (status, status_text)
            if status is None:
                status = Status.done if self.placement() == "done" else Status.pending
            if priority_col is not None and priority_col < len(cells):
                reading = read_priority(clean(cells[priority_col]))
                if reading.stated:
                    label = label._replace(priority=reading)
            self._add(k, k, label, ItemForm.table, status, status_text, [])
        return j

    # records --------------------------------------------------------------------------------

    def _fields(self, start: int, stop: int, indent: int | None) -> list[Field]:
        """The `- Name: value` bullets at `indent` (None: the indentation of the first nested
        line) and `**Name:** value` lines, with the lines under each."""
        fields: list[Field] = []
        contents, classes = self.contents, self.classes
        if indent is None:
            first = next((k for k in range(start, stop) if classes[k] == 0), None)
            if first is None:
                return fields
            indent = len(contents[first]) - len(contents[first].lstrip(" \t"))
        k = start
        while k < stop:
            line = contents[k]
            if classes[k] != 0 or (len(line) - len(line.lstrip(" \t")) != indent and indent):
                k += 1
                continue
            stripped = line[indent:] if indent else line
            if indent == 0 and stripped[:1].isspace():
                k += 1
                continue
            j = self._extent(k, stop, len(line) - len(line.lstrip(" \t")))
            last = self.doc.last_content_line(k, j)
            f = read_field(stripped, k + 1, last + 1, self.doc.span(k, last + 1))
            if f is None:
                b = _BOLD_LABEL.match(stripped)
                if b:
                    f = Field(b.group("name").strip(), k + 1, last + 1, value=b.group("value"),
                              bold=True, bullet="", text=self.doc.span(k, last + 1))  # fmt: skip
            if f is not None:
                fields.append(f)
            k = j
        return fields

    def _notes(self, start: int, stop: int, indent: int) -> list[Attempt]:
        """The dated notes under an item (`  - 2026-02-03T04:05Z (planning) — text`): its
        attempts. `indent`: the least indentation a note has (list items: nested)."""
        notes: list[Attempt] = []
        contents, classes = self.contents, self.classes
        k = start
        while k < stop:
            line = contents[k]
            found = note_entry(line) if classes[k] == 0 else None
            depth = len(line) - len(line.lstrip(" \t"))
            if found is None or depth < indent:
                k += 1
                continue
            j = self._extent(k, stop, depth)
            last = self.doc.last_content_line(k, j)
            notes.append(record(found, k, last + 1, self.doc.span(k, last + 1)))
            k = j
        return notes

    def _add(
        self,
        i: int,
        end: int,
        label: Label,
        form: ItemForm,
        status: Status | None,
        status_text: str,
        fields: list[Field],
        level: int = 0,
        steps: list[Step] | None = None,
        optional: bool = False,
    ) -> None:
        notes = self._notes(i + 1, end + 1, 0 if form in _BODY_FORMS else 1)
        priority = label.priority
        own = _field(fields, "priority")
        if priority is None and own is not None:
            priority = read_priority(own.value)
        if priority is None or not priority.stated:
            priority = self.group_priority()
        depends_text = label.depends_text
        depends_f = next((f for name in _DEPENDS_FIELDS if (f := _field(fields, name))), None)
        if depends_f is not None and not depends_text:
            depends_text = depends_f.value.strip()
        # Short codes (`W3`, `T009`) are no ID shape of their own: a field lists them by name.
        depends = list(label.depends_on) or [
            d for d in dependency_ids(depends_text) or written_codes(depends_text) if d != label.id
        ]
        self.items.append(
            FocusItem(
                id=label.id or "",
                line=i + 1,
                end_line=end + 1,
                title=label.title,
                level=level,
                status=status or Status.pending,
                status_text=status_text,
                priority=priority.priority if priority else None,
                priority_text=priority.label if priority else "",
                depends_on=depends,
                depends_on_text=depends_text,
                fields=fields,
                attempts=notes,
                form=form,
                group=self.group,
                steps=steps or [],
                optional=optional or self.placement() == "optional",
            )
        )


def _is_bullet(line: str) -> bool:
    return line[:2] in ("- ", "* ", "+ ")


def _field(fields: list[Field], name: str) -> Field | None:
    return next((f for f in fields if f.key == name), None)


def _cell_status(cell: str) -> tuple[Status, str] | None:
    """The status a Status cell states: a checkbox (`[x] Complete`), a word, an emoji."""
    text = clean(cell)
    m = _CELL_CHECKBOX.match(text)
    if m:
        return _BOX_STATUS[m.group(1)], text
    if not text:
        return None
    found = status_word(text.split()[0]) or emoji_status(text)
    if found is None and Status.parse(text) is not Status.unknown:
        found = Status.parse(text)
    return (found, text) if found is not None else None


def read_forms(
    doc: Document,
    regions: Iterable[tuple[int, int]],
    skip_tables: Iterable[int] = (),
    sections: frozenset[str] = frozenset(),
    roadmap_only: bool = False,
) -> list[FocusItem]:
    """The work items in the given line regions (0-based, `[start, stop)`), in order.

    `skip_tables`: the header lines (1-based) of tables that are not task tables (an index);
    `sections`: the IDs of the ledger's focus sections (roadmap bullets are read against them);
    `roadmap_only`: read only roadmap bullets (the regions between a ledger's sections)."""
    scanner = _Scanner(doc, skip_tables, sections, roadmap_only)
    for start, stop in regions:
        scanner.scan(start, stop)
    return _own_notes(scanner.items) + scanner.roadmap_items()


def _own_notes(items: list[FocusItem]) -> list[FocusItem]:
    """A note nested under a sub-item (Kiro's `2.1` under `2`) is the sub-item's, not also its
    parent's: each parent keeps the notes outside its nested items' spans. Nested items are
    rare and few, so this is one pass with a short stack."""
    ordered = sorted(range(len(items)), key=lambda k: (items[k].line, -items[k].end_line))
    inner: dict[int, list[tuple[int, int]]] = {}
    stack: list[int] = []  # indexes of the items whose span is still open, outermost first
    for k in ordered:
        item = items[k]
        while stack and items[stack[-1]].end_line < item.line:
            stack.pop()
        if stack:
            inner.setdefault(stack[-1], []).append((item.line, item.end_line))
        stack.append(k)
    out = list(items)
    for k, spans in inner.items():
        item = items[k]
        kept = [a for a in item.attempts if not any(lo <= a.line <= hi for lo, hi in spans)]
        if len(kept) != len(item.attempts):
            out[k] = item._replace(attempts=kept)
    return out


def has_roadmap(text: str) -> bool:
    """Whether `text` has a roadmap bullet (`- [ID] (Title) — **status**`) anywhere."""
    # What every roadmap bullet holds between its ID and its title (`] (`, or a tab or a second
    # blank before the `(`) is looked for first: most texts have none of those substrings. Then
    # a bullet is looked for after each newline (a search that skips from one `\n` to the next
    # costs far less than a multi-line `^`, tried at every position), or at the very start.
    if not any(hint in text for hint in _ROADMAP_HINTS):
        return False
    return _ROADMAP.match(text) is not None or _ROADMAP_AFTER_NEWLINE.search(text) is not None
