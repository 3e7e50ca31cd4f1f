"""The series behind `ledger report`'s dwell charts: each open focus turn by turn, and the
loop's cadence (supervisor turns and implementation evidence per day).

The history is `ledger dwell`'s: `dwell.scan_repository` over the first-parent history of HEAD
(the summary cache and checkpoints make a warm run cheap), and a focus's series is exactly its
`--timeline` (`DwellReport.timelines`). The cadence counts the report's turns by the day of
their last commit and the commits the rule calls implementation evidence (`Rules.classify`,
`Rules.is_evidence`) by their own day; days are UTC days, and the days between without either
are there with zeros, so a quiet stretch shows.

When there is no history to read (`--no-git`, not in a repository, the ledger never committed)
the part is a `DwellAbsent` that says why.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Ledger
from ..vocab import Status

if TYPE_CHECKING:  # pragma: no cover
    from ..config import Config
    from ..dwell import Rules, Scan


@dataclass(frozen=True, slots=True)
class DwellAbsent:
    """Why the page has no dwell charts."""

    reason: str


@dataclass(frozen=True, slots=True)
class DwellPoint:
    """One turn of a focus: the dwell after it (as `ledger dwell --timeline` reports it)."""

    turn: int  # the turn's number in the whole history
    date: datetime
    sha: str
    subject: str
    dwell: int
    tier: int
    evidence: int  # evidence commits seen since the focus's previous turn


@dataclass(frozen=True, slots=True)
class DwellSeries:
    """The turns of one open focus, oldest first."""

    id: str
    title: str
    status: Status
    points: tuple[DwellPoint, ...]


@dataclass(frozen=True, slots=True)
class DayCount:
    """Supervisor turns and implementation evidence commits on one UTC day."""

    day: date
    turns: int
    evidence: int


@dataclass(frozen=True)
class DwellPart:
    """Dwell per open focus turn by turn, the loop's cadence, and the tier thresholds."""

    rev: str | None
    tiers: tuple[int, int, int]
    series: tuple[DwellSeries, ...]
    cadence: tuple[DayCount, ...]
    turns: int
    evidence: int
    # every focus with turns: (dwell, tier) at the revision, tier 0 once closed (as `status`)
    latest: dict[str, tuple[int, int]]


def read_history(path: Path, config: Config, *, use_git: bool = True) -> Scan | DwellAbsent:
    """`ledger dwell`'s scan of the history of the ledger at `path`, or why there is none."""
    if not use_git:
        return DwellAbsent("history not read (--no-git)")
    from .. import history
    from ..dwell import scan_repository
    from ..errors import LedgerError

    repo = history.find_repo_fast(path)
    if repo is None or repo.work_tree is None:
        return DwellAbsent("the ledger is not in a git working tree, so there is no history")
    try:
        relative = history.repo_relative(repo, path.resolve())
        # HEAD as a full sha: one `git rev-parse` that also says whether the ledger is committed
        head, blob = history.head_and_blob(repo, relative)
        if head is None or blob is None:
            return DwellAbsent(f"{relative} has no committed history yet")
        return scan_repository(repo, head, relative, config.dwell, config.archive.path)
    except LedgerError as exc:
        return DwellAbsent(f"the history could not be read: {exc.message}")


def dwell_part(ledger: Ledger, scan: Scan, config: Config) -> DwellPart:
    """The dwell series of `ledger`'s open focus items with turns, and the cadence."""
    from ..dwell import Rules

    report = scan.report
    rules = Rules.from_config(config.dwell, scan.ledger_path, config.archive.path)
    series = []
    for focus_id in ledger.ids:
        item = ledger.get(focus_id)
        entries = report.timelines.get(focus_id)
        if item is None or not entries or not item.status.is_open:
            continue
        points = tuple(
            DwellPoint(
                e.turn_number,
                e.turn.date,
                e.turn.sha,
                e.turn.subject,
                e.dwell,
                e.tier,
                len(e.evidence),
            )
            for e in entries
        )
        series.append(DwellSeries(focus_id, " ".join(item.title.split()), item.status, points))
    cadence, evidence = _cadence(scan, rules)
    return DwellPart(
        rev=report.rev,
        tiers=rules.tiers,
        series=tuple(series),
        cadence=cadence,
        turns=len(report.turns),
        evidence=evidence,
        latest={f.id: (f.dwell, f.tier if f.active else 0) for f in report.focus if f.turns},
    )


def _day(when: datetime) -> date:
    return when.astimezone(timezone.utc).date()


def _cadence(scan: Scan, rules: Rules) -> tuple[tuple[DayCount, ...], int]:
    """Turns and evidence commits per UTC day, every day from the first to the last."""
    from ..dwell import CommitKind

    turns = Counter(_day(t.last.date) for t in scan.report.turns)
    evidence = Counter(
        _day(c.date)
        for c in scan.commits
        if rules.classify(c.subject) is CommitKind.work and rules.is_evidence(c.paths)
    )
    days = set(turns) | set(evidence)
    if not days:
        return (), 0
    first, last = min(days), max(days)
    out = []
    day = first
    while day <= last:
        out.append(DayCount(day, turns.get(day, 0), evidence.get(day, 0)))
        day += timedelta(days=1)
    return tuple(out), sum(evidence.values())
