"""One option vocabulary across the command line: short flags, metavars, global options."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
import typer
from conftest import SEED
from typer.testing import CliRunner

from ledger.cli._app import build_app

runner = CliRunner()


def commands() -> Iterator[tuple[list[str], object]]:
    """Every command and group of the application, with its path of names."""

    def walk(command, path: list[str]):
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])

    yield from walk(typer.main.get_command(build_app()), [])


def options(command) -> Iterator:
    """The options of a command (not its arguments, not the help option)."""
    for param in command.params:
        if param.param_type_name == "option":
            yield param


def test_each_short_flag_means_one_thing_everywhere():
    meanings: dict[str, dict[str, list[str]]] = {}
    for path, command in commands():
        for option in options(command):
            longs = [o for o in (*option.opts, *option.secondary_opts) if o.startswith("--")]
            for short in (o for o in option.opts if re.fullmatch(r"-[A-Za-z]", o)):
                where = meanings.setdefault(short, {}).setdefault(longs[0], [])
                where.append(" ".join(path) or "ledger")
    clashes = {short: used for short, used in meanings.items() if len(used) > 1}
    assert not clashes, f"short flags with several meanings: {clashes}"
    # the meanings kept (docs/commands/*.md): the most used one of each
    assert list(meanings["-n"]) == ["--dry-run"]
    assert list(meanings["-a"]) == ["--active"]
    assert list(meanings["-r"]) == ["--rev"]


def test_every_value_has_a_human_metavar():
    missing = []
    for path, command in commands():
        for param in command.params:
            takes_value = param.param_type_name == "argument" or not (
                getattr(param, "is_flag", False) or getattr(param, "count", False)
            )
            if takes_value and not (param.metavar and param.metavar.isupper()):
                missing.append(f"{' '.join(path)} {param.name}")
    assert not missing, f"values without an upper-case metavar: {missing}"


TYPE_NAME = re.compile(r"(?<!<)<(?:list\[|int|str|path|float|bool|text|choice)[^<>]*>", re.I)


def test_no_help_text_shows_a_type_name():
    app = build_app()
    for path, _command in commands():
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        assert not TYPE_NAME.search(result.stdout), (path, TYPE_NAME.findall(result.stdout))
        assert "<" not in result.stdout.split("\n\n")[0], result.stdout  # the usage line


# --- global options after the command ----------------------------------------------------------


@pytest.fixture
def seed(tmp_path) -> str:
    path = tmp_path / "fix_plan.md"
    shutil.copy(SEED, path)
    return str(path)


def test_colour_options_are_accepted_after_the_command(seed):
    coloured = runner.invoke(build_app(), ["status", "-f", seed, "--no-git", "--color"])
    assert coloured.exit_code == 0 and "\x1b[" in coloured.stdout
    plain = runner.invoke(build_app(), ["--color", "check", seed, "--no-color"])
    assert plain.exit_code == 1 and "\x1b[" not in plain.stdout  # the seed has errors


def test_config_after_the_command_takes_its_value_with_it(seed, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("nonsense: 1\n")
    result = runner.invoke(build_app(), ["check", seed, "--config", str(bad)])
    assert result.exit_code == 2 and "nonsense" in result.stderr
    result = runner.invoke(build_app(), ["check", seed, f"--config={bad}"])
    assert result.exit_code == 2 and "nonsense" in result.stderr


def test_debug_after_the_command_shows_the_traceback(tmp_path):
    result = runner.invoke(build_app(), ["status", "-f", str(tmp_path / "none.md"), "--debug"])
    assert result.exit_code != 0 and result.exception is not None  # raised, not reported


def test_an_option_value_that_looks_like_a_global_option_stays_a_value(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(build_app(), ["status", "-f", "--no-color"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "ledger: error: --no-color: no such file"


def test_words_after_a_double_dash_are_left_alone(seed, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(build_app(), ["check", "--", "--debug"])
    assert result.exit_code == 1 and "--debug: no such file" in result.stderr
