"""Safe edits: add an attempt, change a field, add a focus item, update the header.

Every edit is a pure function from the current text (and its parsed `Ledger`) to an `EditResult`
holding the whole new text. Edits only *splice whole lines* into the original text, or replace
the one line they change; nothing is re-rendered, so the diff against the old file is exactly
the lines the edit means to write. The new text is parsed again and the fresh model is returned.

New text is written the way the ledger already writes it:

* an attempt uses the dialect, indentation, bullet, timestamp format, label and dash of the
  focus's existing attempts, and is placed where that focus keeps them, in the order the
  section already uses (newest first or oldest first); a focus with no attempts gets the
  configured default dialect (or, when none is configured, the dialect the rest of the ledger
  uses);
* a field change keeps the field's bullet, bold markup and qualifier style;
* a new focus copies the heading level, field order and separators of its neighbours.

New text is always written as the clean UTF-8 the user gave, even next to mojibake (UTF-8 once
read as Mac Roman, so `—` shows as `‚Äî`): the edit says once that `ledger fix` repairs the rest.

An edit never guesses its target: an ID with several sections is refused unless the caller picks
one by line, and an attempt is refused (unless forced) when the focus's section has swallowed
another focus whose heading was lost, since it would land in the wrong focus.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .document import split_lines, strip_eol
from .encoding import has_mojibake
from .errors import EditRefused, UnknownFocusError, UsageError
from .ids import check_new_id
from .markdown import github_slug
from .model import Attempt, AttemptDialect, Field, FocusItem, Ledger
from .parse import loads
from .timestamps import DEFAULT_FORMAT as DEFAULT_TIMESTAMP_FORMAT
from .timestamps import timestamp_format, utc as _utc
from .views import require_focus, suggest_ids

_NESTED = (AttemptDialect.numbered, AttemptDialect.dated, AttemptDialect.italic)
# Formats the parser reads back; used when a focus has no attempt to copy a format from.
_DIALECT_FORMATS = {
    AttemptDialect.numbered: "%Y-%m-%d",
    AttemptDialect.heading: "%Y-%m-%dT%H:%MZ",
}


@dataclass(frozen=True)
class NewAttempt:
    """What the user wants recorded; the dialect decides how it is written."""

    summary: str
    kind: str | None = None
    result: str | None = None
    timestamp: datetime | None = None
    artifacts: tuple[str, ...] = ()
    commits: tuple[str, ...] = ()
    actor: str | None = None


@dataclass(frozen=True)
class EditResult:
    """The new text, its model, and which lines the edit wrote."""

    text: str
    ledger: Ledger
    added_lines: list[str] = field(default_factory=list)
    line: int = 0  # 1-based number of the first written line in the new text
    attempt: Attempt | None = None
    focus: FocusItem | None = None
    warnings: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.added_lines)


# --- line splicing -------------------------------------------------------------------------


class _Text:
    """The text as lines, with the two primitive edits: insert lines, replace one line."""

    def __init__(self, text: str, newline: str) -> None:
        self.lines = split_lines(text)
        self.newline = newline

    def content(self, index: int) -> str:
        return strip_eol(self.lines[index])

    def insert(self, index: int, new: Sequence[str]) -> None:
        """Insert `new` (lines without endings) before the 0-based `index`."""
        if not new:
            return
        if index >= len(self.lines) and self.lines and not self.lines[-1].endswith("\n"):
            # No final newline: end the old last line, and leave the new last line unended.
            self.lines[-1] += self.newline
            block = [line + self.newline for line in new]
            block[-1] = new[-1]
        else:
            block = [line + self.newline for line in new]
        self.lines[index:index] = block

    def replace(self, index: int, new: str) -> None:
        """Replace the content of one line, keeping its line ending."""
        old = self.lines[index]
        self.lines[index] = new + old[len(strip_eol(old)) :]

    def last_content_line(self, start: int, end: int) -> int:
        """0-based index of the last non-blank line in `[start, end)` (start if all blank)."""
        j = end - 1
        while j > start and not self.lines[j].strip():
            j -= 1
        return j

    def text(self) -> str:
        return "".join(self.lines)


def _finish(
    doc: _Text,
    added: list[str],
    first: int,
    focus_id: str | None = None,
    warnings: tuple[str, ...] = (),
) -> EditResult:
    text = doc.text()
    ledger = loads(text)
    focus = None
    if focus_id:
        copies = ledger.all_named(focus_id)
        line = first + 1
        focus = next((f for f in copies if f.line <= line <= f.end_line), None) or (
            copies[0] if copies else None
        )
    return EditResult(
        text=text,
        ledger=ledger,
        added_lines=added,
        line=first + 1,
        focus=focus,
        warnings=warnings,
    )


def _mojibake_warning(ledger: Ledger, focus: FocusItem | None, doc: _Text) -> tuple[str, ...]:
    """Say once that the text around the edit is mojibake (the new text is clean UTF-8)."""
    if focus is not None:
        where = _section_text(ledger, focus, doc)
    else:  # the header: everything before the first section
        first = min((f.line for f in ledger.focus_items if f.has_section), default=len(doc.lines))
        where = "".join(doc.lines[: first - 1])
    if not has_mojibake(where):
        return ()
    what = f"the section of {focus.id} (line {focus.line})" if focus is not None else "the header"
    return (
        f"{what} is stored as mojibake (UTF-8 once read as Mac Roman); the new text was written "
        "as clean UTF-8, and `ledger fix` repairs the rest",
    )


def lost_heading_line(focus: FocusItem) -> int | None:
    """The line where a focus's section seems to hold another focus whose heading was lost: a
    second Status/Priority/Owner-Date run (what `ledger check` reports as LDG102)."""
    from .checks import lost_heading_runs

    starts = lost_heading_runs(focus)
    return focus.fields[starts[0]].line if starts else None


# --- timestamps ----------------------------------------------------------------------------


def _majority(values: Iterable, default=None):
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return default
    best = max(counts.values())
    # Ties go to the value seen last: the most recent way the ledger was written.
    return [v for v in values if counts.get(v) == best][-1] if best else default


# --- attempt add ---------------------------------------------------------------------------


@dataclass
class _Style:
    """How a focus writes its attempts, learned from the existing ones."""

    dialect: AttemptDialect
    ts_format: str
    indent: str = ""
    bullet: str = "- "
    dash: str = "—"
    label: str = "Latest Attempt"
    brackets: bool = True
    heading_level: int = 3


def add_attempt(
    ledger: Ledger,
    focus_id: str,
    attempt: NewAttempt,
    *,
    now: datetime | None = None,
    default_dialect: AttemptDialect | None = None,
    default_timestamp_format: str | None = None,
    line: int | None = None,
    force: bool = False,
) -> EditResult:
    """Insert `attempt` where `focus_id` keeps its attempts, in that focus's dialect.

    `line` picks one section of a duplicated ID; `force` writes into a section that seems to
    have swallowed a lost heading (refused otherwise)."""
    focus = require_focus(ledger, focus_id, line=line, unique=True)
    if not attempt.summary.strip():
        raise UsageError("the attempt summary is empty")
    lost = lost_heading_line(focus) if focus.has_section else None
    if lost is not None and not force:
        raise EditRefused(
            f"the section of {focus.id} (line {focus.line}) seems to hold another focus whose "
            f"heading was lost (a second Status/Priority run at line {lost}); the attempt could "
            "land in the wrong focus, so nothing was written",
            hint=f"restore the missing `## [ID] Title` heading above line {lost} "
            "(`ledger check` names it), or pass --force to write into this section anyway",
        )
    doc = _Text(ledger.text, ledger.newline)
    anchors = [a for a in focus.attempts if a.dialect != AttemptDialect.attempt_heading]
    if anchors:
        style = _style_from(anchors, doc)
    else:
        style = _empty_focus_style(ledger, focus, doc, default_dialect, default_timestamp_format)
    warnings = _mojibake_warning(ledger, focus, doc)
    when = _utc(attempt.timestamp or now)
    lines = _render(style, attempt, when, focus)
    index = _attempt_position(ledger, focus, anchors, style, doc)
    if style.dialect == AttemptDialect.heading:
        lines = _pad_heading_block(doc, index, lines)
    elif style.dialect in _NESTED and not anchors and focus.field("attempts history") is None:
        # Nested entries only count as attempts under an `Attempts History:` field.
        lines = [f"{_bullet_of(focus)}Attempts History:"] + lines
    doc.insert(index, lines)
    result = _finish(doc, lines, index, focus_id, warnings)
    new = _new_attempt(result, index, len(lines))
    return EditResult(
        text=result.text,
        ledger=result.ledger,
        added_lines=lines,
        line=index + 1,
        attempt=new,
        focus=result.focus,
        warnings=warnings,
    )


def _new_attempt(result: EditResult, index: int, count: int) -> Attempt | None:
    focus = result.focus
    if focus is None:
        return None
    lo, hi = index + 1, index + count
    return next((a for a in focus.attempts if lo <= a.line <= hi), None)


def _ledger_dialect(ledger: Ledger) -> AttemptDialect | None:
    dialects = [
        a.dialect
        for f in ledger.focus_items
        for a in f.attempts
        if a.dialect != AttemptDialect.attempt_heading
    ]
    return _majority(dialects)


def _style_from(anchors: list[Attempt], doc: _Text) -> _Style:
    dialect = _majority([a.dialect for a in anchors])
    same = [a for a in anchors if a.dialect == dialect]
    last = same[-1]
    first_line = doc.content(last.line - 1)
    formats = [timestamp_format(a.timestamp_text) for a in same]
    style = _Style(dialect=dialect, ts_format=_majority(formats, DEFAULT_TIMESTAMP_FORMAT))
    stripped = first_line.lstrip(" \t")
    if dialect == AttemptDialect.heading:
        style.heading_level = len(stripped) - len(stripped.lstrip("#"))
        style.bullet = ""
    else:
        style.indent = first_line[: len(first_line) - len(stripped)]
        style.bullet = stripped[:2] if stripped[:2] in ("- ", "* ") else "- "
    if dialect == AttemptDialect.latest:
        labels = [re.sub(r"\s*\[.*", "", a.label).strip() for a in same]
        label = _majority(labels, "Latest Attempt")
        style.label = "Latest Attempt" if label.lower() == "latest attempt" else label
    if dialect == AttemptDialect.dated:
        style.brackets = stripped[2:3] == "["
    return style


def _empty_focus_style(
    ledger: Ledger,
    focus: FocusItem,
    doc: _Text,
    default_dialect: AttemptDialect | None,
    default_format: str | None,
) -> _Style:
    """A focus without attempts: the configured dialect, else the one the ledger uses, copied
    from the other focus items' attempts when they use it."""
    dialect = default_dialect or _ledger_dialect(ledger) or AttemptDialect.latest
    elsewhere = [a for f in ledger.focus_items for a in f.attempts if a.dialect == dialect][-50:]
    if elsewhere and dialect != AttemptDialect.heading:
        style = _style_from(elsewhere, doc)
        style.ts_format = default_format or style.ts_format  # a configured format wins
        return style
    return _default_style(ledger, focus, dialect, default_format)


def _default_style(
    ledger: Ledger, focus: FocusItem, dialect: AttemptDialect, fmt: str | None
) -> _Style:
    fmt = fmt or _DIALECT_FORMATS.get(dialect, DEFAULT_TIMESTAMP_FORMAT)
    style = _Style(dialect=dialect, ts_format=fmt)
    if dialect in _NESTED:
        style.indent = "  "
        style.bullet = "- " if dialect == AttemptDialect.italic else "* "
    elif dialect == AttemptDialect.heading:
        style.heading_level = focus.level + 1 if focus.has_section else 3
        style.bullet = ""
    return style


def _section_text(ledger: Ledger, focus: FocusItem, doc: _Text) -> str:
    if focus.has_section:
        return "".join(doc.lines[focus.line - 1 : focus.end_line])
    return "".join(a.text for a in focus.attempts) or ledger.text[:4000]


def _render(style: _Style, attempt: NewAttempt, when: datetime, focus: FocusItem) -> list[str]:
    """The entry's lines (no line endings) in the focus's dialect."""
    ts = when.strftime(style.ts_format)
    dash = style.dash
    summary_lines = [s.rstrip() for s in attempt.summary.strip().splitlines()]
    first, rest = summary_lines[0], [s for s in summary_lines[1:] if s.strip()]
    kind = attempt.kind
    if style.dialect == AttemptDialect.heading:
        return _render_heading(style, attempt, ts, focus, summary_lines)
    trailers = _trailers(attempt, inline=style.dialect != AttemptDialect.numbered)
    if style.dialect == AttemptDialect.latest:
        head = f"{style.label} ({ts}): "
        if kind:
            head += f"{kind} ({attempt.result}) {dash} " if attempt.result else f"{kind} {dash} "
        elif attempt.result:
            head += f"Result: {attempt.result}. "
        line = f"{style.bullet}{head}{first}"
        cont_indent = "  "
    elif style.dialect == AttemptDialect.numbered:
        number = max((a.number or 0 for a in focus.attempts), default=0) + 1
        actor = f" ({attempt.actor})" if attempt.actor else ""
        if attempt.result:
            what = f"Result: {attempt.result}" + (f" ({kind})" if kind else "") + ". "
        else:
            what = f"{kind}: " if kind else ""
        line = f"{style.indent}{style.bullet}[{ts}] Attempt #{number}{actor} {dash} {what}{first}"
        cont_indent = style.indent + " " * len(style.bullet)
    else:  # dated and italic carry the kind (and result) as the parenthesised label
        label = "; ".join(x for x in (kind, attempt.result) if x)
        label_text = f" ({label})" if label else ""
        if style.dialect == AttemptDialect.italic:
            line = f"{style.indent}{style.bullet}*{ts}{label_text}:* {first}"
        else:
            stamp = f"[{ts}]" if style.brackets else ts
            line = f"{style.indent}{style.bullet}{stamp}{label_text} {dash} {first}"
        cont_indent = style.indent + " " * len(style.bullet)
    if style.dialect != AttemptDialect.numbered and trailers and not rest:
        line = f"{line} {trailers[0]}"  # one-line dialects keep the entry on one line
        trailers = []
    return [line] + [cont_indent + r.lstrip() for r in rest] + [cont_indent + t for t in trailers]


def _trailers(attempt: NewAttempt, *, inline: bool) -> list[str]:
    parts = []
    if attempt.artifacts:
        parts.append("Artifacts: " + ", ".join(f"`{a}`" for a in attempt.artifacts))
    if attempt.commits:
        parts.append("Commits: " + ", ".join(f"`{c}`" for c in attempt.commits))
    if attempt.actor and inline:
        parts.append(f"Actor: {attempt.actor}")
    if inline and parts:
        return ["; ".join(parts) + "."]
    return parts


def _render_heading(
    style: _Style, attempt: NewAttempt, ts: str, focus: FocusItem, summary: list[str]
) -> list[str]:
    label = f" ({attempt.kind})" if attempt.kind else ""
    out = [f"{'#' * style.heading_level} {ts} {style.dash} {focus.id}{label}"]
    body = [f"**Action:** {summary[0]}"] + summary[1:]
    out += body
    if attempt.result:
        out += ["", f"**Result:** {attempt.result}"]
    if attempt.actor:
        out += ["", f"**Actor:** {attempt.actor}"]
    if attempt.artifacts:
        out += ["", "**Artifacts:**"] + [f"- `{a}`" for a in attempt.artifacts]
    if attempt.commits:
        out += ["", "**Commits:** " + ", ".join(f"`{c}`" for c in attempt.commits)]
    return out


def _newest_first(anchors: list[Attempt]) -> bool:
    """True when the focus lists attempts newest first (more descending steps than ascending)."""
    up = down = 0
    for a, b in itertools.pairwise(anchors):
        ka, kb = _order_key(a), _order_key(b)
        if ka is None or kb is None or ka == kb:
            continue
        if kb > ka:
            up += 1
        else:
            down += 1
    return down > up


def _order_key(a: Attempt):
    if a.timestamp is not None:
        return (a.timestamp, a.number or 0)
    if a.number is not None:
        return (datetime.min.replace(tzinfo=timezone.utc), a.number)
    return None


def _attempt_position(
    ledger: Ledger, focus: FocusItem, anchors: list[Attempt], style: _Style, doc: _Text
) -> int:
    """0-based line index before which the new attempt goes."""
    same = [a for a in anchors if a.dialect == style.dialect]
    if same:
        if not focus.has_section:
            return _history_run_end(ledger, doc, same, newest_first=_newest_first(same))
        if _newest_first(same):
            return same[0].line - 1
        return same[-1].end_line
    if style.dialect == AttemptDialect.heading and not focus.has_section:
        return _history_run_end(ledger, doc, [], newest_first=False)
    if not focus.has_section:
        raise EditRefused(
            f"{focus.id} has no section of its own and no attempts history to add to",
            hint="create a section with `ledger focus new`, or add the attempt by hand once",
        )
    if style.dialect in _NESTED:
        history = focus.field("attempts history")
        if history is not None:
            return history.end_line
    return doc.last_content_line(focus.line - 1, focus.end_line) + 1


def _history_run_end(ledger: Ledger, doc: _Text, same: list[Attempt], *, newest_first: bool) -> int:
    """Reset layout: the end (or start) of the run of `###` attempt blocks under the
    `## Attempts History` heading, where the shared, chronological log lives."""
    blocks = ledger.blocks
    start = None
    if same:
        start = next(i for i, b in enumerate(blocks) if b.line == same[-1].line)
        while start > 0 and blocks[start - 1].kind == "attempt":
            start -= 1
    else:
        for i, b in enumerate(blocks):
            if b.kind == "group" and _heading_text(doc, b.line).lower().startswith(
                "attempts history"
            ):
                start = i + 1
        if start is None:
            raise EditRefused(
                "the ledger has no `Attempts History` heading to add the attempt under"
            )
        if start >= len(blocks) or blocks[start].kind != "attempt":
            group = blocks[start - 1]
            return doc.last_content_line(group.line - 1, group.end_line) + 1
    if newest_first:
        return blocks[start].line - 1
    end = start
    while end + 1 < len(blocks) and blocks[end + 1].kind == "attempt":
        end += 1
    last = blocks[end]
    return doc.last_content_line(last.line - 1, last.end_line) + 1


def _heading_text(doc: _Text, line: int) -> str:
    return doc.content(line - 1).lstrip("#").strip()


def _pad_heading_block(doc: _Text, index: int, lines: list[str]) -> list[str]:
    """Heading blocks are separated by blank lines: add one on whichever side lacks it."""
    out = list(lines)
    if index > 0 and doc.lines[index - 1].strip():
        out.insert(0, "")
    if index < len(doc.lines) and doc.lines[index].strip():
        out.append("")
    return out


# --- set: one field's line ----------------------------------------------------------------

_STATUS_VALUE = re.compile(
    r"(?P<pre>[*`]*)(?P<token>[^\s*`(—–,;:]+)(?P<post>[*`]*)(?P<rest>.*)", re.DOTALL
)
_DASH_QUAL = re.compile(r"\s*(—|–|‚Äî|‚Äì| - |--)\s*")


def set_field(
    ledger: Ledger,
    focus_id: str,
    *,
    status: str | None = None,
    note: str | None = None,
    priority: str | None = None,
    depends_on: list[str] | None = None,
    line: int | None = None,
) -> EditResult:
    """Change Status (with an optional note), Priority and/or Depends on of one focus item.

    `line` picks one section of a duplicated ID (refused without it)."""
    focus = require_focus(ledger, focus_id, line=line, unique=True)
    if status is None and priority is None and depends_on is None:
        raise UsageError("nothing to set: give --status, --priority or --depends-on")
    if note is not None and status is None:
        raise UsageError("--note qualifies a new status: give --status too")
    doc = _Text(ledger.text, ledger.newline)
    warnings = _mojibake_warning(ledger, focus, doc)
    changes: list[tuple[int, str, bool]] = []  # (0-based index, content, inserted)
    if status is not None:
        value = _status_value(ledger, focus, status, note)
        changes += _field_change(ledger, focus, doc, ("status",), "Status", value)
    if priority is not None:
        changes += _field_change(ledger, focus, doc, ("priority",), "Priority", priority)
    if depends_on is not None:
        value = ", ".join(depends_on) if depends_on else "none"
        changes += _field_change(ledger, focus, doc, ("depends on", "depends"), "Depends on", value)
    changes += _index_changes(ledger, focus, doc, status=status, priority=priority)
    return _apply(doc, changes, focus_id, warnings)


def _apply(
    doc: _Text,
    changes: list[tuple[int, str, bool]],
    focus_id: str | None,
    warnings: tuple[str, ...] = (),
) -> EditResult:
    """Apply replacements and single-line insertions bottom-up so indices stay valid."""
    written: list[tuple[int, str]] = []
    for index, content, inserted in sorted(changes, key=lambda c: c[0], reverse=True):
        if inserted:
            doc.insert(index, [content])
            written = [(i + 1, c) for i, c in written]
            written.append((index, content))
        elif doc.content(index) != content:
            doc.replace(index, content)
            written.append((index, content))
    written.sort()
    first = written[0][0] if written else 0
    return _finish(doc, [c for _, c in written], first, focus_id, warnings if written else ())


def _status_value(ledger: Ledger, focus: FocusItem, status: str, note: str | None) -> str:
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
    styles = []
    for f in ledger.focus_items:
        m = _STATUS_VALUE.match(f.status_text) if f.status_text else None
        styles.append(_qualifier_style(m.group("rest")) if m else None)
    return _majority(styles, "—")


def _field_change(
    ledger: Ledger,
    focus: FocusItem,
    doc: _Text,
    keys: tuple[str, ...],
    name: str,
    value: str,
) -> list[tuple[int, str, bool]]:
    fld = focus.field(*keys)
    if fld is not None:
        index = fld.line - 1
        line = doc.content(index)
        head = _field_head(line, fld)
        return [(index, head + value, False)]
    if not focus.has_section:
        if keys == ("status",) and focus.id == ledger.header.active_focus_id:
            return _reset_status_change(ledger, doc, value)
        if keys == ("status",):
            raise EditRefused(
                f"{focus.id} has no section; the `## Status` line belongs to the current focus "
                f"{ledger.header.active_focus_id}",
                hint=f"make it current first: ledger header --active-focus {focus.id}",
            )
        raise EditRefused(f"{focus.id} has no section of its own to hold a {name} field")
    return [(_new_field_index(focus), f"{_bullet_of(focus)}{name}: {value}", True)]


def _field_head(line: str, fld: Field) -> str:
    """Everything before the field's value on its line (`- **Status:** `)."""
    if fld.value and line.endswith(fld.value):
        return line[: len(line) - len(fld.value)]
    m = re.match(r"(.*?:(?:\*\*)?[ \t]?)", line)
    return m.group(1) if m else line + " "


def _bullet_of(focus: FocusItem) -> str:
    return _majority([f.bullet for f in focus.fields if f.bullet], "- ")


def _new_field_index(focus: FocusItem) -> int:
    """A missing field goes after the status-like fields at the top, or under the heading."""
    top = [f for f in focus.fields if f.key in ("priority", "status", "depends on")]
    if top:
        return max(f.end_line for f in top)
    return focus.line  # right after the heading line


def _reset_status_change(ledger: Ledger, doc: _Text, value: str) -> list[tuple[int, str, bool]]:
    """The reset layout keeps the status as a backticked line under `## Status`."""
    for b in ledger.blocks:
        if b.kind == "group" and _heading_text(doc, b.line).lower() == "status":
            for j in range(b.line, b.end_line):
                if doc.lines[j].strip():
                    m = _STATUS_VALUE.match(value)
                    token, rest = (m.group("token"), m.group("rest")) if m else (value, "")
                    return [(j, f"`{token}`{rest}", False)]
    raise EditRefused("the ledger has no `## Status` heading to change")


def _index_changes(
    ledger: Ledger,
    focus: FocusItem,
    doc: _Text,
    *,
    status: str | None,
    priority: str | None,
) -> list[tuple[int, str, bool]]:
    if ledger.index is None:
        return []
    columns = [c.strip("* ").lower() for c in ledger.index.columns]
    out = []
    for row in ledger.index.rows:
        if row.id != focus.id:
            continue
        line = doc.content(row.line - 1)
        for col, value in (("status", status), ("priority", priority)):
            if value is not None and col in columns:
                line = _replace_cell(line, columns.index(col), value)
        out.append((row.line - 1, line, False))
    return out


def _replace_cell(line: str, column: int, value: str) -> str:
    """Replace one cell's text, keeping the padding around it."""
    parts = line.split("|")
    k = column + (1 if line.lstrip().startswith("|") else 0)
    if k >= len(parts):
        return line
    cell = parts[k]
    lead = cell[: len(cell) - len(cell.lstrip())] or " "
    trail = cell[len(cell.rstrip()) :] or " "
    old = cell.strip()
    bold = old.startswith("**") and old.endswith("**") and len(old) > 4
    parts[k] = lead + (f"**{value}**" if bold else value) + trail
    return "|".join(parts)


# --- focus new -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewFocus:
    """A focus item to add: ID, title and the fields the user gave."""

    id: str
    title: str
    priority: str | None = None
    depends_on: tuple[str, ...] = ()
    owner: str | None = None
    status: str = "pending"


def plan_paths(focus_id: str, plans_dir: str = "plans/active") -> dict[str, str]:
    """Repository-relative paths of the plan files of a focus (`Working Plan`, `Summary`)."""
    base = f"{plans_dir.rstrip('/')}/{focus_id}"
    return {"Working Plan": f"{base}/implementation.md", "Summary": f"{base}/summary.md"}


def plan_files(root: Path, focus_id: str, plans_dir: str = "plans/active") -> dict[str, Path]:
    """The plan files of a new focus under the repository `root`, by field name.

    The ID and the configured folder are checked first, and every path must resolve inside
    `root` (`PathOutsideRoot` otherwise), so an ID such as `../../x` never writes outside."""
    from .fileio import check_can_create, inside

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
    from .fileio import create_file

    templates = plan_templates(spec, now)
    keys = {"Working Plan": "implementation", "Summary": "summary"}
    created = []
    for name, path in files.items():
        if create_file(path, templates[keys[name]].encode("utf-8"), create_folders=True):
            created.append(path)
    return created


def plan_templates(spec: NewFocus, now: datetime | None = None) -> dict[str, str]:
    """Initial contents of `implementation.md` and `summary.md` for a new focus."""
    day = _utc(now).strftime("%Y-%m-%d")
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


def new_focus(
    ledger: Ledger,
    spec: NewFocus,
    *,
    plans_dir: str = "plans/active",
    now: datetime | None = None,
) -> EditResult:
    """Add a `[ID] Title` section in the ledger's own layout, next to the last active section."""
    check_new_id(spec.id)
    if not spec.title.strip():
        raise UsageError("the title is empty")
    if any(f.id == spec.id for f in ledger.focus_items):
        raise EditRefused(f"focus {spec.id} already exists", hint=f"see `ledger show {spec.id}`")
    doc = _Text(ledger.text, ledger.newline)
    sections = [f for f in ledger.focus_items if f.has_section]
    day = _utc(now).strftime("%Y-%m-%d")
    if not sections:
        return _first_section(ledger, doc, spec, plans_dir, day)
    active = [f for f in sections if not f.status.is_closed]
    neighbour = (active or sections)[-1]
    gap = _section_gap(ledger, doc, sections)
    body = _section_lines(neighbour, spec, plans_dir, day)
    index = doc.last_content_line(neighbour.line - 1, neighbour.end_line) + 1
    lines = gap + body
    row = _index_row_insert(ledger, spec)
    doc.insert(index, lines)
    added_at = index
    if row is not None:
        row_index, row_text = row
        if row_index > index:  # an index below the sections moved down
            row_index += len(lines)
        doc.insert(row_index, [row_text])
        added_at = min(row_index, index)
        lines = [row_text] + lines if row_index < index else lines + [row_text]
    return _finish(doc, lines, added_at, spec.id)


def _first_section(
    ledger: Ledger, doc: _Text, spec: NewFocus, plans_dir: str, day: str
) -> EditResult:
    """A ledger without sections gets one at level 2 after its last line."""
    template = FocusItem(id="", line=1, end_line=1, level=2, fields=[])
    body = _section_lines(template, spec, plans_dir, day)
    index = len(doc.lines)
    lines = ([""] if doc.lines and doc.lines[-1].strip() else []) + body
    doc.insert(index, lines)
    return _finish(doc, lines, index, spec.id)


def _section_gap(ledger: Ledger, doc: _Text, sections: list[FocusItem]) -> list[str]:
    """The lines between two consecutive sections (`""`, or `"", "---", ""`), most common first."""
    gaps = []
    for a, b in itertools.pairwise(sections):
        last = doc.last_content_line(a.line - 1, a.end_line)
        between = [doc.content(j) for j in range(last + 1, b.line - 1)]
        if all(not s.strip() or s.strip() in ("---", "***", "___") for s in between):
            gaps.append(tuple(between))
    gap = _majority(gaps, ("",))
    return list(gap) if gap else []


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


def _section_lines(neighbour: FocusItem, spec: NewFocus, plans_dir: str, day: str) -> list[str]:
    paths = plan_paths(spec.id, plans_dir)
    values = {
        "depends on": ", ".join(spec.depends_on) or "none",
        "priority": spec.priority or "Medium",
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
    if spec.priority:
        wanted.insert(0, "priority")
    if spec.depends_on:
        wanted.insert(0, "depends on")
    for key in wanted:  # fields the neighbour lacks go where the canonical template has them
        if key not in seen:
            pos = _canonical_position(key, [k for k, _ in order])
            order.insert(pos, (key, None))
            seen.add(key)
    out = [f"{'#' * neighbour.level} [{spec.id}] {spec.title.strip()}"]
    default_bullet = _bullet_of(neighbour)
    for key, f in order:
        name = f.name if f else _FIELD_NAMES[key]
        bullet = f.bullet if f and f.bullet else default_bullet
        label = f"**{name}:**" if f and f.bold else f"{name}:"
        value = values[key]
        out.append(f"{bullet}{label} {value}".rstrip())
    return out


def _canonical_position(key: str, present: list[str]) -> int:
    canonical = list(_KNOWN_FIELDS)
    rank = canonical.index(key)
    for i, k in enumerate(present):
        if k in canonical and canonical.index(k) > rank:
            return i
    return len(present)


def _index_row_insert(ledger: Ledger, spec: NewFocus) -> tuple[int, str] | None:
    index = ledger.index
    if index is None:
        return None
    columns = [c.strip("* ").lower() for c in index.columns]
    anchored = any(r.anchor for r in index.rows)
    cells = []
    for col in columns:
        if col == "id":
            slug = github_slug(f"[{spec.id}] {spec.title}")
            cells.append(f"[{spec.id}](#{slug})" if anchored else spec.id)
        elif col == "title":
            cells.append(spec.title.strip())
        elif col == "priority":
            cells.append(spec.priority or "Medium")
        elif col == "status":
            cells.append(spec.status)
        else:
            cells.append("")
    last = index.rows[-1].line if index.rows else index.line + 1
    return last, "| " + " | ".join(cells) + " |"


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
    doc = _Text(ledger.text, ledger.newline)
    header = ledger.header
    warnings = _mojibake_warning(ledger, None, doc)
    changes: list[tuple[int, str, bool]] = []
    # New header lines go under `**Last Updated:**`, else under the title (0-based index).
    after_title = header.last_updated_line or header.title_line or 0
    if last_updated is not None:
        value = last_updated
        if value == "auto":
            value = _auto_date(header.last_updated, now)
        if header.last_updated_line:
            index = header.last_updated_line - 1
            changes.append(
                (
                    index,
                    _replace_header_value(doc.content(index), header.last_updated, value),
                    False,
                )
            )
        else:
            changes.append((header.title_line or 0, f"**Last Updated:** {value}", True))
    if active_focus is not None:
        item = ledger.get(active_focus)
        if item is None:
            raise UnknownFocusError(active_focus, suggest_ids(ledger.ids, active_focus))
        changes += _active_focus_change(ledger, doc, item, after_title)
    return _apply(doc, changes, None, warnings)


def _auto_date(old: str | None, now: datetime | None) -> str:
    fmt = timestamp_format(old) or "%Y-%m-%d"
    return _utc(now).strftime(fmt)


def _replace_header_value(line: str, old: str | None, value: str) -> str:
    if old and line.rstrip().endswith(old):
        stripped = line.rstrip()
        return stripped[: len(stripped) - len(old)] + value
    m = re.match(r"(.*?\*\*[^*]+\*\*:?\s*)", line)
    return (m.group(1) if m else "") + value


def _active_focus_change(
    ledger: Ledger, doc: _Text, item: FocusItem, after_title: int
) -> list[tuple[int, str, bool]]:
    header = ledger.header
    dash = "—"
    text = f"{item.id} {dash} {item.title}" if item.title else item.id
    if header.active_focus_line is None:
        return [(after_title, f"**Active Focus:** {text}", True)]
    index = header.active_focus_line - 1
    line = doc.content(index)
    if re.match(r"\s*(?:[-*]\s+)?\*\*(?:Active|Current) Focus:?\*\*:?\s*$", line):
        # nanoBragg form: the focus items are bullets under the label; the first one counts.
        return [(index + 1, f"- `[{item.id}]` {dash} {item.title}".rstrip(), True)]
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
    return [(index, _replace_header_value(line, header.active_focus, text), False)]


# --- diffs ---------------------------------------------------------------------------------


def unified_diff(before: str, after: str, path: str) -> str:
    """A unified diff of two texts (what `--dry-run` prints)."""
    import difflib

    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )


def normalize_dialect(name: str | None) -> AttemptDialect | None:
    """`config.attempts.default_dialect` (validated when the configuration was read) as an
    `AttemptDialect`; None for `auto`."""
    return None if not name or name == "auto" else AttemptDialect(name)


__all__ = [
    "EditResult",
    "NewAttempt",
    "NewFocus",
    "add_attempt",
    "new_focus",
    "normalize_dialect",
    "plan_files",
    "plan_paths",
    "plan_templates",
    "write_plan_files",
    "set_field",
    "set_header",
    "timestamp_format",
    "unified_diff",
]
