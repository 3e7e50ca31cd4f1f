"""Configuration: `.ledger.yaml`, read with ruamel.yaml into a strict pydantic model.

Precedence is resolved here and nowhere else: command-line options > `.ledger.yaml` > defaults.
The file is looked for from the current directory up to the repository root (the first folder
holding `.git`); unknown keys are an error, so a typo never silently does nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ConfigError, LedgerFileError

CONFIG_NAME = ".ledger.yaml"
DEFAULT_LEDGER = "docs/fix_plan.md"
DEFAULT_ARCHIVE = "docs/fix_plan_archive.md"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class AttemptsConfig(_Strict):
    """How new attempts are written when a focus has none yet."""

    default_dialect: str = Field(
        "auto",
        description="dialect for a focus with no attempts: auto (the one the rest of the ledger "
        "uses, else latest) | latest | numbered | dated | italic | heading",
    )
    timestamp_format: str = Field(
        "auto",
        description="strftime format for new timestamps when the focus has none to copy: auto "
        "(the ledger's own, else %Y-%m-%dT%H%M%SZ) or a format",
    )


class CheckConfig(_Strict):
    """`ledger check` rules."""

    select: list[str] = Field(default_factory=list, description="only these codes (empty: all)")
    ignore: list[str] = Field(default_factory=list, description="codes to skip")
    severity: dict[str, str] = Field(
        default_factory=dict, description="per-code severity override: error | warning | info"
    )
    statuses: list[str] = Field(
        default_factory=lambda: [
            "pending",
            "planning",
            "in_planning",
            "in_progress",
            "ready_for_implementation",
            "blocked",
            "blocked_escalation",
            "paused",
            "done",
            "archived",
            "superseded",
        ],
        description="the status vocabulary (first token of a Status value)",
    )
    max_bytes: int = Field(50_000, description="size above which an archive snapshot is suggested")
    max_lines: int = Field(1_000, description="line count above which an archive snapshot is suggested")
    findings_files: list[str] = Field(
        default_factory=lambda: ["docs/findings.md"],
        description="files where non-focus IDs (findings) are defined",
    )
    fix_trailing_whitespace: bool = Field(False, description="`ledger fix` strips trailing spaces")


class DwellConfig(_Strict):
    """The dwell rule (see docs/commands/dwell.md); defaults follow the tiered supervisor prompt."""

    bookkeeping: str = Field(r"^\[SYNC ", description="regex: commits ignored entirely")
    supervisor: str = Field(r"^SUPERVISOR\b", description="regex: supervisor commits")
    docs_only: list[str] = Field(
        default_factory=lambda: [
            "docs/**",
            "plans/**",
            "!plans/**/bin/**",
            "reports/**",
            "**/*.md",
            "galph_memory.md",
            "input.md",
            "sync/**",
        ],
        description="gitignore-style patterns of paths that are not implementation evidence",
    )
    tiers: list[int] = Field(default_factory=lambda: [2, 4, 6], description="dwell for tiers 1, 2, 3")
    cache: bool = Field(True, description="cache parsed ledger blobs under .git/ledger/")


class ArchiveConfig(_Strict):
    """Archive snapshots and compaction."""

    path: str = Field(DEFAULT_ARCHIVE, description="the append-only archive file")
    keep_fields: list[str] = Field(
        default_factory=lambda: [
            "Depends on",
            "Status",
            "Priority",
            "Owner/Date",
            "Exit Criteria",
            "Return Condition",
            "Return Conditions",
            "Working Plan",
        ],
        description="fields every live focus keeps when compacting",
    )
    keep_attempts: str = Field("first,last", description="attempts kept per focus: first,last or N")


class Config(_Strict):
    """The whole `.ledger.yaml`."""

    file: str = Field(DEFAULT_LEDGER, description="the ledger, relative to the repository root")
    plans_dir: str = Field("plans/active", description="where `ledger focus new` creates plan folders")
    attempts: AttemptsConfig = Field(default_factory=AttemptsConfig)
    check: CheckConfig = Field(default_factory=CheckConfig)
    dwell: DwellConfig = Field(default_factory=DwellConfig)
    archive: ArchiveConfig = Field(default_factory=ArchiveConfig)


class Settings(BaseModel):
    """The resolved configuration plus where it came from."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    config: Config
    root: Path  # repository root (or the start folder when not in a repository)
    config_path: Optional[Path] = None
    sources: dict[str, str] = Field(default_factory=dict)

    def resolve(self, relative: str, what: str = "path") -> Path:
        """A configured path, relative to the repository root; it must stay inside it (a
        `.ledger.yaml` is file content and must not send writes elsewhere)."""
        return _guarded(self.root, relative, what, self.config_path)


def find_root(start: Path) -> Optional[Path]:
    """The nearest folder at or above `start` holding `.git` (a repository root), or None."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def find_config(start: Path) -> Optional[Path]:
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


def read_config(path: Path) -> Config:
    """Parse one `.ledger.yaml`; unknown keys and bad values are `ConfigError`s."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data: Any = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of options")
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"{path}: {problems}") from None


def load_settings(start: Optional[Path] = None, config_path: Optional[Path] = None) -> Settings:
    """Find and read the configuration for work started in `start` (default: cwd)."""
    start = (start or Path.cwd()).resolve()
    path = config_path or find_config(start)
    config = read_config(path) if path else Config()
    root = find_root(start) or (path.parent if path else start)
    sources = _sources(path, config)
    return Settings(config=config, root=root, config_path=path, sources=sources)


def _sources(path: Optional[Path], config: Config) -> dict[str, str]:
    """For `ledger config show`: which keys the file set (everything else is a default)."""
    out: dict[str, str] = {}

    def walk(model: BaseModel, prefix: str) -> None:
        for name in type(model).model_fields:
            value = getattr(model, name)
            key = f"{prefix}{name}"
            if isinstance(value, BaseModel):
                walk(value, key + ".")
            else:
                out[key] = str(path) if name in model.model_fields_set and path else "default"

    walk(config, "")
    return out


def locate_ledger(settings: Settings, explicit: Optional[Path] = None) -> Path:
    """The ledger path: `--file` > config `file` > `docs/fix_plan.md` from cwd up to the root."""
    if explicit is not None:
        return explicit
    if settings.config_path is not None and "file" in settings.config.model_fields_set:
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


def _guarded(root: Path, relative: str, what: str, config_path: Optional[Path]) -> Path:
    from .errors import PathOutsideRoot
    from .fileio import inside

    try:
        return inside(root, relative, what=f"the configured {what}")
    except PathOutsideRoot as exc:
        raise ConfigError(f"{config_path or CONFIG_NAME}: {exc.message}") from None
