"""The dwell rule, as pure functions over commit records and a summaries callable.

The rule (docs/commands/dwell.md has the prose; every knob is in `config.dwell`):

1. walk the first-parent history oldest first;
2. classify each commit by subject: *bookkeeping* (ignored), *supervisor* or *work*;
3. a *turn* is a maximal run of supervisor commits (bookkeeping inside does not break it);
4. a turn's focus items: known IDs named in its subjects; else the focus sections whose text
   changed across the turn; else the header's Active Focus at the end of the turn; else none;
5. a work commit touching a path that is not docs-only is *implementation evidence*, for the
   known IDs in its subject, else for the focus items of the most recent turn;
6. at each turn, dwell(F) = 0 when F had no earlier turn or evidence for F arrived since F's
   previous turn, else dwell(F) + 1;
7. tier = 3 / 2 / 1 at dwell >= 6 / 4 / 2;
8. a focus is *flagged* (coloured, counted by `--fail-on-tier`, told what its tier demands) only
   when it is open and not *parked*: a status in `dwell.parked` (blocked, blocked_escalation,
   paused, deferred by default) records the decision the tiers ask for, and a closed one asks
   nothing more. Parked and closed focus items keep their real dwell and tier, with that state
   (`dwell.marks`, the one place every command reads it from).

A history without any supervisor commit is one agent's loop: `Walk` then reports the
single-agent rule (`dwell.iterations`: every commit an iteration, the next open item stuck when
it does not move). Both rules are walked side by side until the first supervisor commit, so a
walk can stop and resume anywhere; the report is the one the whole history calls for.

The inputs are `Commit` records (`ledger.history` makes them from a repository, tests write them
as lists) and a function returning the `LedgerSummary` of a ledger blob id. Nothing here reads
files or git. The records are in `dwell.records`, the history of one focus (`ledger log`) in
`dwell.log`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from ..ids import ids_in_subject
from ..vocab import DEFAULT_PARKED, Status
from .iterations import Iterations, IterationState
from .marks import DwellState, dwell_state
from .records import (
    SCHEMA_VERSION,
    CommitRef,
    DwellMode,
    DwellReport,
    FocusDwell,
    FocusState,
    TimelineEntry,
    Turn,
    TurnBasis,
)
from .summaries import EMPTY, LedgerSummary

if TYPE_CHECKING:  # pragma: no cover
    from ..config import DwellConfig
    from ..history import Commit

__all__ = [
    "SCHEMA_VERSION",
    "CommitKind",
    "CommitRef",
    "DwellMode",
    "DwellReport",
    "FocusDwell",
    "FocusState",
    "PathMatcher",
    "Rules",
    "Summaries",
    "TimelineEntry",
    "Turn",
    "TurnBasis",
    "Walk",
    "WalkState",
    "compute",
    "fails",
    "known_ids",
]

# blob id (None: no ledger at that commit) -> the summary of that ledger version
Summaries = Callable[[str | None], LedgerSummary]


# --- classification -----------------------------------------------------------------------------


class CommitKind(str, Enum):
    """What a commit is to the rule, by its subject."""

    bookkeeping = "bookkeeping"
    supervisor = "supervisor"
    work = "work"


@dataclass(frozen=True)
class Rules:
    """The compiled knobs of `config.dwell` plus the ledger and archive paths."""

    bookkeeping: re.Pattern
    supervisor: re.Pattern
    docs_only: PathMatcher
    tiers: tuple[int, int, int]
    parked: frozenset[Status] = frozenset(DEFAULT_PARKED)
    stuck_after: int = 3  # single agent: iterations as the next item before it is stuck

    @classmethod
    def from_config(
        cls, config: DwellConfig, ledger_path: str, archive_path: str | None = None
    ) -> Rules:
        """The knobs of `config.dwell` (validated, the regexes compiled, when the configuration
        was read); the ledger and archive files always count as docs-only."""
        tiers = tuple(config.tiers)
        exact = [p for p in (ledger_path, archive_path) if p]
        docs_only = PathMatcher(config.docs_only, exact)
        return cls(
            config.bookkeeping,
            config.supervisor,
            docs_only,
            (tiers[0], tiers[1], tiers[2]),
            frozenset(config.parked),
            config.stuck_after,
        )

    def classify(self, subject: str) -> CommitKind:
        """Bookkeeping, supervisor or work, by the commit subject."""
        if self.bookkeeping.search(subject):
            return CommitKind.bookkeeping
        if self.supervisor.search(subject):
            return CommitKind.supervisor
        return CommitKind.work

    def supervised(self, commits: Iterable[Commit]) -> bool:
        """Whether any of `commits` is a supervisor commit (else: a single agent's loop)."""
        return any(self.classify(c.subject) is CommitKind.supervisor for c in commits)

    def tier(self, dwell: int) -> int:
        """Tier 3/2/1/0 for a dwell value."""
        return sum(1 for threshold in self.tiers if dwell >= threshold)

    def stuck_tier(self, iterations: int) -> int:
        """Single agent: 0 until an item has been next `stuck_after` iterations without moving,
        then the count's tier, at least 1."""
        return max(1, self.tier(iterations)) if iterations >= self.stuck_after else 0

    def state(self, status: Status | None, tier: int) -> DwellState:
        """Step 8: flagged, parked, closed, removed or clear."""
        return dwell_state(status, tier, self.parked)

    def is_evidence(self, paths: Sequence[str]) -> bool:
        """A work commit is implementation evidence if it touches a path that is not docs-only."""
        return any(not self.docs_only.matches(p) for p in paths)


class PathMatcher:
    """gitignore-style patterns (`docs/**`, `**/*.md`, `!plans/**/bin/**`); the last match wins."""

    def __init__(self, patterns: Sequence[str], exact: Sequence[str] = ()) -> None:
        self._rules = [
            (p.startswith("!"), _glob_regex(p.lstrip("!"))) for p in patterns if p.strip()
        ]
        self._exact = frozenset(exact)

    def matches(self, path: str) -> bool:
        """Whether `path` (a repository path) is covered by the patterns."""
        if path in self._exact:
            return True
        result = False
        for negated, regex in self._rules:
            if regex.match(path):
                result = not negated
        return result


def _glob_regex(pattern: str) -> re.Pattern:
    """Translate one gitignore pattern to a regex over repository paths."""
    pattern = pattern.strip()
    directory = pattern.endswith("/")
    pattern = pattern.rstrip("/")
    anchored = "/" in pattern
    pattern = pattern.lstrip("/")
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape("["))
                i += 1
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                out.append(f"[{'^' + body[1:] if body.startswith('!') else body}]")
                i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    body = "".join(out)
    prefix = "" if anchored else "(?:.*/)?"
    # a pattern naming a folder also covers everything below it
    suffix = "/.*" if directory else "(?:/.*)?"
    return re.compile(f"{prefix}{body}{suffix}\\Z")


# --- the rule -----------------------------------------------------------------------------------


@dataclass
class WalkState:
    """Everything the rule carries from one commit to the next: a walk can stop after any
    commit and go on later from this state alone (what a checkpoint saves)."""

    commit: str | None = None  # the last commit walked
    known: set[str] = field(default_factory=set)  # every focus ID seen so far
    states: dict[str, FocusState] = field(default_factory=dict)
    recent_focus: tuple[str, ...] = ()  # the focus items of the latest turn
    run: list[Commit] = field(default_factory=list)  # supervisor commits of the open turn
    run_known: frozenset[str] = frozenset()  # IDs known at the open turn's last commit
    before_blob: str | None = None  # the ledger just before the open turn
    previous_blob: str | None = None  # the ledger at the last commit walked
    turn_count: int = 0
    # the single-agent rule, until the first supervisor commit (then None: turns it is)
    iterations: IterationState | None = field(default_factory=IterationState)

    @property
    def mode(self) -> DwellMode:
        """Supervisor turns once a supervisor commit was walked; single-agent iterations before."""
        return DwellMode.single_agent if self.iterations is not None else DwellMode.supervisor


class Walk:
    """The rule applied one commit at a time (oldest first), resumable from a `WalkState`.

    With `keep_history` it also records every turn, each focus's timeline and its evidence (what
    `--timeline` and `ledger log` show); a walk resumed from a saved state only knows what
    happened after it.
    """

    def __init__(
        self,
        summaries: Summaries,
        rules: Rules,
        state: WalkState | None = None,
        *,
        keep_history: bool = True,
    ) -> None:
        self.summaries = summaries
        self.rules = rules
        self.state = state or WalkState()
        self.keep_history = keep_history
        self.turns: list[Turn] = []
        self.timelines: dict[str, list[TimelineEntry]] = {}
        self.evidence: dict[str, list[CommitRef]] = {}
        self._seen_blobs: set[str] = set()
        self._iterations: Iterations | None = None
        if self.state.iterations is not None:
            self._iterations = Iterations(rules, self.state.iterations, keep_history=keep_history)

    def feed(self, commit: Commit) -> None:
        """Walk one more commit."""
        st = self.state
        self._learn(commit.ledger_blob)
        kind = self.rules.classify(commit.subject)
        if kind is CommitKind.supervisor:
            if not st.run:
                st.before_blob = st.previous_blob
            st.run.append(commit)
            st.run_known = frozenset(st.known)  # "known so far" for a turn: to its last commit
            st.iterations = self._iterations = None  # a supervisor: the history is in turns
        elif kind is CommitKind.work:
            self._close_turn()
            named = None
            if self.rules.is_evidence(commit.paths):
                ref = CommitRef.of(commit)
                named = ids_in_subject(commit.subject, st.known)
                for fid in named or st.recent_focus:
                    focus = st.states.setdefault(fid, FocusState())
                    focus.pending.append(ref)
                    focus.last_evidence = ref
                    if self.keep_history:
                        self.evidence.setdefault(fid, []).append(ref)
            if self._iterations is not None:
                before = self.summaries(st.previous_blob)
                after = self.summaries(commit.ledger_blob)
                self._iterations.feed(commit, before, after, named)
        st.previous_blob = commit.ledger_blob
        st.commit = commit.sha

    def report(self, rev: str | None = None) -> DwellReport:
        """The report as the history stands: the open turn counts as closed (the state itself
        is left open, so the walk can go on)."""
        import copy

        saved = copy.deepcopy(self.state)
        turns, timelines = list(self.turns), {k: list(v) for k, v in self.timelines.items()}
        self._close_turn()
        st = self.state
        final = self.summaries(st.previous_blob) if st.commit else EMPTY
        if self._iterations is not None:
            loop = self._iterations
            report = DwellReport(
                rev=rev or st.commit,
                focus=_report_rows(loop.state.items, final, self.rules, self.rules.stuck_tier),
                turns=[],
                timelines={k: list(v) for k, v in loop.timelines.items()},
                ledger=final,
                evidence=dict(loop.evidence),
                mode=DwellMode.single_agent,
                iterations=loop.state.count,
                done_without_evidence=loop.done_without_evidence(final),
            )
        else:
            report = DwellReport(
                rev=rev or st.commit,
                focus=_report_rows(st.states, final, self.rules, self.rules.tier),
                turns=self.turns,
                timelines=self.timelines,
                ledger=final,
                evidence=dict(self.evidence),
            )
        self.state, self.turns, self.timelines = saved, turns, timelines
        if self._iterations is not None:
            self._iterations.state = saved.iterations  # type: ignore[assignment]
        return report

    def _learn(self, blob: str | None) -> None:
        if blob is not None and blob not in self._seen_blobs:
            self._seen_blobs.add(blob)
            self.state.known.update(self.summaries(blob).focus)

    def _close_turn(self) -> None:
        st = self.state
        if not st.run:
            return
        focus, basis = _turn_focus(st.run, st.before_blob, self.summaries, st.run_known)
        st.turn_count += 1
        last = CommitRef.of(st.run[-1])
        if self.keep_history:
            self.turns.append(Turn(st.turn_count, tuple(st.run), focus, basis))
        for fid in focus:
            fs = st.states.setdefault(fid, FocusState())
            fs.dwell = 0 if fs.turns == 0 or fs.pending else fs.dwell + 1
            fs.turns += 1
            fs.last_turn = last
            if self.keep_history:
                self.timelines.setdefault(fid, []).append(
                    TimelineEntry(
                        last,
                        st.turn_count,
                        basis,
                        fs.dwell,
                        self.rules.tier(fs.dwell),
                        tuple(fs.pending),
                    )
                )
            fs.pending = []
        st.recent_focus = focus
        st.run = []


def compute(
    commits: Iterable[Commit],
    summaries: Summaries,
    rules: Rules,
    rev: str | None = None,
) -> DwellReport:
    """Apply the dwell rule to first-parent `commits` (oldest first)."""
    walk = Walk(summaries, rules)
    for commit in commits:
        walk.feed(commit)
    return walk.report(rev)


def _turn_focus(
    run: Sequence[Commit],
    before_blob: str | None,
    summaries: Summaries,
    known: frozenset[str],
) -> tuple[tuple[str, ...], TurnBasis]:
    """Step 4: subjects, else changed sections, else the Active Focus at the end of the turn."""
    named: dict[str, None] = {}
    for commit in run:
        for fid in ids_in_subject(commit.subject, known):
            named.setdefault(fid)
    if named:
        return tuple(named), TurnBasis.subject
    before = summaries(before_blob)
    after = summaries(run[-1].ledger_blob)
    changed = tuple(
        fid
        for fid, facts in after.focus.items()
        if fid not in before.focus or before.focus[fid].digest != facts.digest
    )
    if changed:
        return changed, TurnBasis.sections
    if after.active_focus:
        return (after.active_focus,), TurnBasis.active_focus
    return (), TurnBasis.none


def _report_rows(
    states: dict[str, FocusState],
    final: LedgerSummary,
    rules: Rules,
    tier_of: Callable[[int], int],
) -> list[FocusDwell]:
    # ledger order at the revision first, then focus items the ledger no longer has
    order = list(final.focus) + [fid for fid in states if fid not in final.focus]
    rows = []
    for fid in order:
        st = states.get(fid, FocusState())
        facts = final.focus.get(fid)
        status = facts.status if facts else None
        tier = tier_of(st.dwell) if st.turns else 0
        rows.append(
            FocusDwell(
                id=fid,
                dwell=st.dwell,
                tier=tier,
                turns=st.turns,
                status=status,
                last_turn=st.last_turn,
                last_evidence=st.last_evidence,
                state=rules.state(status, tier),
            )
        )
    return rows


def fails(report: DwellReport, tier: int) -> list[FocusDwell]:
    """Flagged focus items at `tier` or above (what `--fail-on-tier` exits 1 for): never a
    closed or parked one."""
    return [f for f in report.focus if f.flagged and f.tier >= tier]


def known_ids(commits: Iterable[Commit], summaries: Summaries) -> list[str]:
    """Every focus ID the ledger has had in this history."""
    out: dict[str, None] = {}
    for blob in dict.fromkeys(c.ledger_blob for c in commits if c.ledger_blob):
        out.update(dict.fromkeys(summaries(blob).focus))
    return list(out)
