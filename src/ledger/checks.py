"""Consistency rules for a ledger: one small function per rule, each returning `Finding`s.

Codes are `LDG` plus three digits; the first digit is the family, so `--select LDG2` picks every
attempt rule (the full table, with examples, is in `docs/commands/check.md`):

* `LDG1xx` structure: duplicate focus IDs, headings lost from a section;
* `LDG2xx` attempts: orphans, duplicates, attempts filed under the wrong focus;
* `LDG3xx` dependencies: unknown IDs, cycles, done items waiting on open ones;
* `LDG4xx` status: vocabulary, `done` with an open Do Now, `blocked` without a return condition;
* `LDG5xx` index table: status/priority/title/anchor disagreements, missing or extra rows;
* `LDG6xx` header: Active Focus and Last Updated;
* `LDG7xx` links: Working Plan / Summary / Reports Hub paths (inside the repository only);
* `LDG8xx` encoding: mojibake, invalid UTF-8, control characters, conflict markers, diff residue;
* `LDG9xx` size: a ledger that should be snapshotted into the archive.

Every rule reads the parsed `Ledger` and the text lines once; nothing is quadratic in the file
size (grouping is done with dicts, cycles with one Tarjan pass). The core never prints: callers
render the findings (`ledger.cli.check`).
"""

from __future__ import annotations

import bisect
import html
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from .config import CheckConfig
from .encoding import ENCODING_NAMES, demojibake
from .deps import shortest_cycle, strongly_connected
from .document import CODE, classify, split_lines, strip_eol
from .errors import ConfigError, UsageError
from .markdown import heading_slugs, plain_text
from .model import Attempt, FocusItem, Ledger, Status
from .parse import loads
from .timestamps import parse_timestamp
from .vocab import Priority, Severity
from .vocab import first_word

ERROR, WARNING, INFO = (s.value for s in Severity)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place: `path:line:col: CODE message`."""

    path: str
    line: int
    col: int
    code: str
    severity: str
    message: str

    def as_dict(self) -> dict:
        """Plain data for JSON output (the rule name is added for readers)."""
        rule = RULES.get(self.code)
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "name": rule.name if rule else None,
            "severity": self.severity,
            "message": self.message,
            "fixable": bool(rule and rule.fixable),
        }


@dataclass(frozen=True)
class Rule:
    """A registered rule: stable code, short name, default severity, one-line summary."""

    code: str
    name: str
    severity: str
    summary: str
    func: Callable[["Context"], Iterable[Finding]]
    fixable: bool = False


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: str, summary: str, *, fixable: bool = False):
    """Register a rule function under `code` (documented in docs/commands/check.md)."""

    def register(func: Callable[["Context"], Iterable[Finding]]):
        RULES[code] = Rule(code, name, severity, summary, func, fixable)
        return func

    return register


@dataclass
class Context:
    """What every rule reads: the parsed ledger, its lines, `config.check`, the repository root."""

    ledger: Ledger
    lines: list[str]  # line contents without their endings, index 0 is line 1
    config: CheckConfig = field(default_factory=CheckConfig)
    root: Optional[Path] = None  # repository root; None disables the link rule
    path: str = "<ledger>"
    size: Optional[int] = None  # bytes on disk, when known
    severities: dict[str, str] = field(default_factory=dict)
    findings_words: dict[str, set[str]] = field(default_factory=dict, repr=False)  # cache

    @classmethod
    def from_text(cls, text: str, config: Optional[CheckConfig] = None, **kwargs) -> "Context":
        """Parse `text` once; every rule then reads the same model and lines."""
        lines = [strip_eol(line) for line in split_lines(text)]
        return cls(ledger=loads(text), lines=lines, config=config or CheckConfig(), **kwargs)

    def finding(self, code: str, line: int, message: str, col: int = 1) -> Finding:
        """A `Finding` for `code` with the configured severity."""
        severity = self.severities.get(code) or RULES[code].severity
        return Finding(self.path, max(line, 1), max(col, 1), code, severity, message)

    def col_of(self, line: int, needle: str) -> int:
        """1-based column of `needle` in `line` (1 when absent)."""
        if 1 <= line <= len(self.lines):
            pos = self.lines[line - 1].find(needle)
            return pos + 1 if pos >= 0 else 1
        return 1

    @cached_property
    def text(self) -> str:
        """The lines joined with `\\n` (for whole-text pre-filters)."""
        return "\n".join(self.lines)

    @cached_property
    def classes(self) -> list[int]:
        """Structural class of every line (`ledger.document`), fenced code respected."""
        return classify([line + "\n" for line in self.lines])[0]

    @cached_property
    def sections(self) -> list[FocusItem]:
        """Focus items that are real `[ID]` sections, in document order."""
        return [f for f in self.ledger.focus_items if f.has_section]

    @cached_property
    def first_section(self) -> dict[str, FocusItem]:
        """The first section of every ID (what index rows and dependencies refer to)."""
        out: dict[str, FocusItem] = {}
        for item in self.sections:
            out.setdefault(item.id, item)
        return out

    @cached_property
    def all_ids(self) -> set[str]:
        """Every focus ID, including reset-layout items known only from attempt headings."""
        return {f.id for f in self.ledger.focus_items}

    @cached_property
    def slugs(self) -> dict[int, str]:
        """GitHub anchor of every heading, by 1-based line."""
        return heading_slugs(self.lines, self.classes)


# --- running -------------------------------------------------------------------------------


def check_text(
    text: str,
    config: Optional[CheckConfig] = None,
    *,
    path: str = "<ledger>",
    root: Optional[Path] = None,
    size: Optional[int] = None,
    select: Optional[list[str]] = None,
    ignore: Optional[list[str]] = None,
) -> list[Finding]:
    """Run the configured rules on `text`; findings sorted by line, column, code."""
    config = config or CheckConfig()
    ctx = Context.from_text(text, config, root=root, path=path, size=size)
    return run_rules(ctx, select=select, ignore=ignore)


def run_rules(
    ctx: Context, *, select: Optional[list[str]] = None, ignore: Optional[list[str]] = None
) -> list[Finding]:
    """Run the rules `config.check` (plus `select`/`ignore` overrides) enables on `ctx`."""
    ctx.severities = resolve_severities(ctx.config)
    findings: list[Finding] = []
    for r in selected_rules(ctx.config, select=select, ignore=ignore):
        findings.extend(r.func(ctx))
    findings.sort(key=lambda f: (f.line, f.col, f.code))
    return findings


def _expand(codes: Iterable[str], origin: str, error: type) -> set[str]:
    """Codes named by exact code, prefix (`LDG2`), rule name or `ALL`; unknown ones are errors."""
    out: set[str] = set()
    by_name = {r.name: r.code for r in RULES.values()}
    for raw in codes:
        for token in (t.strip() for t in str(raw).split(",")):
            if not token:
                continue
            up = token.upper()
            if up == "ALL":
                out.update(RULES)
                continue
            if token in by_name:
                out.add(by_name[token])
                continue
            matched = {c for c in RULES if c.startswith(up)}
            if not matched or not up.startswith("LDG"):
                raise error(
                    f"{origin}: unknown rule code or prefix {token!r}",
                    hint="see `ledger check --help` or docs/commands/check.md",
                )
            out.update(matched)
    return out


def selected_rules(
    config: CheckConfig, *, select: Optional[list[str]] = None, ignore: Optional[list[str]] = None
) -> list[Rule]:
    """Rules in code order: command-line `select` replaces the configured one, `ignore` adds."""
    wanted = set(RULES)
    if select:
        wanted = _expand(select, "--select", UsageError)
    elif config.select:
        wanted = _expand(config.select, "check.select", ConfigError)
    dropped = _expand(config.ignore, "check.ignore", ConfigError)
    if ignore:
        dropped |= _expand(ignore, "--ignore", UsageError)
    return [RULES[c] for c in sorted(wanted - dropped)]


def resolve_severities(config: CheckConfig) -> dict[str, str]:
    """Per-code severity overrides from `check.severity` (codes or prefixes; the severities
    were validated when the configuration was read, the codes are checked here)."""
    out: dict[str, str] = {}
    for key, severity in config.severity.items():
        for code in _expand([key], f"check.severity.{key}", ConfigError):
            out[code] = str(severity)
    return out


def statistics(findings: Iterable[Finding]) -> list[dict]:
    """Count per code, most frequent first (for `--statistics`)."""
    counts = Counter(f.code for f in findings)
    severity = {f.code: f.severity for f in findings}
    return [
        {"code": code, "name": RULES[code].name, "severity": severity[code], "count": n}
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


# --- shared helpers ------------------------------------------------------------------------

def norm_title(text: Optional[str]) -> str:
    """Titles compared loosely: rendered text, case and spacing ignored."""
    plain = html.unescape(plain_text(text or "")).replace("\\|", "|").replace("*", "").replace("`", "")
    return " ".join(plain.split()).casefold()


def statuses_disagree(index_text: str, section: FocusItem) -> bool:
    """Whether an index Status cell and a section's Status mean different things."""
    if not section.status_text.strip() or not index_text.strip():
        return False
    a, b = Status.parse(index_text), section.status
    if a is Status.unknown or b is Status.unknown:
        return first_word(index_text) != first_word(section.status_text)
    return a is not b


def priorities_disagree(index_text: Optional[str], section: FocusItem) -> bool:
    """Whether an index Priority cell differs from the section's (normalised) priority."""
    if section.priority is None or index_text is None:
        return False
    return Priority.parse(index_text) != section.priority


def _line_list(lines: list[int], limit: int = 8) -> str:
    shown = ", ".join(str(n) for n in lines[:limit])
    return shown + (", ..." if len(lines) > limit else "")


# --- LDG1xx structure ------------------------------------------------------------------------


@rule("LDG101", "duplicate-id", ERROR, "Two sections have the same focus ID.")
def duplicate_id(ctx: Context) -> Iterator[Finding]:
    first: dict[str, FocusItem] = {}
    for item in ctx.sections:
        seen = first.setdefault(item.id, item)
        if seen is not item:
            yield ctx.finding(
                "LDG101",
                item.line,
                f"duplicate focus ID {item.id}: sections at lines {seen.line} and {item.line}",
                ctx.col_of(item.line, item.id),
            )


_CORE_FIELDS = frozenset({"status", "priority", "owner/date"})
_LINK_FIELDS = ("working plan", "summary", "reports hub", "plan reference", "plan references")
_PATH_ID = re.compile(r"(?:^|/)([A-Z][A-Z0-9]*(?:[-‑][A-Z0-9]+)+[a-z]?)(?=/)")


def lost_heading_runs(item: FocusItem) -> list[int]:
    """Indexes into `item.fields` where a second Status/Priority/Owner-Date run starts."""
    starts: list[int] = []
    seen: set[str] = set()
    fields = item.fields
    for k, f in enumerate(fields):
        if f.key in _CORE_FIELDS and f.key in seen:
            window = {g.key for g in fields[k : k + 4] if g.key in _CORE_FIELDS}
            if len(window) >= 2:  # one repeated field can be deliberate; a run cannot
                starts.append(k)
                seen = set()  # the run opens a new (headless) section
        seen.add(f.key)
    return starts


@rule(
    "LDG102", "lost-heading", ERROR, "A second Status/Priority/Owner-Date run inside one section."
)
def lost_heading(ctx: Context) -> Iterator[Finding]:
    for item in ctx.sections:
        starts = lost_heading_runs(item)
        for k, stop in zip(starts, [*starts[1:], len(item.fields)]):
            start = item.fields[k]
            named, where = _named_focus(item.fields[k:stop], item.id)
            if named and named not in ctx.all_ids:
                why = f"the `## [{named}]` heading is missing (its {where} names {named})"
            elif named:
                why = f"its fields name {named}, which has its own section"
            else:
                why = "a `## [ID] Title` heading was probably deleted"
            yield ctx.finding(
                "LDG102",
                start.line,
                f"second `{start.name}` run inside {item.id} (section at line {item.line}): {why}",
            )


def _named_focus(fields, own_id: str) -> tuple[Optional[str], str]:
    """An ID named by `plans/active/<ID>/...` in the link fields of a field run, and the field."""
    for f in fields:
        if f.key in _LINK_FIELDS:
            for m in _PATH_ID.finditer(f.value):
                if m.group(1) != own_id:
                    return m.group(1), f.name
    return None, ""


# --- LDG2xx attempts ------------------------------------------------------------------------


def _attempt_name(a: Attempt) -> str:
    if a.timestamp_text:
        return f"{a.label} ({a.timestamp_text})" if a.label else a.timestamp_text
    return a.label or "attempt"


@rule("LDG201", "orphan-attempt", ERROR, "An attempt entry outside any focus section.")
def orphan_attempt(ctx: Context) -> Iterator[Finding]:
    ledger = ctx.ledger
    if not ledger.orphan_attempts:
        return
    last_section = max((s.end_line for s in ctx.sections), default=0)
    groups = [b.line for b in ledger.blocks if b.kind == "group"]
    sections = [s.line for s in ctx.sections]
    for a in ledger.orphan_attempts:
        group = _last_at_or_before(groups, a.line)
        if group and group > _last_at_or_before(sections, a.line):
            where = f"under `{ctx.lines[group - 1].strip()}`"
        elif a.line > last_section:
            where = "after the last section"
        else:
            where = "between sections"
        hint = ""
        if a.focus_ref and a.focus_ref in ctx.all_ids:
            hint = f"; it names {a.focus_ref}"
        yield ctx.finding(
            "LDG201",
            a.line,
            f"attempt {_attempt_name(a)} is outside any focus section ({where}){hint}",
            len(a.indent) + 1,
        )


def _last_at_or_before(starts: list[int], line: int) -> int:
    """The greatest of the sorted `starts` that is <= `line` (0 when none)."""
    k = bisect.bisect_right(starts, line)
    return starts[k - 1] if k else 0


def _attempt_groups(ctx: Context, orphans: bool = True) -> Iterator[tuple[str, list[Attempt]]]:
    """Attempts per focus; orphans (which belong to many foci) form one extra group."""
    for item in ctx.ledger.focus_items:
        if item.attempts:
            yield item.id, item.attempts
    if orphans and ctx.ledger.orphan_attempts:
        yield "(outside any section)", ctx.ledger.orphan_attempts


def _has_time(a: Attempt) -> bool:
    return bool(a.timestamp and a.timestamp_text and re.search(r"\d[T ]\d{2}", a.timestamp_text))


def duplicate_attempts(attempts: list[Attempt]) -> dict[int, Attempt]:
    """Later attempts whose text is identical to an earlier one: `{line: earlier}`."""
    first: dict[str, Attempt] = {}
    out: dict[int, Attempt] = {}
    for a in attempts:
        seen = first.setdefault(a.text, a)
        if seen is not a:
            out[a.line] = seen
    return out


@rule(
    "LDG202", "duplicate-attempt-timestamp", WARNING, "Two attempts of one focus share a timestamp."
)
def duplicate_attempt_timestamp(ctx: Context) -> Iterator[Finding]:
    for focus, attempts in _attempt_groups(ctx, orphans=False):
        exact = duplicate_attempts(attempts)
        first: dict[object, Attempt] = {}
        for a in attempts:
            if not _has_time(a) or a.line in exact:
                continue
            seen = first.setdefault(a.timestamp, a)
            if seen is not a:
                yield ctx.finding(
                    "LDG202",
                    a.line,
                    f"attempt timestamp {a.timestamp_text} repeats line {seen.line} in {focus}",
                    ctx.col_of(a.line, a.timestamp_text or ""),
                )


@rule(
    "LDG203",
    "duplicate-attempt-number",
    WARNING,
    "Two attempts of one focus share an attempt number.",
)
def duplicate_attempt_number(ctx: Context) -> Iterator[Finding]:
    for focus, attempts in _attempt_groups(ctx, orphans=False):
        exact = duplicate_attempts(attempts)
        first: dict[int, Attempt] = {}
        for a in attempts:
            if a.number is None or a.line in exact:
                continue
            seen = first.setdefault(a.number, a)
            if seen is not a:
                yield ctx.finding(
                    "LDG203",
                    a.line,
                    f"Attempt #{a.number} repeats line {seen.line} in {focus}",
                    ctx.col_of(a.line, f"#{a.number}"),
                )


@rule(
    "LDG204", "identical-attempt", ERROR, "An attempt entry repeated word for word.", fixable=True
)
def identical_attempt(ctx: Context) -> Iterator[Finding]:
    for focus, attempts in _attempt_groups(ctx):
        for line, seen in duplicate_attempts(attempts).items():
            yield ctx.finding(
                "LDG204",
                line,
                f"attempt is an exact copy of line {seen.line} in {focus} (`ledger fix` removes it)",
            )


_SUBJECT = re.compile(
    r"\s*(?:\*\*)?\[?([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+[a-z]?)\]?(?:\*\*)?\s*(?::|—|–|‚Äî)"
)
_FOCUS_TAG = re.compile(r"<focus_id>\s*([^<\s]+)\s*</focus_id>")


@rule("LDG205", "misfiled-attempt", WARNING, "An entry names another focus as its subject.")
def misfiled_attempt(ctx: Context) -> Iterator[Finding]:
    ids = set(ctx.first_section)
    for item in ctx.sections:
        for a in item.attempts:
            other = a.focus_ref if a.focus_ref in ids else None
            if other is None:
                m = _SUBJECT.match(a.summary or "")
                other = m.group(1) if m and m.group(1) in ids else None
            if other and other != item.id:
                yield ctx.finding(
                    "LDG205",
                    a.line,
                    f"attempt {_attempt_name(a)} is about {other} but is filed under {item.id}",
                )
        for n in range(item.line, item.end_line + 1):
            text = ctx.lines[n - 1]
            if "<focus_id>" not in text:
                continue
            m = _FOCUS_TAG.search(text)
            if m and m.group(1) in ids and m.group(1) != item.id:
                yield ctx.finding(
                    "LDG205",
                    n,
                    f"plan_update block names {m.group(1)} as its focus but sits in {item.id}",
                    m.start(1) + 1,
                )


_UNRELIABLE_OWNER_DATE = re.compile(r"complet|done|closed|updated|archiv|finish", re.IGNORECASE)


@rule("LDG206", "attempt-before-focus", WARNING, "An attempt dated before its focus was created.")
def attempt_before_focus(ctx: Context) -> Iterator[Finding]:
    bound = _newest_plausible_date(ctx)
    for item in ctx.sections:
        owners = [f for f in item.fields if f.key == "owner/date"]
        if not owners or not item.attempts:
            continue
        for a in item.attempts:
            # A numbered attempt (`Attempt #N`) continues the focus's own sequence, which is
            # better evidence than a date; only unnumbered entries are judged by date.
            if a.timestamp is None or a.number is not None:
                continue
            # The Owner/Date in force is the last one above the attempt (a lost heading starts
            # a new one).
            owner = None
            for f in owners:
                if f.line < a.line:
                    owner = f
            if owner is None or _UNRELIABLE_OWNER_DATE.search(owner.value):
                continue
            stamp = owner.value.split("/", 1)[-1] if "/" in owner.value else owner.value
            created = parse_timestamp(stamp)
            if created is None or (bound is not None and created.date() > bound):
                continue  # a future Owner/Date proves nothing about the attempts
            # A full timestamp is written when the focus is minted; a bare date is often the
            # day ownership changed, so allow one day of slack before calling it evidence.
            slack = 0 if re.search(r"\d{4}-\d{2}-\d{2}T\d", stamp) else 1
            if (created.date() - a.timestamp.date()).days > slack:
                yield ctx.finding(
                    "LDG206",
                    a.line,
                    f"attempt {_attempt_name(a)} predates {item.id} (Owner/Date "
                    f"{created.date().isoformat()} at line {owner.line}); is it filed under the wrong focus?",
                    ctx.col_of(a.line, a.timestamp_text or ""),
                )


def _newest_plausible_date(ctx: Context) -> Optional[date]:
    """Last Updated, else the newest attempt: Owner/Dates after it are typos, not evidence."""
    if ctx.ledger.header.last_updated_date:
        return ctx.ledger.header.last_updated_date
    stamps = [a.timestamp for _f, atts in _attempt_groups(ctx) for a in atts if a.timestamp]
    return max(stamps).date() if stamps else None


# --- LDG3xx dependencies ---------------------------------------------------------------------


def _depends_field(item: FocusItem):
    return item.field("depends on", "depends")


@rule("LDG301", "unknown-dependency", WARNING, "A dependency that is not a focus section.")
def unknown_dependency(ctx: Context) -> Iterator[Finding]:
    mentioned: Optional[dict[str, int]] = None
    for item in ctx.sections:
        f = _depends_field(item)
        if f is None:
            continue
        for dep in item.depends_on:
            if dep in ctx.all_ids:
                continue
            where = _finding_file(ctx, dep)
            if where:
                extra = f"; it is defined in {where} (a finding, not a focus)"
            else:
                if mentioned is None:
                    mentioned = _bracketed_ids(ctx.lines)
                if dep in mentioned:
                    extra = f"; it is mentioned at line {mentioned[dep]} but has no section"
                elif ctx.root is not None:
                    extra = f"; it is not in {', '.join(ctx.config.findings_files) or 'any findings file'} either"
                else:
                    extra = ""
            yield ctx.finding(
                "LDG301",
                f.line,
                f"{item.id} depends on {dep}, which is not a focus section{extra}",
                ctx.col_of(f.line, dep),
            )


_BRACKETED = re.compile(r"\[([^\]\s]+)\]")
_ID_WORD = re.compile(r"[A-Za-z0-9][\w‑-]*[A-Za-z0-9]")


def _bracketed_ids(lines: list[str]) -> dict[str, int]:
    """Every `[TOKEN]` of the ledger and the first line it is on (one pass)."""
    out: dict[str, int] = {}
    for n, line in enumerate(lines, 1):
        if "[" in line:
            for m in _BRACKETED.finditer(line):
                out.setdefault(m.group(1), n)
    return out


def _finding_file(ctx: Context, focus_id: str) -> Optional[str]:
    """The first configured findings file (inside the repository) that mentions `focus_id`."""
    if ctx.root is None:
        return None
    cache = ctx.findings_words
    for rel in ctx.config.findings_files:
        if rel not in cache:  # read each file once, as a set of ID-like words
            cache[rel] = set(_ID_WORD.findall(_read_inside(ctx.root, rel)))
        if focus_id in cache[rel]:
            return rel
    return None


def _inside(root: Path, rel: str) -> Optional[Path]:
    """`root/rel` if it stays inside the repository root (symlinks resolved), else None."""
    from .errors import PathOutsideRoot
    from .fileio import inside

    try:
        return inside(root, rel)
    except (PathOutsideRoot, OSError, ValueError):
        return None


def _read_inside(root: Path, rel: str) -> str:
    target = _inside(root, rel)
    if target is None or not target.is_file():
        return ""
    try:
        return target.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _dependency_graph(ctx: Context) -> tuple[dict[str, list[str]], dict[tuple[str, str], int]]:
    graph: dict[str, list[str]] = {i: [] for i in ctx.first_section}
    where: dict[tuple[str, str], int] = {}
    for item in ctx.sections:
        f = _depends_field(item)
        for dep in item.depends_on:
            if dep in graph and dep not in graph[item.id]:
                graph[item.id].append(dep)
                where[(item.id, dep)] = f.line if f else item.line
    return graph, where


@rule("LDG302", "dependency-cycle", ERROR, "Focus items that depend on each other in a cycle.")
def dependency_cycle(ctx: Context) -> Iterator[Finding]:
    graph, where = _dependency_graph(ctx)
    position = {node: i for i, node in enumerate(graph)}
    for comp in strongly_connected(graph, list(graph)):
        members = set(comp)
        if len(comp) == 1 and comp[0] not in graph[comp[0]]:
            continue
        # Start at the dependency written first in the file, so the finding points at it.
        edges = sorted((line, a) for (a, b), line in where.items() if a in members and b in members)
        line, start = edges[0]
        path = [*shortest_cycle(graph, start, members, position), start]
        yield ctx.finding(
            "LDG302",
            line,
            "dependency cycle: " + " -> ".join(path),
            ctx.col_of(line, path[1] if len(path) > 1 else start),
        )


@rule("LDG303", "done-depends-on-open", WARNING, "A done focus depends on one that is still open.")
def done_depends_on_open(ctx: Context) -> Iterator[Finding]:
    for item in ctx.sections:
        if item.status is not Status.done:
            continue
        f = _depends_field(item)
        for dep in item.depends_on:
            target = ctx.first_section.get(dep)
            if target is None or target.status is Status.unknown or target.status.is_closed:
                continue
            yield ctx.finding(
                "LDG303",
                f.line if f else item.line,
                f"{item.id} is done but depends on {dep}, which is {target.status.value} (line {target.line})",
                ctx.col_of(f.line, dep) if f else 1,
            )


# --- LDG4xx status ---------------------------------------------------------------------------


@rule("LDG401", "unknown-status", WARNING, "A Status value outside the configured vocabulary.")
def unknown_status(ctx: Context) -> Iterator[Finding]:
    vocabulary = {s.lower() for s in ctx.config.statuses}
    for item in ctx.sections:
        f = item.field("status")
        if f is None or not item.status_text.strip():
            continue
        token = first_word(item.status_text)
        if token not in vocabulary:
            yield ctx.finding(
                "LDG401",
                f.line,
                f"status {token or item.status_text.strip()!r} of {item.id} is not one of: {', '.join(ctx.config.statuses)}",
                ctx.col_of(f.line, item.status_text.strip()[:8]),
            )


_CLOSED_DO_NOW = re.compile(
    r"supersed|\bdone\b|complete|\bn/a\b|\bnone\b|^\s*[—-]\s*$|✅", re.IGNORECASE
)


def _do_now_open(f) -> bool:
    if _CLOSED_DO_NOW.search(f.qualifier or "") or _CLOSED_DO_NOW.search(f.value or ""):
        return False
    items = [ln.strip() for ln in f.text.splitlines()[1:] if ln.strip()]
    if items and all(_CLOSED_DO_NOW.search(i) or i.startswith(("- [x]", "* [x]")) for i in items):
        return False
    return bool(f.value.strip() or items)


@rule("LDG402", "done-with-open-do-now", WARNING, "A done focus still has an open Do Now.")
def done_with_open_do_now(ctx: Context) -> Iterator[Finding]:
    for item in ctx.sections:
        if item.status is not Status.done:
            continue
        for f in item.fields:
            if f.key.startswith("do now") and _do_now_open(f):
                yield ctx.finding(
                    "LDG402",
                    f.line,
                    f"{item.id} is done but its `{f.name}` (line {f.line}) is still open; mark it superseded or drop it",
                )


@rule(
    "LDG403",
    "blocked-without-return-condition",
    WARNING,
    "A blocked focus with no return condition.",
)
def blocked_without_return(ctx: Context) -> Iterator[Finding]:
    for item in ctx.sections:
        if not item.status.is_blocked:
            continue
        has = any(f.key.startswith(("return condition", "unblock", "resume")) for f in item.fields)
        if has or "return condition" in item.status_text.lower():
            continue
        f = item.field("status")
        yield ctx.finding(
            "LDG403",
            f.line if f else item.line,
            f"{item.id} is {item.status.value} but has no `Return Condition:` saying when to resume",
        )


# --- LDG5xx index table ------------------------------------------------------------------------


def _cell_col(ctx: Context, line: int, cell: Optional[str]) -> int:
    return ctx.col_of(line, cell) if cell else 1


@rule("LDG501", "index-status", ERROR, "Index row status disagrees with the section.", fixable=True)
def index_status(ctx: Context) -> Iterator[Finding]:
    for row, item in _index_pairs(ctx):
        if row.status_text is not None and statuses_disagree(row.status_text, item):
            yield ctx.finding(
                "LDG501",
                row.line,
                f"index says {row.id} is {row.status_text.strip()!r}, its section (line {item.line}) "
                f"says {first_word(item.status_text)!r}",
                _cell_col(ctx, row.line, row.status_text),
            )


@rule(
    "LDG502",
    "index-priority",
    WARNING,
    "Index row priority disagrees with the section.",
    fixable=True,
)
def index_priority(ctx: Context) -> Iterator[Finding]:
    for row, item in _index_pairs(ctx):
        if priorities_disagree(row.priority, item):
            yield ctx.finding(
                "LDG502",
                row.line,
                f"index gives {row.id} priority {row.priority!r}, its section (line {item.line}) says {item.priority!r}",
                _cell_col(ctx, row.line, row.priority),
            )


@rule(
    "LDG503",
    "index-title",
    WARNING,
    "Index row title differs from the section heading.",
    fixable=True,
)
def index_title(ctx: Context) -> Iterator[Finding]:
    for row, item in _index_pairs(ctx):
        if row.title is not None and item.title and norm_title(row.title) != norm_title(item.title):
            yield ctx.finding(
                "LDG503",
                row.line,
                f"index title {row.title!r} differs from the heading of {row.id} (line {item.line}): {item.title!r}",
                _cell_col(ctx, row.line, row.title),
            )


@rule("LDG504", "index-missing-row", WARNING, "A section with no index row.", fixable=True)
def index_missing_row(ctx: Context) -> Iterator[Finding]:
    index = ctx.ledger.index
    if index is None:
        return
    listed = {r.id for r in index.rows}
    for focus_id, item in ctx.first_section.items():
        if focus_id not in listed:
            yield ctx.finding(
                "LDG504",
                item.line,
                f"{focus_id} has no row in the index table (line {index.line})",
                ctx.col_of(item.line, focus_id),
            )


@rule("LDG505", "index-extra-row", WARNING, "An index row for an ID that has no section.")
def index_extra_row(ctx: Context) -> Iterator[Finding]:
    index = ctx.ledger.index
    if index is None:
        return
    for row in index.rows:
        if row.id not in ctx.first_section:
            yield ctx.finding(
                "LDG505",
                row.line,
                f"index row {row.id} names no section",
                ctx.col_of(row.line, row.id),
            )


@rule("LDG506", "index-duplicate-row", WARNING, "Two index rows for the same ID.")
def index_duplicate_row(ctx: Context) -> Iterator[Finding]:
    index = ctx.ledger.index
    if index is None:
        return
    first: dict[str, int] = {}
    for row in index.rows:
        seen = first.setdefault(row.id, row.line)
        if seen != row.line:
            yield ctx.finding(
                "LDG506",
                row.line,
                f"index row {row.id} repeats line {seen}",
                ctx.col_of(row.line, row.id),
            )


@rule(
    "LDG507",
    "index-anchor",
    WARNING,
    "An index link anchor that is not the heading's GitHub slug.",
    fixable=True,
)
def index_anchor(ctx: Context) -> Iterator[Finding]:
    for row, item in _index_pairs(ctx):
        if row.anchor is None:
            continue
        expected = ctx.slugs.get(item.line)
        if expected is not None and row.anchor != expected:
            yield ctx.finding(
                "LDG507",
                row.line,
                f"anchor #{row.anchor} does not match the heading of {row.id} (line {item.line}): #{expected}",
                ctx.col_of(row.line, "#" + row.anchor) + 1,
            )


def _index_pairs(ctx: Context):
    index = ctx.ledger.index
    if index is None:
        return
    for row in index.rows:
        item = ctx.first_section.get(row.id)
        if item is not None:
            yield row, item


# --- LDG6xx header ---------------------------------------------------------------------------


@rule("LDG601", "active-focus-unknown", WARNING, "Active Focus names no focus section.")
def active_focus_unknown(ctx: Context) -> Iterator[Finding]:
    h = ctx.ledger.header
    if not h.active_focus or not h.active_focus_line:
        return
    if h.active_focus_id is None or h.active_focus_id not in ctx.all_ids:
        named = h.active_focus_id or h.active_focus.splitlines()[0][:60]
        yield ctx.finding(
            "LDG601",
            h.active_focus_line,
            f"Active Focus names {named!r}, which is not a focus section",
        )


@rule(
    "LDG602",
    "active-focus-closed",
    WARNING,
    "Active Focus names a done, archived or superseded item.",
)
def active_focus_closed(ctx: Context) -> Iterator[Finding]:
    h = ctx.ledger.header
    item = ctx.ledger.get(h.active_focus_id) if h.active_focus_id else None
    if item is not None and h.active_focus_line and item.status.is_closed:
        yield ctx.finding(
            "LDG602",
            h.active_focus_line,
            f"Active Focus is {item.id}, which is {item.status.value} (line {item.line})",
        )


@rule("LDG603", "last-updated-stale", WARNING, "Last Updated is older than the newest attempt.")
def last_updated_stale(ctx: Context) -> Iterator[Finding]:
    h = ctx.ledger.header
    if h.last_updated_date is None or not h.last_updated_line:
        return
    newest: Optional[Attempt] = None
    for _focus, attempts in _attempt_groups(ctx):
        for a in attempts:
            if a.timestamp and (newest is None or a.timestamp > newest.timestamp):
                newest = a
    if newest is not None and newest.timestamp.date() > h.last_updated_date:
        yield ctx.finding(
            "LDG603",
            h.last_updated_line,
            f"Last Updated {h.last_updated_date.isoformat()} is older than the newest attempt "
            f"({newest.timestamp_text}, line {newest.line})",
        )


# --- LDG7xx links ----------------------------------------------------------------------------

_BACKTICKED = re.compile(r"`([^`\n]+)`")
_NOT_A_PATH = re.compile(r"[<>{}$*?…]|\.\.\.|^[a-z]+://|^TBD", re.IGNORECASE)


def _paths_in(value: str) -> list[str]:
    candidates = _BACKTICKED.findall(value)
    if not candidates:
        first = value.strip().split()
        candidates = first[:1]
    out = []
    for c in candidates:
        c = c.strip().rstrip(".,;:)")
        c = c.split("#", 1)[0]
        c = re.sub(r":\d+(?:-\d+)?$", "", c)
        if not c or _NOT_A_PATH.search(c) or " " in c:
            continue
        if "/" in c or c.endswith(".md"):
            out.append(c)
    return out


@rule(
    "LDG701",
    "missing-path",
    WARNING,
    "A Working Plan / Summary / Reports Hub path that does not exist.",
)
def missing_path(ctx: Context) -> Iterator[Finding]:
    if ctx.root is None:
        return
    cache: dict[str, bool] = {}
    for item in ctx.sections:
        for f in item.fields:
            if f.key not in _LINK_FIELDS:
                continue
            for p in _paths_in(f.value):
                if p not in cache:
                    target = _inside(ctx.root, p.lstrip("/") if not Path(p).is_absolute() else p)
                    # Paths outside the repository are never looked at (and not reported).
                    cache[p] = target is None or target.exists()
                if not cache[p]:
                    yield ctx.finding(
                        "LDG701",
                        f.line,
                        f"{f.name} of {item.id} points to {p}, which does not exist in the repository",
                        ctx.col_of(f.line, p),
                    )


# --- LDG8xx encoding -------------------------------------------------------------------------

_SURROGATE = re.compile("[\udc80-\udcff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x0d\x0e-\x1f\x7f-\x9f]")
_CONFLICT_OPEN = re.compile(r"<{7}(?: |$)")
_CONFLICT_OTHER = re.compile(r"(?:>{7}|\|{7})(?: |$)")
_DIFF_RESIDUE = re.compile(
    r"[-+]#{1,6}[ \t]"  # -### [ID] Title
    r"|[-+][ \t]+[-*][ \t]+\*?\[?\d{4}-\d{2}-\d{2}"  # -  - *2026-01-28T05:00:00Z ...
    r"|@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@"
    r"|diff --git a/"
    r"|(?:---|\+\+\+) [ab]/"
)


@rule(
    "LDG801", "mojibake", ERROR, "UTF-8 text that was decoded as Mac Roman or cp1252.", fixable=True
)
def mojibake(ctx: Context) -> Iterator[Finding]:
    hits: dict[str, list[int]] = {}
    first_col: dict[str, int] = {}
    for n, line in enumerate(ctx.lines, 1):
        if line.isascii():
            continue
        found = demojibake(line)
        if found is None:
            continue
        fixed, encoding = found
        hits.setdefault(encoding, []).append(n)
        if encoding not in first_col:
            first_col[encoding] = next(
                (i + 1 for i, (a, b) in enumerate(zip(line, fixed)) if a != b), 1
            )
    for encoding, lines in hits.items():
        yield ctx.finding(
            "LDG801",
            lines[0],
            f"mojibake: {len(lines)} line(s) are UTF-8 decoded as {ENCODING_NAMES[encoding]} "
            f"(lines {_line_list(lines)}); `ledger fix` repairs them",
            first_col[encoding],
        )


@rule("LDG802", "invalid-utf8", ERROR, "Bytes that are not valid UTF-8.")
def invalid_utf8(ctx: Context) -> Iterator[Finding]:
    if _SURROGATE.search(ctx.text) is None:
        return
    for n, line in enumerate(ctx.lines, 1):
        if line.isascii():
            continue
        m = _SURROGATE.search(line)
        if m:
            raw = " ".join(f"0x{ord(c) - 0xDC00:02X}" for c in _SURROGATE.findall(line)[:4])
            yield ctx.finding("LDG802", n, f"bytes that are not valid UTF-8 ({raw})", m.start() + 1)


@rule("LDG803", "control-character", WARNING, "A control character in the text.")
def control_character(ctx: Context) -> Iterator[Finding]:
    if _CONTROL.search(ctx.text) is None:
        return
    for n, line in enumerate(ctx.lines, 1):
        m = _CONTROL.search(line)
        if m:
            yield ctx.finding(
                "LDG803", n, f"control character U+{ord(m.group()):04X}", m.start() + 1
            )


@rule("LDG804", "conflict-marker", ERROR, "A merge conflict marker.")
def conflict_marker(ctx: Context) -> Iterator[Finding]:
    text = ctx.text
    if "<<<<<<<" not in text and ">>>>>>>" not in text and "|||||||" not in text:
        return
    open_conflict = False
    for n, line in enumerate(ctx.lines, 1):
        first = line[:1]
        if first not in "<>|=":
            continue
        if _CONFLICT_OPEN.match(line):
            open_conflict = True
        elif _CONFLICT_OTHER.match(line):
            if line.startswith(">"):
                open_conflict = False
        elif not (open_conflict and line == "======="):
            continue  # `=======` alone is also a setext heading underline
        yield ctx.finding("LDG804", n, f"merge conflict marker {line[:7]!r}")


@rule("LDG805", "diff-residue", ERROR, "A line pasted from a diff (`-### [ID]`, `@@ ... @@`).")
def diff_residue(ctx: Context) -> Iterator[Finding]:
    classes = ctx.classes
    for n, line in enumerate(ctx.lines, 1):
        if not line or line[0] not in "-+@d" or classes[n - 1] == CODE:
            continue
        if _DIFF_RESIDUE.match(line):
            yield ctx.finding("LDG805", n, f"diff residue: {line[:40]!r} looks pasted from a diff")


@rule(
    "LDG806",
    "trailing-whitespace",
    INFO,
    "Trailing spaces (only with check.fix_trailing_whitespace).",
    fixable=True,
)
def trailing_whitespace(ctx: Context) -> Iterator[Finding]:
    if not ctx.config.fix_trailing_whitespace:
        return
    lines = [n for n, line in enumerate(ctx.lines, 1) if line != line.rstrip(" \t")]
    if lines:
        yield ctx.finding(
            "LDG806",
            lines[0],
            f"{len(lines)} line(s) end in spaces or tabs (lines {_line_list(lines)}); `ledger fix` strips them",
            len(ctx.lines[lines[0] - 1].rstrip(" \t")) + 1,
        )


# --- LDG9xx size -----------------------------------------------------------------------------


@rule("LDG901", "ledger-too-large", WARNING, "The ledger is over the configured size: snapshot it.")
def ledger_too_large(ctx: Context) -> Iterator[Finding]:
    size = ctx.size
    if size is None:
        size = sum(len(line.encode("utf-8", "surrogateescape")) + 1 for line in ctx.lines)
    n = len(ctx.lines)
    over = []
    if size > ctx.config.max_bytes:
        over.append(f"{size:,} bytes > {ctx.config.max_bytes:,}")
    if n > ctx.config.max_lines:
        over.append(f"{n:,} lines > {ctx.config.max_lines:,}")
    if over:
        yield ctx.finding(
            "LDG901",
            1,
            f"ledger is too large ({'; '.join(over)}); move closed items to the archive with `ledger archive`",
        )
