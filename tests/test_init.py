"""`ledger init`, `ledger config show`, `ledger config set`."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from typer.testing import CliRunner

from ledger import loads
from ledger.cli._app import build_app
from ledger.config import Config, read_config, validate
from ledger.errors import ConfigError
from ledger.init import config_template, option, option_keys, set_option


@pytest.fixture
def repo(tmp_path, monkeypatch):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "src").mkdir()
    monkeypatch.chdir(tmp_path / "src")  # commands work from anywhere inside the repository
    return tmp_path


def run(*args: str):
    result = CliRunner().invoke(build_app(), list(args), catch_exceptions=False)
    return result


def comments(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip().startswith("#")]


# --- the template -----------------------------------------------------------------------------


def test_template_lists_every_option_of_the_model_with_its_description():
    text = config_template()
    assert read_config_text(text) == Config()
    lines = text.splitlines()
    for key in option_keys():
        name = key.split(".")[-1]
        indent = "  " * key.count(".")
        idx = next(i for i, ln in enumerate(lines) if ln.startswith(f"{indent}{name}:"))
        assert lines[idx - 1].strip() == f"# {option(key).help}", key


def read_config_text(text: str) -> Config:
    from ruamel.yaml import YAML

    return validate(YAML(typ="safe").load(text))


def test_option_keys_are_dotted_leaves():
    keys = option_keys()
    assert "file" in keys and "dwell.tiers" in keys and "check.max_bytes" in keys
    assert "dwell" not in keys


# --- ledger init ------------------------------------------------------------------------------


def test_init_writes_config_and_a_starter_ledger_at_the_repository_root(repo):
    result = run("init")
    assert result.exit_code == 0, result.output
    config = repo / ".ledger.yaml"
    ledger_file = repo / "docs" / "fix_plan.md"
    assert f"wrote {config}" in result.output and f"wrote {ledger_file}" in result.output
    assert read_config(config) == Config()
    parsed = loads(ledger_file.read_text(encoding="utf-8"))
    assert [f.id for f in parsed.focus_items] == ["EXAMPLE-001"]
    assert parsed.header.active_focus_id == "EXAMPLE-001"
    plan = repo / "plans" / "active" / "EXAMPLE-001" / "implementation.md"
    assert f"wrote {plan}" in result.output and "EXAMPLE-001" in plan.read_text()
    assert sorted(p.name for p in repo.iterdir()) == [
        ".git",
        ".ledger.yaml",
        "docs",
        "plans",
        "src",
    ]


def test_the_starter_ledger_passes_ledger_check_at_once(repo):
    assert run("init").exit_code == 0
    checked = run("check")
    assert checked.exit_code == 0, checked.output
    assert "LDG" not in checked.output


def test_init_puts_the_example_plan_in_the_configured_plans_folder(repo):
    (repo / ".ledger.yaml").write_text("plans_dir: work/plans\n")
    assert run("init").exit_code == 0
    text = (repo / "docs" / "fix_plan.md").read_text()
    assert "- Working Plan: `work/plans/EXAMPLE-001/implementation.md`" in text
    assert (repo / "work" / "plans" / "EXAMPLE-001" / "implementation.md").is_file()
    assert run("check").exit_code == 0


def test_init_leaves_existing_files_alone_unless_forced(repo):
    (repo / "docs").mkdir()
    (repo / "docs" / "fix_plan.md").write_text("# mine\n")
    (repo / ".ledger.yaml").write_text("plans_dir: mine\n")
    result = run("init")
    assert result.exit_code == 0
    assert result.output.count("exists, left alone") == 2
    assert (repo / "docs" / "fix_plan.md").read_text() == "# mine\n"
    assert (repo / ".ledger.yaml").read_text() == "plans_dir: mine\n"
    run("init", "--force")
    assert (repo / ".ledger.yaml").read_text() == config_template()
    assert (repo / "docs" / "fix_plan.md").read_text() == "# mine\n"  # the ledger: never


def test_help_lists_init_and_config():
    out = run("--help").stdout
    assert "  init " in out and "  config " in out
    assert "show" in run("config", "--help").stdout


def test_next_works_on_the_starter_ledger(repo):
    run("init")
    result = run("next", "--no-git", "--json")
    assert json.loads(result.stdout)["next"] == "EXAMPLE-001"


# --- config set -------------------------------------------------------------------------------


def test_config_set_changes_one_value_and_keeps_every_comment(repo):
    run("init")
    path = repo / ".ledger.yaml"
    before = path.read_text()
    result = run("config", "set", "dwell.tiers", "3,5,7")
    assert result.exit_code == 0, result.output
    assert "dwell.tiers: [2, 4, 6] -> [3, 5, 7]" in result.output
    run("config", "set", "check.max_bytes", "70000")
    run("config", "set", "attempts.default_dialect", "numbered")
    run("config", "set", "check.findings_files", "[docs/findings.md, docs/more.md]")
    after = path.read_text()
    assert comments(after) == comments(before)
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(changed) == 4 and len(before.splitlines()) == len(after.splitlines())
    config = read_config(path)
    assert config.dwell.tiers == (3, 5, 7)
    assert config.check.max_bytes == 70000
    assert config.attempts.default_dialect == "numbered"
    assert config.check.findings_files == ("docs/findings.md", "docs/more.md")


def test_config_set_keeps_comments_a_person_wrote(repo):
    path = repo / ".ledger.yaml"
    path.write_text(
        "# my team's settings\nfile: docs/plan.md  # moved in 2025\n\ndwell:\n  # stricter\n  tiers: [1, 2, 3]\n"
    )
    run("config", "set", "dwell.tiers", "2,4,6")
    run("config", "set", "file", "docs/fix_plan.md")
    text = path.read_text()
    assert "# my team's settings" in text and "# moved in 2025" in text and "# stricter" in text
    assert read_config(path).file == "docs/fix_plan.md"


def test_config_set_unknown_key_is_exit_2_with_a_suggestion(repo):
    run("init")
    before = (repo / ".ledger.yaml").read_text()
    result = run("config", "set", "dwell.tier", "2,4,6")
    assert result.exit_code == 2
    assert "unknown configuration key 'dwell.tier'" in result.output
    assert "dwell.tiers" in result.output
    assert run("config", "set", "dwell", "x").exit_code == 2  # a section, not an option
    assert (repo / ".ledger.yaml").read_text() == before


def test_config_set_bad_value_is_exit_2_and_writes_nothing(repo):
    run("init")
    before = (repo / ".ledger.yaml").read_text()
    result = run("config", "set", "check.max_bytes", "lots")
    assert result.exit_code == 2
    assert "max_bytes" in result.output
    assert run("config", "set", "dwell.tiers", "a,b").exit_code == 2
    assert (repo / ".ledger.yaml").read_text() == before


@pytest.mark.parametrize(
    "key, value",
    [
        ("dwell.tiers", "7,5,3"),
        ("dwell.tiers", "2,4"),
        ("dwell.supervisor", "(unclosed"),
        ("attempts.default_dialect", "cursive"),
        ("attempts.default_dialect", "attempt_heading"),
        ("attempts.timestamp_format", "%d/%m/%Y"),
        ("archive.keep_attempts", "middle"),
        ("check.severity", "{LDG101: fatal}"),
        ("check.statuses", "pending,in progress"),
        ("check.max_lines", "0"),
        ("file", ""),
    ],
)
def test_config_set_refuses_every_bad_value_in_one_line_and_writes_nothing(repo, key, value):
    run("init")
    path = repo / ".ledger.yaml"
    before = path.read_text()
    result = run("config", "set", key, value)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ledger: error: {path}: {key}: ")
    assert len(result.stderr.splitlines()) == 1
    assert path.read_text() == before


@pytest.mark.parametrize(
    "key, value",
    [("check.select", "LDG999"), ("check.ignore", "E501"), ("check.severity", "{LDG999: info}")],
)
def test_config_set_refuses_rule_codes_the_checks_do_not_have(repo, key, value):
    run("init")
    before = (repo / ".ledger.yaml").read_text()
    result = run("config", "set", key, value)
    assert result.exit_code == 2
    assert "unknown rule code or prefix" in result.stderr
    assert (repo / ".ledger.yaml").read_text() == before


def test_config_set_writes_the_value_in_its_normal_form(repo):
    run("init")
    result = run("config", "set", "attempts.default_dialect", "Numbered")
    assert "attempts.default_dialect: auto -> numbered" in result.output
    assert 'default_dialect: "numbered"' in (repo / ".ledger.yaml").read_text()
    run("config", "set", "check.severity", "{LDG2: Info}")
    assert read_config(repo / ".ledger.yaml").check.severity == {"LDG2": "info"}


def test_config_set_keeps_a_regular_expression_as_typed(repo):
    run("init")
    result = run("config", "set", "dwell.supervisor", "[Gg]alph: {plan}")
    assert result.exit_code == 0, result.output
    assert read_config(repo / ".ledger.yaml").dwell.supervisor.pattern == "[Gg]alph: {plan}"


def test_a_bad_tiers_value_never_reaches_status(repo):
    run("init")
    assert run("config", "set", "dwell.tiers", "7,5,3").exit_code == 2
    (repo / ".ledger.yaml").write_text("dwell:\n  tiers: [7, 5, 3]\n")  # written by hand
    result = run("status")
    assert result.exit_code == 2 and "dwell.tiers" in result.stderr


def test_config_set_without_a_file_creates_one_at_the_root(repo):
    result = run("config", "set", "plans_dir", "plans/live")
    assert result.exit_code == 0, result.output
    assert read_config(repo / ".ledger.yaml").plans_dir == "plans/live"


def test_set_option_keeps_string_values_as_strings(tmp_path):
    path = tmp_path / ".ledger.yaml"
    path.write_text(config_template())
    assert set_option(path, "archive.keep_attempts", "3") == ("first,last", "3")
    assert 'keep_attempts: "3"' in path.read_text()
    assert str(read_config(path).archive.keep_attempts) == "3"
    with pytest.raises(ConfigError):
        set_option(path, "nope", "1")


# --- config show ------------------------------------------------------------------------------


def test_config_show_says_where_each_value_came_from(repo):
    (repo / ".ledger.yaml").write_text("plans_dir: plans/live\ndwell:\n  tiers: [3, 5, 7]\n")
    data = json.loads(run("config", "show", "--json").stdout)
    rows = {r["key"]: r for r in data["options"]}
    assert set(rows) == set(option_keys())
    assert rows["plans_dir"] == {
        "key": "plans_dir",
        "value": "plans/live",
        "source": str(repo / ".ledger.yaml"),
        "default": False,
    }
    assert rows["dwell.tiers"]["value"] == [3, 5, 7]
    assert rows["file"]["source"] == "default" and rows["file"]["default"] is True
    assert data["config_path"] == str(repo / ".ledger.yaml")


def test_config_show_table_without_a_file(repo):
    result = run("config", "show")
    assert result.exit_code == 0
    assert re.search(r"^dwell\.tiers\s+\[2, 4, 6\]\s+default\s*$", result.stdout, re.MULTILINE)
    assert "none (all defaults)" in result.stdout


def test_config_set_reports_the_default_as_the_old_value_when_the_file_lacks_the_key(repo):
    (repo / ".ledger.yaml").write_text("# only a comment\nplans_dir: plans/x\n")
    result = run("config", "set", "check.max_lines", "2000")
    assert "check.max_lines: 1000 -> 2000" in result.output
    assert read_config(repo / ".ledger.yaml").check.max_lines == 2000
    assert "# only a comment" in (repo / ".ledger.yaml").read_text()


def test_config_set_on_a_non_mapping_file_is_a_config_error(repo):
    (repo / ".ledger.yaml").write_text("- a\n- b\n")
    assert run("config", "set", "file", "x.md").exit_code == 2
