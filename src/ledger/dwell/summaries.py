"""Ledger versions reduced to what dwell needs, parsed at most once each, ever.

A `LedgerSummary` keeps, per focus ID in document order, the status, the number of attempts and
a hash of all the text the focus owns, plus the header's Active Focus ID, and, when asked for
(the single-agent rule needs it), the next open item: the planner's first ready item, as
`ledger next` shows it. `Summarizer` makes one from a ledger text, parsing only the sections it
has not seen before (decision 0037) unless the next item is wanted (the planner reads the whole
ledger);
`SummaryStore` maps blob ids to summaries with a memory and an on-disk cache (decision 0036).
Nothing here reads git: the store is given a function that fetches blob contents.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from ..vocab import ItemForm, Status

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Ledger

# Bump when `LedgerSummary` or what it is made of changes: old cache files are then simply not
# found (the version is part of the cache folder name).
# 2: the next open item; 3: one flat folder of `<blob id>.json`; 4: packs of many summaries
SUMMARY_VERSION = 4

# `(done, total)` progress callback for long scans.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class FocusFacts:
    """What dwell and `ledger log` need to know about one focus ID in one ledger version."""

    status: Status
    attempts: int
    digest: str  # hash of all the text the focus owns (its section(s) and attempt blocks)


@dataclass(frozen=True)
class LedgerSummary:
    """A ledger version reduced to its focus IDs (document order), header Active Focus and,
    when `planned`, its next open item (None: nothing is ready)."""

    focus: dict[str, FocusFacts] = field(default_factory=dict)
    active_focus: str | None = None
    next_item: str | None = None
    planned: bool = False  # whether `next_item` was worked out (it costs a whole parse)

    def to_json(self) -> dict:
        """The compact form kept in the cache (`next` only when planned)."""
        data = {
            "v": SUMMARY_VERSION,
            "active": self.active_focus,
            "focus": [[k, f.status.value, f.attempts, f.digest] for k, f in self.focus.items()],
        }
        if self.planned:
            data["next"] = self.next_item
        return data

    @classmethod
    def from_json(cls, data: dict) -> LedgerSummary:
        """Read `to_json`'s form back (`ValueError`, `KeyError`, ... when it is damaged)."""
        focus = {row[0]: FocusFacts(Status(row[1]), row[2], row[3]) for row in data["focus"]}
        planned = "next" in data
        return cls(focus, data.get("active"), data["next"] if planned else None, planned)


EMPTY = LedgerSummary()


def summarize(ledger: Ledger, *, plan_next: bool = False) -> LedgerSummary:
    """Reduce a parsed ledger to a `LedgerSummary` (with its next open item if `plan_next`)."""
    summary = _merge([_chunk_facts(ledger)], ledger.header.active_focus_id)
    if not plan_next:
        return summary
    return LedgerSummary(summary.focus, summary.active_focus, next_open_item(ledger), True)


def summarize_text(text: str, *, plan_next: bool = False) -> LedgerSummary:
    """Parse and summarize ledger text (the whole document at once)."""
    from ..parse import loads

    return summarize(loads(text), plan_next=plan_next)


def next_open_item(ledger: Ledger) -> str | None:
    """The item `ledger next` puts first, from the ledger alone (no dwell: dwell cannot order
    the items it is computed from)."""
    from ..planning import plan

    return plan(ledger).next


# --- section-wise summaries -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _FocusChunk:
    """One focus ID's share of a piece of ledger text."""

    focus_id: str
    status: Status | None  # None: the piece has blocks naming the ID but not its focus item
    attempts: int
    digests: tuple[bytes, ...]  # one per block the ID owns in the piece


@dataclass(frozen=True, slots=True)
class _Chunk:
    """A parsed piece of ledger text, as much of it as a summary needs."""

    focus: tuple[_FocusChunk, ...]
    # Focus items known only from attempt headings (the reset layout) or a roadmap's bullets.
    whole_text_needed: bool
    active_focus: str | None  # the header's Active Focus text (only the first piece has one)
    # A section with fields or attempts: the text is a sectioned ledger, not one of the other
    # forms (which are read from the whole text; `parse._other_forms`).
    sectioned: bool = False


def _chunk_facts(ledger: Ledger) -> tuple[_FocusChunk, ...]:
    """Per focus ID in document order; IDs with blocks but no focus item in `ledger` last."""
    blocks: dict[str, list[bytes]] = {}
    for block in ledger.blocks:
        if block.focus_id is not None:
            blocks.setdefault(block.focus_id, []).append(_block_digest(block.text))
    out = [
        _FocusChunk(item.id, item.status, len(item.attempts), tuple(blocks.pop(item.id, ())))
        for item in ledger.focus_items
    ]
    out.extend(_FocusChunk(fid, None, 0, tuple(parts)) for fid, parts in blocks.items())
    return tuple(out)


def _merge(chunks: Iterable[tuple[_FocusChunk, ...]], active_focus: str | None) -> LedgerSummary:
    status: dict[str, Status] = {}
    attempts: dict[str, int] = {}
    digests: dict[str, list[bytes]] = {}
    for facts in chunks:
        for f in facts:
            if f.status is not None:
                status.setdefault(f.focus_id, f.status)  # a duplicate section: the first wins
            attempts[f.focus_id] = attempts.get(f.focus_id, 0) + f.attempts
            digests.setdefault(f.focus_id, []).extend(f.digests)
    focus = {fid: FocusFacts(status[fid], attempts[fid], _combine(digests[fid])) for fid in status}
    return LedgerSummary(focus=focus, active_focus=active_focus)


def _block_digest(text: str) -> bytes:
    # Trailing blank lines only separate a section from the next one: appending a section after
    # the last one must not count as a change of the section before it.
    return hashlib.blake2b(text.rstrip().encode("utf-8", "surrogateescape"), digest_size=8).digest()


def _combine(parts: list[bytes]) -> str:
    return hashlib.blake2b(b"".join(parts), digest_size=8).hexdigest()


class Summarizer:
    """`text -> LedgerSummary`, parsing only the sections that changed since earlier versions.

    An `[ID]` heading resets the parser whatever came before, so the text between two of them
    parses the same alone as in the whole document (`parse.blocks.section_starts` finds them).
    Consecutive ledger versions share most sections byte for byte; each distinct piece is parsed
    once (memo keyed by its hash). The reset layout (focus items known only from attempt
    headings), a roadmap (its bullets are items when their ID has no section), front matter and
    a text without sections (the other forms) need the whole document, and get a full parse.

    With `plan_next` (set when the history is read as a single agent's iterations) every text
    gets a full parse: the planner that names the next open item reads the whole ledger.
    """

    def __init__(self, plan_next: bool = False) -> None:
        self._memo: dict[tuple[int, int, bool], _Chunk] = {}
        self._active: dict[tuple[str | None, frozenset[str]], str | None] = {}
        self.plan_next = plan_next

    def __call__(self, text: str) -> LedgerSummary:
        from ..parse.blocks import section_starts

        if self.plan_next or needs_whole_text(text):
            return self.whole(text)
        starts = section_starts(text)
        if not starts:  # no sections: one piece, the whole text
            return self.whole(text)
        bounds = [0, *starts, len(text)]
        chunks = [self.chunk(text[start:stop], start == 0) for start, stop in pairwise(bounds)]
        return self.combine(chunks) or self.whole(text)

    def whole(self, text: str) -> LedgerSummary:
        """The summary of `text` from one parse of the whole of it."""
        return summarize_text(text, plan_next=self.plan_next)

    def chunk(self, piece: str, first: bool) -> _Chunk:
        """The facts of one piece of text cut at section starts (parsed once per distinct piece;
        `first`: the piece that holds the header)."""
        key = (len(piece), hash(piece), first)
        chunk = self._memo.get(key)
        if chunk is None:
            from ..parse import loads
            from ..parse.forms import has_roadmap

            ledger = loads(piece, other_forms=False)
            chunk = _Chunk(
                _chunk_facts(ledger),
                any(f.form is not ItemForm.section for f in ledger.focus_items)
                or has_roadmap(piece),
                ledger.header.active_focus if first else None,
                any(f.fields or f.attempts for f in ledger.focus_items),
            )
            self._memo[key] = chunk
        return chunk

    def combine(self, chunks: list[_Chunk]) -> LedgerSummary | None:
        """The summary of a text from its pieces' facts, or None when a piece needs the whole
        text (focus items known only from attempt headings: the reset layout)."""
        if any(c.whole_text_needed for c in chunks) or not any(c.sectioned for c in chunks):
            return None
        merged = _merge((c.focus for c in chunks), None)
        active = self._active_focus_id(chunks[0].active_focus, frozenset(merged.focus))
        return LedgerSummary(focus=merged.focus, active_focus=active)

    def _active_focus_id(self, focus: str | None, known: frozenset[str]) -> str | None:
        """`parse.active_focus_id`, read once per header text and set of IDs: consecutive
        versions mostly share both."""
        key = (focus, known)
        if key not in self._active:
            from ..parse import active_focus_id

            self._active[key] = active_focus_id(focus, known)
        return self._active[key]


def needs_whole_text(text: str) -> bool:
    """Front matter changes how the first lines parse: such a text is summarized whole."""
    return text.startswith(("---", "\ufeff---"))


# --- the store and its cache --------------------------------------------------------------------


# When the cache folder holds this many packs, the next save writes all their entries as one.
_MAX_PACKS = 16


class SummaryStore:
    """Blob id -> `LedgerSummary`, parsing each distinct blob at most once.

    `fetch` streams `(blob_id, bytes)` for a list of ids (one `git cat-file --batch`); parsed
    summaries are kept in memory and, when `cache_dir` is given, on disk in packs: JSON files
    `pack-<hash>.json` mapping blob ids to summaries, one written per batch of new summaries (a
    cold scan of 149 versions writes one file, not 149, and a warm one reads one). Entries are
    keyed by blob id, so they never go stale; a pack is named by its content and written whole
    under a new name, so concurrent runs cannot conflict. A damaged pack is ignored (its
    versions are parsed again); many small packs are merged into one (decision 0148).
    """

    def __init__(
        self,
        fetch: Callable[[list[str]], Iterator[tuple[str, bytes]]],
        cache_dir: Path | None = None,
        summarizer: Summarizer | None = None,
    ) -> None:
        self._fetch = fetch
        self._cache_dir = cache_dir
        self._memory: dict[str, LedgerSummary] = {}
        self._summarize = summarizer or Summarizer()
        self.parsed = 0  # blobs parsed by this store (for tests and benchmarks)
        # The packs' entries (blob id -> summary JSON), read on first need.
        self._on_disk: dict[str, dict] | None = None
        self._unsaved: dict[str, dict] = {}  # summaries made here, written by `save`

    @property
    def plan_next(self) -> bool:
        """Whether summaries must name the next open item (a summary without it is missing)."""
        return self._summarize.plan_next

    def missing(self, blob_ids: Iterable[str]) -> list[str]:
        """The blobs of `blob_ids` with no summary in memory or in the cache (the cached ones
        are loaded on the way), in order."""
        wanted = [b for b in dict.fromkeys(blob_ids) if b and not self._usable(self._memory.get(b))]
        return [b for b in wanted if not self._load_cached(b)]

    def _usable(self, summary: LedgerSummary | None) -> bool:
        return summary is not None and (summary.planned or not self.plan_next)

    def put(self, blob_id: str, summary: LedgerSummary) -> None:
        """Keep a summary made elsewhere (from a rebuilt version), in memory and, at the next
        `save`, in the cache."""
        self.parsed += 1
        self._memory[blob_id] = summary
        self._keep(blob_id, summary)

    def prefetch(self, blob_ids: Iterable[str], progress: Progress | None = None) -> None:
        """Load every blob in `blob_ids` now (cached, else parsed), reporting progress."""
        from ..fileio import decode

        missing = self.missing(blob_ids)
        total = len(missing)
        if progress and total:
            progress(0, total)
        for n, (blob_id, data) in enumerate(self._fetch(missing), 1):
            summary = self._summarize(decode(data))
            self.parsed += 1
            self._memory[blob_id] = summary
            self._keep(blob_id, summary)
            if progress:
                progress(n, total)
        self.save()

    def __call__(self, blob_id: str | None) -> LedgerSummary:
        """The summary of `blob_id`; the empty summary for None (no ledger at that commit)."""
        if blob_id is None:
            return EMPTY
        summary = self._memory.get(blob_id)
        if summary is None or not self._usable(summary):
            self.prefetch([blob_id])
            summary = self._memory[blob_id]
        return summary

    def save(self) -> None:
        """Write the summaries made since the last save as one pack (nothing without a cache
        folder or new summaries); when the folder holds too many packs, all of them as one."""
        folder = self._cache_dir
        if folder is None or not self._unsaved:
            return
        from ..fileio import write_cache

        new, self._unsaved = self._unsaved, {}
        if self._on_disk is not None:  # read for a lookup already: keep it whole
            for blob_id, entry in new.items():
                _prefer(self._on_disk, blob_id, entry)
        packs = sorted(folder.glob("pack-*.json")) if folder.is_dir() else []
        merge = len(packs) >= _MAX_PACKS
        if merge:  # read now the very packs the merged one replaces (another run may add more)
            entries = _read_packs(packs)
            for blob_id, entry in new.items():
                _prefer(entries, blob_id, entry)
            new = entries
        data = json.dumps(
            {"v": SUMMARY_VERSION, "summaries": new}, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8", "surrogateescape")
        path = folder / f"pack-{hashlib.blake2b(data, digest_size=8).hexdigest()}.json"
        if write_cache(path, data) and merge:  # the new pack holds their entries: they go
            for old in packs:
                if old != path:
                    old.unlink(missing_ok=True)

    def _keep(self, blob_id: str, summary: LedgerSummary) -> None:
        if self._cache_dir is not None:
            self._unsaved[blob_id] = summary.to_json()

    def _packs(self) -> dict[str, dict]:
        """Every entry of the packs in the cache folder (read once)."""
        if self._on_disk is None:
            folder = self._cache_dir
            self._on_disk = _read_packs(sorted(folder.glob("pack-*.json")) if folder else [])
        return self._on_disk

    def _load_cached(self, blob_id: str) -> bool:
        if self._cache_dir is None:
            return False
        entry = self._packs().get(blob_id)
        if entry is None:
            return False
        try:
            summary = LedgerSummary.from_json(entry)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return False  # damaged: parse again (and write it again)
        if not self._usable(summary):
            return False  # made without the next item: parse again (and write it again)
        self._memory[blob_id] = summary
        return True


def _read_packs(paths: Iterable[Path]) -> dict[str, dict]:
    """The entries of these packs (blob id -> summary JSON); damaged or vanished packs (merged
    away meanwhile) are skipped, and their versions parsed again."""
    out: dict[str, dict] = {}
    for path in paths:
        try:
            with open(path, "rb") as fh:
                data = json.loads(fh.read())
            if data.get("v") != SUMMARY_VERSION:
                continue
            entries = data["summaries"]
            if not isinstance(entries, dict):
                continue
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
        for blob_id, entry in entries.items():
            _prefer(out, blob_id, entry)
    return out


def _prefer(entries: dict[str, dict], blob_id: str, entry: dict) -> None:
    """Keep `entry` for `blob_id` unless the one kept names the next item and it does not (a
    summary with the next item serves every reader)."""
    kept = entries.get(blob_id)
    if kept is None or not isinstance(kept, dict) or "next" in entry or "next" not in kept:
        entries[blob_id] = entry


def cache_dir(git_dir: Path) -> Path:
    """Where parsed ledger summaries are cached for a repository.

    The folder name carries the summary format version and a fingerprint of the parser's source,
    so a `ledger` whose parser reads ledgers differently never uses summaries made by another.
    """
    return Path(git_dir) / "ledger" / f"summaries-v{SUMMARY_VERSION}-{parser_fingerprint()}"


_FINGERPRINT: str | None = None


def parser_fingerprint() -> str:
    """A short hash of the source of everything that turns ledger text into a summary."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        # The files are found next to this package, not by importing their modules (a cold
        # scan would otherwise import the planner and the dependency graph it rarely uses).
        package = Path(__file__).resolve().parent.parent
        # the planner names the next open item
        modules = ("document", "ids", "model", "vocab", "timestamps", "depgraph", "planning")
        sources = [package / f"{name}.py" for name in modules]
        sources += sorted((package / "parse").glob("*.py"))  # the parse package
        h = hashlib.blake2b(digest_size=4)
        for source in sources:
            try:
                h.update(source.read_bytes())
            except OSError:  # pragma: no cover - frozen or zipped installs
                from .. import __version__

                h.update(__version__.encode())
        _FINGERPRINT = h.hexdigest()
    return _FINGERPRINT
