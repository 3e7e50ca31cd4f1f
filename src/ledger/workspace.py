"""A located ledger and its configuration, and the whole operations the loop runs on it.

The command line and the MCP server (`ledger.mcp_server`) run the same operations, so they live
here once: find the ledger as the CLI does (`--file`, else `file:` in `.ledger.yaml`, else
`docs/fix_plan.md` upward from the working directory), read it, read dwell from its repository,
and apply one edit from `ledger.edit` under the repository lock (`fileio.locked_update`: lock,
re-read check, atomic replace; the edit re-applied to a fresh read when the file changed).

Each edit operation takes what a user gives (a focus ID, words of the vocabularies) and returns
an `AppliedEdit`; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import NotALedger, UsageError
from .vocab import Status, status_word

if TYPE_CHECKING:  # pragma: no cover
    from .checks import Finding
    from .config import Config, Settings
    from .dwell import DwellTable
    from .edit import EditResult, NewAttempt, NewFocus
    from .model import Ledger

# Called with (done, total) while ledger versions are parsed for dwell.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Snapshot:
    """A ledger as read now: its path, its model and its size in bytes."""

    path: Path
    ledger: Ledger
    size: int


@dataclass(frozen=True)
class Workspace:
    """The configuration in effect and the ledger it locates."""

    settings: Settings
    path: Path

    @classmethod
    def locate(cls, file: Path | None = None, config: Path | None = None) -> Workspace:
        """Find the configuration and the ledger from the working directory, as the CLI does."""
        from .config import load_settings, locate_ledger

        settings = load_settings(config_path=config)
        return cls(settings, locate_ledger(settings, file))

    @property
    def config(self) -> Config:
        return self.settings.config

    def read(self) -> Snapshot:
        """Read and parse the ledger (`NotALedger` for an empty or binary file)."""
        return read_snapshot(self.path)

    def dwell(self, progress: Progress | None = None) -> DwellTable | None:
        """Dwell and tier per focus from the ledger's repository (None outside git)."""
        return dwell_table(self.path, self.config, progress)

    def check(self, snapshot: Snapshot, shown_path: str | None = None) -> list[Finding]:
        """`ledger check`'s findings on `snapshot`, with the configured rules."""
        return check_snapshot(snapshot, self.config, shown_path)


def read_snapshot(path: Path) -> Snapshot:
    """Read and parse the ledger at `path`."""
    from .fileio import read_ledger
    from .parse import loads

    text, size = read_ledger(path)
    return Snapshot(path=path, ledger=loads(text), size=size)


def dwell_table(path: Path, config: Config, progress: Progress | None = None) -> DwellTable | None:
    """Dwell and tier at HEAD of the repository holding the ledger (`DwellTable.marks` gives each
    item's mark with its state), or None when it is
    in no repository, or not committed there. Git failures raise (`GitError`)."""
    from . import history
    from .dwell import status_table

    repo = history.find_repo_fast(path)
    if repo is None or repo.work_tree is None:
        return None
    relative = history.repo_relative(repo, path.resolve())
    return status_table(repo, relative, config.dwell, config.archive.path, progress)


def check_snapshot(
    snapshot: Snapshot, config: Config, shown_path: str | None = None
) -> list[Finding]:
    """The configured rules' findings on a ledger as read (paths shown as `shown_path`)."""
    from .checks import check_text
    from .fileio import containment_root

    return check_text(
        snapshot.ledger.text,
        config.check,
        path=shown_path or str(snapshot.path),
        root=containment_root(snapshot.path),
        size=snapshot.size,
    )


# --- edits under the lock -----------------------------------------------------------------------


@dataclass(frozen=True)
class AppliedEdit:
    """An edit as applied (or, with `dry_run`, only computed): the file, the result, the text
    before it, and whether the file was written."""

    path: Path
    result: EditResult
    before: str
    written: bool

    def diff(self, shown_path: str | None = None) -> str:
        """The unified diff of the edit, with `shown_path` (default: the path) in its header."""
        from .edit import unified_diff

        return unified_diff(self.before, self.result.text, shown_path or str(self.path))


def apply_edit(
    path: Path, edit: Callable[[Ledger], EditResult], *, dry_run: bool = False
) -> AppliedEdit:
    """Run `edit` on the parsed ledger under the repository lock and write the new text.

    When another writer changed the file meanwhile, the edit runs again on the fresh text
    (`fileio.locked_update`); the result returned is the one written."""
    from .fileio import encode_text, locked_update, not_a_ledger_reason

    results: list[EditResult] = []

    def change(text: str | None) -> str:
        assert text is not None  # locked_update without missing_ok
        reason = not_a_ledger_reason(encode_text(text))
        if reason is not None:
            raise NotALedger(path, reason)
        results.append(edit(_parse(text)))  # run again on a fresh read if the file changed
        return results[-1].text

    update = locked_update(path, change, dry_run=dry_run)
    return AppliedEdit(path, results[-1], update.before or "", update.written)


def _parse(text: str) -> Ledger:
    """The parser the edits run on (a seam: tests change the file while it runs)."""
    from .parse import loads

    return loads(text)


def record_attempt(
    path: Path,
    config: Config,
    focus_id: str,
    attempt: NewAttempt,
    *,
    now: datetime,
    line: int | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> AppliedEdit:
    """Add an attempt on `focus_id` in that focus's dialect and place (`edit.add_attempt`), with
    the configured default dialect and timestamp format for a focus that has none yet."""
    from .edit import add_attempt, normalize_dialect

    settings = config.attempts
    dialect = normalize_dialect(settings.default_dialect)
    fmt = None if settings.timestamp_format == "auto" else settings.timestamp_format
    return apply_edit(
        path,
        lambda ledger: add_attempt(
            ledger,
            focus_id,
            attempt,
            now=now,
            default_dialect=dialect,
            default_timestamp_format=fmt,
            line=line,
            force=force,
        ),
        dry_run=dry_run,
    )


def choose_status(text: str, vocabulary: tuple[str, ...]) -> str:
    """The status word to write for what a user typed (`vocab.status_word`), or a `UsageError`
    naming the words accepted."""
    word = status_word(text, vocabulary)
    if word is None:
        known = (s.value for s in Status if s is not Status.unknown)
        words = dict.fromkeys((*vocabulary, *known))
        raise UsageError(f"unknown status {text!r} (choose from {', '.join(words)})")
    return word


def change_fields(
    path: Path,
    config: Config,
    focus_id: str,
    *,
    status: str | None = None,
    note: str | None = None,
    priority: str | None = None,
    depends_on: list[str] | None = None,
    line: int | None = None,
    move_to_completed: bool = False,
    now: datetime | None = None,
    dry_run: bool = False,
) -> AppliedEdit:
    """Change a focus's Status (a word the configured vocabulary or `Status` knows), Priority or
    Depends on (`edit.set_field`); `move_to_completed` moves an item of a plan's queue where
    the file keeps finished items."""
    from .edit import set_field

    word = None if status is None else choose_status(status, config.check.statuses)
    return apply_edit(
        path,
        lambda ledger: set_field(
            ledger,
            focus_id,
            status=word,
            note=note,
            priority=priority,
            depends_on=depends_on,
            line=line,
            move_to_completed=move_to_completed,
            now=now,
        ),
        dry_run=dry_run,
    )


@dataclass(frozen=True)
class CreatedFocus:
    """A new focus item, and its plan files: those created and those that existed already
    (repository-relative paths)."""

    applied: AppliedEdit
    created: list[str]
    kept: list[str]


def create_focus(
    path: Path,
    config: Config,
    spec: NewFocus,
    *,
    now: datetime,
    plans: bool = True,
    dry_run: bool = False,
) -> CreatedFocus:
    """Add a focus section in the ledger's own layout (`edit.new_focus`) and, unless `plans` is
    off, create its plan files. The ID and the plan paths are checked before anything is
    written."""
    from .edit import new_focus, plan_files, write_plan_files
    from .fileio import containment_root
    from .ids import check_new_id

    check_new_id(spec.id)
    root = containment_root(path)  # the ledger's repository (or its folder outside git)
    files = plan_files(root, spec.id, config.plans_dir)  # refused before anything is written
    applied = apply_edit(
        path,
        lambda ledger: new_focus(ledger, spec, plans_dir=config.plans_dir, now=now),
        dry_run=dry_run,
    )
    created: list[str] = []
    kept: list[str] = []
    focus = applied.result.focus
    if focus is not None and not focus.form.is_ledger_section:
        plans = False  # an item of a plan's queue: its plan is the file itself
    if not dry_run and plans:
        made = write_plan_files(files, spec, now)
        for target in files.values():
            relative = target.relative_to(root.resolve()).as_posix()
            (created if target in made else kept).append(relative)
    return CreatedFocus(applied, created, kept)


__all__ = [
    "AppliedEdit",
    "CreatedFocus",
    "Snapshot",
    "Workspace",
    "apply_edit",
    "change_fields",
    "check_snapshot",
    "choose_status",
    "create_focus",
    "dwell_table",
    "read_snapshot",
    "record_attempt",
]
