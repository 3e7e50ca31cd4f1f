"""`ledger mcp`: the loop's operations as Model Context Protocol tools, over stdio.

Few, small tools, each one a thin call into the core the CLI uses (no second implementation):
`status` (views), `next` (planning), `brief` (brief), `attempt_add`, `set_status`, `focus_new`
(the edits of `ledger.workspace`, under the same lock, with the same dialect rules and the same
insert-only diff) and `check` (checks). Each focus's brief is also a resource,
`ledger://focus/<ID>`.

`LedgerTools` holds the tools as plain functions returning text, so they are tested without a
client; `build_server` wraps them in the SDK's `MCPServer` (imported here only, and only when
the server is built: `mcp` is an optional extra, and `import ledger` never imports it).

The rules of the protocol shape the module:

* every result is bounded (`MAX_RESULT_BYTES`; the brief by its own byte budget) and says when
  it was cut;
* every failure is a tool error carrying the one-line message the CLI would print, never a
  traceback (bad arguments too: `_LedgerServer.call_tool` turns the SDK's validation report
  into one line);
* stdout is the protocol stream: nothing here prints, and logs go to stderr.

The ledger and its configuration are located on every call, as the CLI locates them (from the
server's working directory, or the `--file`/`--config` given to `ledger mcp`), so the server
follows the file as other writers change it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from .encoding import display
from .errors import LedgerError, UsageError
from .vocab import AttemptKind, Priority, Status
from .wording import plural

if TYPE_CHECKING:  # pragma: no cover
    from .dwell import DwellTable
    from .planning import Candidate
    from .workspace import Snapshot, Workspace

SERVER_NAME = "ledger"
MAX_RESULT_BYTES = 6000
MAX_BRIEF_BYTES = 16000
CHECK_LIMIT = 20
NEXT_READY = 5
NEXT_WAITING = 12
TITLE_WIDTH = 60

log = logging.getLogger("ledger.mcp")


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class LedgerTools:
    """The tools over the ledger that `file` and `config` locate (as `ledger -f FILE` would)."""

    file: Path | None = None
    config: Path | None = None
    clock: Callable[[], datetime] = field(default=_now)

    def workspace(self) -> Workspace:
        from .workspace import Workspace

        return Workspace.locate(self.file, self.config)

    def _read(self) -> tuple[Workspace, Snapshot]:
        ws = self.workspace()
        return ws, ws.read()

    def _dwell(self, ws: Workspace) -> DwellTable | None:
        """Dwell from git when it can be read; a failure is logged and the result goes on."""
        try:
            return ws.dwell()
        except Exception as exc:  # dwell is optional in every answer
            log.warning("dwell not read: %s", _one_line_error(exc))
            return None

    # --- reading ---------------------------------------------------------------------------

    def status(self, filter: str = "open") -> str:
        """Focus items matching `filter`, one compact line each."""
        from .views import unmet_dependencies

        ws, snap = self._read()
        ledger = snap.ledger
        items = _filtered(ledger, filter)
        table = self._dwell(ws)
        dwell = table.marks(ledger.focus_items) if table is not None else {}
        lines = [
            f"{len(items)} of {len(ledger.ids)} focus items match {filter!r}; "
            f"active focus: {ledger.header.active_focus_id or 'none'}",
            "ID [status, priority, dwell/tier] unmet deps | title",
        ]
        for item in items:
            d = dwell.get(item.id)
            dw = f"{d.dwell}/T{d.tier}" if d else "-"
            unmet = unmet_dependencies(ledger, item)
            lines.append(
                f"{item.id} [{item.status.value}, {_priority(item.priority)}, {dw}]"
                + (f" unmet: {', '.join(unmet)}" if unmet else "")
                + f" | {_clip(item.title, TITLE_WIDTH)}"
            )
        return _bounded(lines, "items", "narrow the filter")

    def next(self) -> str:
        """What to work on now and why (`ledger next --explain`)."""
        from .planning import plan

        ws, snap = self._read()
        table = self._dwell(ws)
        result = plan(snap.ledger, table.marks(snap.ledger.focus_items) if table else None)
        lines = [f"next: {result.ready[0].id}" if result.ready else "next: nothing is ready"]
        lines += [f"why: {reason}" for reason in result.why_first]
        lines.append(f"ready ({len(result.ready)}):")
        lines += [_candidate(c) for c in result.ready[:NEXT_READY]]
        if len(result.ready) > NEXT_READY:
            lines.append(f"… {len(result.ready) - NEXT_READY} more ready")
        lines.append(f"waiting ({len(result.waiting)}):")
        for c in result.waiting[:NEXT_WAITING]:
            reasons = "; ".join(r.message for r in c.reasons)
            lines.append(f"- {c.id}: {_clip(reasons, 240)}")
        if len(result.waiting) > NEXT_WAITING:
            lines.append(f"… {len(result.waiting) - NEXT_WAITING} more waiting")
        lines += [f"cycle: {cycle.name}" for cycle in result.cycles]
        return _bounded(lines, "lines", "ledger next --explain has all")

    def brief(self, focus_id: str, max_bytes: int = 4000) -> str:
        """The brief of one focus in at most `max_bytes` UTF-8 bytes (`ledger brief`)."""
        from .brief import MIN_MAX_BYTES, build_brief
        from .views import require_focus

        if not MIN_MAX_BYTES <= max_bytes <= MAX_BRIEF_BYTES:
            raise UsageError(
                f"max_bytes must be between {MIN_MAX_BYTES} and {MAX_BRIEF_BYTES} (got {max_bytes})"
            )
        ws, snap = self._read()
        item = require_focus(snap.ledger, focus_id)
        table = self._dwell(ws)
        dwell = None if table is None else table.mark(item.id, item.status)
        return build_brief(snap.ledger, item, max_bytes=max_bytes, dwell=dwell).markdown

    def check(self, limit: int = CHECK_LIMIT) -> str:
        """`ledger check`'s findings: the counts, and the first `limit` of them."""
        if not 1 <= limit <= 100:
            raise UsageError(f"limit must be between 1 and 100 (got {limit})")
        ws, snap = self._read()
        findings = ws.check(snap, shown_path=snap.path.name)
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in findings:
            counts[f.severity.value] += 1
        lines = [
            f"{plural(len(findings), 'finding')}: {plural(counts['error'], 'error')}, "
            f"{plural(counts['warning'], 'warning')}, "
            f"{counts['info']} info"
        ]
        lines += [
            f"{f.line}:{f.col} {f.code} [{f.severity.value}] {_clip(f.message, 200)}"
            for f in findings[:limit]
        ]
        if len(findings) > limit:
            lines.append(f"… {len(findings) - limit} more findings (raise limit, or ledger check)")
        return _bounded(lines, "findings", "ledger check has all")

    # --- writing ---------------------------------------------------------------------------

    def attempt_add(
        self,
        focus_id: str,
        kind: str,
        summary: str,
        result: str | None = None,
        commits: list[str] | None = None,
        artifacts: list[str] | None = None,
    ) -> str:
        """Record an attempt in the focus's own dialect and place (`ledger attempt add`)."""
        from .edit import NewAttempt
        from .workspace import record_attempt

        chosen = _chosen(AttemptKind, kind, "kind")
        ws = self.workspace()
        spec = NewAttempt(
            summary=summary,
            kind=chosen.value,
            result=result,
            artifacts=tuple(artifacts or ()),
            commits=tuple(commits or ()),
        )
        applied = record_attempt(ws.path, ws.config, focus_id, spec, now=self.clock())
        res = applied.result
        return _written(f"recorded on {focus_id} at line {res.line}", res.added_lines, res)

    def set_status(self, focus_id: str, status: str, note: str | None = None) -> str:
        """Change a focus's status, with an optional note (`ledger set --status`)."""
        from .workspace import change_fields

        ws = self.workspace()
        applied = change_fields(ws.path, ws.config, focus_id, status=status, note=note)
        res = applied.result
        if not res.changed:
            return f"{focus_id}: nothing changed (the status already reads so)"
        return _written(f"{focus_id}: status changed at line {res.line}", res.added_lines, res)

    def focus_new(
        self,
        focus_id: str,
        title: str,
        priority: str | None = None,
        depends_on: list[str] | None = None,
    ) -> str:
        """Add a focus item in the ledger's layout, with its plan files (`ledger focus new`)."""
        from .edit import NewFocus
        from .workspace import create_focus

        chosen = None if priority is None else _chosen(Priority, priority, "priority")
        ws = self.workspace()
        spec = NewFocus(
            id=focus_id,
            title=title,
            priority=chosen.value if chosen else None,
            depends_on=tuple(depends_on or ()),
        )
        made = create_focus(ws.path, ws.config, spec, now=self.clock())
        res = made.applied.result
        notes = [f"created {p}" for p in made.created] + [f"kept {p}" for p in made.kept]
        return _written(f"added {focus_id} at line {res.line}", res.added_lines + notes, res)


# --- rendering ----------------------------------------------------------------------------------


def _filtered(ledger: Any, words: str) -> list[Any]:
    """The items a `status` filter names: `open` (default) or `all`, status and priority words,
    and any other word as a part of the ID; words of one kind are alternatives."""
    from .views import filter_items

    statuses: list[Status] = []
    priorities: list[Priority | None] = []
    parts: list[str] = []
    active = True
    for word in words.replace(",", " ").split() or ["open"]:
        lower = word.lower()
        if lower in ("open", "all"):
            active = lower == "open"
        elif (status := Status.choose(lower)) is not None:
            statuses.append(status)
            active = False
        elif (priority := Priority.choose(lower)) is not None:
            priorities.append(priority)
        else:
            parts.append(word.upper())
    items = filter_items(ledger, statuses, priorities, active=active)
    return [f for f in items if not parts or any(p in f.id.upper() for p in parts)]


def _candidate(c: Candidate) -> str:
    dwell = f", dwell {c.dwell}/T{c.tier or 0}" if c.dwell is not None else ""
    return (
        f"- {c.id} [{_priority(c.priority)}, {c.item.status.value}{dwell}] "
        f"{_clip(c.item.title, TITLE_WIDTH)}"
    )


def _written(head: str, lines: list[str], res: Any) -> str:
    out = [head, *lines, *(f"warning: {w}" for w in res.warnings)]
    return _bounded(out, "lines", "ledger show has the focus")


def _bounded(lines: list[str], what: str, where: str) -> str:
    """The lines joined, at most `MAX_RESULT_BYTES`; the last line says what was cut."""
    out: list[str] = []
    size = 0
    for i, line in enumerate(lines):
        cost = len(line.encode("utf-8", "surrogateescape")) + 1
        if size + cost > MAX_RESULT_BYTES - 120:
            out.append(f"[cut at {MAX_RESULT_BYTES} bytes: {len(lines) - i} more {what}; {where}]")
            break
        out.append(line)
        size += cost
    return "\n".join(out) + "\n"


def _priority(priority: Priority | None) -> str:
    return priority.value if priority else "-"


def _clip(text: str, width: int) -> str:
    """One line of at most `width` characters, as it was meant to read (mojibake repaired)."""
    text = " ".join(display(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _words(vocabulary: Any) -> str:
    return ", ".join(w.value for w in vocabulary if w.value != "unknown")


def _chosen(vocabulary: Any, text: str, what: str) -> Any:
    """The word of `vocabulary` a caller named (its `choose`, any case), or a `UsageError`
    naming the words accepted."""
    chosen = vocabulary.choose(text)
    if chosen is None:
        raise UsageError(f"unknown {what} {text!r} (choose from {_words(vocabulary)})")
    return chosen


def _one_line_error(exc: BaseException) -> str:
    """An error as the CLI's one line (a hint joined with `;`)."""
    if isinstance(exc, LedgerError):
        return exc.message + (f"; hint: {exc.hint}" if exc.hint else "")
    return f"internal error: {type(exc).__name__}: {exc}"


# --- the server ---------------------------------------------------------------------------------

# Parameter types of the tools (their descriptions are part of the tool list an agent reads).
Id = Annotated[str, Field(description="focus ID")]
Ids = Annotated[list[str] | None, Field(description="IDs")]
Filter = Annotated[str, Field(description="open (default), all, statuses, priorities, ID parts")]
Kind = Annotated[str, Field(description=", ".join(k.value for k in AttemptKind))]
Summary = Annotated[str, Field(description="1-3 lines: what changed, selector, result")]
Result = Annotated[str | None, Field(description="success|partial|failed|blocked")]
Shas = Annotated[list[str] | None, Field(description="SHAs")]
Paths = Annotated[list[str] | None, Field(description="paths")]
StatusWord = Annotated[
    str, Field(description=", ".join(s.value for s in Status if s is not Status.unknown))
]
Note = Annotated[str | None, Field(description="why")]
PriorityWord = Annotated[str | None, Field(description=", ".join(p.value for p in Priority))]


def build_server(tools: LedgerTools) -> Any:
    """The MCP server offering `tools` and the `ledger://focus/{focus_id}` briefs."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ResourceError, ToolError
    from pydantic import ValidationError

    class _LedgerServer(MCPServer):
        async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None):
            try:
                return await super().call_tool(name, arguments, context)
            except ToolError as exc:
                if isinstance(exc.__cause__, ValidationError):
                    raise ToolError(f"bad arguments: {_validation(exc.__cause__)}") from None
                raise

    def guarded(fn: Callable[..., str], error: type[Exception] = ToolError) -> Callable[..., str]:
        def run(*args: Any, **kwargs: Any) -> str:
            try:
                return fn(*args, **kwargs)
            except LedgerError as exc:
                raise error(_one_line_error(exc)) from None
            except Exception as exc:  # never a traceback to the client; the log has it
                log.exception("%s failed", getattr(fn, "__name__", "tool"))
                raise error(_one_line_error(exc)) from None

        return run

    server = _LedgerServer(
        SERVER_NAME,
        instructions="The fix-plan ledger of this repository. Record every loop with "
        "attempt_add; never edit the ledger file by hand.",
        log_level="WARNING",
    )

    @server.tool(structured_output=False)
    def status(filter: Filter = "open") -> str:
        """Focus items, one line each: ID, status, priority, dwell/tier, unmet deps, title."""
        return guarded(tools.status)(filter)

    @server.tool(name="next", structured_output=False)
    def next_() -> str:
        """What to work on now and why; what waits and on what."""
        return guarded(tools.next)()

    @server.tool(structured_output=False)
    def brief(focus_id: Id, max_bytes: int = 4000) -> str:
        """One focus in Markdown within max_bytes: status, tier demand, deps, Do Now, attempts."""
        return guarded(tools.brief)(focus_id, max_bytes)

    @server.tool(structured_output=False)
    def attempt_add(
        focus_id: Id,
        kind: Kind,
        summary: Summary,
        result: Result = None,
        commits: Shas = None,
        artifacts: Paths = None,
    ) -> str:
        """Record this loop on a focus, in the ledger's own dialect; returns the lines added."""
        return guarded(tools.attempt_add)(focus_id, kind, summary, result, commits, artifacts)

    @server.tool(structured_output=False)
    def set_status(focus_id: Id, status: StatusWord, note: Note = None) -> str:
        """Change a focus's status (a note says why)."""
        return guarded(tools.set_status)(focus_id, status, note)

    @server.tool(structured_output=False)
    def focus_new(
        focus_id: Id,
        title: str,
        priority: PriorityWord = None,
        depends_on: Ids = None,
    ) -> str:
        """Add a focus item (and its plan files) in the ledger's layout."""
        return guarded(tools.focus_new)(focus_id, title, priority, depends_on)

    @server.tool(structured_output=False)
    def check(limit: int = CHECK_LIMIT) -> str:
        """Consistency findings (line:col CODE message), the first `limit`, with the counts."""
        return guarded(tools.check)(limit)

    @server.resource(
        "ledger://focus/{focus_id}", mime_type="text/markdown", description="a focus's brief"
    )
    def focus_brief(focus_id: str) -> str:
        return guarded(tools.brief, ResourceError)(focus_id)

    return server


def _validation(error: Any) -> str:
    """A pydantic validation report in one line: `field: problem; ...`."""
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "arguments"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def serve(file: Path | None = None, config: Path | None = None) -> None:
    """Serve the ledger over stdio until the client closes the stream."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("ledger mcp: %(levelname)s: %(message)s"))
    log.addHandler(handler)
    log.propagate = False
    build_server(LedgerTools(file=file, config=config)).run("stdio")


__all__ = ["MAX_RESULT_BYTES", "SERVER_NAME", "LedgerTools", "build_server", "serve"]
