"""The one exception tree of `ledger`.

Every error a user can cause is a `LedgerError`. Each subclass carries the process exit code it
maps to; the CLI turns them into one clear line on stderr at a single boundary
(`ledger.cli._app.run`), so no command prints a traceback unless `--debug` is given.

Exit codes: 0 ok, 1 findings or a refused operation, 2 usage errors.
"""

from __future__ import annotations


class LedgerError(Exception):
    """Base class: something the user can fix. `exit_code` is what the CLI exits with."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class LedgerFileError(LedgerError):
    """The ledger file is missing, unreadable or not where it was looked for."""


class UsageError(LedgerError):
    """A bad option value or combination (exit 2, like click's own usage errors)."""

    exit_code = 2


class ConfigError(UsageError):
    """`.ledger.yaml` is malformed or names an unknown key."""


class UnknownFocusError(LedgerError):
    """A command named a focus ID the ledger does not have."""

    def __init__(self, focus_id: str, suggestions: list[str] | None = None) -> None:
        self.focus_id = focus_id
        self.suggestions = suggestions or []
        hint = f"did you mean {', '.join(self.suggestions)}?" if self.suggestions else None
        super().__init__(f"no focus item with ID {focus_id!r}", hint=hint)


class EditRefused(LedgerError):
    """An edit cannot be applied safely (duplicate ID, ambiguous target, ...)."""


class ConcurrentModification(EditRefused):
    """The file changed on disk between reading it and writing it back, twice in a row."""


class GitError(LedgerError):
    """A git repository or revision could not be read."""


class NotALedger(LedgerFileError):
    """The file exists but cannot be a ledger: empty, or binary data."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"not a ledger: {path} ({reason})")


class PathOutsideRoot(LedgerError):
    """A path built from an ID, the configuration or ledger content leads out of the repository."""


class AmbiguousFocus(EditRefused):
    """An edit names an ID that has more than one section; the user must pick one."""

    def __init__(self, focus_id: str, lines: list[int]) -> None:
        self.focus_id = focus_id
        self.lines = lines
        where = ", ".join(str(n) for n in lines[:-1]) + f" and {lines[-1]}"
        choices = " or ".join(f"--line {n}" for n in lines)
        super().__init__(
            f"{focus_id} has {len(lines)} sections (lines {where}); nothing was written",
            hint=f"pick one with {choices}, or merge the copies by hand",
        )
