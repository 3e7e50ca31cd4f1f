"""The rule registry and what every rule reads: `Finding`, `Rule`, `@rule`, `Context`, and the
selection of rules and severities from `check:` in `.ledger.yaml` and the command line.

Rules live in one module per family (`ledger.checks.structure`, `.attempts`, ...); each
registers itself with `@rule(code, name, severity, summary)` when its module is imported, which
`ledger.checks` does. Codes never change once released (decision 0020).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..config import CheckConfig
from ..depgraph import DependencyGraph
from ..document import Document, LineClass
from ..errors import ConfigError, UsageError
from ..model import FocusItem, IndexTable, ItemForm, Ledger
from ..parse import loads
from ..vocab import Severity

if TYPE_CHECKING:  # pragma: no cover
    from ..encoding import Suspects

ERROR = Severity.error
WARNING = Severity.warning
INFO = Severity.info
SEVERITIES = tuple(s.value for s in Severity)


class Finding(NamedTuple):
    """One problem at one place: `path:line:col: CODE message`."""

    path: str
    line: int
    col: int
    code: str
    severity: Severity
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
            "severity": self.severity.value,
            "message": self.message,
            "fixable": bool(rule and rule.fixable),
        }


class Rule(NamedTuple):
    """A registered rule: stable code, short name, default severity, one-line summary."""

    code: str
    name: str
    severity: Severity
    summary: str
    func: Callable[[Context], Iterable[Finding]]
    fixable: bool = False


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: Severity, summary: str, *, fixable: bool = False):
    """Register a rule function under `code` (documented in docs/commands/check.md)."""

    def register(func: Callable[[Context], Iterable[Finding]]):
        RULES[code] = Rule(code, name, severity, summary, func, fixable)
        return func

    return register


@dataclass
class Context:
    """What every rule reads: the parsed ledger and its document, `config.check`, the root."""

    ledger: Ledger
    config: CheckConfig = field(default_factory=CheckConfig)
    root: Path | None = None  # repository root; None disables the link rule
    path: str = "<ledger>"
    size: int | None = None  # bytes on disk, when known
    severities: dict[str, Severity] = field(default_factory=dict)
    findings_words: dict[str, set[str]] = field(default_factory=dict, repr=False)  # cache

    @classmethod
    def from_text(cls, text: str, config: CheckConfig | None = None, **kwargs) -> Context:
        """Parse `text` once; every rule then reads the same model and document."""
        return cls(ledger=loads(text), config=config or CheckConfig(), **kwargs)

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

    @property
    def document(self) -> Document:
        return self.ledger.document

    @property
    def lines(self) -> list[str]:
        """Line contents without their endings; index 0 is line 1."""
        return self.ledger.document.contents

    @property
    def classes(self) -> list[LineClass]:
        """Structural class of every line (fenced code respected)."""
        return self.ledger.document.classes

    @cached_property
    def text(self) -> str:
        """The text with `\\n` line endings (for whole-text scans; no `\\r` of CRLF endings):
        the document's own text when it has no `\\r`, else its lines joined with `\\n`."""
        doc = self.ledger.document
        return doc.text if doc.lf_only else "\n".join(self.lines)

    @cached_property
    def suspects(self) -> Suspects:
        """Where the text may be damaged (mojibake, control characters, undecodable bytes), from
        one scan of it."""
        from ..encoding import suspects

        return suspects(self.text)

    @property
    def items(self) -> list[FocusItem]:
        """Every work item, in document order, whatever its form (rules about statuses, steps,
        IDs and dependencies read these)."""
        return self.ledger.focus_items

    @cached_property
    def sections(self) -> list[FocusItem]:
        """The `## [ID] Title` focus sections, in document order: what the rules about a
        section's fields and lines read (Status field, Do Now, return conditions, Owner/Date,
        Working Plan, the index). Items of the other forms are not sections."""
        return [f for f in self.ledger.focus_items if f.form is ItemForm.section]

    @cached_property
    def first_section(self) -> dict[str, FocusItem]:
        """The first section of every ID (what index rows refer to)."""
        out: dict[str, FocusItem] = {}
        for item in self.sections:
            out.setdefault(item.id, item)
        return out

    @cached_property
    def first_item(self) -> dict[str, FocusItem]:
        """The first item with lines of its own of every ID, in any form (what dependencies and
        attempt subjects refer to; reset-layout IDs named only by attempts are not in it)."""
        out: dict[str, FocusItem] = {}
        for item in self.ledger.focus_items:
            if item.has_section:
                out.setdefault(item.id, item)
        return out

    @cached_property
    def other_forms(self) -> bool:
        """The ledger is a plan in the other forms: it has items and none is a focus section or
        a reset-layout item (findings then speak of items, not of sections)."""
        items = self.ledger.focus_items
        return bool(items) and not any(f.form.is_ledger_section for f in items)

    @cached_property
    def index(self) -> IndexTable | None:
        """The index table when it restates the focus sections. In a plan without sections its
        rows are the plan's own items (a task table), never compared with anything."""
        if any(f.form.is_ledger_section for f in self.ledger.focus_items):
            return self.ledger.index
        return None

    @cached_property
    def all_ids(self) -> set[str]:
        """Every focus ID, including reset-layout items known only from attempt headings."""
        return set(self.ledger.ids)

    @cached_property
    def dependency_graph(self) -> DependencyGraph:
        """The ledger's one dependency graph (`ledger.depgraph`), built on first use."""
        return DependencyGraph.of(self.ledger)

    @property
    def slugs(self) -> dict[int, str]:
        """GitHub anchor of every heading, by 1-based line."""
        return self.ledger.document.heading_slugs()


# --- running ---------------------------------------------------------------------------------


def check_text(
    text: str,
    config: CheckConfig | None = None,
    *,
    path: str = "<ledger>",
    root: Path | None = None,
    size: int | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
) -> list[Finding]:
    """Run the configured rules on `text`; findings sorted by line, column, code."""
    config = config or CheckConfig()
    ctx = Context.from_text(text, config, root=root, path=path, size=size)
    return run_rules(ctx, select=select, ignore=ignore)


def run_rules(
    ctx: Context, *, select: list[str] | None = None, ignore: list[str] | None = None
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
    config: CheckConfig, *, select: list[str] | None = None, ignore: list[str] | None = None
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


def resolve_severities(config: CheckConfig) -> dict[str, Severity]:
    """Per-code severity overrides from `check.severity` (codes or prefixes; the severities were
    validated when the configuration was read, the codes are checked here)."""
    out: dict[str, Severity] = {}
    for key, value in config.severity.items():
        for code in _expand([key], f"check.severity.{key}", ConfigError):
            out[code] = Severity(str(value).lower())
    return out


def statistics(findings: Iterable[Finding]) -> list[dict]:
    """Count per code, most frequent first (for `--statistics`)."""
    counts = Counter(f.code for f in findings)
    severity = {f.code: f.severity.value for f in findings}
    return [
        {"code": code, "name": RULES[code].name, "severity": severity[code], "count": n}
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def line_list(lines: list[int], limit: int = 8) -> str:
    """`3, 5, 9, ...`: the first `limit` line numbers of a finding that covers many lines."""
    shown = ", ".join(str(n) for n in lines[:limit])
    return shown + (", ..." if len(lines) > limit else "")
