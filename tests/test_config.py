"""`.ledger.yaml`: strict keys, values validated when read, precedence, where the ledger is."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledger.cli._app import build_app
from ledger.config import (
    Config,
    KeepAttempts,
    find_config,
    load_settings,
    locate_ledger,
    read_config,
    validate,
)
from ledger.errors import ConfigError, LedgerFileError, UsageError
from ledger.vocab import AttemptDialect, Severity


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path):
    settings = load_settings(tmp_path)
    assert settings.config == Config()
    assert settings.config_path is None
    assert settings.file_keys == frozenset()


def test_unknown_key_is_an_error(tmp_path):
    path = write(tmp_path / ".ledger.yaml", "fiel: docs/plan.md\n")
    with pytest.raises(ConfigError, match="fiel"):
        read_config(path)


def test_unknown_nested_key_and_bad_value_are_errors(tmp_path):
    with pytest.raises(ConfigError, match=r"check\.max_byte"):
        read_config(write(tmp_path / "a.yaml", "check:\n  max_byte: 3\n"))
    with pytest.raises(ConfigError, match="max_bytes"):
        read_config(write(tmp_path / "b.yaml", "check:\n  max_bytes: lots\n"))


def test_invalid_yaml_and_non_mapping_are_errors(tmp_path):
    with pytest.raises(ConfigError, match="not valid YAML"):
        read_config(write(tmp_path / "a.yaml", "file: [unclosed\n"))
    with pytest.raises(ConfigError, match="mapping"):
        read_config(write(tmp_path / "b.yaml", "- a\n- b\n"))


def test_config_file_sets_the_ledger_path_relative_to_itself(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".ledger.yaml", "file: plans/ledger.md\n")
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert locate_ledger(settings) == tmp_path / "plans" / "ledger.md"
    assert settings.file_keys == {"file"}
    assert locate_ledger(settings, Path("x.md")) == Path("x.md")  # --file wins


def test_config_search_stops_at_the_repository_root(tmp_path):
    write(tmp_path / ".ledger.yaml", "file: outside.md\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert find_config(repo) is None


def test_ledger_search_stops_at_the_repository_root(tmp_path, monkeypatch):
    write(tmp_path / "docs" / "fix_plan.md", "# outside the repository\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    monkeypatch.chdir(repo)
    with pytest.raises(LedgerFileError):
        locate_ledger(load_settings())


def test_cli_reports_a_bad_config_with_exit_2(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".ledger.yaml", "colour: blue\n")
    write(tmp_path / "docs" / "fix_plan.md", "## [A-1] x\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(build_app(), ["status", "--no-git"])
    assert result.exit_code == 2
    assert "colour" in result.stderr


# --- values are validated when the file is read ------------------------------------------------


@pytest.mark.parametrize(
    "yaml, key",
    [
        ("dwell:\n  tiers: [7, 5, 3]\n", "dwell.tiers"),
        ("dwell:\n  tiers: [2, 4]\n", "dwell.tiers"),
        ("dwell:\n  tiers: [0, 2, 4]\n", "dwell.tiers"),
        ("dwell:\n  tiers: [2, 2, 4]\n", "dwell.tiers"),
        ("dwell:\n  supervisor: '(unclosed'\n", "dwell.supervisor"),
        ("dwell:\n  bookkeeping: '[SYNC'\n", "dwell.bookkeeping"),
        ("dwell:\n  parked: [waiting]\n", "dwell.parked"),
        ("dwell:\n  parked: [blocked, done]\n", "dwell.parked"),
        ("dwell:\n  parked: blocked\n", "dwell.parked"),
        ("dwell:\n  stuck_after: 0\n", "dwell.stuck_after"),
        ("dwell:\n  stuck_after: three\n", "dwell.stuck_after"),
        ("attempts:\n  default_dialect: cursive\n", "attempts.default_dialect"),
        ("attempts:\n  default_dialect: attempt_heading\n", "attempts.default_dialect"),
        ("attempts:\n  timestamp_format: '%d/%m/%Y'\n", "attempts.timestamp_format"),
        ("attempts:\n  timestamp_format: '%Y-%d-%m'\n", "attempts.timestamp_format"),
        ("attempts:\n  timestamp_format: 'today'\n", "attempts.timestamp_format"),
        ("archive:\n  keep_attempts: middle\n", "archive.keep_attempts"),
        ("archive:\n  keep_attempts: -1\n", "archive.keep_attempts"),
        ("check:\n  severity: {LDG101: fatal}\n", "check.severity"),
        ("check:\n  statuses: [pending, in progress]\n", "check.statuses"),
        ("check:\n  statuses: []\n", "check.statuses"),
        ("check:\n  max_bytes: 0\n", "check.max_bytes"),
        ("check:\n  select: LDG1\n", "check.select"),
        ("file: ''\n", "file"),
    ],
)
def test_bad_values_are_refused_when_the_file_is_read(tmp_path, yaml, key):
    path = write(tmp_path / ".ledger.yaml", yaml)
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {key}: ")
    assert "\n" not in message


def test_every_bad_key_is_named_in_one_line(tmp_path):
    path = write(tmp_path / ".ledger.yaml", "dwell:\n  tiers: [3]\ncheck:\n  max_byte: 1\n")
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    message = str(caught.value)
    assert "dwell.tiers: " in message and "check.max_byte: unknown option" in message
    assert "did you mean max_bytes?" in message and "\n" not in message


def test_values_are_read_into_their_types():
    config = validate(
        {
            "attempts": {"default_dialect": "Numbered", "timestamp_format": "%Y-%m-%dT%H%MZ"},
            "check": {"severity": {"LDG2": "Info"}, "statuses": ["Done", "wip"]},
            "dwell": {"supervisor": "^galph:", "tiers": [3, 5, 7]},
            "archive": {"keep_attempts": 3},
        }
    )
    assert config.attempts.default_dialect is AttemptDialect.numbered
    assert config.attempts.timestamp_format == "%Y-%m-%dT%H%MZ"
    assert config.check.severity == {"LDG2": Severity.info}
    assert config.check.statuses == ("done", "wip")
    assert config.dwell.supervisor.search("galph: plan")
    assert config.dwell.tiers == (3, 5, 7)
    assert config.archive.keep_attempts == KeepAttempts(first=False, last=False, recent=3)


def test_the_defaults_are_valid_values():
    assert validate({}) == Config()
    assert validate({"attempts": {"default_dialect": "AUTO", "timestamp_format": "auto"}}) == (
        Config()
    )
    assert isinstance(Config().dwell.bookkeeping, re.Pattern)


@pytest.mark.parametrize("fmt", ["%Y-%m-%d", "%Y-%m-%dT%H:%MZ", "%Y-%m-%dT%H%M%SZ"])
def test_timestamp_formats_that_read_back_are_accepted(fmt):
    assert validate({"attempts": {"timestamp_format": fmt}}).attempts.timestamp_format == fmt


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("first,last", (True, True, 0)),
        ("3", (False, False, 3)),
        ("first, 2", (True, False, 2)),
        ("none", (False, False, 0)),
    ],
)
def test_keep_attempts_specs(spec, expected):
    got = KeepAttempts.parse(spec)
    assert (got.first, got.last, got.recent) == expected
    assert KeepAttempts.parse(str(got)) == got


@pytest.mark.parametrize("spec", ["", "middle", "first,-1"])
def test_bad_keep_attempts_specs_are_usage_errors(spec):
    with pytest.raises(UsageError, match="--keep-attempts"):
        KeepAttempts.parse(spec)


def test_cli_refuses_a_bad_value_in_the_file_with_exit_2(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".ledger.yaml", "dwell:\n  tiers: [7, 5, 3]\n")
    write(tmp_path / "docs" / "fix_plan.md", "## [A-1] x\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(build_app(), ["status"])
    assert result.exit_code == 2
    assert "dwell.tiers: must be three increasing positive numbers" in result.stderr


# --- start-up cost --------------------------------------------------------------------------------

# Runs `ledger status --no-git` and prints which of ledger's own modules import pydantic or
# ruamel (every import statement is seen, also of modules another library imported first).
PROBE = """
import builtins, json, sys
from ledger.cli._app import run

seen, original = set(), builtins.__import__

def probe(name, globals=None, locals=None, fromlist=(), level=0):
    importer = (globals or {}).get("__name__", "")
    if level == 0 and name.split(".")[0] in ("pydantic", "pydantic_core", "ruamel"):
        if importer.startswith("ledger"):
            seen.add(name.split(".")[0] + " by " + importer)
    return original(name, globals, locals, fromlist, level)

builtins.__import__ = probe
rc = run(["status", "--no-git"])
print(json.dumps({"rc": rc, "ledger_imports": sorted(seen), "ruamel": "ruamel.yaml" in sys.modules}))
"""


def _status_imports(folder: Path) -> dict:
    env = {**os.environ, "NO_COLOR": "1"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_status_without_a_config_file_imports_neither_pydantic_nor_ruamel(tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path / "docs" / "fix_plan.md", "## [A-1] x\n- Status: done\n")
    assert _status_imports(tmp_path) == {"rc": 0, "ledger_imports": [], "ruamel": False}
    write(tmp_path / ".ledger.yaml", "plans_dir: plans\n")  # the probe does see them
    found = _status_imports(tmp_path)
    assert "pydantic by ledger.config" in found["ledger_imports"]
    assert "ruamel by ledger.config" in found["ledger_imports"] and found["ruamel"]


def test_stuck_after_defaults_to_three_iterations_and_is_read_from_the_file(tmp_path):
    assert Config().dwell.stuck_after == 3
    path = write(tmp_path / ".ledger.yaml", "dwell:\n  stuck_after: 5\n")
    assert read_config(path).dwell.stuck_after == 5


def test_parked_statuses_are_read_as_statuses_in_the_words_ledgers_write(tmp_path):
    from ledger.vocab import DEFAULT_PARKED, Status

    assert Config().dwell.parked == DEFAULT_PARKED
    path = write(tmp_path / ".ledger.yaml", "dwell:\n  parked: [Blocked, on_hold, blocked]\n")
    assert read_config(path).dwell.parked == (Status.blocked, Status.paused)
    path = write(tmp_path / ".ledger.yaml", "dwell:\n  parked: []\n")
    assert read_config(path).dwell.parked == ()
