"""`ledger status`, `show` and `export` through the real typer app, in-process."""

from __future__ import annotations

import json
import shutil
from itertools import pairwise

import pytest
from conftest import EEA, SEED
from golden import assert_golden
from typer.testing import CliRunner

from ledger.cli._app import build_app

runner = CliRunner()


def invoke(*args: str, **kwargs):
    return runner.invoke(build_app(), list(args), catch_exceptions=False, **kwargs)


@pytest.fixture
def seed_copy(tmp_path):
    path = tmp_path / "fix_plan.md"
    shutil.copy(SEED, path)
    return path


def test_status_plain_table_matches_golden(seed_copy):
    result = invoke("-f", str(seed_copy), "status", "--no-git")
    assert result.exit_code == 0
    out = result.stdout.replace(str(seed_copy), "fix_plan.md")
    assert "\x1b[" not in out  # no colour codes when not a terminal
    assert_golden("status/seed.txt", out)


@pytest.mark.parametrize("width", [80, 120, 200])
@pytest.mark.parametrize("name, ledger", [("seed", SEED), ("eea", EEA)])
def test_status_table_at_a_width_matches_golden(tmp_path, name, ledger, width):
    """Title shrinks, then columns drop (docs/commands/status.md); IDs and statuses stay whole."""
    path = tmp_path / "fix_plan.md"
    shutil.copy(ledger, path)
    result = invoke("--width", str(width), "status", "-f", str(path), "--no-git")
    assert result.exit_code == 0
    out = result.stdout.replace(str(path), "fix_plan.md")
    table = out.splitlines()[:-3]  # the summary's lines may be longer
    assert max(map(len, table)) <= width
    assert "Status" in table[0].split()
    assert_golden(f"status/{name}_{width}.txt", out)


def test_status_json_has_summary_and_rows(seed_copy):
    result = invoke("status", "-f", str(seed_copy), "--json", "--no-git")
    data = json.loads(result.stdout)
    assert list(data) == ["file", "summary", "focus"]
    assert list(data["focus"][0]) == [  # as docs/commands/status.md lists them
        "id", "title", "line", "level", "status", "status_text", "priority", "attempts",
        "last_attempt", "depends_on", "unmet_dependencies", "has_section", "form", "group",
    ]  # fmt: skip
    assert list(data["summary"]) == [
        "focus_items", "by_status", "attempts", "orphan_attempts", "active_focus",
        "active_focus_text", "last_updated", "size_bytes", "lines",
    ]  # fmt: skip
    last = next(r["last_attempt"] for r in data["focus"] if r["last_attempt"])
    assert list(last) == ["line", "timestamp", "timestamp_text", "kind", "label"]
    assert data["summary"]["focus_items"] == 15
    assert data["summary"]["orphan_attempts"] == 2
    assert data["summary"]["active_focus"] == "FIX-TF-C1D-SCALED-RERUN-001"
    rerun = next(r for r in data["focus"] if r["id"] == "FIX-TF-C1D-SCALED-RERUN-001")
    assert rerun["unmet_dependencies"] == ["FIX-PYTORCH-FORWARD-PARITY-001"]
    assert rerun["last_attempt"]["timestamp"].startswith("2025-11-20T00:25")


def test_status_filters(seed_copy):
    result = invoke(
        "status", "-f", str(seed_copy), "--json", "--no-git", "--active", "-p", "critical"
    )
    ids = [r["id"] for r in json.loads(result.stdout)["focus"]]
    assert ids == ["FIX-TF-C1D-SCALED-RERUN-001"]
    result = invoke("status", "-f", str(seed_copy), "--json", "--no-git", "-s", "archived")
    assert {r["status"] for r in json.loads(result.stdout)["focus"]} == {"archived"}


def _ids(seed_copy, *options: str) -> list[str]:
    result = invoke("status", "-f", str(seed_copy), "--json", "--no-git", *options)
    assert result.exit_code == 0, result.output
    return [r["id"] for r in json.loads(result.stdout)["focus"]]


def test_status_filter_takes_the_words_set_takes_in_any_case(seed_copy):
    planning = _ids(seed_copy, "-s", "planning")
    assert planning
    assert _ids(seed_copy, "-s", "in_planning") == planning  # a word of check.statuses
    assert _ids(seed_copy, "-s", "In-Planning") == planning
    done = _ids(seed_copy, "-s", "done")
    assert done
    assert _ids(seed_copy, "-s", "DONE") == done and _ids(seed_copy, "-s", "complete") == done


def test_priority_filter_in_any_case_and_none(seed_copy):
    high = _ids(seed_copy, "-p", "high")
    assert high and _ids(seed_copy, "-p", "HIGH") == high
    every_priority = ("-p", "critical", "-p", "high", "-p", "medium", "-p", "low")
    with_priority = set(_ids(seed_copy, *every_priority))
    assert _ids(seed_copy, "-p", "none") == [i for i in _ids(seed_copy) if i not in with_priority]


@pytest.mark.parametrize("option", [("-s", "nonsense"), ("-p", "urgent")])
def test_status_bad_filter_value_is_a_usage_error_naming_the_choices(seed_copy, option):
    result = runner.invoke(build_app(), ["status", "-f", str(seed_copy), *option])
    assert result.exit_code == 2
    assert "choose from" in result.stderr


def test_status_help_lists_the_accepted_words():
    out = invoke("status", "--help").stdout
    for word in ("in_progress", "blocked_escalation", "superseded", "unknown", "medium", "none"):
        assert word in out


def test_forced_colour_uses_ansi_codes(seed_copy):
    result = invoke("--color", "status", "-f", str(seed_copy), "--no-git")
    assert "\x1b[" in result.stdout


def test_missing_file_is_one_clear_line_and_exit_1(tmp_path):
    result = runner.invoke(build_app(), ["status", "-f", str(tmp_path / "nope.md")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"ledger: error: {tmp_path / 'nope.md'}: no such file"


def test_directory_instead_of_file_is_a_clear_error(tmp_path):
    result = runner.invoke(build_app(), ["status", "-f", str(tmp_path)])
    assert result.exit_code == 1 and "is a directory" in result.stderr


def test_show_prints_fields_attempts_newest_first_and_dependents(seed_copy):
    result = invoke("show", "FIX-PYTORCH-FORWARD-PARITY-001", "-f", str(seed_copy))
    assert result.exit_code == 0
    out = result.stdout
    assert "dependents: FIX-TF-C1D-SCALED-RERUN-001" in out
    stamps = [line.split()[0] for line in out.splitlines() if line.startswith("  2025-11-19T")]
    assert stamps == sorted(stamps, reverse=True) and len(stamps) == 5


def test_show_json_and_duplicates(seed_copy):
    result = invoke("show", "STUDY-SYNTH-FLY64-DOSE-OVERLAP-001", "-f", str(seed_copy), "--json")
    data = json.loads(result.stdout)
    assert data["line"] == 21 and data["duplicates"] == [142]
    assert data["status"] == "blocked_escalation"


def test_show_unknown_id_suggests_closest(seed_copy):
    result = runner.invoke(build_app(), ["show", "FIX-TF-C1D-SCALED-RERUN", "-f", str(seed_copy)])
    assert result.exit_code == 1
    assert "did you mean FIX-TF-C1D-SCALED-RERUN-001" in result.stderr


def test_export_json_is_the_whole_model():
    result = invoke("export", "--format", "json", "-f", str(EEA))
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    assert set(data) >= {"header", "focus_items", "orphan_attempts", "index", "blocks"}
    first = data["focus_items"][0]
    assert set(first) >= {
        "id",
        "title",
        "line",
        "level",
        "status",
        "status_text",
        "priority",
        "depends_on",
        "return_conditions",
        "fields",
        "attempts",
    }
    assert set(first["attempts"][0]) >= {
        "line",
        "timestamp",
        "kind",
        "label",
        "number",
        "result",
        "text",
        "dialect",
    }
    assert "text" not in data["blocks"][0]


def test_default_file_is_found_upward_from_cwd(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "docs").mkdir()
    shutil.copy(SEED, tmp_path / "docs" / "fix_plan.md")
    deep = tmp_path / "src" / "pkg"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    result = invoke("status", "--json", "--no-git")
    assert json.loads(result.stdout)["summary"]["focus_items"] == 15


def test_no_ledger_found_names_where_it_looked(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(build_app(), ["status"])
    assert result.exit_code == 1
    assert "no docs/fix_plan.md found" in result.stderr and "--file" in result.stderr


def test_help_explains_commands():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("status", "show", "export"):
        assert command in result.stdout


@pytest.mark.parametrize("how", ["stty cols 80", "COLUMNS=80"])
def test_status_in_a_real_terminal_of_80_columns_keeps_ids_and_statuses_whole(tmp_path, how):
    """The issue this guards: `TEST-SUITE-TRI…` for two IDs and `in…` for a status."""
    import fcntl
    import os
    import pty
    import re
    import struct
    import subprocess
    import sys
    import termios

    import ledger

    path = tmp_path / "fix_plan.md"
    shutil.copy(EEA, path)
    master, slave = pty.openpty()
    columns = 80 if how.startswith("stty") else 200  # COLUMNS wins over the terminal's size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    if how.startswith("COLUMNS"):
        env["COLUMNS"] = "80"
    argv = [sys.executable, "-m", "ledger", "status", "-f", str(path), "--no-git"]
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the program closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    out = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    assert "\x1b[" in out  # colours on a terminal
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in out.splitlines()]
    assert lines[0].split()[:3] == ["ID", "Title", "Status"]
    assert set(lines[1]) == {"─"}  # the header rule
    items = ledger.load(path).focus_items
    rows = lines[2 : 2 + len(items)]
    assert [row.split()[0] for row in rows] == [item.id for item in items]
    for row, item in zip(rows, items):
        assert item.status.value in row.split() and len(row) <= 80


@pytest.mark.parametrize(
    "ledger", ["1769049998_ec33c03c.md", "1769135687_85b32db8.md", "1769146718_8ba57f96.md"]
)
def test_show_says_an_attempt_label_that_is_its_kind_once(ledger):
    from conftest import DATA

    from ledger.parse import loads

    path = DATA / "ptychopinn" / ledger
    parsed = loads(path.read_text(encoding="utf-8"))
    for item in parsed.focus_items:
        result = invoke("show", item.id, "-f", str(path))
        for line in result.stdout.splitlines():
            words = line.split()
            assert all(a != b for a, b in pairwise(words[1:-2])), line


def test_show_accepts_no_git_as_the_other_reading_commands_do(seed_copy):
    plain = invoke("show", "FIX-PYTORCH-FORWARD-PARITY-001", "-f", str(seed_copy))
    offline = invoke("show", "FIX-PYTORCH-FORWARD-PARITY-001", "-f", str(seed_copy), "--no-git")
    assert offline.exit_code == 0 and offline.stdout == plain.stdout
