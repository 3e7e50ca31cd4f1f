"""Dwell and tiers from git history.

The package follows the data: `dwell.summaries` reduces each ledger version to what the rule
needs (and caches it), `dwell.rule` is the rule itself as pure functions over commit records
(supervisor turns; `dwell.iterations` the single-agent rule it uses for a history without any
supervisor commit), `dwell.records` what they report, `dwell.marks` what a tier means for a
focus given its status (flagged, parked, closed), `dwell.log` the history of one focus, and
`dwell.scan` reads a repository through `ledger.history` and runs the rule.
docs/commands/dwell.md describes both rules.
"""

from __future__ import annotations

from .iterations import Iterations, IterationState
from .log import (
    Appeared,
    AttemptsChanged,
    LogEvent,
    LogEventKind,
    Removed,
    StatusChanged,
    TurnTaken,
    focus_log,
)
from .marks import DwellMark, DwellState, DwellTable, dwell_state
from .records import DoneWithoutEvidence, DwellMode
from .rule import (
    SCHEMA_VERSION,
    CommitKind,
    CommitRef,
    DwellReport,
    FocusDwell,
    PathMatcher,
    Rules,
    TimelineEntry,
    Turn,
    TurnBasis,
    Walk,
    WalkState,
    compute,
    fails,
    known_ids,
)
from .scan import (
    Scan,
    publish_checkpoint,
    scan_repository,
    status_table,
    walk_from_checkpoint,
)
from .summaries import (
    EMPTY,
    SUMMARY_VERSION,
    FocusFacts,
    LedgerSummary,
    Summarizer,
    SummaryStore,
    cache_dir,
    next_open_item,
    summarize,
    summarize_text,
)

__all__ = [
    "EMPTY",
    "SCHEMA_VERSION",
    "SUMMARY_VERSION",
    "Appeared",
    "AttemptsChanged",
    "CommitKind",
    "CommitRef",
    "DoneWithoutEvidence",
    "DwellMark",
    "DwellMode",
    "DwellReport",
    "DwellState",
    "DwellTable",
    "FocusDwell",
    "FocusFacts",
    "IterationState",
    "Iterations",
    "LedgerSummary",
    "LogEvent",
    "LogEventKind",
    "PathMatcher",
    "Removed",
    "Rules",
    "Scan",
    "StatusChanged",
    "Summarizer",
    "SummaryStore",
    "TimelineEntry",
    "Turn",
    "TurnBasis",
    "TurnTaken",
    "Walk",
    "WalkState",
    "cache_dir",
    "compute",
    "dwell_state",
    "fails",
    "focus_log",
    "known_ids",
    "next_open_item",
    "publish_checkpoint",
    "scan_repository",
    "status_table",
    "summarize",
    "summarize_text",
    "walk_from_checkpoint",
]
