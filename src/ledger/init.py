"""`ledger init` and `ledger config set`: writing `.ledger.yaml` without losing its comments.

The template is generated from `ledger.config.Config` itself (every field, its default and its
`description`), so a new option can never be missing from it. Edits go through ruamel.yaml's
round-trip mode and change one value in place, so the comments a person wrote (or the template
put there) survive. Values are validated against the model before anything is written.
"""

from __future__ import annotations

import json
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .config import CONFIG_NAME, Config
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
- Working Plan: `plans/active/EXAMPLE-001/implementation.md`
- Return Condition: the exit criteria below are met and recorded in an attempt.
- Exit Criteria: describe what "done" means, quoting thresholds from the spec.
- Do Now (next): the one concrete next step for the next loop.
"""


@dataclass(frozen=True)
class InitResult:
    """What `ledger init` did with each file: created or left alone (it never overwrites)."""

    config_path: Path
    config_written: bool
    ledger_path: Path
    ledger_written: bool


# --- the template -------------------------------------------------------------------------------


def config_template() -> str:
    """`.ledger.yaml` text: every option of `Config` with its default and description."""
    lines = [HEADER.rstrip("\n")]
    _emit_model(Config(), lines, indent="")
    return "\n".join(lines) + "\n"


def _emit_model(model: BaseModel, lines: list[str], indent: str) -> None:
    for i, (name, info) in enumerate(type(model).model_fields.items()):
        value = getattr(model, name)
        if i or not indent:  # no blank line right under a section's own key
            lines.append("")
        if isinstance(value, BaseModel):
            doc = (type(value).__doc__ or "").strip().splitlines()
            lines.append(f"{indent}# {doc[0] if doc else name}")
            lines.append(f"{indent}{name}:")
            _emit_model(value, lines, indent + "  ")
            continue
        if info.description:
            lines.append(f"{indent}# {info.description}")
        lines.append(f"{indent}{name}: {_yaml_value(value)}")


def _yaml_value(value: Any) -> str:
    """A YAML flow value. JSON is valid YAML, and a double-quoted scalar keeps regexes exact."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def fix_plan_template(today: str) -> str:
    """A starter `docs/fix_plan.md` with a header and one example focus item."""
    return FIX_PLAN_TEMPLATE.format(today=today)


def init_project(root: Path, ledger_relative: str, today: str, force: bool = False) -> InitResult:
    """Write `.ledger.yaml` and the ledger under `root` when they do not exist yet."""
    from .fileio import create_file, encode_text, inside, locked_update

    config_path = root / CONFIG_NAME
    ledger_path = inside(root, ledger_relative, what="the ledger path")
    template = config_template()
    if force:
        update = locked_update(config_path, lambda _old: template, missing_ok=True)
        config_written = update.written or update.before == template
    else:
        config_written = create_file(config_path, template.encode("utf-8"))
    ledger_written = create_file(
        ledger_path, encode_text(fix_plan_template(today)), create_folders=True
    )
    return InitResult(config_path, config_written, ledger_path, ledger_written)


# --- config set ---------------------------------------------------------------------------------


def option_keys(model: type[BaseModel] = Config, prefix: str = "") -> list[str]:
    """Every dotted option key (`file`, `dwell.tiers`, ...), in model order."""
    keys = []
    for name, info in model.model_fields.items():
        sub = info.annotation
        if isinstance(sub, type) and issubclass(sub, BaseModel):
            keys += option_keys(sub, f"{prefix}{name}.")
        else:
            keys.append(prefix + name)
    return keys


def _field_info(key: str):
    model: type[BaseModel] = Config
    parts = key.split(".")
    for i, part in enumerate(parts):
        info = model.model_fields.get(part)
        if info is None:
            break
        sub = info.annotation
        if i == len(parts) - 1:
            if isinstance(sub, type) and issubclass(sub, BaseModel):
                break  # a section, not an option
            return info
        if not (isinstance(sub, type) and issubclass(sub, BaseModel)):
            break
        model = sub
    import difflib

    close = difflib.get_close_matches(key, option_keys(), n=3, cutoff=0.5)
    raise ConfigError(
        f"unknown configuration key {key!r}",
        hint=f"did you mean {', '.join(close)}?"
        if close
        else "`ledger config show` lists every key",
    )


def parse_value(key: str, raw: str) -> Any:
    """Turn the command-line text into a value of the option's type (not yet validated)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    info = _field_info(key)
    annotation = info.annotation
    origin = typing.get_origin(annotation)
    if annotation is str:
        return raw
    if origin is list and not raw.lstrip().startswith("["):
        # `a,b,c` is friendlier on a command line than a YAML list.
        items = [part.strip() for part in raw.split(",") if part.strip()]
        args = typing.get_args(annotation)
        if args and args[0] is int:
            try:
                return [int(i) for i in items]
            except ValueError:
                raise ConfigError(f"{key}: expected a list of integers, got {raw!r}") from None
        return items
    try:
        return YAML(typ="safe").load(raw)
    except YAMLError:
        raise ConfigError(f"{key}: cannot read {raw!r} as a value") from None


def set_option(path: Path, key: str, raw: str) -> tuple[Any, Any]:
    """Set one option in `path` (created if missing), keeping comments; returns (old, new).

    The whole resulting file is validated before anything is written, under the repository
    lock like every other write."""
    from .fileio import locked_update

    value = parse_value(key, raw)
    olds: list[Any] = []

    def change(text: str | None) -> str:
        old, new_text = _set_in_text(path, text or "", key, value)
        olds[:] = [old]
        return new_text

    locked_update(path, change, missing_ok=True)
    return olds[0], value


def _set_in_text(path: Path, text: str, key: str, value: Any) -> tuple[Any, str]:
    """The old effective value of `key` and the new file text (validated as a whole)."""
    from io import StringIO

    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML()  # round-trip: comments, order and quoting survive
    yaml.preserve_quotes = True
    yaml.width = 4096
    try:
        doc = yaml.load(text) if text.strip() else None
    except YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if doc is None:
        from ruamel.yaml.comments import CommentedMap

        doc = CommentedMap()
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of options")
    parts = key.split(".")
    node = doc
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            from ruamel.yaml.comments import CommentedMap

            node[part] = CommentedMap()
        node = node[part]
    # The old value as it was in effect: the file's, or the default when the file lacks it.
    try:
        effective = Config.model_validate(_plain(doc) or {}).model_dump(mode="json")
        old_plain = _lookup(effective, parts)
    except ValidationError:  # the file is already invalid; the check below reports it
        old_plain = _plain(node.get(parts[-1]))
    _assign(node, parts[-1], value)
    _validate(path, _plain(doc))
    out = StringIO()
    yaml.dump(doc, out)
    return old_plain, out.getvalue()


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


def _lookup(data: dict[str, Any], parts: list[str]) -> Any:
    for part in parts:
        data = data[part]
    return data


def _validate(path: Path, data: Any) -> None:
    try:
        Config.model_validate(data or {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"{path}: {problems}") from None


def _plain(node: Any) -> Any:
    """ruamel's commented containers as plain dicts and lists."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def effective_values(config: Config, sources: dict[str, str]) -> list[dict[str, Any]]:
    """`ledger config show` rows: key, value, where it came from, and whether it is the default."""
    defaults = _flatten(Config().model_dump(mode="json"))
    values = _flatten(config.model_dump(mode="json"))
    return [
        {
            "key": key,
            "value": values.get(key),
            "source": sources.get(key, "default"),
            "default": values.get(key) == defaults.get(key),
        }
        for key in option_keys()
    ]


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and f"{prefix}{key}" not in option_keys():
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def describe(key: str) -> str | None:
    """The option's description from the model (for `config show` and errors)."""
    return _field_info(key).description
