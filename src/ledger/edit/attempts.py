"""`add_attempt`: learn how a focus writes its attempts, render the new one that way, place it.

The style (dialect, indentation, bullet, timestamp format, label, dash) is learned from the
focus's existing attempts; a focus with none gets the configured default dialect, else the one
the rest of the ledger uses. The entry goes where the focus keeps its attempts, in the order the
section already uses (newest first or oldest first), as one inserted run of lines.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from ..document import Document, Splice, heading_text
from ..errors import EditRefused, UsageError
from ..model import Attempt, BlockKind, FocusItem, Ledger
from ..timestamps import DEFAULT_FORMAT, timestamp_format, utc
from ..views import require_focus
from ..vocab import AttemptDialect
from .result import (
    EditResult,
    NewAttempt,
    bullet_of,
    finish,
    majority,
    mojibake_warning,
    refuse_lost_heading,
)

# Dialects written as bullets nested under an `Attempts History:` field.
_NESTED = (AttemptDialect.numbered, AttemptDialect.dated, AttemptDialect.italic)
# What may end a summary's sentence before the one-line extras (`Artifacts: …`) follow it.
_SENTENCE_ENDS = (".", "!", "?", ";", ":")
# Formats the parser reads back; used when a focus has no attempt to copy a format from.
_DIALECT_FORMATS = {
    AttemptDialect.numbered: "%Y-%m-%d",
    AttemptDialect.heading: "%Y-%m-%dT%H:%MZ",
}


@dataclass(frozen=True)
class AttemptStyle:
    """How a focus writes its attempts, learned from the existing ones."""

    dialect: AttemptDialect
    ts_format: str
    indent: str = ""
    bullet: str = "- "
    dash: str = "—"
    label: str = "Latest Attempt"
    brackets: bool = True
    heading_level: int = 3
    # numbered: the entries say `— Result: …` (the nanoBragg template), so a new one does too
    result_key: bool = True


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
    if not force:
        refuse_lost_heading(focus)
    if not focus.form.is_ledger_section:  # a dated note nested under the item
        from .forms import item_attempt

        index, lines = item_attempt(
            ledger, focus, attempt, utc(attempt.timestamp or now), default_timestamp_format
        )
        result = finish(ledger, [Splice.insert(index, lines)], focus.id)
        return replace(result, attempt=_new_attempt(result, index, len(lines)))
    doc = ledger.document
    anchors = [a for a in focus.attempts if a.dialect.is_writable]
    if anchors:
        style = style_from(anchors, doc)
    else:
        style = _empty_focus_style(ledger, focus, default_dialect, default_timestamp_format)
    warnings = mojibake_warning(ledger, focus)
    lines = render(style, attempt, utc(attempt.timestamp or now), focus)
    index = _attempt_position(ledger, focus, anchors, style)
    if style.dialect == AttemptDialect.heading:
        lines = _pad_heading_block(doc, index, lines)
    elif style.dialect in _NESTED and not anchors and focus.field("attempts history") is None:
        # Nested entries only count as attempts under an `Attempts History:` field.
        lines = [f"{bullet_of(focus)}Attempts History:", *lines]
    result = finish(ledger, [Splice.insert(index, lines)], focus_id, warnings)
    return replace(result, attempt=_new_attempt(result, index, len(lines)))


def normalize_dialect(name: str | None) -> AttemptDialect | None:
    """`config.attempts.default_dialect` (validated when the configuration was read) as an
    `AttemptDialect`; None for `auto`."""
    return None if not name or name == "auto" else AttemptDialect(name)


def _new_attempt(result: EditResult, index: int, count: int) -> Attempt | None:
    """The attempt the parser reads back from the inserted lines."""
    focus = result.focus
    if focus is None:
        return None
    lo, hi = index + 1, index + count
    return next((a for a in focus.attempts if lo <= a.line <= hi), None)


# --- style ---------------------------------------------------------------------------------


def style_from(anchors: list[Attempt], doc: Document) -> AttemptStyle:
    """The style of the most used dialect among `anchors` (at least one), copied from the last
    such entry."""
    dialect = majority([a.dialect for a in anchors])
    assert dialect is not None  # every attempt has a dialect, and callers pass at least one
    same = [a for a in anchors if a.dialect == dialect]
    first_line = doc.content(same[-1].line - 1)
    ts_format = majority([timestamp_format(a.timestamp_text) for a in same], DEFAULT_FORMAT)
    stripped = first_line.lstrip(" \t")
    style = AttemptStyle(dialect=dialect, ts_format=ts_format)
    if dialect == AttemptDialect.heading:
        level = len(stripped) - len(stripped.lstrip("#"))
        return replace(style, heading_level=level, bullet="")
    bullet = stripped[:2] if stripped[:2] in ("- ", "* ") else "- "
    style = replace(style, indent=first_line[: len(first_line) - len(stripped)], bullet=bullet)
    if dialect == AttemptDialect.latest:
        labels = [re.sub(r"\s*\[.*", "", a.label).strip() for a in same]
        label = majority(labels, "Latest Attempt")
        style = replace(
            style, label="Latest Attempt" if label.lower() == "latest attempt" else label
        )
    if dialect == AttemptDialect.dated:
        style = replace(style, brackets=stripped[2:3] == "[")
    if dialect == AttemptDialect.numbered:
        style = replace(style, result_key=majority([a.result is not None for a in same], True))
    return style


def _ledger_dialect(ledger: Ledger) -> AttemptDialect | None:
    """The dialect most attempts of the ledger are written in."""
    dialects = [a.dialect for f in ledger.focus_items for a in f.attempts if a.dialect.is_writable]
    return majority(dialects)


def _empty_focus_style(
    ledger: Ledger,
    focus: FocusItem,
    default_dialect: AttemptDialect | None,
    default_format: str | None,
) -> AttemptStyle:
    """A focus without attempts: the configured dialect, else the one the ledger uses, copied
    from the other focus items' attempts when they use it."""
    dialect = default_dialect or _ledger_dialect(ledger) or AttemptDialect.latest
    elsewhere = [a for f in ledger.focus_items for a in f.attempts if a.dialect == dialect][-50:]
    if elsewhere and dialect != AttemptDialect.heading:
        style = style_from(elsewhere, ledger.document)
        return replace(style, ts_format=default_format or style.ts_format)  # configured wins
    return _default_style(focus, dialect, default_format)


def _default_style(focus: FocusItem, dialect: AttemptDialect, fmt: str | None) -> AttemptStyle:
    style = AttemptStyle(
        dialect=dialect, ts_format=fmt or _DIALECT_FORMATS.get(dialect, DEFAULT_FORMAT)
    )
    if dialect in _NESTED:
        bullet = "- " if dialect == AttemptDialect.italic else "* "
        return replace(style, indent="  ", bullet=bullet)
    if dialect == AttemptDialect.heading:
        return replace(style, heading_level=focus.level + 1 if focus.has_section else 3, bullet="")
    return style


# --- rendering -----------------------------------------------------------------------------


def render(style: AttemptStyle, attempt: NewAttempt, when: datetime, focus: FocusItem) -> list[str]:
    """The entry's lines (no line endings) in the focus's dialect."""
    ts = when.strftime(style.ts_format)
    summary_lines = [s.rstrip() for s in attempt.summary.strip().splitlines()]
    if style.dialect == AttemptDialect.heading:
        return _render_heading(style, attempt, ts, focus, summary_lines)
    first, rest = summary_lines[0], [s for s in summary_lines[1:] if s.strip()]
    trailers = _trailers(attempt, inline=style.dialect != AttemptDialect.numbered)
    if style.dialect == AttemptDialect.latest:
        line = style.bullet + _latest_head(style, attempt, ts) + first
        cont_indent = "  "
    else:
        if style.dialect == AttemptDialect.numbered:
            line = _numbered_line(style, attempt, ts, focus, first)
        else:
            line = _labelled_line(style, attempt, ts, first)
        cont_indent = style.indent + " " * len(style.bullet)
    if style.dialect != AttemptDialect.numbered and trailers and not rest:
        # One-line dialects keep the entry on one line: the summary ends its sentence first, so
        # `…guard GREEN` does not run into `Artifacts: …`.
        end = "" if line.rstrip().endswith(_SENTENCE_ENDS) else "."
        line = f"{line.rstrip()}{end} {trailers[0]}"
        trailers = []
    return [line] + [cont_indent + r.lstrip() for r in rest] + [cont_indent + t for t in trailers]


def _latest_head(style: AttemptStyle, attempt: NewAttempt, ts: str) -> str:
    """`Latest Attempt (ts): kind (result) — ` (the parts the attempt has)."""
    head = f"{style.label} ({ts}): "
    kind, dash = attempt.kind, style.dash
    if kind:
        return head + (
            f"{kind} ({attempt.result}) {dash} " if attempt.result else f"{kind} {dash} "
        )
    if attempt.result:
        return head + f"Result: {attempt.result}. "
    return head


def _numbered_line(
    style: AttemptStyle, attempt: NewAttempt, ts: str, focus: FocusItem, first: str
) -> str:
    """`* [date] Attempt #N (actor) — Result: r (kind). text`, numbered after the focus's last.

    Without a result, a focus whose entries say `Result:` gets the kind in that place
    (`Result: planning.`, as its galph loops write `Result: planning baseline`); the parser reads
    the kind back from either place."""
    number = max((a.number or 0 for a in focus.attempts), default=0) + 1
    actor = f" ({attempt.actor})" if attempt.actor else ""
    kind, result = attempt.kind, attempt.result
    if result:
        what = f"Result: {result}" + (f" ({kind})" if kind else "") + ". "
    elif kind:
        what = f"Result: {kind}. " if style.result_key else f"{kind}: "
    else:
        what = ""
    return f"{style.indent}{style.bullet}[{ts}] Attempt #{number}{actor} {style.dash} {what}{first}"


def _labelled_line(style: AttemptStyle, attempt: NewAttempt, ts: str, first: str) -> str:
    """Dated and italic entries carry the kind (and result) as the parenthesised label."""
    label = "; ".join(x for x in (attempt.kind, attempt.result) if x)
    label_text = f" ({label})" if label else ""
    if style.dialect == AttemptDialect.italic:
        return f"{style.indent}{style.bullet}*{ts}{label_text}:* {first}"
    stamp = f"[{ts}]" if style.brackets else ts
    return f"{style.indent}{style.bullet}{stamp}{label_text} {style.dash} {first}"


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
    style: AttemptStyle, attempt: NewAttempt, ts: str, focus: FocusItem, summary: list[str]
) -> list[str]:
    label = f" ({attempt.kind})" if attempt.kind else ""
    out = [f"{'#' * style.heading_level} {ts} {style.dash} {focus.id}{label}"]
    out += [f"**Action:** {summary[0]}", *summary[1:]]
    if attempt.result:
        out += ["", f"**Result:** {attempt.result}"]
    if attempt.actor:
        out += ["", f"**Actor:** {attempt.actor}"]
    if attempt.artifacts:
        out += ["", "**Artifacts:**"] + [f"- `{a}`" for a in attempt.artifacts]
    if attempt.commits:
        out += ["", "**Commits:** " + ", ".join(f"`{c}`" for c in attempt.commits)]
    return out


# --- placement -----------------------------------------------------------------------------


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
    ledger: Ledger, focus: FocusItem, anchors: list[Attempt], style: AttemptStyle
) -> int:
    """0-based line index before which the new attempt goes."""
    doc = ledger.document
    same = [a for a in anchors if a.dialect == style.dialect]
    if same:
        if _in_log(focus, same[-1]):
            return _log_position(ledger)
        if _newest_first(same):
            return same[0].line - 1
        return same[-1].end_line
    if style.dialect == AttemptDialect.heading and not focus.has_section:
        return _log_position(ledger)
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


# Dialects of the reset layout's shared log (`parse.reset`).
_LOG_DIALECTS = (AttemptDialect.heading, AttemptDialect.bold)


def _in_log(focus: FocusItem, a: Attempt) -> bool:
    """`a` is an entry of the reset layout's shared log (not one written inside a section)."""
    if a.dialect not in _LOG_DIALECTS:
        return False
    return not (focus.has_section and focus.line <= a.line <= focus.end_line)


def _log_position(ledger: Ledger) -> int:
    """Reset layout: where the shared log continues. The loop appends wherever it writes next
    (under `## TODOs`, after a `---`), so the new entry goes after the log's last entry in the
    file, or before its first in a log kept newest first; an empty log starts at the end of
    `## Attempts History`."""
    log = sorted(
        (a for f in ledger.focus_items for a in f.attempts if _in_log(f, a)),
        key=lambda a: a.line,
    )
    if log:
        return log[0].line - 1 if _newest_first(log) else log[-1].end_line
    doc = ledger.document
    history = None
    for b in ledger.blocks:
        title = heading_text(doc, b.line - 1) or ""
        if b.kind == BlockKind.group and title.lower().startswith("attempts history"):
            history = b
    if history is None:
        raise EditRefused("the ledger has no `Attempts History` heading to add the attempt under")
    return doc.last_content_line(history.line - 1, history.end_line) + 1


def _pad_heading_block(doc: Document, index: int, lines: list[str]) -> list[str]:
    """Heading blocks are separated by blank lines: add one on whichever side lacks it."""
    out = list(lines)
    if index > 0 and doc.contents[index - 1].strip():
        out.insert(0, "")
    if index < len(doc) and doc.contents[index].strip():
        out.append("")
    return out
