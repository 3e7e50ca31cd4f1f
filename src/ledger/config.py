"""Configuration: `.ledger.yaml`, validated once, when it is read.

Precedence is resolved here and nowhere else: command-line options > `.ledger.yaml` > defaults.
The file is looked for from the current directory up to the repository root (the first folder
holding `.git`).

The options are frozen dataclasses. Each field's annotation says what a good value is beyond
its type (`dwell.tiers: Annotated[tuple[int, ...], Accepts(_tiers)]`). pydantic checks a file
against them when it is read, and `ledger config set` checks the file it is about to write:
unknown keys, wrong types and bad values are one `ConfigError` naming each key. So a
`Config` in hand is valid and the code reading it never checks it again: the dwell tiers
increase, the dwell patterns are compiled, `archive.keep_attempts` is a `KeepAttempts`.

Without a `.ledger.yaml` the defaults are the dataclasses as declared, and neither pydantic nor
ruamel.yaml is imported (decision 0095). Check rule codes are the one thing checked later, where
the rule registry is (`ledger.checks`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Annotated, Any, ClassVar, NamedTuple, get_type_hints

from .errors import ConfigError, LedgerFileError, UsageError
from .timestamps import parse_timestamp
from .vocab import DEFAULT_PARKED, AttemptDialect, Severity, Status, first_word

CONFIG_NAME = ".ledger.yaml"
DEFAULT_LEDGER = "docs/fix_plan.md"
DEFAULT_ARCHIVE = "docs/fix_plan_archive.md"


class Accepts:
    """What a good value of an option is, beyond its type.

    `check(value)` returns the value to keep (possibly normalized: `Numbered` -> `numbered`) or
    raises `ValueError` saying what is wrong. pydantic runs it after the type's own validation,
    or instead of it with `plain=True` (the check then reads the raw value). It speaks pydantic's
    `__get_pydantic_core_schema__` protocol, the one behind `AfterValidator`, so declaring the
    options does not import pydantic.
    """

    __slots__ = ("check", "plain")

    def __init__(self, check: Callable[[Any], Any], *, plain: bool = False) -> None:
        self.check = check
        self.plain = plain

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        if self.plain:
            return core_schema.no_info_plain_validator_function(self.check)
        return core_schema.no_info_after_validator_function(self.check, handler(source))


# --- the rules ------------------------------------------------------------------------------


def _path(value: str) -> str:
    if not value.strip():
        raise ValueError("a path relative to the repository root cannot be empty")
    return value


def _paths(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_path(v) for v in values)


def _positive(value: int) -> int:
    if value < 1:
        raise ValueError(f"must be a positive number, not {value}")
    return value


def _dialect(value: str) -> str:
    """`auto` or a dialect `ledger attempt add` can write (as the `AttemptDialect`)."""
    word = value.strip().lower()
    if word == "auto":
        return "auto"
    for dialect in AttemptDialect.writable():
        if dialect.value == word:
            return dialect
    choices = ", ".join(["auto", *(d.value for d in AttemptDialect.writable())])
    raise ValueError(f"{value!r} is not a dialect attempts can be written in ({choices})")


# A date whose day is over 12 and a time with seconds: a format that swaps fields or drops the
# date shows up when the text it writes is read back.
_SAMPLE = datetime(2026, 1, 23, 8, 35, 41, tzinfo=timezone.utc)
_READ_BACK = {_SAMPLE, _SAMPLE.replace(second=0), _SAMPLE.replace(hour=0, minute=0, second=0)}


def _strftime(value: str) -> str:
    """`auto` or a strftime format whose output `parse_timestamp` reads back as the same time."""
    if value.strip().lower() == "auto":
        return "auto"
    try:
        text = _SAMPLE.strftime(value)
    except ValueError as exc:  # a stray % on some platforms
        raise ValueError(f"{value!r} is not a strftime format ({exc})") from None
    if parse_timestamp(text) not in _READ_BACK:
        raise ValueError(
            f"{value!r} writes {text!r}, which does not read back as that time "
            "(use auto, or a format such as %Y-%m-%dT%H%M%SZ)"
        )
    return value


def _regex(value: Any) -> re.Pattern[str]:
    try:
        return re.compile(value)  # a compiled pattern comes back as it is
    except (re.error, TypeError) as exc:
        raise ValueError(f"{value!r} is not a regular expression: {exc}") from None


def _tiers(value: tuple[int, ...]) -> tuple[int, int, int]:
    if len(value) != 3 or not 0 < value[0] < value[1] < value[2]:
        raise ValueError(
            f"must be three increasing positive numbers such as [2, 4, 6], not {list(value)}"
        )
    return value


def _statuses(values: tuple[str, ...]) -> tuple[str, ...]:
    """One word each (a Status value's first word is what is compared), kept in lower case."""
    words = []
    for value in values:
        word = value.strip().lower()
        if not word or first_word(word) != word:
            raise ValueError(f"{value!r} is not one word")
        words.append(word)
    if not words:
        raise ValueError("the vocabulary cannot be empty")
    return tuple(words)


def _parked(values: Any) -> tuple[Status, ...]:
    """Statuses (any word `ledger set --status` takes: `on_hold` is paused) that are never
    flagged by dwell; closed ones never are anyway, so naming one is a mistake."""
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise ValueError("expected a list of statuses")
    out: list[Status] = []
    for value in values:
        status = Status.choose(value) if isinstance(value, str) else None
        if status is None:
            raise ValueError(f"{value!r} is not a status")
        if status.is_closed:
            raise ValueError(f"{value!r} is closed: closed focus items are never flagged anyway")
        if status not in out:
            out.append(status)
    return tuple(out)


def _severities(values: dict[str, str]) -> dict[str, Severity]:
    """Check code (or prefix) -> `Severity`; the codes themselves are checked where the rules
    are (`ledger.checks`)."""
    out = {}
    for code, word in values.items():
        severity = Severity.choose(word)
        if severity is None:
            choices = ", ".join(s.value for s in Severity)
            raise ValueError(f"{word!r} (for {code}) is not a severity ({choices})")
        out[code] = severity
    return out


@dataclass(frozen=True, slots=True)
class KeepAttempts:
    """Which attempts a live focus keeps when compacting: the earliest, the latest, and/or the
    N most recent (`archive.keep_attempts`, `ledger archive compact --keep-attempts`)."""

    first: bool = True
    last: bool = True
    recent: int = 0

    @classmethod
    def parse(cls, spec: str | KeepAttempts) -> KeepAttempts:
        """`--keep-attempts` text (see `read`); a `UsageError` for anything else."""
        try:
            return cls.read(spec)
        except ValueError as exc:
            raise UsageError(f"--keep-attempts: {exc}") from None

    @classmethod
    def read(cls, spec: Any) -> KeepAttempts:
        """`first,last`, `N`, `first,N`, `last`, `none` (a YAML number too); `ValueError` else."""
        if isinstance(spec, KeepAttempts):
            return spec
        if isinstance(spec, int) and not isinstance(spec, bool):
            spec = str(spec)
        if not isinstance(spec, str):  # pydantic reports ValueErrors, not TypeErrors
            raise ValueError("expected first,last or a number")
        first = last = False
        recent = 0
        tokens = [t.strip().lower() for t in spec.split(",") if t.strip()]
        if not tokens:
            raise ValueError("expected first,last or a number")
        for token in tokens:
            if token == "first":
                first = True
            elif token == "last":
                last = True
            elif token == "none":
                pass
            elif token.isdigit():
                recent = max(recent, int(token))
            else:
                raise ValueError(f"{token!r} is not first, last, none or a number")
        return cls(first=first, last=last, recent=recent)

    def __str__(self) -> str:
        words = [w for w, on in (("first", self.first), ("last", self.last)) if on]
        return ",".join(words + ([str(self.recent)] if self.recent else [])) or "none"


# --- the options ------------------------------------------------------------------------------


def _help(text: str) -> dict[str, str]:
    """Field metadata: the comment `ledger init` writes above the option."""
    return {"help": text}


class Section:
    """Base of the option groups: pydantic reads `__pydantic_config__` (unknown keys are errors)."""

    __slots__ = ()
    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}


@dataclass(frozen=True, slots=True)
class AttemptsConfig(Section):
    """How new attempts are written when a focus has none yet."""

    default_dialect: Annotated[str, Accepts(_dialect)] = field(
        default="auto",
        metadata=_help(
            "dialect for a focus with no attempts: auto (the one the rest of the ledger uses, "
            "else latest) | latest | numbered | dated | italic | heading"
        ),
    )
    timestamp_format: Annotated[str, Accepts(_strftime)] = field(
        default="auto",
        metadata=_help(
            "strftime format for new timestamps when the focus has none to copy: auto (the "
            "ledger's own, else %Y-%m-%dT%H%M%SZ) or a format"
        ),
    )


@dataclass(frozen=True, slots=True)
class CheckConfig(Section):
    """`ledger check` rules."""

    select: tuple[str, ...] = field(default=(), metadata=_help("only these codes (empty: all)"))
    ignore: tuple[str, ...] = field(default=(), metadata=_help("codes to skip"))
    severity: Annotated[dict[str, str], Accepts(_severities)] = field(
        default_factory=dict,
        metadata=_help("per-code severity override: error | warning | info"),
    )
    statuses: Annotated[tuple[str, ...], Accepts(_statuses)] = field(
        default=(
            "pending",
            "planning",
            "in_planning",
            "in_progress",
            "ready_for_implementation",
            "blocked",
            "blocked_escalation",
            "paused",
            "deferred",
            "done",
            "archived",
            "superseded",
        ),
        metadata=_help("the status vocabulary (first token of a Status value)"),
    )
    max_bytes: Annotated[int, Accepts(_positive)] = field(
        default=50_000, metadata=_help("size above which an archive snapshot is suggested")
    )
    max_lines: Annotated[int, Accepts(_positive)] = field(
        default=1_000, metadata=_help("line count above which an archive snapshot is suggested")
    )
    findings_files: Annotated[tuple[str, ...], Accepts(_paths)] = field(
        default=("docs/findings.md",),
        metadata=_help("files where non-focus IDs (findings) are defined"),
    )
    fix_trailing_whitespace: bool = field(
        default=False, metadata=_help("`ledger fix` strips trailing spaces")
    )


@dataclass(frozen=True, slots=True)
class DwellConfig(Section):
    """The dwell rule (see docs/commands/dwell.md); defaults follow the tiered supervisor prompt."""

    bookkeeping: Annotated[re.Pattern[str], Accepts(_regex, plain=True)] = field(
        default=re.compile(r"^\[SYNC "), metadata=_help("regex: commits ignored entirely")
    )
    supervisor: Annotated[re.Pattern[str], Accepts(_regex, plain=True)] = field(
        default=re.compile(r"^SUPERVISOR\b"), metadata=_help("regex: supervisor commits")
    )
    docs_only: tuple[str, ...] = field(
        default=(
            "docs/**",
            "plans/**",
            "!plans/**/bin/**",
            "reports/**",
            "**/*.md",
            "galph_memory.md",
            "input.md",
            "sync/**",
        ),
        metadata=_help("gitignore-style patterns of paths that are not implementation evidence"),
    )
    tiers: Annotated[tuple[int, ...], Accepts(_tiers)] = field(
        default=(2, 4, 6), metadata=_help("dwell for tiers 1, 2, 3")
    )
    parked: Annotated[tuple[Status, ...], Accepts(_parked, plain=True)] = field(
        default=DEFAULT_PARKED,
        metadata=_help(
            "statuses that record a decision to wait: reported with their dwell and tier, "
            "never flagged (--fail-on-tier, the brief's tier advice)"
        ),
    )
    stuck_after: Annotated[int, Accepts(_positive)] = field(
        default=3,
        metadata=_help(
            "single-agent loops (no supervisor commit): iterations an item may stay the next "
            "open item without being ticked or code landing before it is stuck"
        ),
    )
    cache: bool = field(
        default=True, metadata=_help("cache parsed ledger blobs under .git/ledger/")
    )
    remote: str = field(
        default="origin",
        metadata=_help(
            "remote that carries dwell checkpoints (refs/notes/ledger): a clone without any "
            "fetches them once, `ledger dwell --push` publishes them; empty: never"
        ),
    )


@dataclass(frozen=True, slots=True)
class ArchiveConfig(Section):
    """Archive snapshots and compaction."""

    path: Annotated[str, Accepts(_path)] = field(
        default=DEFAULT_ARCHIVE, metadata=_help("the append-only archive file")
    )
    keep_fields: tuple[str, ...] = field(
        default=(
            "Depends on",
            "Status",
            "Priority",
            "Owner/Date",
            "Exit Criteria",
            "Return Condition",
            "Return Conditions",
            "Working Plan",
        ),
        metadata=_help("fields every live focus keeps when compacting"),
    )
    keep_attempts: Annotated[KeepAttempts, Accepts(KeepAttempts.read, plain=True)] = field(
        default=KeepAttempts(),
        metadata=_help("attempts kept per focus: first,last, N (the N most recent) or first,N"),
    )


@dataclass(frozen=True, slots=True)
class Config(Section):
    """The whole `.ledger.yaml`."""

    file: Annotated[str, Accepts(_path)] = field(
        default=DEFAULT_LEDGER, metadata=_help("the ledger, relative to the repository root")
    )
    plans_dir: Annotated[str, Accepts(_path)] = field(
        default="plans/active", metadata=_help("where `ledger focus new` creates plan folders")
    )
    attempts: AttemptsConfig = field(default_factory=AttemptsConfig)
    check: CheckConfig = field(default_factory=CheckConfig)
    dwell: DwellConfig = field(default_factory=DwellConfig)
    archive: ArchiveConfig = field(default_factory=ArchiveConfig)


# --- validating -------------------------------------------------------------------------------


def validate(data: Any, origin: object = CONFIG_NAME) -> Config:
    """A mapping of options (as YAML reads it) as a valid `Config`; otherwise one `ConfigError`
    naming every bad key, prefixed with `origin` (the file)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: the top level must be a mapping of options")
    from pydantic import ValidationError

    try:
        return _validator().validate_python(data)
    except ValidationError as exc:
        problems = "; ".join(_problem(error) for error in exc.errors())
        raise ConfigError(f"{origin}: {problems}") from None


@cache
def _validator() -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(Config)


def _problem(error: Any) -> str:
    """One pydantic error as `key: what is wrong`, in the words of the file."""
    key = ".".join(str(p) for p in error["loc"])
    kind = error["type"]
    if kind == "unexpected_keyword_argument":
        import difflib

        *sections, name = (str(p) for p in error["loc"])
        section: Any = Config
        for part in sections:
            section = get_type_hints(section)[part]
        close = difflib.get_close_matches(name, [f.name for f in fields(section)], n=1)
        return f"{key}: unknown option" + (f" (did you mean {close[0]}?)" if close else "")
    if kind == "value_error":
        return f"{key}: {error['ctx']['error']}"
    if kind in ("tuple_type", "list_type"):
        return f"{key}: expected a list"
    if kind == "dataclass_type":
        return f"{key}: expected a mapping of options"
    return f"{key}: {error['msg']}"


def keys_set(data: Any, cls: type = Config, prefix: str = "") -> frozenset[str]:
    """The dotted option keys a (valid) mapping of options sets."""
    if not isinstance(data, dict):
        return frozenset()
    hints = get_type_hints(cls)
    out: set[str] = set()
    for name, value in data.items():
        section = hints.get(name)
        if isinstance(section, type) and issubclass(section, Section):
            out |= keys_set(value, section, f"{prefix}{name}.")
        else:
            out.add(prefix + str(name))
    return frozenset(out)


# --- reading ----------------------------------------------------------------------------------


class Settings(NamedTuple):
    """The configuration in effect, where it came from, and the repository root."""

    config: Config
    root: Path  # repository root (or the start folder when not in a repository)
    config_path: Path | None = None
    file_keys: frozenset[str] = frozenset()  # the option keys `.ledger.yaml` sets

    def resolve(self, relative: str, what: str = "path") -> Path:
        """A configured path, relative to the repository root; it must stay inside it (a
        `.ledger.yaml` is file content and must not send writes elsewhere)."""
        return _guarded(self.root, relative, what, self.config_path)


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding `.git` (a repository root), or None."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def find_config(start: Path) -> Path | None:
    """`.ledger.yaml` from `start` up to the repository root (never above it)."""
    start = start.resolve()
    root = find_root(start)
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if root is not None and folder == root:
            break
    return None


def read_yaml(path: Path) -> Any:
    """The data of one `.ledger.yaml` (not validated); unreadable or bad YAML: `ConfigError`."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        return YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None


def read_config(path: Path) -> Config:
    """Read and validate one `.ledger.yaml`; unknown keys and bad values are `ConfigError`s."""
    return validate(read_yaml(path), path)


def load_settings(start: Path | None = None, config_path: Path | None = None) -> Settings:
    """Find and read the configuration for work started in `start` (default: cwd)."""
    start = (start or Path.cwd()).resolve()
    path = config_path or find_config(start)
    root = find_root(start) or (path.parent if path else start)
    if path is None:
        return Settings(config=Config(), root=root)
    data = read_yaml(path)
    return Settings(validate(data, path), root, path, keys_set(data))


def locate_ledger(settings: Settings, explicit: Path | None = None) -> Path:
    """The ledger path: `--file` > config `file` > `docs/fix_plan.md` from cwd up to the root."""
    if explicit is not None:
        return explicit
    if settings.config_path is not None and "file" in settings.file_keys:
        return _guarded(
            settings.config_path.parent, settings.config.file, "file", settings.config_path
        )
    cwd = Path.cwd().resolve()
    for folder in (cwd, *cwd.parents):
        candidate = folder / settings.config.file
        if candidate.is_file():
            return candidate
        if folder == settings.root:
            break
    raise LedgerFileError(
        f"no {settings.config.file} found from {cwd} up to {settings.root}",
        hint="pass --file PATH, or run `ledger init` to create one",
    )


def _guarded(root: Path, relative: str, what: str, config_path: Path | None) -> Path:
    from .errors import PathOutsideRoot
    from .fileio import inside

    try:
        return inside(root, relative, what=f"the configured {what}")
    except PathOutsideRoot as exc:
        raise ConfigError(f"{config_path or CONFIG_NAME}: {exc.message}") from None
