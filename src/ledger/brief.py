"""A compact Markdown brief of one focus item, sized for an agent's prompt.

The brief carries what an agent needs to act on a focus without reading the ledger: ID, title,
status, priority, dwell and tier (with what that tier demands), dependencies with *their*
statuses, return conditions, the Do Now, the working plan path, the last few attempts, and the
IDs of the items that depend on this one.

It is never larger than `max_bytes` (UTF-8). When everything does not fit, text is shortened in a
fixed order (older attempts first, then the Do Now and return conditions, then the rest) and a
closing line says what was left out, so an agent knows to run `ledger show ID` for the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from .depgraph import DependencyGraph, EdgeKind, cycle_name
from .errors import UsageError
from .model import Attempt, AttemptDialect, FocusItem, Ledger
from .planning import status_detail
from .views import attempts_newest_first

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

_DO_NOW_FIELDS = ("do now", "next actions", "immediate next actions")


@dataclass(frozen=True)
class BriefData:
    """Everything a brief shows, as plain values (the JSON form of `ledger brief`)."""

    id: str
    title: str
    line: int
    status: str
    status_note: str
    priority: str | None
    dwell: int | None
    tier: int | None
    tier_demand: str | None
    depends_on: list[dict[str, Any]]
    dependents: list[str]
    cycles: list[str]
    return_conditions: list[str]
    do_now: str | None
    working_plan: str | None
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

        return {
            **asdict(self.data),
            "markdown": self.markdown,
            "bytes": self.size,
            "max_bytes": self.max_bytes,
            "omitted": self.omitted,
        }


def brief_data(
    ledger: Ledger,
    item: FocusItem,
    attempts: int = DEFAULT_ATTEMPTS,
    dwell: tuple[int, int | None] | None = None,
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
    n, tier = dwell if dwell else (None, None)
    if n is not None and tier is None:
        tier = 0
    chosen = attempts_newest_first(item)[: max(0, attempts)]
    return BriefData(
        id=item.id,
        title=_one_line(item.title),
        line=item.line,
        status=item.status.value,
        status_note=_one_line(status_detail(item)),
        priority=item.priority,
        dwell=n,
        tier=tier,
        tier_demand=TIER_DEMANDS.get(tier) if tier is not None else None,
        depends_on=deps,
        dependents=graph.dependents(item.id),
        cycles=[cycle_name(c.rotated(item.id)) for c in cycles],
        return_conditions=[_one_line(rc) for rc in item.return_conditions],
        do_now=_do_now(item),
        working_plan=_working_plan(item),
        attempts=[_attempt(a) for a in chosen],
        attempts_total=len(item.attempts),
    )


def build_brief(
    ledger: Ledger,
    item: FocusItem,
    *,
    attempts: int = DEFAULT_ATTEMPTS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    dwell: tuple[int, int | None] | None = None,
) -> Brief:
    """The brief of `item`, never larger than `max_bytes` UTF-8 bytes."""
    if max_bytes < MIN_MAX_BYTES:
        raise UsageError(f"--max-bytes must be at least {MIN_MAX_BYTES} (got {max_bytes})")
    if attempts < 0:
        raise UsageError(f"--attempts must be 0 or more (got {attempts})")
    data = brief_data(ledger, item, attempts, dwell)
    return fit(data, max_bytes)


# --- fitting ------------------------------------------------------------------------------------

# Character caps tried in turn until the brief fits: (attempt text, do now, return condition,
# short values such as title/status/deps). The first step is generous; later ones cut deeper.
_STEPS = (
    (1500, 1500, 600, 300),
    (800, 1000, 400, 200),
    (500, 700, 300, 160),
    (300, 500, 200, 120),
    (180, 300, 140, 100),
    (100, 200, 100, 80),
)


def fit(data: BriefData, max_bytes: int) -> Brief:
    """Render `data`, shortening and dropping parts until it fits in `max_bytes`."""
    # Shorten every attempt a little before dropping any, then drop the oldest ones.
    full = len(data.attempts)
    tries = [(caps, full) for caps in _STEPS[:4]]
    tries += [(caps, keep) for keep in range(full, -1, -1) for caps in _STEPS]
    for caps, keep in tries:
        md, omitted = _render(data, caps, keep)
        if _size(md) <= max_bytes:
            return Brief(_trimmed(data, caps, keep), md, max_bytes, omitted)
    # Last resort: the smallest rendering cut at a line boundary, with the note kept.
    md, omitted = _render(data, _STEPS[-1], 0, compact=True)
    omitted = [*omitted, "the end of the brief (cut to the byte limit)"]
    note = _omitted_note(data, omitted)
    room = max_bytes - _size(note) - 1
    body = _cut_bytes(md, room)
    small = replace(_trimmed(data, _STEPS[-1], 0), do_now=None, return_conditions=[])
    return Brief(small, body + "\n" + note, max_bytes, omitted)


def _trimmed(data: BriefData, caps: tuple[int, int, int, int], keep: int) -> BriefData:
    """The data as the rendering that fitted shows it, so `--json` is bounded as well."""
    att_cap, do_cap, rc_cap, _ = caps
    sink: list[str] = []
    return replace(
        data,
        do_now=_clip_block(data.do_now, do_cap, sink, "") if data.do_now else None,
        return_conditions=[_clip(rc, rc_cap, sink, "") for rc in data.return_conditions],
        attempts=[{**a, "text": _clip(a["text"], att_cap, sink, "")} for a in data.attempts[:keep]],
    )


def _render(data: BriefData, caps: tuple[int, int, int, int], keep: int, compact: bool = False):
    att_cap, do_cap, rc_cap, short = caps
    omitted: list[str] = []
    clipped: list[str] = []
    out = [f"# [{data.id}] {_clip(data.title, short, clipped, 'title')}", ""]
    status = data.status
    if data.status_note:
        status += f" — {_clip(data.status_note, short, clipped, 'status note')}"
    out.append(f"- Status: {status}")
    out.append(f"- Priority: {data.priority or 'none'}")
    if data.dwell is not None:
        out.append(f"- Dwell: {data.dwell} (Tier {data.tier}): {data.tier_demand}")
    else:
        out.append("- Dwell: unknown (git history not read)")
    if data.working_plan:
        out.append(f"- Working plan: `{_clip(data.working_plan, short, clipped, 'working plan')}`")
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
    if data.return_conditions and not compact:
        out += ["", "## Return conditions"]
        out += [
            f"- {_clip(rc, rc_cap, clipped, 'return conditions')}" for rc in data.return_conditions
        ]
    if data.do_now and not compact:
        out += ["", "## Do Now", _clip_block(data.do_now, do_cap, clipped, "Do Now")]
    elif data.do_now:
        omitted.append("the Do Now")
    if compact and data.return_conditions:
        omitted.append(f"{len(data.return_conditions)} return condition(s)")
    shown = data.attempts[:keep]
    if data.attempts_total:
        out += ["", f"## Last attempts ({len(shown)} of {data.attempts_total}, newest first)"]
        for a in shown:
            head = f"- {a['timestamp_text'] or 'undated'} · {a['label']}"
            if a["kind"]:
                head += f" · {a['kind']}"
            out.append(head + f" (line {a['line']})")
            body = _clip(a["text"], att_cap, clipped, "attempt text")
            out.append(f"  {body}" if body else "  (no text)")
        hidden = data.attempts_total - len(shown)
        if hidden:
            omitted.append(f"{hidden} older attempt(s)")
    if clipped:
        omitted.insert(0, "shortened: " + ", ".join(dict.fromkeys(clipped)))
    md = "\n".join(out) + "\n"
    if omitted:
        md += _omitted_note(data, omitted)
    return md, omitted


def _omitted_note(data: BriefData, omitted: list[str]) -> str:
    return f"\n_Left out to fit: {'; '.join(omitted)}. Full text: `ledger show {data.id}`._\n"


# --- content helpers ----------------------------------------------------------------------------


def _do_now(item: FocusItem) -> str | None:
    """The current Do Now: `(next)` first, never a superseded one; else Next Actions."""
    for names in (("do now",), _DO_NOW_FIELDS[1:]):
        fields = [
            f for f in item.fields_named(*names) if "supersede" not in (f.qualifier or "").lower()
        ]
        if not fields:
            continue
        nxt = [f for f in fields if "next" in (f.qualifier or "").lower()]
        chosen = nxt[0] if nxt else fields[-1]
        return _field_body(chosen.text, chosen.value)
    return None


def _field_body(text: str, value: str) -> str:
    """The field's value and its nested lines, dedented, without the `- Name:` prefix."""
    lines = text.splitlines()
    rest = [ln.rstrip() for ln in lines[1:] if ln.strip()]
    if rest:
        indent = min(len(ln) - len(ln.lstrip()) for ln in rest)
        rest = [ln[indent:] for ln in rest]
    return "\n".join([value.strip(), *rest]).strip()


def _working_plan(item: FocusItem) -> str | None:
    f = item.field("working plan", "plan reference", "plan")
    if f is None or not f.value.strip():
        return None
    m = re.search(r"`([^`]+)`", f.value)
    return m.group(1) if m else _one_line(f.value)


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
        "label": a.label,
        "kind": kind if kind != a.label else None,
        "result": a.result,
        "text": _one_line(f"{lead} {rest}" if lead else rest) or _one_line(first),
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
