"""`.ledger.yaml`: strict keys, precedence, and where the ledger is looked for."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledger.cli._app import build_app
from ledger.config import Config, find_config, load_settings, locate_ledger, read_config
from ledger.errors import ConfigError, LedgerFileError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path):
    settings = load_settings(tmp_path)
    assert settings.config == Config()
    assert settings.config_path is None
    assert settings.sources["check.max_bytes"] == "default"


def test_unknown_key_is_an_error(tmp_path):
    path = write(tmp_path / ".ledger.yaml", "fiel: docs/plan.md\n")
    with pytest.raises(ConfigError, match="fiel"):
        read_config(path)


def test_unknown_nested_key_and_bad_value_are_errors(tmp_path):
    with pytest.raises(ConfigError, match="check.max_byte"):
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
    assert settings.sources["file"].endswith(".ledger.yaml")
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
