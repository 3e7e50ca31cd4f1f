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

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
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

# Where each name lives: the package imports a module when one of its names is first used, so
# `ledger dwell` does not import `dwell.log` (the focus history of `ledger log`) and the others
# it does not need (PEP 562).
_HOMES = {
    "Appeared": "log",
    "AttemptsChanged": "log",
    "CommitKind": "rule",
    "CommitRef": "rule",
    "DoneWithoutEvidence": "records",
    "DwellMark": "marks",
    "DwellMode": "records",
    "DwellReport": "rule",
    "DwellState": "marks",
    "DwellTable": "marks",
    "EMPTY": "summaries",
    "FocusDwell": "rule",
    "FocusFacts": "summaries",
    "IterationState": "iterations",
    "Iterations": "iterations",
    "LedgerSummary": "summaries",
    "LogEvent": "log",
    "LogEventKind": "log",
    "PathMatcher": "rule",
    "Removed": "log",
    "Rules": "rule",
    "SCHEMA_VERSION": "rule",
    "SUMMARY_VERSION": "summaries",
    "Scan": "scan",
    "StatusChanged": "log",
    "Summarizer": "summaries",
    "SummaryStore": "summaries",
    "TimelineEntry": "rule",
    "Turn": "rule",
    "TurnBasis": "rule",
    "TurnTaken": "log",
    "Walk": "rule",
    "WalkState": "rule",
    "cache_dir": "summaries",
    "compute": "rule",
    "dwell_state": "marks",
    "fails": "rule",
    "focus_log": "log",
    "known_ids": "rule",
    "next_open_item": "summaries",
    "publish_checkpoint": "scan",
    "scan_repository": "scan",
    "status_table": "scan",
    "summarize": "summaries",
    "summarize_text": "summaries",
    "walk_from_checkpoint": "scan",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{home}", __name__), name)


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
