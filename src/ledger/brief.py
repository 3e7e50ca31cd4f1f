"""A compact Markdown brief of one focus item, sized for an agent's prompt.

The brief carries what an agent needs to act on a focus without reading the ledger. First the
head: ID and title, status, priority, dwell and tier (with what a *flagged* tier demands; a
parked or closed focus is told why no tier advice applies), dependencies with *their* statuses,
the items that depend on this one, and the blocking cycles through it. Then every field of the
focus, in `SECTION_ORDER`: return conditions, error signature, root cause, impact, repro, scope,
the Do Now, the item's sub-steps (its nested checkboxes), the working plan, exit criteria,
notes, then every other field in document order; and last, the latest attempts, newest first.

Text is shown as it was meant to read: mojibake is repaired here, at the presentation boundary
(`ledger.encoding.display`); the model and the file keep their bytes.

It is never larger than `max_bytes` (UTF-8). When everything does not fit, every text is first
shortened a little, then parts are left out, the least important first: the older attempts
(oldest first), the fields `SECTION_ORDER` does not name (from the last), the newest attempt,
then the named sections from the last one up (notes, exit criteria, ... the return conditions
last); at each step deeper cuts of the text are tried before one more part is left out. A
closing line says exactly what was shortened and what was left out, and points to
`ledger show ID` for the rest.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .depgraph import DependencyGraph, EdgeKind, cycle_name
from .encoding import display
from .errors import UsageError
from .model import Attempt, AttemptDialect, Field, FocusItem, Ledger
from .planning import status_detail, word_detail
from .views import attempts_newest_first
from .vocab import first_word
from .wording import plural

if TYPE_CHECKING:  # pragma: no cover
    from .dwell import DwellMark

DEFAULT_MAX_BYTES = 4000
DEFAULT_ATTEMPTS = 3
MIN_MAX_BYTES = 300

TIER_DEMANDS = {
    0: "no dwell limit reached",
    1: "the next turn must hand over runnable code work (a production code task with its test "
    "selector) or switch focus and record the blocker",
    2: "document the precise blocker (Do Now, exact command, minimal error signature) and spin "
    "off a new blocker focus item, or mark this focus blocked with a return condition",
    3: "stop planning this focus: mark it blocked_escalation, record the escalation, and switch "
    "to the highest-priority non-blocked focus",
}

# Why a parked or closed focus gets no tier advice (`{status}`: its status word).
STATE_NOTES = {
    "parked": "{status} records a decision to wait, so the tier is reported, not flagged",
    "closed": "{status}: nothing more is expected of this focus, so the tier is not flagged",
    "removed": "no longer in the ledger at HEAD, so the tier is not flagged",
}

_DO_NOW_FIELDS = ("do now", "next actions", "immediate next actions")
_RETURN_FIELDS = ("return condition", "return conditions")
# The head shows these (status and priority with their notes, dependencies with their statuses).
_HEAD_FIELDS = frozenset({"status", "priority", "depends on"})

# The order of the sections after the head, by field name (lower case). Fields named nowhere
# here follow in document order. The return conditions and the Do Now have slots of their own.
SECTION_ORDER: tuple[tuple[str, ...], ...] = (
    _RETURN_FIELDS,
    ("error signature",),
    ("root cause",),
    ("impact",),
    ("repro", "reproduction"),
    ("scope",),
    _DO_NOW_FIELDS,
    ("steps",),  # an item's nested checkboxes
    ("working plan", "plan reference", "plan references", "plan"),
    ("exit criteria",),
    ("notes",),
)
_RANK = {name: rank for rank, names in enumerate(SECTION_ORDER) for name in names}
_RETURN_RANK = _RANK["return conditions"]
_DO_NOW_RANK = _RANK["do now"]
_REST_RANK = len(SECTION_ORDER)


@dataclass(frozen=True)
class BriefField:
    """A field the brief shows as a section: its heading, where it is, and its text."""

    name: str
    line: int
    text: str
    rank: int  # its place in `SECTION_ORDER` (`_REST_RANK` for the others)


@dataclass(frozen=True)
class BriefData:
    """Everything a brief shows, as plain values (the JSON form of `ledger brief`)."""

    id: str
    title: str
    line: int
    status: str
    status_note: str
    priority: str | None
    priority_note: str
    dwell: int | None
    tier: int | None
    dwell_state: str | None
    tier_demand: str | None
    depends_on: list[dict[str, Any]]
    dependents: list[str]
    cycles: list[str]
    return_conditions: list[str]
    do_now: str | None
    working_plan: str | None
    fields: list[BriefField]  # the other sections, in brief order
    attempts: list[dict[str, Any]]
    attempts_total: int


@dataclass
class Brief:
    """The rendered Markdown, its size, and what had to be left out to fit."""

    data: BriefData
    markdown: str
    max_bytes: int
    omitted: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.markdown.encode("utf-8", "surrogateescape"))

    def as_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        data = asdict(self.data)
        data["fields"] = [{k: f[k] for k in ("name", "line", "text")} for f in data["fields"]]
        return {
            **data,
            "markdown": self.markdown,
            "bytes": self.size,
            "max_bytes": self.max_bytes,
            "omitted": self.omitted,
        }


def brief_data(
    ledger: Ledger,
    item: FocusItem,
    attempts: int = DEFAULT_ATTEMPTS,
    dwell: DwellMark | None = None,
    graph: DependencyGraph | None = None,
) -> BriefData:
    """Collect the brief's content from the model and its dependency graph (no size limit
    applied yet). Cycles are the blocking cycles through this focus (decision 0080)."""
    graph = graph or DependencyGraph.of(ledger)
    deps = []
    for edge in graph.edges_from(item.id, (EdgeKind.depends_on,)):
        target = graph.nodes[edge.target]
        deps.append(
            {
                "id": edge.target,
                "status": target.status.value if target.status is not None else None,
                "met": not target.external and not edge.open,
                "in_ledger": not target.external,
            }
        )
    cycles = [c for c in graph.cycles(blocking=True) if item.id in c.ids]
    chosen = attempts_newest_first(item)[: max(0, attempts)]
    do_now = _do_now(item)
    return BriefData(
        id=item.id,
        title=_one_line(display(item.title)),
        line=item.line,
        status=item.status.value,
        status_note=_one_line(status_detail(item)),
        priority=item.priority.value if item.priority and _priority_by_word(item) else None,
        priority_note=_priority_note(item),
        dwell=dwell.dwell if dwell else None,
        tier=dwell.tier if dwell else None,
        dwell_state=dwell.state.value if dwell else None,
        tier_demand=_tier_demand(item, dwell),
        depends_on=deps,
        dependents=graph.dependents(item.id),
        cycles=[cycle_name(c.rotated(item.id)) for c in cycles],
        return_conditions=[_one_line(display(rc)) for rc in item.return_conditions],
        do_now=_field_body(do_now) if do_now else None,
        working_plan=_working_plan(item),
        fields=_fields(item, do_now),
        attempts=[_attempt(a) for a in chosen],
        attempts_total=len(item.attempts),
    )


def build_brief(
    ledger: Ledger,
    item: FocusItem,
    *,
    attempts: int = DEFAULT_ATTEMPTS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    dwell: DwellMark | None = None,
) -> Brief:
    """The brief of `item`, never larger than `max_bytes` UTF-8 bytes."""
    if max_bytes < MIN_MAX_BYTES:
        raise UsageError(f"--max-bytes must be at least {MIN_MAX_BYTES} (got {max_bytes})")
    if attempts < 0:
        raise UsageError(f"--attempts must be 0 or more (got {attempts})")
    data = brief_data(ledger, item, attempts, dwell)
    return fit(data, max_bytes)


# --- fitting ------------------------------------------------------------------------------------

# Character caps tried in turn until the brief fits: (attempt text, a section's text (Do Now,
# fields), one return condition, short values such as title/status/deps). The first step is
# generous; later ones cut deeper.
_STEPS = (
    (1500, 1500, 600, 300),
    (800, 1000, 400, 200),
    (500, 700, 300, 160),
    (300, 500, 200, 120),
    (180, 300, 140, 100),
    (100, 200, 100, 80),
)
Caps = tuple[int, int, int, int]


@dataclass(frozen=True)
class _Section:
    """A section after the head as the renderer sees it (in brief order)."""

    rank: int
    name: str
    field: int | None = None  # the index of its `BriefField` in `BriefData.fields`


def _sections(data: BriefData) -> list[_Section]:
    out = [_Section(f.rank, f.name, i) for i, f in enumerate(data.fields)]
    if data.return_conditions:
        out.append(_Section(_RETURN_RANK, "Return conditions"))
    if data.do_now:
        out.append(_Section(_DO_NOW_RANK, "Do Now"))
    return sorted(out, key=lambda s: s.rank)  # stable: fields of one rank keep document order


def fit(data: BriefData, max_bytes: int) -> Brief:
    """Render `data`, shortening and leaving out parts until it fits in `max_bytes`."""
    sections = _sections(data)
    cuts = _cuts(len(data.attempts), sections)
    tries = [(caps, cuts[0]) for caps in _STEPS[:4]]
    tries += [(caps, keep) for keep in cuts[1:] for caps in _STEPS]
    for caps, keep in tries:
        md, omitted, trimmed = _render(data, sections, caps, keep)
        if _size(md) <= max_bytes:
            return Brief(trimmed, md, max_bytes, omitted)
    # Last resort: the head alone at the deepest cut, ended at a line boundary, note kept.
    md, omitted, trimmed = _render(data, sections, _STEPS[-1], cuts[-1], note=False)
    omitted = [*omitted, "the end of the brief (cut to the byte limit)"]
    note = _omitted_note(data, omitted)
    body = _cut_bytes(md, max_bytes - _size(note) - 1)
    return Brief(trimmed, body + "\n" + note, max_bytes, omitted)


Keep = tuple[int, int]  # how many attempts (newest first) and sections (in order) are shown


def _cuts(attempts: int, sections: list[_Section]) -> list[Keep]:
    """What is shown at each step, least important part left out first: the older attempts
    (oldest first), the fields `SECTION_ORDER` does not name (last first), the newest attempt,
    then the named sections from the last one up (the return conditions last)."""
    named = sum(1 for s in sections if s.rank < _REST_RANK)
    steps = [(n, len(sections)) for n in range(attempts, 0, -1)] or [(0, len(sections))]
    steps += [(min(attempts, 1), k) for k in range(len(sections) - 1, named - 1, -1)]
    if attempts:
        steps.append((0, named))
    steps += [(0, k) for k in range(named - 1, -1, -1)]
    return steps


def _render(
    data: BriefData, sections: list[_Section], caps: Caps, keep: Keep, note: bool = True
) -> tuple[str, list[str], BriefData]:
    """The Markdown showing the first `keep` attempts and sections with texts cut to `caps`;
    what was left out; and the data as this rendering shows it (so `--json` is bounded too)."""
    att_cap, text_cap, rc_cap, short = caps
    keep_attempts, keep_sections = keep
    clipped: list[str] = []
    out = [f"# [{data.id}] {_clip(data.title, short, clipped, 'title')}", ""]
    status = data.status
    if data.status_note:
        status += f" — {_clip(data.status_note, short, clipped, 'status note')}"
    out.append(f"- Status: {status}")
    priority = data.priority or ""
    if data.priority_note:  # `High (blocks X)`, or a value that names no priority as it is
        said = _clip(data.priority_note, short, clipped, "priority note")
        priority = f"{priority} ({said})" if priority else said
    out.append(f"- Priority: {priority or 'none'}")
    out.append(_dwell_line(data))
    deps = _id_list(
        [f"{d['id']} ({d['status'] or 'not a focus item'})" for d in data.depends_on],
        short * 3,
        clipped,
        "dependencies",
    )
    out.append(f"- Depends on: {deps or 'nothing'}")
    dependents = _id_list(data.dependents, short * 3, clipped, "dependents")
    out.append(f"- Depended on by: {dependents or 'nothing'}")
    for name in data.cycles:  # the reason this focus can never become ready as things stand
        out.append(f"- Cycle: {_clip(name, short * 3, clipped, 'cycle')}")

    shown: dict[str, Any] = {"return_conditions": [], "do_now": None, "fields": []}
    for section in sections[:keep_sections]:
        out += ["", f"## {section.name}"]
        if section.field is not None:
            f = data.fields[section.field]
            text = _clip_block(f.text, text_cap, clipped, f.name)
            shown["fields"].append(replace(f, text=text))
            out.append(text)
        elif section.rank == _RETURN_RANK:
            rcs = [_clip(rc, rc_cap, clipped, "return conditions") for rc in data.return_conditions]
            shown["return_conditions"] = rcs
            out += [f"- {rc}" for rc in rcs]
        else:
            shown["do_now"] = _clip_block(data.do_now or "", text_cap, clipped, "Do Now")
            out.append(shown["do_now"])

    attempts = [
        {**a, "text": _clip(a["text"], att_cap, clipped, "attempt text")}
        for a in data.attempts[:keep_attempts]
    ]
    if data.attempts_total:
        out += ["", f"## Last attempts ({len(attempts)} of {data.attempts_total}, newest first)"]
        for a in attempts:
            head = f"- {a['timestamp_text'] or 'undated'} · {a['label']}"
            if a["kind"]:
                head += f" · {a['kind']}"
            out.append(head + f" (line {a['line']})")
            out.append(f"  {a['text']}" if a["text"] else "  (no text)")

    omitted = []
    if clipped:
        omitted.append("shortened: " + ", ".join(dict.fromkeys(clipped)))
    for section in sections[keep_sections:]:
        if section.field is None and section.rank == _RETURN_RANK:
            omitted.append(plural(len(data.return_conditions), "return condition"))
        else:
            omitted.append(f"the {section.name}")
    hidden = data.attempts_total - len(attempts)
    if hidden:
        omitted.append(plural(hidden, "older attempt"))
    md = "\n".join(out) + "\n"
    if omitted and note:
        md += _omitted_note(data, omitted)
    trimmed = replace(data, attempts=attempts, **shown)
    return md, omitted, trimmed


def _dwell_line(data: BriefData) -> str:
    if data.dwell is None:
        return "- Dwell: unknown (git history not read)"
    if data.dwell_state in ("flagged", "clear"):
        return f"- Dwell: {data.dwell} (Tier {data.tier}): {data.tier_demand}"
    return f"- Dwell: {data.dwell} (Tier {data.tier}, {data.dwell_state}): {data.tier_demand}"


def _omitted_note(data: BriefData, omitted: list[str]) -> str:
    return f"\n_Left out to fit: {'; '.join(omitted)}. Full text: `ledger show {data.id}`._\n"


# --- content helpers ----------------------------------------------------------------------------


def _tier_demand(item: FocusItem, dwell: DwellMark | None) -> str | None:
    """What the tier asks of the agent; for a parked or closed focus, why it asks nothing."""
    if dwell is None:
        return None
    note = STATE_NOTES.get(dwell.state.value)
    if note is not None:
        return note.format(status=item.status.value)
    return TIER_DEMANDS.get(dwell.tier)


def _priority_by_word(item: FocusItem) -> bool:
    """Whether the priority is written as its word (`High …`), not as a level (`P1`, `Tier 0`,
    `Priority 2`), which the brief shows as written."""
    return (
        item.priority is not None and first_word(item.priority_text) == item.priority.value.lower()
    )


def _priority_note(item: FocusItem) -> str:
    """What the Priority value says after its word (`High (blocks X)` -> `blocks X`); the whole
    value when it names no priority by its word."""
    if not _priority_by_word(item):
        return _one_line(display(item.priority_text))
    return _one_line(word_detail(item.priority_text))


def _fields(item: FocusItem, do_now: Field | None) -> list[BriefField]:
    """Every field the head, the return conditions and the Do Now do not already show, in
    brief order; never a Do Now other than the current one, nor a field holding attempts."""
    attempt_lines = sorted(a.line for a in item.attempts)
    out = []
    for f in item.fields:
        if f.key in _HEAD_FIELDS or f.key in _RETURN_FIELDS or f.key in _DO_NOW_FIELDS:
            continue
        if _holds_attempts(f, attempt_lines):  # `Attempts History:` and its entries
            continue
        text = _field_body(f)
        if text:
            name = display(f"{f.name} {f.qualifier}" if f.qualifier else f.name)
            out.append(BriefField(name, f.line, text, _RANK.get(f.key, _REST_RANK)))
    if item.steps:  # the sub-steps of a queue item, ticked as the plan ticks them
        text = "\n".join(f"- [{'x' if s.done else ' '}] {display(s.text)}" for s in item.steps)
        out.append(BriefField("Steps", item.steps[0].line, text, _RANK["steps"]))
    return sorted(out, key=lambda f: f.rank)  # stable: document order within a rank


def _holds_attempts(f: Field, attempt_lines: list[int]) -> bool:
    i = bisect_left(attempt_lines, f.line)
    return i < len(attempt_lines) and attempt_lines[i] <= f.end_line


def _do_now(item: FocusItem) -> Field | None:
    """The current Do Now: `(next)` first, never a superseded one; else Next Actions."""
    for names in (("do now",), _DO_NOW_FIELDS[1:]):
        fields = [
            f for f in item.fields_named(*names) if "supersede" not in (f.qualifier or "").lower()
        ]
        if not fields:
            continue
        nxt = [f for f in fields if "next" in (f.qualifier or "").lower()]
        return nxt[0] if nxt else fields[-1]
    return None


def _field_body(f: Field) -> str:
    """The field's value and its nested lines, dedented, without the `- Name:` prefix, as it
    was meant to read."""
    lines = f.text.splitlines()
    rest = [ln.rstrip() for ln in lines[1:] if ln.strip()]
    if rest:
        indent = min(len(ln) - len(ln.lstrip()) for ln in rest)
        rest = [ln[indent:] for ln in rest]
    return display("\n".join([f.value.strip(), *rest]).strip())


_BACKTICKED = re.compile(r"`([^`]+)`")


def _working_plan(item: FocusItem) -> str | None:
    f = item.field("working plan", "plan reference", "plan")
    if f is None or not f.value.strip():
        return None
    m = _BACKTICKED.search(f.value)
    return display(m.group(1)) if m else _one_line(display(f.value))


def _attempt(a: Attempt) -> dict[str, Any]:
    # The first line holds the summary; continuation lines (Metrics, Artifacts, a heading
    # attempt's body) follow it. A heading's "summary" is only the focus reference.
    first, _, rest = (a.text or "").partition("\n")
    heading = a.dialect in (AttemptDialect.heading, AttemptDialect.attempt_heading)
    lead = (
        ""
        if heading and a.summary.strip() == (first.split("—")[-1].split("(")[0].strip())
        else a.summary
    )
    kind = a.kind.value if a.kind else (a.kind_text or None)
    return {
        "line": a.line,
        "timestamp": a.timestamp.isoformat() if a.timestamp else None,
        "timestamp_text": a.timestamp_text,
        "label": display(a.label),
        "kind": display(kind) if kind and kind != a.label else None,
        "result": display(a.result) if a.result else a.result,
        "text": display(_one_line(f"{lead} {rest}" if lead else rest) or _one_line(first)),
    }


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def _clip(text: str, width: int, clipped: list[str], what: str) -> str:
    if len(text) <= width:
        return text
    clipped.append(what)
    return text[: max(0, width - 1)].rstrip() + "…"


def _clip_block(text: str, width: int, clipped: list[str], what: str) -> str:
    """Shorten multi-line text, keeping whole lines where possible."""
    if len(text) <= width:
        return text
    clipped.append(what)
    kept, used = [], 0
    for line in text.splitlines():
        if used + len(line) + 1 > width:
            room = width - used - 1
            if room > 40:
                kept.append(line[:room].rstrip() + "…")
            else:
                kept.append("…")
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept)


def _id_list(ids: list[str], width: int, clipped: list[str], what: str) -> str:
    """A comma list cut at a whole entry, saying how many more there are."""
    out: list[str] = []
    used = 0
    for i, entry in enumerate(ids):
        if used + len(entry) + 2 > width and out:
            clipped.append(what)
            out.append(f"… {len(ids) - i} more")
            break
        out.append(entry)
        used += len(entry) + 2
    return ", ".join(out)


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogateescape"))


def _cut_bytes(text: str, limit: int) -> str:
    """At most `limit` UTF-8 bytes of `text`, ending at a line boundary when one is near."""
    raw = text.encode("utf-8", "surrogateescape")
    if len(raw) <= limit:
        return text
    cut = raw[: max(0, limit)].decode("utf-8", "ignore")
    nl = cut.rfind("\n")
    return cut[: nl + 1] if nl > len(cut) // 2 else cut
