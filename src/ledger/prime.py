"""What an agent needs at the start of a session, in at most 2 000 bytes (`ledger prime`).

A session-start hook (`ledger setup claude`) prints it into the agent's context, so it is small
and complete: the focus to work on (the header's Active Focus, else the first ready item as
`ledger next` ranks them) with its status, priority, dwell and tier and what that tier demands,
its return conditions, the next ready items, how many `ledger check` errors are open, and the
exact commands that record the loop. Everything is read from the model, the plan
(`ledger.planning`), the brief's tier demands (`ledger.brief`) and the checks; nothing here reads
files or git (the caller passes the dwell table and the findings).

When it does not fit, return conditions and ready items are dropped from the end and long texts
clipped, in fixed steps, and the last line says what was left out (`ledger brief ID` has it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .brief import TIER_DEMANDS
from .encoding import display
from .model import FocusItem, Ledger
from .planning import Plan, normalize_dwell, plan, status_detail
from .vocab import AttemptKind, Status, _Word
from .wording import plural

MAX_BYTES = 2000


@dataclass(frozen=True)
class LoopCommand:
    """A command of the loop and when to run it."""

    when: str
    command: str


# The commands that record a loop; `ID` is replaced by the focus the primer names.
LOOP_COMMANDS = (
    LoopCommand(
        "record each loop",
        'ledger attempt add ID --kind KIND --summary "what changed; selector run; result" '
        "[--result success|partial|failed|blocked] [--commit SHA] [--artifact PATH]",
    ),
    LoopCommand("when the status changes", 'ledger set ID --status STATUS --note "why"'),
    LoopCommand("before committing", "ledger check"),
    LoopCommand("after committing (publishes the dwell checkpoint)", "ledger dwell --push"),
    LoopCommand("more on the focus; what else is ready", "ledger brief ID; ledger next --explain"),
)


class FocusSource(_Word):
    """Why the primer names this focus."""

    header = "header"  # the header's Active Focus
    next = "next"  # no usable Active Focus: the first ready item


@dataclass(frozen=True)
class PrimeFocus:
    """The focus a session starts on."""

    id: str
    title: str
    status: str
    status_note: str
    priority: str | None
    dwell: int | None
    tier: int | None
    tier_demand: str | None
    return_conditions: list[str]
    source: FocusSource


@dataclass(frozen=True)
class ReadyItem:
    """One ready item, as `ledger next` ranks them."""

    id: str
    priority: str | None
    status: str
    title: str


@dataclass(frozen=True)
class _Content:
    """What the primer says, before it is written out and fitted."""

    file: str
    focus: PrimeFocus | None
    ready: list[ReadyItem]
    ready_total: int
    check_errors: int | None
    commands: list[LoopCommand]


@dataclass(frozen=True)
class Prime(_Content):
    """The primer's content (its focus and ready items as shown), its text, and what was left
    out to fit."""

    text: str
    omitted: list[str]

    @property
    def size(self) -> int:
        return len(self.text.encode("utf-8", "surrogateescape"))

    def as_dict(self) -> dict[str, Any]:
        """The `--json` form: the content as shown (clipped like the text), and the text."""
        from .model import to_json

        return {
            "file": self.file,
            "focus": to_json(self.focus) if self.focus else None,
            "ready": [to_json(r) for r in self.ready],
            "ready_total": self.ready_total,
            "check_errors": self.check_errors,
            "commands": to_json(self.commands),
            "text": self.text,
            "bytes": self.size,
            "max_bytes": MAX_BYTES,
            "omitted": self.omitted,
        }


def build_prime(
    ledger: Ledger,
    file: str,
    *,
    dwell: Mapping[str, Any] | None = None,
    check_errors: int | None = None,
    max_bytes: int = MAX_BYTES,
) -> Prime:
    """The primer of `ledger` (shown as `file`), never larger than `max_bytes` UTF-8 bytes.

    `dwell` is the `{id: {"dwell", "tier"}}` table of the ledger's history (None: not read);
    `check_errors` the number of `ledger check` errors (None: not checked)."""
    dwell_map = normalize_dwell(dwell)
    decided = plan(ledger, dwell_map)
    item, source = _focus_item(ledger, decided)
    focus = None
    if item is not None:
        n, tier = dwell_map.get(item.id, (0, 0) if dwell is not None else (None, None))
        if n is not None and tier is None:
            tier = 0
        focus = PrimeFocus(
            id=item.id,
            title=_one_line(item.title),
            status=item.status.value,
            status_note=_one_line(status_detail(item)),
            priority=item.priority.value if item.priority else None,
            dwell=n,
            tier=tier,
            tier_demand=TIER_DEMANDS.get(tier) if tier is not None else None,
            return_conditions=[_one_line(rc) for rc in item.return_conditions],
            source=source,
        )
    ready = [
        ReadyItem(
            c.id,
            c.priority.value if c.priority else None,
            c.item.status.value,
            _one_line(c.item.title),
        )
        for c in decided.ready
        if focus is None or c.id != focus.id
    ]
    commands = [
        LoopCommand(c.when, c.command.replace(" ID", f" {focus.id}")) if focus else c
        for c in LOOP_COMMANDS
    ]
    content = _Content(file, focus, ready, len(decided.ready), check_errors, commands)
    return _fit(content, max_bytes)


def _focus_item(ledger: Ledger, decided: Plan) -> tuple[FocusItem | None, FocusSource]:
    """The header's Active Focus when it names a focus item, else the first ready item."""
    active = ledger.header.active_focus_id
    item = ledger.get(active) if active else None
    if item is not None:
        return item, FocusSource.header
    if decided.ready:
        return decided.ready[0].item, FocusSource.next
    return None, FocusSource.next


# --- rendering and fitting ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Caps:
    """How much of each part one fitting step keeps (characters, counts)."""

    text: int  # a title, a status note, a return condition
    demand: int
    conditions: int
    ready: int


_STEPS = (
    _Caps(text=200, demand=300, conditions=4, ready=5),
    _Caps(text=140, demand=300, conditions=3, ready=4),
    _Caps(text=100, demand=200, conditions=2, ready=3),
    _Caps(text=70, demand=160, conditions=1, ready=2),
    _Caps(text=50, demand=120, conditions=0, ready=1),
)


def _fit(content: _Content, max_bytes: int) -> Prime:
    for caps in _STEPS:
        prime = _render(content, caps)
        if prime.size <= max_bytes:
            return prime
    # Still too long (a huge ID or path): cut the text at a character boundary.
    cut = _cut_bytes(prime.text, max_bytes - len(_CUT_NOTE.encode()))
    return _replace_text(prime, cut + _CUT_NOTE)


_CUT_NOTE = "\n… (cut to fit)\n"


def _render(content: _Content, caps: _Caps) -> Prime:
    omitted: list[str] = []
    lines = [f"# Ledger session: {content.file}", ""]
    focus = content.focus
    shown_focus = None
    if focus is None:
        lines.append("No focus item is ready (`ledger next --explain` says why).")
    else:
        shown_focus = _clipped_focus(focus, caps, omitted)
        lines.extend(_focus_lines(shown_focus))
    ready = content.ready[: caps.ready] if focus is not None else []
    if len(content.ready) > len(ready):
        omitted.append(plural(len(content.ready) - len(ready), "more ready item"))
    shown_ready = [
        ReadyItem(r.id, r.priority, r.status, _clip(r.title, caps.text // 2)) for r in ready
    ]
    lines.append("")
    if shown_ready:
        lines.append(f"Next ready ({content.ready_total} ready in all):")
        lines.extend(
            f"- {r.id} ({r.priority or 'no priority'}, {r.status}): {r.title}" for r in shown_ready
        )
    elif focus is not None:
        lines.append("No other focus item is ready.")
    if content.check_errors is not None:
        errors = content.check_errors
        lines.append(
            f"Open `ledger check` errors: {errors}"
            + (" (fix them before recording: `ledger check`, `ledger fix`)" if errors else "")
        )
    lines.append("")
    lines.append("The loop's commands (never edit the ledger by hand):")
    lines.extend(f"- {c.when}: `{c.command}`" for c in content.commands)
    lines.append(_WORDS)
    if omitted:
        lines.append(f"(left out to fit: {'; '.join(omitted)})")
    text = "\n".join(lines) + "\n"
    return Prime(
        file=content.file,
        focus=shown_focus,
        ready=shown_ready,
        ready_total=content.ready_total,
        check_errors=content.check_errors,
        commands=content.commands,
        text=text,
        omitted=omitted,
    )


# The words KIND and STATUS stand for, from the vocabularies.
_WORDS = (
    f"KIND: {', '.join(k.value for k in AttemptKind)}. "
    f"STATUS: {', '.join(s.value for s in Status if s is not Status.unknown)}."
)


def _clipped_focus(focus: PrimeFocus, caps: _Caps, omitted: list[str]) -> PrimeFocus:
    conditions = focus.return_conditions[: caps.conditions]
    if len(focus.return_conditions) > len(conditions):
        left = len(focus.return_conditions) - len(conditions)
        omitted.append(f"{plural(left, 'return condition')} (`ledger brief {focus.id}`)")
    return PrimeFocus(
        id=focus.id,
        title=_clip(focus.title, caps.text),
        status=focus.status,
        status_note=_clip(focus.status_note, caps.text),
        priority=focus.priority,
        dwell=focus.dwell,
        tier=focus.tier,
        tier_demand=_clip(focus.tier_demand, caps.demand) if focus.tier_demand else None,
        return_conditions=[_clip(rc, caps.text) for rc in conditions],
        source=focus.source,
    )


def _focus_lines(focus: PrimeFocus) -> list[str]:
    how = (
        "Active focus"
        if focus.source is FocusSource.header
        else "Focus (no Active Focus in the header; the first ready item)"
    )
    status = focus.status + (f" — {focus.status_note}" if focus.status_note else "")
    lines = [
        f"{how}: [{focus.id}] {focus.title}",
        f"- Status: {status}",
        f"- Priority: {focus.priority or 'none'}",
    ]
    if focus.dwell is None:
        lines.append("- Dwell: not read (no git history)")
    else:
        lines.append(f"- Dwell: {focus.dwell}, tier {focus.tier}: {focus.tier_demand}")
    if focus.return_conditions:
        lines.append("- Return conditions:")
        lines.extend(f"  - {rc}" for rc in focus.return_conditions)
    else:
        lines.append("- Return conditions: none")
    return lines


def _replace_text(prime: Prime, text: str) -> Prime:
    from dataclasses import replace

    return replace(prime, text=text, omitted=[*prime.omitted, "the end of the text"])


def _one_line(text: str) -> str:
    """One line, as it was meant to read (mojibake repaired for display)."""
    return " ".join(display(text).split())


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)].rstrip() + "…"


def _cut_bytes(text: str, limit: int) -> str:
    data = text.encode("utf-8", "surrogateescape")[: max(0, limit)]
    return data.decode("utf-8", "ignore")


__all__ = [
    "LOOP_COMMANDS",
    "MAX_BYTES",
    "FocusSource",
    "LoopCommand",
    "Prime",
    "PrimeFocus",
    "ReadyItem",
    "build_prime",
]
