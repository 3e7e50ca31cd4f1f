"""`ledger init`, `ledger config show|set`: the options described, and `.ledger.yaml` written
without losing its comments.

The template is generated from `ledger.config.Config` itself (every option, its default and its
help line), so a new option can never be missing from it. Edits go through ruamel.yaml's
round-trip mode and change one value in place, so the comments a person wrote (or the template
put there) survive. The whole resulting file is validated (`ledger.config.validate`, and the
check rule codes against the rule registry) before anything is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime, timezone
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, get_origin, get_type_hints

from .config import CONFIG_NAME, Config, KeepAttempts, Section, Settings, validate
from .errors import ConfigError

HEADER = """\
# ledger configuration. Every option is listed with its default value and what it does.
# Edit values here or with `ledger config set KEY VALUE` (comments are kept);
# `ledger config show` prints the effective values and where each came from.
# Unknown keys are an error, so a typo never silently does nothing.
"""

FIX_PLAN_TEMPLATE = """\
# Fix Plan Ledger

**Last Updated:** {today}
**Active Focus:** EXAMPLE-001 — replace this example with the first real focus item

## [EXAMPLE-001] Example focus item
- Depends on: —
- Priority: Medium
- Status: pending
- Owner/Date: you/{today}
- Working Plan: `{plans_dir}/EXAMPLE-001/implementation.md`
- Return Condition: the exit criteria below are met and recorded in an attempt.
- Exit Criteria: describe what "done" means, quoting thresholds from the spec.
- Do Now (next): the one concrete next step for the next loop.
"""


# The starter ledger's one focus item (its Working Plan file is written with it).
EXAMPLE_ID = "EXAMPLE-001"
EXAMPLE_TITLE = "Example focus item"


@dataclass(frozen=True)
class InitResult:
    """What `ledger init` did with each file: created or left alone (it never overwrites). The
    example's plan file is written only with a new ledger (`plan_path` None otherwise)."""

    config_path: Path
    config_written: bool
    ledger_path: Path
    ledger_written: bool
    plan_path: Path | None = None
    plan_written: bool = False


# --- describing the options -------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One option: its dotted key, its type (without the rule), its default and help line."""

    key: str
    type: Any
    default: Any
    help: str


@cache
def options() -> tuple[Option, ...]:
    """Every option of `Config`, in declaration order (`file`, ..., `dwell.tiers`, ...)."""
    out: list[Option] = []

    def walk(cls: type, instance: Any, prefix: str) -> None:
        hints = get_type_hints(cls)
        for f in fields(cls):
            value = getattr(instance, f.name)
            if isinstance(value, Section):
                walk(type(value), value, f"{prefix}{f.name}.")
            else:
                out.append(Option(prefix + f.name, hints[f.name], value, f.metadata["help"]))

    walk(Config, Config(), "")
    return tuple(out)


def option_keys() -> list[str]:
    """Every dotted option key, in declaration order."""
    return [o.key for o in options()]


def option(key: str) -> Option:
    """The option named by a dotted key; a `ConfigError` suggesting the closest keys otherwise."""
    for known in options():
        if known.key == key:
            return known
    import difflib

    close = difflib.get_close_matches(key, option_keys(), n=3, cutoff=0.5)
    raise ConfigError(
        f"unknown configuration key {key!r}",
        hint=f"did you mean {', '.join(close)}?"
        if close
        else "`ledger config show` lists every key",
    )


def lookup(config: Config, key: str) -> Any:
    """The value of a dotted option key in `config`."""
    value: Any = config
    for part in key.split("."):
        value = getattr(value, part)
    return value


def plain(value: Any) -> Any:
    """An option value as YAML/JSON data: patterns as their text, `KeepAttempts` as `first,last`,
    enums as their words, tuples as lists, sections as mappings."""
    if isinstance(value, KeepAttempts):
        return str(value)
    if isinstance(value, re.Pattern):
        return value.pattern
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


# --- the template -------------------------------------------------------------------------------


def config_template() -> str:
    """`.ledger.yaml` text: every option of `Config` with its default and help line."""
    lines = [HEADER.rstrip("\n")]
    _emit_section(Config(), lines, indent="")
    return "\n".join(lines) + "\n"


def _emit_section(section: Any, lines: list[str], indent: str) -> None:
    for i, f in enumerate(fields(section)):
        value = getattr(section, f.name)
        if i or not indent:  # no blank line right under a section's own key
            lines.append("")
        if isinstance(value, Section):
            doc = (type(value).__doc__ or "").strip().splitlines()
            lines.append(f"{indent}# {doc[0] if doc else f.name}")
            lines.append(f"{indent}{f.name}:")
            _emit_section(value, lines, indent + "  ")
            continue
        lines.append(f"{indent}# {f.metadata['help']}")
        lines.append(f"{indent}{f.name}: {_yaml_value(plain(value))}")


def _yaml_value(value: Any) -> str:
    """A YAML flow value. JSON is valid YAML, and a double-quoted scalar keeps regexes exact."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def fix_plan_template(today: str, plans_dir: str = "plans/active") -> str:
    """A starter `docs/fix_plan.md` with a header and one example focus item."""
    return FIX_PLAN_TEMPLATE.format(today=today, plans_dir=plans_dir.rstrip("/"))


def init_project(
    root: Path,
    ledger_relative: str,
    today: str,
    force: bool = False,
    plans_dir: str = "plans/active",
) -> InitResult:
    """Write `.ledger.yaml` and the ledger under `root` when they do not exist yet; a new
    ledger comes with its example's Working Plan file, so it passes `ledger check` at once."""
    from .edit.focus import plan_files, write_plan_files
    from .edit.result import NewFocus
    from .fileio import create_file, encode_text, inside, locked_update

    config_path = root / CONFIG_NAME
    ledger_path = inside(root, ledger_relative, what="the ledger path")
    template = config_template()
    if force:
        update = locked_update(config_path, lambda _old: template, missing_ok=True)
        config_written = update.written or update.before == template
    else:
        config_written = create_file(config_path, template.encode("utf-8"))
    # Checked before the ledger is written: a plans folder that cannot be written refuses first.
    plan = None if ledger_path.exists() else plan_files(root, EXAMPLE_ID, plans_dir)["Working Plan"]
    ledger_written = create_file(
        ledger_path, encode_text(fix_plan_template(today, plans_dir)), create_folders=True
    )
    if not ledger_written or plan is None:
        return InitResult(config_path, config_written, ledger_path, ledger_written)
    example = NewFocus(EXAMPLE_ID, EXAMPLE_TITLE)
    now = datetime.fromisoformat(today).replace(tzinfo=timezone.utc)
    plan_written = bool(write_plan_files({"Working Plan": plan}, example, now))
    return InitResult(config_path, config_written, ledger_path, True, plan, plan_written)


# --- config set ---------------------------------------------------------------------------------


def parse_value(key: str, raw: str) -> Any:
    """Turn the command-line text into a value for the option (validated later, with the whole
    file): text as is, lists as `a,b,c` (or YAML), the rest as YAML."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    kind = option(key).type
    base = get_origin(kind) or kind  # `re.Pattern[str]` -> `re.Pattern`
    if base in _TEXT_TYPES:
        return raw
    if base is tuple and not raw.lstrip().startswith("["):
        # `a,b,c` is friendlier on a command line than a YAML list.
        return [part.strip() for part in raw.split(",") if part.strip()]
    try:
        return YAML(typ="safe").load(raw)
    except YAMLError:
        raise ConfigError(f"{key}: cannot read {raw!r} as a value") from None


# Options whose command-line text is the value as the file holds it (`archive.keep_attempts 3`
# stays the text "3", a regular expression is never read as YAML).
_TEXT_TYPES = (str, re.Pattern, KeepAttempts)


def set_option(path: Path, key: str, raw: str) -> tuple[Any, Any]:
    """Set one option in `path` (created if missing), keeping comments; returns (old, new) as
    the file holds them.

    The whole resulting file is validated before anything is written, under the repository
    lock like every other write, and the value is written in its normal form (`Numbered` as
    `numbered`, `3,5,7` as a list of numbers)."""
    from .fileio import locked_update

    value = parse_value(key, raw)
    changed: list[tuple[Any, Any]] = []

    def change(text: str | None) -> str:
        old, new, new_text = _set_in_text(path, text or "", key, value)
        changed[:] = [(old, new)]
        return new_text

    locked_update(path, change, missing_ok=True)
    return changed[0]


def _set_in_text(path: Path, text: str, key: str, value: Any) -> tuple[Any, Any, str]:
    """The old and new values of `key` and the new file text (validated as a whole)."""
    from io import StringIO

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    yaml = YAML()  # round-trip: comments, order and quoting survive
    yaml.preserve_quotes = True
    yaml.width = 4096
    try:
        doc = yaml.load(text) if text.strip() else None
    except YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if doc is None:
        doc = CommentedMap()
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of options")
    *sections, name = key.split(".")
    # The old value as it was in effect: the file's, or the default when the file lacks it.
    try:
        old = plain(lookup(validate(_plain(doc), path), key))
    except ConfigError:  # the file is already invalid; the check below reports what is wrong
        old = _plain(doc)
        for part in key.split("."):
            old = old.get(part) if isinstance(old, dict) else None
    data = _plain(doc)
    _get(data, sections)[name] = value
    config = validate(data, path)
    if key.startswith("check."):
        _check_rule_codes(config, path)
    new = plain(lookup(config, key))
    node = doc
    for part in sections:
        if not isinstance(node.get(part), dict):
            node[part] = CommentedMap()
        node = node[part]
    _assign(node, name, new)
    out = StringIO()
    yaml.dump(doc, out)
    return old, new, out.getvalue()


def _get(data: Any, sections: list[str]) -> Any:
    """The mapping a dotted key's sections lead to (created in plain data when missing)."""
    for part in sections:
        if not isinstance(data.get(part), dict):
            data[part] = {}
        data = data[part]
    return data


def _check_rule_codes(config: Config, path: Path) -> None:
    """`check.select`, `check.ignore` and `check.severity` name rules that exist (the rule
    registry is the one place that knows; `ledger check` asks it the same way)."""
    from .checks import resolve_severities, selected_rules

    try:
        selected_rules(config.check)
        resolve_severities(config.check)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc.message}", hint=exc.hint) from None


def _assign(node: Any, name: str, value: Any) -> None:
    """Replace a value in place so the comments attached to it (and after it) are kept."""
    from ruamel.yaml.comments import CommentedSeq

    current = node.get(name)
    if isinstance(current, CommentedSeq) and isinstance(value, list):
        # ruamel stores the comment above the *next* key on the last item of a sequence;
        # editing the sequence in place keeps that comment where it was.
        del current[len(value) :]
        for i, item in enumerate(value):
            if i < len(current):
                current[i] = item
            else:
                current.append(item)
        return
    if isinstance(value, str) and current is not None and hasattr(current, "style"):
        # Keep the quoting style the file used for this scalar.
        value = (
            type(current)(value) if type(current).__name__.endswith("QuotedScalarString") else value
        )
    node[name] = value


def _plain(node: Any) -> Any:
    """ruamel's commented containers as plain dicts and lists."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def effective_values(settings: Settings) -> list[dict[str, Any]]:
    """`ledger config show` rows: key, value, where it came from (the file's path or `default`),
    and whether it is the default."""
    rows = []
    for known in options():
        value = plain(lookup(settings.config, known.key))
        from_file = settings.config_path is not None and known.key in settings.file_keys
        rows.append(
            {
                "key": known.key,
                "value": value,
                "source": str(settings.config_path) if from_file else "default",
                "default": value == plain(known.default),
            }
        )
    return rows
