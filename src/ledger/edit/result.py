"""What every edit shares: the request records, the result, and the splice-then-re-parse step.

An edit computes a list of `Splice`s against the parsed ledger's `Document`; `finish` applies
them with `Document.splice` (the one way to change lines), re-parses the new text and reports
the lines it wrote. The refusals and warnings every edit gives (a section that swallowed a lost
heading, mojibake around the edit) and the style helpers the edits share live here too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar, overload

from ..document import Document, Splice
from ..encoding import has_mojibake
from ..errors import EditRefused, UsageError
from ..model import Attempt, FocusItem, Ledger
from ..parse import loads
from ..vocab import Priority

T = TypeVar("T")


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
class NewFocus:
    """A focus item to add: ID, title and the fields the user gave."""

    id: str
    title: str
    priority: Priority | str | None = None
    depends_on: tuple[str, ...] = ()
    owner: str | None = None
    status: str = "pending"


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


# --- applying the splices ------------------------------------------------------------------


def finish(
    ledger: Ledger,
    changes: Sequence[Splice],
    focus_id: str | None = None,
    warnings: tuple[str, ...] = (),
) -> EditResult:
    """Apply `changes` to the ledger's document, re-parse, and report the lines written.

    A replacement that would write the line as it already is counts as no change. Insertions at
    the same place land in the order they are listed. `focus` is the copy of `focus_id` holding
    the first written line (else its first copy); warnings are kept only when a line was
    written."""
    doc = ledger.document
    effective = _merged(doc, changes)
    written = _written_lines(effective)
    if not written:
        return EditResult(
            text=ledger.text, ledger=ledger, line=1, focus=_focus(ledger, focus_id, 1)
        )
    text = doc.splice(effective)
    new = loads(text)
    first = written[0][0] + 1
    return EditResult(
        text=text,
        ledger=new,
        added_lines=[content for _, content in written],
        line=first,
        focus=_focus(new, focus_id, first),
        warnings=warnings,
    )


def _merged(doc: Document, changes: Sequence[Splice]) -> list[Splice]:
    """The changes that change something, with insertions at one place joined in list order."""
    out: list[Splice] = []
    inserts: dict[int, int] = {}  # insertion point -> its position in `out`
    for change in changes:
        if change.start == change.stop:
            if change.start in inserts:
                k = inserts[change.start]
                out[k] = Splice.insert(change.start, out[k].lines + change.lines)
                continue
            inserts[change.start] = len(out)
        elif tuple(doc.contents[change.start : change.stop]) == change.lines:
            continue
        out.append(change)
    return out


def _written_lines(changes: list[Splice]) -> list[tuple[int, str]]:
    """(0-based index in the new text, content) of every line the changes write, in order."""
    shift = 0
    written: list[tuple[int, str]] = []
    for change in sorted(changes, key=lambda c: (c.start, c.stop)):
        written.extend((change.start + shift + k, line) for k, line in enumerate(change.lines))
        shift += len(change.lines) - (change.stop - change.start)
    return written


def _focus(ledger: Ledger, focus_id: str | None, line: int) -> FocusItem | None:
    if not focus_id:
        return None
    copies = ledger.all_named(focus_id)
    inside = next((f for f in copies if f.line <= line <= f.end_line), None)
    return inside or (copies[0] if copies else None)


# --- refusals and warnings -----------------------------------------------------------------


def lost_heading_line(focus: FocusItem) -> int | None:
    """The line where a focus's section seems to hold another focus whose heading was lost: a
    second Status/Priority/Owner-Date run (what `ledger check` reports as LDG102)."""
    from ..checks import lost_heading_runs

    starts = lost_heading_runs(focus)
    return focus.fields[starts[0]].line if starts else None


def refuse_lost_heading(focus: FocusItem) -> None:
    """`EditRefused` when the section seems to have swallowed another focus (see above)."""
    lost = lost_heading_line(focus) if focus.has_section else None
    if lost is None:
        return
    raise EditRefused(
        f"the section of {focus.id} (line {focus.line}) seems to hold another focus whose "
        f"heading was lost (a second Status/Priority run at line {lost}); the attempt could "
        "land in the wrong focus, so nothing was written",
        hint=f"restore the missing `## [ID] Title` heading above line {lost} "
        "(`ledger check` names it), or pass --force to write into this section anyway",
    )


def mojibake_warning(ledger: Ledger, focus: FocusItem | None) -> tuple[str, ...]:
    """Say once that the text around the edit is mojibake (the new text is clean UTF-8)."""
    if focus is not None:
        where = section_text(ledger, focus)
    else:  # the header: everything before the first section
        first = min(
            (f.line for f in ledger.focus_items if f.has_section), default=len(ledger.document) + 1
        )
        where = ledger.document.span(0, first - 1)
    if not has_mojibake(where):
        return ()
    what = f"the section of {focus.id} (line {focus.line})" if focus is not None else "the header"
    message = (
        f"{what} is stored as mojibake (UTF-8 once read as Mac Roman); the new text was written "
        "as clean UTF-8, and `ledger fix` repairs the rest"
    )
    return (message,)


def section_text(ledger: Ledger, focus: FocusItem) -> str:
    """The text of a focus's section (its attempts' text when it has no section)."""
    if focus.has_section:
        return ledger.document.span(focus.line - 1, focus.end_line)
    return "".join(a.text for a in focus.attempts) or ledger.text[:4000]


# --- style helpers shared by the edits -----------------------------------------------------


@overload
def majority(values: Sequence[T | None]) -> T | None: ...
@overload
def majority(values: Sequence[T | None], default: T) -> T: ...
def majority(values: Sequence[T | None], default: T | None = None) -> T | None:
    """The most common non-None value (`default` when there is none); ties go to the one seen
    last (the ledger's most recent way of writing it)."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return default
    best = max(counts.values())
    return [v for v in values if v is not None and counts[v] == best][-1]


def bullet_of(focus: FocusItem) -> str:
    """The bullet (`- ` or `* `) most of the focus's fields use."""
    return majority([f.bullet for f in focus.fields if f.bullet], "- ")


def priority_word(value: Priority | str) -> str:
    """A priority as ledgers write it (`high` -> `High`); `UsageError` for an unknown one."""
    priority = value if isinstance(value, Priority) else Priority.choose(value)
    if priority is None:
        choices = ", ".join(p.value for p in Priority)
        raise UsageError(f"unknown priority {value!r} (choose from {choices})")
    return priority.value


def unified_diff(before: str, after: str, path: str) -> str:
    """A unified diff of two texts (what `--dry-run` prints)."""
    import difflib  # only `--dry-run` needs it

    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )
