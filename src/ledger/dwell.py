"""Dwell and tiers from git history, as pure functions over commit records.

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
7. tier = 3 / 2 / 1 at dwell >= 6 / 4 / 2; closed focus items are reported but not flagged.

Nothing here imports git: the inputs are `Commit` records (`ledger.history` makes them from a
repository, tests write them as lists) and a function returning a `LedgerSummary` for a ledger
blob id. `SummaryStore` provides that function with a memory and on-disk cache so that each
distinct ledger version is parsed at most once, ever.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional, Sequence

from .document import closes_fence, fence_opening
from .ids import ids_in_subject
from .model import CLOSED_STATUSES

if TYPE_CHECKING:  # pragma: no cover
    from .config import DwellConfig
    from .history import Commit
    from .model import Ledger

SCHEMA_VERSION = 1
# Bump when `LedgerSummary` or the parser's notion of sections changes: old cache files are
# then simply not found (the version is part of the cache folder name).
SUMMARY_VERSION = 1

_CLOSED = frozenset(s.value for s in CLOSED_STATUSES)


# --- ledger summaries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FocusFacts:
    """What dwell and `ledger log` need to know about one focus ID in one ledger version."""

    status: str
    attempts: int
    digest: str  # hash of all the text the focus owns (its section(s) and attempt blocks)


@dataclass(frozen=True)
class LedgerSummary:
    """A ledger version reduced to its focus IDs (document order) and header Active Focus."""

    focus: dict[str, FocusFacts] = field(default_factory=dict)
    active_focus: Optional[str] = None

    def to_json(self) -> dict:
        return {
            "v": SUMMARY_VERSION,
            "active": self.active_focus,
            "focus": [[k, f.status, f.attempts, f.digest] for k, f in self.focus.items()],
        }

    @classmethod
    def from_json(cls, data: dict) -> "LedgerSummary":
        focus = {row[0]: FocusFacts(row[1], row[2], row[3]) for row in data["focus"]}
        return cls(focus=focus, active_focus=data.get("active"))


EMPTY = LedgerSummary()


def summarize(ledger: "Ledger") -> LedgerSummary:
    """Reduce a parsed ledger to a `LedgerSummary`."""
    facts = _chunk_facts(ledger)
    return _merge([facts], ledger.header.active_focus_id)


# One chunk's facts: per focus ID in document order, (status, attempts, [block digests]);
# blocks naming an ID that has no focus item in the chunk come last with status None.
_Facts = list[tuple[str, Optional[str], int, list[bytes]]]


def _chunk_facts(ledger: "Ledger") -> _Facts:
    blocks: dict[str, list[bytes]] = {}
    for block in ledger.blocks:
        if block.focus_id is not None:
            blocks.setdefault(block.focus_id, []).append(_block_digest(block.text))
    out: _Facts = []
    for item in ledger.focus_items:
        out.append((item.id, item.status.value, len(item.attempts), blocks.pop(item.id, [])))
    out.extend((fid, None, 0, parts) for fid, parts in blocks.items())
    return out


def _merge(chunks: Iterable[_Facts], active_focus: Optional[str]) -> LedgerSummary:
    status: dict[str, str] = {}
    attempts: dict[str, int] = {}
    digests: dict[str, list[bytes]] = {}
    for facts in chunks:
        for fid, st, n, parts in facts:
            if st is not None:
                status.setdefault(fid, st)  # a duplicate section: the first one wins
            attempts[fid] = attempts.get(fid, 0) + n
            digests.setdefault(fid, []).extend(parts)
    focus = {fid: FocusFacts(status[fid], attempts[fid], _combine(digests[fid])) for fid in status}
    return LedgerSummary(focus=focus, active_focus=active_focus)


def _block_digest(text: str) -> bytes:
    # Trailing blank lines only separate a section from the next one: appending a section after
    # the last one must not count as a change of the section before it.
    return hashlib.blake2b(text.rstrip().encode("utf-8", "surrogateescape"), digest_size=8).digest()


def _combine(parts: list[bytes]) -> str:
    return hashlib.blake2b(b"".join(parts), digest_size=8).hexdigest()


# Where a new focus section starts (`## [ID] ...`), and fence lines (a heading inside a fenced
# code block is not a heading): the same rules as `ledger.document.classify`.
_SPLIT = re.compile(r"^(?:(?P<fence> {0,3}(?:`{3,}|~{3,}).*)|#{1,6}[ \t]+\[[^\]\n]+\])", re.M)


def _section_starts(text: str) -> list[int]:
    """Offsets of the lines where the parser opens a focus section, fences respected."""
    starts = []
    fence: Optional[str] = None
    for m in _SPLIT.finditer(text):
        if m.group("fence") is None:
            if fence is None and m.start():
                starts.append(m.start())
            continue
        line = m.group(0).rstrip("\r")
        if fence is not None:
            if closes_fence(line, fence):
                fence = None
        else:
            fence = fence_opening(line)
    return starts


class Summarizer:
    """`text -> LedgerSummary`, parsing only the sections that changed since earlier versions.

    An `[ID]` heading resets the parser whatever came before, so the text between two of them
    parses the same alone as in the whole document. Consecutive ledger versions share most
    sections byte for byte; each distinct chunk is parsed once (memo keyed by its hash). The
    reset layout (focus items known only from attempt headings) and front matter need the
    whole document, and get a full parse.
    """

    def __init__(self) -> None:
        self._memo: dict[tuple[int, int], tuple[_Facts, bool, Optional[str]]] = {}

    def __call__(self, text: str) -> LedgerSummary:
        from .parse import active_focus_id, loads

        if text.startswith(("---", "\ufeff---")):
            return summarize(loads(text))
        bounds = [0, *_section_starts(text), len(text)]
        chunks = []
        for a, b in zip(bounds, bounds[1:]):
            chunk = text[a:b]
            key = (len(chunk), hash(chunk))
            hit = self._memo.get(key)
            if hit is None:
                ledger = loads(chunk)
                virtual = any(not f.has_section for f in ledger.focus_items)
                hit = (
                    _chunk_facts(ledger),
                    virtual,
                    ledger.header.active_focus if a == 0 else None,
                )
                self._memo[key] = hit
            if hit[1]:
                return summarize(loads(text))
            chunks.append(hit)
        merged = _merge((c[0] for c in chunks), None)
        return LedgerSummary(
            focus=merged.focus, active_focus=active_focus_id(chunks[0][2], frozenset(merged.focus))
        )


def summarize_text(text: str) -> LedgerSummary:
    """Parse and summarize ledger text (the whole document at once)."""
    from .parse import loads

    return summarize(loads(text))


class SummaryStore:
    """Blob id -> `LedgerSummary`, parsing each distinct blob at most once.

    `fetch` streams `(blob_id, bytes)` for a list of ids (one `git cat-file --batch`); parsed
    summaries are kept in memory and, when `cache_dir` is given, as one small JSON file per blob
    (content-addressed, so entries never go stale and concurrent runs cannot conflict).
    """

    def __init__(
        self,
        fetch: Callable[[list[str]], Iterator[tuple[str, bytes]]],
        cache_dir: Optional[Path] = None,
    ) -> None:
        self._fetch = fetch
        self._cache_dir = cache_dir
        self._memory: dict[str, LedgerSummary] = {}
        self._summarize = Summarizer()
        self.parsed = 0  # blobs parsed by this store (for tests and benchmarks)

    def prefetch(
        self, blob_ids: Iterable[str], progress: Optional[Callable[[int, int], None]] = None
    ) -> None:
        """Load every blob in `blob_ids` now (cached, else parsed), reporting progress."""
        wanted = [b for b in dict.fromkeys(blob_ids) if b and b not in self._memory]
        missing = [b for b in wanted if not self._load_cached(b)]
        total = len(missing)
        if progress and total:
            progress(0, total)
        from .fileio import decode

        for n, (blob_id, data) in enumerate(self._fetch(missing), 1):
            summary = self._summarize(decode(data))
            self.parsed += 1
            self._memory[blob_id] = summary
            self._store_cached(blob_id, summary)
            if progress:
                progress(n, total)

    def __call__(self, blob_id: Optional[str]) -> LedgerSummary:
        if blob_id is None:
            return EMPTY
        summary = self._memory.get(blob_id)
        if summary is None:
            self.prefetch([blob_id])
            summary = self._memory[blob_id]
        return summary

    def _path(self, blob_id: str) -> Optional[Path]:
        return self._cache_dir / blob_id[:2] / f"{blob_id[2:]}.json" if self._cache_dir else None

    def _load_cached(self, blob_id: str) -> bool:
        path = self._path(blob_id)
        if path is None:
            return False
        try:
            with open(path, "rb") as fh:
                data = json.loads(fh.read())
            if data.get("v") != SUMMARY_VERSION:
                return False
            self._memory[blob_id] = LedgerSummary.from_json(data)
            return True
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return False  # absent or damaged: parse again (and rewrite it)

    def _store_cached(self, blob_id: str, summary: LedgerSummary) -> None:
        path = self._path(blob_id)
        if path is None:
            return
        from .fileio import write_cache

        data = json.dumps(summary.to_json(), ensure_ascii=False, separators=(",", ":"))
        write_cache(path, data.encode("utf-8", "surrogateescape"))


def cache_dir(git_dir: Path) -> Path:
    """Where parsed ledger summaries are cached for a repository.

    The folder name carries the summary format version and a fingerprint of the parser's source,
    so a `ledger` whose parser reads ledgers differently never uses summaries made by another.
    """
    return Path(git_dir) / "ledger" / f"summaries-v{SUMMARY_VERSION}-{_parser_fingerprint()}"


_FINGERPRINT: Optional[str] = None


def _parser_fingerprint() -> str:
    global _FINGERPRINT
    if _FINGERPRINT is None:
        from . import document, model, parse

        h = hashlib.blake2b(digest_size=4)
        for module in (document, model, parse):
            try:
                h.update(Path(module.__file__ or "").read_bytes())
            except OSError:  # pragma: no cover - frozen or zipped installs
                from . import __version__

                h.update(__version__.encode())
        _FINGERPRINT = h.hexdigest()
    return _FINGERPRINT


# --- classification -----------------------------------------------------------------------------


class CommitKind(str, Enum):
    bookkeeping = "bookkeeping"
    supervisor = "supervisor"
    work = "work"


@dataclass(frozen=True)
class Rules:
    """The compiled knobs of `config.dwell` plus the ledger and archive paths."""

    bookkeeping: re.Pattern
    supervisor: re.Pattern
    docs_only: "PathMatcher"
    tiers: tuple[int, int, int]

    @classmethod
    def from_config(
        cls, config: "DwellConfig", ledger_path: str, archive_path: Optional[str] = None
    ) -> "Rules":
        """The knobs of `config.dwell` (validated when the configuration was read); the ledger
        and archive files always count as docs-only."""
        exact = [p for p in (ledger_path, archive_path) if p]
        docs_only = PathMatcher(config.docs_only, exact)
        tiers = tuple(config.tiers)
        return cls(config.bookkeeping, config.supervisor, docs_only, tiers)  # type: ignore[arg-type]

    def classify(self, subject: str) -> CommitKind:
        """Bookkeeping, supervisor or work, by the commit subject."""
        if self.bookkeeping.search(subject):
            return CommitKind.bookkeeping
        if self.supervisor.search(subject):
            return CommitKind.supervisor
        return CommitKind.work

    def tier(self, dwell: int) -> int:
        """Tier 3/2/1/0 for a dwell value."""
        return sum(1 for threshold in self.tiers if dwell >= threshold)

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


@dataclass(frozen=True)
class CommitRef:
    """sha, date and subject of a commit, as reported."""

    sha: str
    date: datetime
    subject: str

    @classmethod
    def of(cls, commit: "Commit") -> "CommitRef":
        return cls(commit.sha, commit.date, commit.subject)

    def to_json(self) -> dict:
        return {"sha": self.sha, "date": self.date.isoformat(), "subject": self.subject}


@dataclass(frozen=True)
class Turn:
    """One supervisor turn: its commits and the focus items it counted for."""

    number: int
    commits: tuple["Commit", ...]
    focus: tuple[str, ...]
    basis: str  # subject | sections | active_focus | none

    @property
    def last(self) -> "Commit":
        return self.commits[-1]


@dataclass(frozen=True)
class TimelineEntry:
    """A turn of one focus: the dwell after it and the evidence seen since its previous turn."""

    turn: CommitRef
    turn_number: int
    basis: str
    dwell: int
    tier: int
    evidence: tuple[CommitRef, ...]


@dataclass(frozen=True)
class FocusDwell:
    """Dwell of one focus at the revision."""

    id: str
    dwell: int
    tier: int
    turns: int
    status: Optional[str]  # at the revision; None when the ledger no longer has it
    last_turn: Optional[CommitRef]
    last_evidence: Optional[CommitRef]

    @property
    def active(self) -> bool:
        """Present in the ledger at the revision and not done, archived or superseded."""
        return self.status is not None and self.status not in _CLOSED

    @property
    def flagged(self) -> bool:
        return self.active and self.tier > 0

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "dwell": self.dwell,
            "tier": self.tier,
            "turns": self.turns,
            "status": self.status,
            "last_turn": self.last_turn.to_json() if self.last_turn else None,
            "last_evidence": self.last_evidence.to_json() if self.last_evidence else None,
        }


@dataclass(frozen=True)
class DwellReport:
    """The result of the rule over a history."""

    rev: Optional[str]
    focus: list[FocusDwell]
    turns: list[Turn]
    timelines: dict[str, list[TimelineEntry]]
    ledger: LedgerSummary  # at the revision
    evidence: dict[str, list[CommitRef]] = field(
        default_factory=dict
    )  # every evidence commit per focus

    def get(self, focus_id: str) -> Optional[FocusDwell]:
        return next((f for f in self.focus if f.id == focus_id), None)

    def to_json(self, include_all: bool = False) -> dict:
        rows = self.focus if include_all else [f for f in self.focus if f.turns]
        return {
            "schema_version": SCHEMA_VERSION,
            "rev": self.rev,
            "focus": [f.to_json() for f in rows],
        }


@dataclass
class _State:
    dwell: int = 0
    turns: int = 0
    last_turn: Optional["Commit"] = None
    last_evidence: Optional["Commit"] = None
    pending: list = field(default_factory=list)  # evidence since the previous turn


def compute(
    commits: Iterable["Commit"],
    summaries: Callable[[Optional[str]], LedgerSummary],
    rules: Rules,
    rev: Optional[str] = None,
) -> DwellReport:
    """Apply the dwell rule to first-parent `commits` (oldest first)."""
    commits = list(commits)
    known: set[str] = set()
    seen_blobs: set[str] = set()
    states: dict[str, _State] = {}
    timelines: dict[str, list[TimelineEntry]] = {}
    evidence: dict[str, list[CommitRef]] = {}
    turns: list[Turn] = []
    recent_focus: tuple[str, ...] = ()
    run: list["Commit"] = []  # supervisor commits of the open turn
    run_known: frozenset[str] = frozenset()
    before_blob: Optional[str] = None  # the ledger just before the open turn
    previous_blob: Optional[str] = None

    def learn(blob: Optional[str]) -> None:
        if blob is not None and blob not in seen_blobs:
            seen_blobs.add(blob)
            known.update(summaries(blob).focus)

    def close_turn() -> None:
        nonlocal recent_focus
        if not run:
            return
        focus, basis = _turn_focus(run, before_blob, summaries, run_known)
        turn = Turn(len(turns) + 1, tuple(run), focus, basis)
        turns.append(turn)
        for fid in focus:
            st = states.setdefault(fid, _State())
            st.dwell = 0 if st.turns == 0 or st.pending else st.dwell + 1
            st.turns += 1
            st.last_turn = turn.last
            timelines.setdefault(fid, []).append(
                TimelineEntry(
                    CommitRef.of(turn.last),
                    turn.number,
                    basis,
                    st.dwell,
                    rules.tier(st.dwell),
                    tuple(CommitRef.of(c) for c in st.pending),
                )
            )
            st.pending = []
        recent_focus = focus
        run.clear()

    for commit in commits:
        learn(commit.ledger_blob)
        kind = rules.classify(commit.subject)
        if kind is CommitKind.bookkeeping:
            previous_blob = commit.ledger_blob
            continue
        if kind is CommitKind.supervisor:
            if not run:
                before_blob = previous_blob
            run.append(commit)
            run_known = frozenset(known)  # "known so far" for a turn: up to its last commit
        else:
            close_turn()
            if rules.is_evidence(commit.paths):
                owners = ids_in_subject(commit.subject, known) or list(recent_focus)
                for fid in owners:
                    st = states.setdefault(fid, _State())
                    st.pending.append(commit)
                    st.last_evidence = commit
                    evidence.setdefault(fid, []).append(CommitRef.of(commit))
        previous_blob = commit.ledger_blob
    close_turn()

    final = summaries(commits[-1].ledger_blob) if commits else EMPTY
    return DwellReport(
        rev=rev or (commits[-1].sha if commits else None),
        focus=_report_rows(states, final, rules),
        turns=turns,
        timelines=timelines,
        ledger=final,
        evidence=evidence,
    )


def _turn_focus(
    run: Sequence["Commit"],
    before_blob: Optional[str],
    summaries: Callable[[Optional[str]], LedgerSummary],
    known: frozenset[str],
) -> tuple[tuple[str, ...], str]:
    """Step 4: subjects, else changed sections, else the Active Focus at the end of the turn."""
    named: dict[str, None] = {}
    for commit in run:
        for fid in ids_in_subject(commit.subject, known):
            named.setdefault(fid)
    if named:
        return tuple(named), "subject"
    before = summaries(before_blob)
    after = summaries(run[-1].ledger_blob)
    changed = tuple(
        fid
        for fid, facts in after.focus.items()
        if fid not in before.focus or before.focus[fid].digest != facts.digest
    )
    if changed:
        return changed, "sections"
    if after.active_focus:
        return (after.active_focus,), "active_focus"
    return (), "none"


def _report_rows(states: dict[str, _State], final: LedgerSummary, rules: Rules) -> list[FocusDwell]:
    # ledger order at the revision first, then focus items the ledger no longer has
    order = list(final.focus) + [fid for fid in states if fid not in final.focus]
    rows = []
    for fid in order:
        st = states.get(fid, _State())
        facts = final.focus.get(fid)
        rows.append(
            FocusDwell(
                id=fid,
                dwell=st.dwell,
                tier=rules.tier(st.dwell) if st.turns else 0,
                turns=st.turns,
                status=facts.status if facts else None,
                last_turn=CommitRef.of(st.last_turn) if st.last_turn else None,
                last_evidence=CommitRef.of(st.last_evidence) if st.last_evidence else None,
            )
        )
    return rows


def fails(report: DwellReport, tier: int) -> list[FocusDwell]:
    """Active focus items at `tier` or above (what `--fail-on-tier` exits 1 for)."""
    return [f for f in report.focus if f.active and f.turns and f.tier >= tier]


# --- the history of one focus (`ledger log ID`) ------------------------------------------------


@dataclass(frozen=True)
class LogEvent:
    """One thing that happened to a focus in one commit."""

    commit: CommitRef
    kind: str  # appeared | removed | status | attempts | turn | evidence
    detail: dict


def focus_log(
    commits: Iterable["Commit"],
    summaries: Callable[[Optional[str]], LedgerSummary],
    report: DwellReport,
    focus_id: str,
) -> list[LogEvent]:
    """The history of `focus_id`: appearance, status changes, attempts added, turns with dwell."""
    events: list[LogEvent] = []
    previous: Optional[FocusFacts] = None
    last_blob: Optional[str] = "\0"  # never a blob id: the first commit is always examined
    turns = {e.turn.sha: e for e in report.timelines.get(focus_id, [])}
    evidence = {c.sha for c in report.evidence.get(focus_id, [])}
    for commit in commits:
        ref = CommitRef.of(commit)
        if commit.ledger_blob != last_blob:
            last_blob = commit.ledger_blob
            facts = summaries(commit.ledger_blob).focus.get(focus_id)
            if facts and not previous:
                events.append(
                    LogEvent(ref, "appeared", {"status": facts.status, "attempts": facts.attempts})
                )
            elif previous and not facts:
                events.append(LogEvent(ref, "removed", {"status": previous.status}))
            elif facts and previous:
                if facts.status != previous.status:
                    events.append(
                        LogEvent(ref, "status", {"from": previous.status, "to": facts.status})
                    )
                if facts.attempts != previous.attempts:
                    events.append(
                        LogEvent(
                            ref,
                            "attempts",
                            {"added": facts.attempts - previous.attempts, "total": facts.attempts},
                        )
                    )
            previous = facts
        if commit.sha in evidence:
            events.append(LogEvent(ref, "evidence", {}))
        entry = turns.get(commit.sha)
        if entry is not None:
            events.append(
                LogEvent(
                    ref,
                    "turn",
                    {
                        "turn": entry.turn_number,
                        "dwell": entry.dwell,
                        "tier": entry.tier,
                        "basis": entry.basis,
                    },
                )
            )
    return events


def known_ids(
    commits: Iterable["Commit"], summaries: Callable[[Optional[str]], LedgerSummary]
) -> list[str]:
    """Every focus ID the ledger has had in this history."""
    out: dict[str, None] = {}
    for blob in dict.fromkeys(c.ledger_blob for c in commits if c.ledger_blob):
        out.update(dict.fromkeys(summaries(blob).focus))
    return list(out)


# --- from a repository --------------------------------------------------------------------------


@dataclass(frozen=True)
class Scan:
    """A history scan: the commits, the summaries of their ledger versions, and the report."""

    commits: list
    summaries: Callable[[Optional[str]], LedgerSummary]
    report: DwellReport
    ledger_path: str


def status_table(
    repo: "object",
    ledger_path: str,
    config: "DwellConfig",
    archive_path: Optional[str] = None,
    progress: Optional[Callable[[int, int], None]] = None,
) -> Optional[dict[str, dict[str, int]]]:
    """`{id: {"dwell", "tier"}}` at HEAD for focus items that had a turn (tier 0 when closed), or
    None when HEAD or the ledger at HEAD does not exist. The result for the current HEAD is kept
    in `<git-dir>/ledger/status.json`, so repeated `ledger status` runs skip the history scan."""
    from . import history

    head, blob = history.head_and_blob(repo, ledger_path)  # type: ignore[arg-type]
    if head is None or blob is None:
        return None
    # what the table depends on: the commit, where the ledger is, the rule's knobs, the parser
    inputs = [head, ledger_path, archive_path, repr(config)]
    inputs += [SUMMARY_VERSION, _parser_fingerprint()]
    key = hashlib.blake2b(json.dumps(inputs, default=str).encode(), digest_size=16).hexdigest()
    path = Path(repo.git_dir) / "ledger" / "status.json"  # type: ignore[attr-defined]
    if config.cache:
        try:
            data = json.loads(path.read_bytes())
            if data.get("key") == key:
                return data["dwell"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass
    report = scan_repository(repo, head, ledger_path, config, archive_path, progress).report
    table = {
        f.id: {"dwell": f.dwell, "tier": f.tier if f.active else 0} for f in report.focus if f.turns
    }
    if config.cache:
        from .fileio import write_cache

        write_cache(path, json.dumps({"key": key, "dwell": table}).encode("utf-8"))
    return table


def scan_repository(
    repo: "object",
    rev: str,
    ledger_path: str,
    config: "DwellConfig",
    archive_path: Optional[str] = None,
    progress: Optional[Callable[[int, int], None]] = None,
) -> Scan:
    """Read the history of `rev` in `repo` (a `ledger.history.Repo`) and apply the rule.

    One `git log` for the commits, one `git cat-file --batch` for the ledger versions not yet
    in the cache (`<git-dir>/ledger/`, when `config.cache` is on).
    """
    from . import history

    rules = Rules.from_config(config, ledger_path, archive_path)
    commits = history.first_parent_commits(repo, rev, ledger_path)  # type: ignore[arg-type]
    with history.BlobReader(repo) as reader:  # type: ignore[arg-type]
        cache = cache_dir(repo.git_dir) if config.cache else None  # type: ignore[attr-defined]
        store = SummaryStore(reader.read_many, cache)
        store.prefetch((c.ledger_blob for c in commits if c.ledger_blob), progress)
    report = compute(commits, store, rules, rev=commits[-1].sha if commits else None)
    return Scan(commits=commits, summaries=store, report=report, ledger_path=ledger_path)
