"""Dwell from a repository: read the history through `ledger.history`, then apply the rule.

Two git processes run side by side: `git log --raw` lists the commits (subjects, paths, the
ledger's blob at each), and `git log -p` streams the ledger's changes, from which
`dwell.versions.VersionTracker` rebuilds every version the summary cache lacks (decision 0075:
reading whole versions cost far more than the changes). A version or two missing after a warm
run are read whole instead.

`status_table` (the Dwell column of `ledger status`, also `next` and `brief`) does not need the
whole history: it starts from the newest checkpoint (`dwell.checkpoint`) on the first-parent
history of HEAD, local or fetched once from the configured remote, and walks only the commits
after it. Its result is kept per HEAD in `<git-dir>/ledger/status.json` (decision 0038).

A history without any supervisor commit is read as a single agent's iterations, whose rule needs
each version's next open item: the commits are listed first, and only then are the summaries
asked for with it (a whole parse per version) or without (section-wise).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import history
from . import checkpoint
from .marks import DwellTable
from .rule import DwellReport, Rules, Summaries, Walk, WalkState
from .summaries import (
    SUMMARY_VERSION,
    LedgerSummary,
    Progress,
    Summarizer,
    SummaryStore,
    cache_dir,
    parser_fingerprint,
)
from .versions import VersionTracker, blob_id

if TYPE_CHECKING:  # pragma: no cover
    from ..config import DwellConfig

# Missing versions up to this many are read whole; more come from the patch stream.
_READ_WHOLE = 4


@dataclass(frozen=True)
class Scan:
    """A history scan: the commits, the summaries of their ledger versions, and the report."""

    commits: list[history.Commit]
    summaries: Summaries
    report: DwellReport
    ledger_path: str
    state: WalkState | None = None  # the rule's state after the last commit (a checkpoint)
    checkpoint_key: str = ""


class _Versions:
    """Summaries of the ledger versions a walk needs: from the cache, else rebuilt from the
    patch stream (started at once, so git works while the commits are being listed)."""

    def __init__(
        self,
        repo: history.Repo,
        rev: str,
        ledger_path: str,
        config: DwellConfig,
        *,
        since: str | None = None,
        base_blob: str | None = None,
    ) -> None:
        self.repo = repo
        self.rev = rev
        self.path = ledger_path
        self.since = since
        self.base_blob = base_blob
        self.summarizer = Summarizer()
        self.store = SummaryStore(
            self._read_whole, cache_dir(repo.git_dir) if config.cache else None, self.summarizer
        )
        # Walking from the root, git starts on the patches now, while the commits are listed;
        # after a checkpoint only a few versions are new, and it starts when they are many.
        self._patches: history.LedgerPatches | None = (
            history.LedgerPatches(repo, rev, ledger_path) if since is None else None
        )

    def __enter__(self) -> _Versions:
        return self

    def __exit__(self, *exc) -> None:
        self._stop()

    def _stop(self) -> None:
        if self._patches is not None:
            self._patches.close()
            self._patches = None

    def want_next_items(self) -> None:
        """Summaries name each version's next open item (the single-agent rule needs it)."""
        self.summarizer.plan_next = True

    def _read_whole(self, blob_ids: list[str]):
        for blob in blob_ids:
            yield blob, history.read_blob(self.repo, blob)

    def fill(self, blobs: list[str | None], progress: Progress | None = None) -> None:
        """Make sure every blob in `blobs` has a summary."""
        missing = self.store.missing(b for b in blobs if b)
        if len(missing) <= _READ_WHOLE:
            self._stop()
            self.store.prefetch(missing, progress)
            return
        if self._patches is None:
            self._patches = history.LedgerPatches(self.repo, self.rev, self.path, since=self.since)
        base = history.read_blob(self.repo, self.base_blob) if self.base_blob else None
        tracker = VersionTracker(base, self.summarizer)
        wanted = set(missing)
        total, done = len(wanted), 0
        if progress:
            progress(0, total)
        last_blob = self.base_blob
        for change in self._patches:
            tracker.apply(change)
            last_blob = change.blob
            if change.blob in wanted:
                wanted.discard(change.blob)
                self.store.put(change.blob, tracker.summary())
                done += 1
                if progress:
                    progress(done, total)
        self._patches = None
        self.store.save()
        if last_blob is not None and blob_id(tracker.data()) != last_blob:
            # the rebuilt text is not the committed one (never seen; a guard, not a path)
            from ..errors import GitError

            raise GitError(f"{self.path}: the patches of the history did not rebuild {last_blob}")
        if wanted:  # versions the stream did not pass through (a reverted file, ...)
            self.store.prefetch(sorted(wanted))


def scan_repository(
    repo: history.Repo,
    rev: str,
    ledger_path: str,
    config: DwellConfig,
    archive_path: str | None = None,
    progress: Progress | None = None,
) -> Scan:
    """Read the whole first-parent history of `rev` and apply the rule (with every turn,
    timeline and evidence commit, for `ledger dwell` and `ledger log`)."""
    rules = Rules.from_config(config, ledger_path, archive_path)
    head = history.resolve(repo, rev)
    with _Versions(repo, head, ledger_path, config) as versions:
        commits = history.first_parent_commits(repo, head, ledger_path)
        if not rules.supervised(commits):
            versions.want_next_items()
        versions.fill([c.ledger_blob for c in commits], progress)
    walk = Walk(versions.store, rules)
    for commit in commits:
        walk.feed(commit)
    report = walk.report(commits[-1].sha if commits else None)
    key = checkpoint.checkpoint_key(config, ledger_path, archive_path)
    if config.cache and commits:
        _save(repo, walk.state, key, versions.store)
    return Scan(commits, versions.store, report, ledger_path, walk.state, key)


def _save(repo: history.Repo, state: WalkState, key: str, store: SummaryStore) -> None:
    summaries = {b: store(b) for b in checkpoint.needed_blobs(state)}
    checkpoint.save_local(repo.git_dir, state, key, summaries)


def walk_from_checkpoint(
    repo: history.Repo,
    head: str,
    ledger_path: str,
    config: DwellConfig,
    archive_path: str | None = None,
    progress: Progress | None = None,
) -> tuple[DwellReport, WalkState]:
    """The report at `head` (without turn history), walking only the commits after the newest
    usable checkpoint on its first-parent history (all of them when there is none)."""
    rules = Rules.from_config(config, ledger_path, archive_path)
    key = checkpoint.checkpoint_key(config, ledger_path, archive_path)
    found = _nearest_checkpoint(repo, head, key, config) if config.cache else None
    state, carried = found if found is not None else (None, {})
    since = state.commit if state is not None else None
    base = state.previous_blob if state is not None else None
    with _Versions(repo, head, ledger_path, config, since=since, base_blob=base) as versions:
        for blob, summary in carried.items():
            versions.store.put(blob, summary)
        commits = history.first_parent_commits(
            repo, head, ledger_path, since=since, start_blob=base
        )
        needed = [c.ledger_blob for c in commits]
        if (state is None or state.iterations is not None) and not rules.supervised(commits):
            versions.want_next_items()
        if state is not None:  # the open turn may compare with the ledger before it
            needed += [state.before_blob, state.previous_blob]
            needed += [c.ledger_blob for c in state.run]
        versions.fill(needed, progress)
    walk = Walk(versions.store, rules, state, keep_history=False)
    for commit in commits:
        walk.feed(commit)
    if config.cache and walk.state.commit:
        _save(repo, walk.state, key, versions.store)
    return walk.report(head), walk.state


def _nearest_checkpoint(
    repo: history.Repo, head: str, key: str, config: DwellConfig
) -> tuple[WalkState, dict[str, LedgerSummary]] | None:
    """The newest checkpoint under `key` on the first-parent history of `head`: a local one,
    else one from the notes (fetched from the configured remote when there are none yet)."""
    local = checkpoint.local_commits(repo.git_dir)
    notes = history.notes(repo)
    fresh = not notes and not local and config.remote and checkpoint.may_fetch(repo.git_dir)
    # a clone that has never walked its history: the shared checkpoints, fetched once
    if fresh and history.fetch_notes(repo, config.remote):
        notes = history.notes(repo)
    if not local and not notes:
        return None
    # Checkpoints are usually recent: look at the last commits first, then at all of them.
    for limit in (64, None):
        for sha in history.first_parent_shas(repo, head, limit=limit):
            found = None
            if sha in local:
                found = checkpoint.load_local(repo.git_dir, sha, key)
            if found is None and sha in notes:
                data = history.read_blob(repo, notes[sha])
                found = checkpoint.load_with_summaries(data, key)
            if found is not None:
                return found
    return None


def publish_checkpoint(
    repo: history.Repo, state: WalkState, key: str, remote: str, store: Summaries | None = None
) -> None:
    """Attach the checkpoint of `state` to its commit under refs/notes/ledger and push that
    ref to `remote`, so fresh clones start from it."""
    if state.commit is None:
        return
    summaries = None
    if isinstance(store, SummaryStore):
        summaries = {b: store(b) for b in checkpoint.needed_blobs(state)}
    history.write_note(repo, state.commit, checkpoint.dumps(state, key, summaries))
    history.push_notes(repo, remote)


def status_table(
    repo: history.Repo,
    ledger_path: str,
    config: DwellConfig,
    archive_path: str | None = None,
    progress: Progress | None = None,
) -> DwellTable | None:
    """Dwell and tier at HEAD of the focus items that had a turn (the real tier, closed or
    parked too: `DwellTable.mark` says which), or None when HEAD or the ledger at HEAD does not
    exist. The counts for the current HEAD are kept in `<git-dir>/ledger/status.json`, so
    repeated `ledger status` runs skip the history scan."""
    head, blob = history.head_and_blob(repo, ledger_path)
    if head is None or blob is None:
        return None
    parked = frozenset(config.parked)
    # what the table depends on: the commit, where the ledger is, the rule's knobs, the parser
    inputs = [head, ledger_path, archive_path, repr(config), SUMMARY_VERSION, parser_fingerprint()]
    inputs.append(_STATUS_FORMAT)
    key = hashlib.blake2b(json.dumps(inputs, default=str).encode(), digest_size=16).hexdigest()
    path = repo.git_dir / "ledger" / "status.json"
    if config.cache:
        try:
            data = json.loads(path.read_bytes())
            if data.get("key") == key:
                counts = {fid: (int(d), int(t)) for fid, (d, t) in data["dwell"].items()}
                return DwellTable(counts, parked)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # absent or damaged: walk again
    report, _state = walk_from_checkpoint(repo, head, ledger_path, config, archive_path, progress)
    counts = {f.id: (f.dwell, f.tier) for f in report.focus if f.turns}
    if config.cache:
        from ..fileio import write_cache

        write_cache(path, json.dumps({"key": key, "dwell": counts}).encode("utf-8"))
    return DwellTable(counts, parked)


# the form of status.json: `{"key", "dwell": {id: [dwell, tier]}}` (2: the real tier, always)
_STATUS_FORMAT = 2


def summary_at(repo: history.Repo, blob: str) -> LedgerSummary:
    """The summary of one ledger version, read whole (for callers outside a walk)."""
    from ..fileio import decode

    return Summarizer()(decode(history.read_blob(repo, blob)))


__all__ = [
    "Scan",
    "publish_checkpoint",
    "scan_repository",
    "status_table",
    "summary_at",
    "walk_from_checkpoint",
]
