"""The CLI boundary: every failure is one clear line (never a traceback) and a meaningful code."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

import ledger
from ledger.cli._app import build_app

LEDGER = "# Plan\n\n## [A-001] First\n- Priority: High\n- Status: pending\n"


def _commands() -> list[list[str]]:
    """Every leaf command of the CLI as its argv prefix (`["attempt", "add"]`, ...)."""
    group = typer.main.get_command(build_app())
    out: list[list[str]] = []

    def walk(cmd, path: list[str]) -> None:
        children = getattr(cmd, "commands", None)
        if children:
            for name, child in children.items():
                walk(child, [*path, name])
        else:
            out.append(path)

    walk(group, [])
    return out


COMMANDS = _commands()


def invoke(*args, **kwargs):
    return CliRunner().invoke(build_app(), list(args), **kwargs)


def assert_one_error_line(result, code: int) -> None:
    assert result.exit_code == code, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    lines = result.stderr.rstrip("\n").splitlines()
    assert lines and lines[0].startswith("ledger: error: "), result.stderr
    assert all(line.startswith("  hint: ") for line in lines[1:]), result.stderr


def test_the_command_list_covers_every_family():
    names = {" ".join(c) for c in COMMANDS}
    for expected in ("status", "attempt add", "check", "dwell", "archive verify", "merge"):
        assert expected in names


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_an_unknown_option_is_one_usage_line_with_exit_2(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(*command, "--no-such-option")
    assert_one_error_line(result, 2)
    assert "--no-such-option" in result.stderr and "--help" in result.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_has_help(command):
    result = CliRunner().invoke(build_app(), [*command, "--help"], prog_name="ledger")
    assert result.exit_code == 0, result.output
    assert "Usage: ledger " + " ".join(command) in result.stdout


READERS = [
    ["status", "--no-git"],
    ["show", "A-001"],
    ["export"],
    ["check"],
    ["next", "--no-git"],
    ["brief", "A-001", "--no-git"],
    ["graph"],
    ["prime", "--no-git"],
    ["report", "--no-git", "-o", "report.html"],
    ["attempt", "add", "A-001", "-k", "planning", "-m", "x"],
    ["set", "A-001", "--status", "done"],
    ["header", "--last-updated", "auto"],
    ["focus", "new", "B-001", "--title", "x"],
    ["fix"],
    ["archive", "snapshot"],
    ["archive", "compact"],
]


@pytest.mark.parametrize("raw", [b"", b"\x00" * 64, bytes(range(256)) * 8, b"  \n\n"])
@pytest.mark.parametrize("command", READERS, ids=[" ".join(c) for c in READERS])
def test_what_is_not_a_ledger_is_refused_by_every_command_and_left_alone(
    command, raw, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "docs" / "fix_plan.md"
    path.parent.mkdir()
    path.write_bytes(raw)
    result = invoke("-f", str(path), *command)
    assert_one_error_line(result, 1)
    assert "not a ledger" in result.stderr
    assert path.read_bytes() == raw
    # nothing else was created (outside git, a writer's lock sits next to the ledger)
    created = {p.name for p in tmp_path.rglob("*")} - {"docs", "fix_plan.md"}
    assert created <= {".fix_plan.md.ledger-lock"}


@pytest.mark.parametrize("command", READERS, ids=[" ".join(c) for c in READERS])
def test_a_missing_ledger_is_one_line(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("-f", str(tmp_path / "nope.md"), *command)
    assert_one_error_line(result, 1)
    assert "nope.md" in result.stderr


def test_a_missing_editor_is_one_line_and_nothing_is_recorded(tmp_path, monkeypatch):
    path = tmp_path / "fix_plan.md"
    path.write_text(LEDGER)
    monkeypatch.setenv("EDITOR", "/nonexistent/editor")
    monkeypatch.delenv("VISUAL", raising=False)
    result = invoke("-f", str(path), "attempt", "add", "A-001", "-k", "planning", "-e")
    assert_one_error_line(result, 2)
    assert "cannot start the editor" in result.stderr
    assert path.read_text() == LEDGER


def test_version_prints_the_version():
    for args in (["--version"], ["--debug", "--version"]):
        result = invoke(*args)
        assert result.exit_code == 0
        assert result.stdout == f"ledger {ledger.__version__}\n"


def test_no_command_prints_the_help_and_exits_0():
    result = CliRunner().invoke(build_app(), [], prog_name="ledger")
    assert result.exit_code == 0
    assert "Usage: ledger" in result.stdout


def test_an_unexpected_failure_is_one_internal_error_line_and_debug_shows_it(tmp_path, monkeypatch):
    path = tmp_path / "fix_plan.md"
    path.write_text(LEDGER)
    import ledger.views

    def broken(*_args, **_kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(ledger.views, "status_row", broken)
    result = invoke("-f", str(path), "status", "--no-git")
    assert result.exit_code == 1
    assert result.stderr == (
        "ledger: internal error: RuntimeError: simulated bug (run with --debug for the traceback)\n"
    )
    result = invoke("--debug", "-f", str(path), "status", "--no-git")
    assert isinstance(result.exception, RuntimeError)


def test_a_closed_pipe_ends_quietly(tmp_path):
    path = tmp_path / "fix_plan.md"
    path.write_text(
        LEDGER + "".join(f"\n## [B-{i:03d}] Item {i}\n- Status: pending\n" for i in range(3000))
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "ledger", "-f", str(path), "status", "--no-git"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    proc.wait(timeout=30)
    assert "Traceback" not in err and err == ""
    assert proc.returncode in (0, 1)


def test_the_command_table_names_the_family_of_every_command():
    from ledger.cli._app import COMMANDS, FAMILIES

    group = typer.main.get_command(build_app())
    assert set(group.commands) == set(COMMANDS)
    for name, family in COMMANDS.items():
        alone = typer.main.get_command(build_app([name], every_family=False))
        assert name in alone.commands and family in FAMILIES


def test_a_command_runs_with_only_its_family_registered(tmp_path):
    path = tmp_path / "fix_plan.md"
    path.write_text(LEDGER)
    proc = subprocess.run(
        [sys.executable, "-m", "ledger", "-f", str(path), "--no-color", "show", "A-001"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0 and "[A-001] First" in proc.stdout
    proc = subprocess.run(
        [sys.executable, "-m", "ledger", "nonesuch"], capture_output=True, text=True
    )
    assert proc.returncode == 2 and "nonesuch" in proc.stderr
