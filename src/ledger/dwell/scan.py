"""Dwell from a repository: read the history through `ledger.history`, then apply the rule.

`scan_repository` is one `git log` for the commits and one `git cat-file --batch` for the ledger
versions the summary cache does not have yet. `status_table` is the small table `ledger status`
shows, kept per HEAD in `<git-dir>/ledger/status.json` (decision 0038).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import history
from .rule import DwellReport, Rules, Summaries, compute
from .summaries import SUMMARY_VERSION, Progress, SummaryStore, cache_dir, parser_fingerprint

if TYPE_CHECKING:  # pragma: no cover
    from ..config import DwellConfig


@dataclass(frozen=True)
class Scan:
    """A history scan: the commits, the summaries of their ledger versions, and the report."""

    commits: list[history.Commit]
    summaries: Summaries
    report: DwellReport
    ledger_path: str


def scan_repository(
    repo: history.Repo,
    rev: str,
    ledger_path: str,
    config: DwellConfig,
    archive_path: str | None = None,
    progress: Progress | None = None,
) -> Scan:
    """Read the first-parent history of `rev` in `repo` and apply the rule.

    Ledger versions not in the cache (`<git-dir>/ledger/`, when `config.cache` is on) are read
    in one `git cat-file --batch` and parsed once each.
    """
    rules = Rules.from_config(config, ledger_path, archive_path)
    commits = history.first_parent_commits(repo, rev, ledger_path)
    with history.BlobReader(repo) as reader:
        store = SummaryStore(reader.read_many, cache_dir(repo.git_dir) if config.cache else None)
        store.prefetch((c.ledger_blob for c in commits if c.ledger_blob), progress)
    report = compute(commits, store, rules, rev=commits[-1].sha if commits else None)
    return Scan(commits=commits, summaries=store, report=report, ledger_path=ledger_path)


def status_table(
    repo: history.Repo,
    ledger_path: str,
    config: DwellConfig,
    archive_path: str | None = None,
    progress: Progress | None = None,
) -> dict[str, dict[str, int]] | None:
    """`{id: {"dwell", "tier"}}` at HEAD for focus items that had a turn (tier 0 when closed), or
    None when HEAD or the ledger at HEAD does not exist. The result for the current HEAD is kept
    in `<git-dir>/ledger/status.json`, so repeated `ledger status` runs skip the history scan."""
    head, blob = history.head_and_blob(repo, ledger_path)
    if head is None or blob is None:
        return None
    # what the table depends on: the commit, where the ledger is, the rule's knobs, the parser
    inputs = [
        head,
        ledger_path,
        archive_path,
        repr(config),
        SUMMARY_VERSION,
        parser_fingerprint(),
    ]
    key = hashlib.blake2b(json.dumps(inputs, default=str).encode(), digest_size=16).hexdigest()
    path = repo.git_dir / "ledger" / "status.json"
    if config.cache:
        try:
            data = json.loads(path.read_bytes())
            if data.get("key") == key:
                return data["dwell"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # absent or damaged: scan again
    report = scan_repository(repo, head, ledger_path, config, archive_path, progress).report
    table = {
        f.id: {"dwell": f.dwell, "tier": f.tier if f.active else 0} for f in report.focus if f.turns
    }
    if config.cache:
        from ..fileio import write_cache

        write_cache(path, json.dumps({"key": key, "dwell": table}).encode("utf-8"))
    return table
