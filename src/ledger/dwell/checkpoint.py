"""Checkpoints: the rule's state after a commit, saved so a later walk starts there.

Dwell only depends on the history up to a commit through the state the rule carries past it
(`rule.WalkState`): who is known, each focus's dwell, turns and pending evidence, the open turn,
and (until the first supervisor commit) the single-agent rule's iterations.
A checkpoint is that state as JSON, together with a key naming everything else the result
depends on (the rule's configuration, the ledger and archive paths, the summary format and the
parser). A checkpoint made under another key is never used.

They are kept in `<git-dir>/ledger/checkpoints/<commit>.json`, and travel with the repository as
git notes under `refs/notes/ledger` (`ledger dwell --push` publishes them; a clone without any
fetches them once), so an agent starting from a fresh clone reads a few commits, not the whole
history (decision 0075).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..history import Commit
from .iterations import IterationState, Unproven
from .records import CommitRef, FocusState
from .rule import WalkState
from .summaries import SUMMARY_VERSION, LedgerSummary, parser_fingerprint

if TYPE_CHECKING:  # pragma: no cover
    from ..config import DwellConfig

CHECKPOINT_VERSION = 2  # 2: the single-agent rule's iterations


def checkpoint_key(config: DwellConfig, ledger_path: str, archive_path: str | None) -> str:
    """What a checkpoint's validity depends on besides the history itself."""
    inputs = [repr(config), ledger_path, archive_path, SUMMARY_VERSION, parser_fingerprint()]
    return hashlib.blake2b(json.dumps(inputs, default=str).encode(), digest_size=12).hexdigest()


def folder(git_dir: Path) -> Path:
    return Path(git_dir) / "ledger" / "checkpoints"


def _ref(ref: CommitRef | None) -> list | None:
    return [ref.sha, int(ref.date.timestamp()), ref.subject] if ref else None


def _unref(data: list | None) -> CommitRef | None:
    if data is None:
        return None
    return CommitRef(data[0], datetime.fromtimestamp(data[1], tz=timezone.utc), data[2])


def _unref_required(data: list) -> CommitRef:
    ref = _unref(data)
    if ref is None:
        raise ValueError("a commit reference cannot be empty here")
    return ref


def _commit(c: Commit) -> list:
    return [c.sha, int(c.date.timestamp()), c.subject, list(c.paths), c.ledger_blob]


def _uncommit(d: list) -> Commit:
    return Commit(d[0], datetime.fromtimestamp(d[1], tz=timezone.utc), d[2], tuple(d[3]), d[4])


def _iterations(it: IterationState | None) -> dict | None:
    if it is None:
        return None
    return {
        "count": it.count,
        "items": {
            fid: [s.dwell, s.turns, _ref(s.last_turn), _ref(s.last_evidence)]
            for fid, s in it.items.items()
        },
        "unproven": {
            fid: [_ref(u.commit), _ref(u.last_evidence)] for fid, u in it.unproven.items()
        },
    }


def _uniterations(data: dict | None) -> IterationState | None:
    if data is None:
        return None
    items = {
        fid: FocusState(row[0], row[1], _unref(row[2]), _unref(row[3]))
        for fid, row in data["items"].items()
    }
    unproven = {
        fid: Unproven(_unref_required(closing), _unref(evidence))
        for fid, (closing, evidence) in data["unproven"].items()
    }
    return IterationState(data["count"], items, unproven)


def dumps(state: WalkState, key: str, summaries: dict[str, LedgerSummary] | None = None) -> bytes:
    """The checkpoint of `state` as compact JSON bytes, with the summaries of the ledger
    versions a walk resumed from it reads first (so a fresh clone need not read them)."""
    data: dict[str, Any] = {
        "v": CHECKPOINT_VERSION,
        "key": key,
        "commit": state.commit,
        "known": sorted(state.known),
        "states": {
            fid: [
                s.dwell,
                s.turns,
                _ref(s.last_turn),
                _ref(s.last_evidence),
                [_ref(p) for p in s.pending],
            ]
            for fid, s in state.states.items()
        },
        "recent": list(state.recent_focus),
        "run": [_commit(c) for c in state.run],
        "run_known": sorted(state.run_known),
        "before": state.before_blob,
        "previous": state.previous_blob,
        "turns": state.turn_count,
        "iterations": _iterations(state.iterations),
        "summaries": {blob: s.to_json() for blob, s in (summaries or {}).items()},
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogateescape"
    )


def needed_blobs(state: WalkState) -> list[str]:
    """The ledger versions a walk resumed from `state` reads before any new commit."""
    blobs = [state.before_blob, state.previous_blob, *(c.ledger_blob for c in state.run)]
    return list(dict.fromkeys(b for b in blobs if b))


def loads(data: bytes, key: str) -> WalkState | None:
    """The state in a checkpoint made under `key`; None when it is another key's, another
    format's, or damaged."""
    found = load_with_summaries(data, key)
    return found[0] if found else None


def load_with_summaries(data: bytes, key: str) -> tuple[WalkState, dict[str, LedgerSummary]] | None:
    """`loads`, and the ledger summaries the checkpoint carries."""
    try:
        raw = json.loads(data.decode("utf-8", "surrogateescape"))
        if raw.get("v") != CHECKPOINT_VERSION or raw.get("key") != key:
            return None
        states = {
            fid: FocusState(
                row[0], row[1], _unref(row[2]), _unref(row[3]), [_unref_required(p) for p in row[4]]
            )
            for fid, row in raw["states"].items()
        }
        summaries = {
            blob: LedgerSummary.from_json(d) for blob, d in raw.get("summaries", {}).items()
        }
        state = WalkState(
            commit=raw["commit"],
            known=set(raw["known"]),
            states=states,
            recent_focus=tuple(raw["recent"]),
            run=[_uncommit(c) for c in raw["run"]],
            run_known=frozenset(raw["run_known"]),
            before_blob=raw["before"],
            previous_blob=raw["previous"],
            turn_count=raw["turns"],
            iterations=_uniterations(raw["iterations"]),
        )
        return state, summaries
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def save_local(
    git_dir: Path, state: WalkState, key: str, summaries: dict[str, LedgerSummary] | None = None
) -> None:
    """Keep the checkpoint of `state` under `<git-dir>/ledger/checkpoints/` (best effort)."""
    if state.commit is None:
        return
    from ..fileio import write_cache

    write_cache(folder(git_dir) / f"{state.commit}.json", dumps(state, key, summaries))


def local_commits(git_dir: Path) -> set[str]:
    """The commits that have a local checkpoint."""
    try:
        return {p.stem for p in folder(git_dir).glob("*.json")}
    except OSError:
        return set()


def load_local(
    git_dir: Path, commit: str, key: str
) -> tuple[WalkState, dict[str, LedgerSummary]] | None:
    try:
        data = (folder(git_dir) / f"{commit}.json").read_bytes()
    except OSError:
        return None
    return load_with_summaries(data, key)


def may_fetch(git_dir: Path) -> bool:
    """Whether to try fetching the shared checkpoints now: once per clone (a marker file
    remembers the attempt, so a remote without any is not asked on every command)."""
    marker = Path(git_dir) / "ledger" / "notes-fetched"
    if marker.exists():
        return False
    from ..fileio import write_cache

    write_cache(marker, b"")
    return True
