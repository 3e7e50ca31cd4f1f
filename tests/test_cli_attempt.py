"""`ledger attempt add`, `set`, `focus new`, `header` through the CLI (in-process CliRunner)."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledger.cli import attempt as attempt_cli
from ledger.cli._app import build_app
from ledger.parse import loads

GOLDEN = Path(__file__).parent / "golden" / "edit"
NOW = datetime(2026, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
runner = CliRunner()


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repository holding a nanoBragg-style ledger at docs/fix_plan.md, as cwd."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "docs").mkdir()
    ledger = tmp_path / "docs" / "fix_plan.md"
    ledger.write_bytes((GOLDEN / "numbered.before.md").read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(attempt_cli, "_clock", lambda: NOW)
    return tmp_path


def _ledger(repo: Path):
    return loads((repo / "docs" / "fix_plan.md").read_text(encoding="utf-8"))


def invoke(*args, input=None):
    return runner.invoke(build_app(), list(args), input=input, color=False)


def test_attempt_add_writes_and_prints_the_added_lines(repo):
    result = invoke(
        "attempt",
        "add",
        "TEST-SUITE-TRIAGE-002",
        "--kind",
        "implementation",
        "--summary",
        "Fixed the CWD guard.",
        "--result",
        "success",
        "--actor",
        "ralph",
        "--artifact",
        "reports/a.log",
        "--commit",
        "abc1234",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "  * [2026-02-03] Attempt #10 (ralph) — Result: success (implementation). Fixed the CWD guard.",
        "    Artifacts: `reports/a.log`",
        "    Commits: `abc1234`",
    ]
    focus = _ledger(repo).get("TEST-SUITE-TRIAGE-002")
    assert focus.attempts[-1].number == 10


def test_attempt_add_dry_run_prints_a_diff_and_writes_nothing(repo):
    path = repo / "docs" / "fix_plan.md"
    before = path.read_bytes()
    result = invoke(
        "attempt", "add", "TEST-INDEX-001", "--kind", "planning", "--summary", "x", "--dry-run"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("--- a/docs/fix_plan.md\n+++ b/docs/fix_plan.md\n@@ ")
    plus = [
        line
        for line in result.stdout.splitlines()
        if line.startswith("+") and not line.startswith("+++")
    ]
    assert plus == ["+  * [2026-02-03] Attempt #1 — Result: planning. x"]
    assert path.read_bytes() == before


def test_attempt_add_json_prints_the_new_attempt(repo):
    import json

    result = invoke(
        "attempt", "add", "TEST-SUITE-TRIAGE-002", "-k", "planning", "-m", "x", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["attempt"]["number"] == 10
    assert data["attempt"]["dialect"] == "numbered"
    assert data["attempt"]["timestamp_text"] == "2026-02-03"
    # the focus writes `— Result:`: the kind takes that place and reads back
    assert data["attempt"]["text"] == "  * [2026-02-03] Attempt #10 — Result: planning. x\n"
    assert data["attempt"]["kind"] == "planning"
    shown = json.loads(invoke("show", "TEST-SUITE-TRIAGE-002", "--json").stdout)
    assert shown["attempts"][0]["kind"] == "planning"  # newest first


def test_attempt_add_reads_summary_from_stdin(repo):
    result = invoke(
        "attempt",
        "add",
        "TEST-INDEX-001",
        "--kind",
        "planning",
        "--summary",
        "-",
        input="from stdin\nsecond line\n",
    )
    assert result.exit_code == 0, result.output
    attempt = _ledger(repo).get("TEST-INDEX-001").attempts[0]
    assert "from stdin" in attempt.text and "second line" in attempt.text


def test_attempt_add_uses_the_editor(repo, monkeypatch):
    script = repo / "fake_editor.py"
    script.write_text("import sys\nopen(sys.argv[1], 'a').write('written in the editor\\n')\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    result = invoke("attempt", "add", "TEST-INDEX-001", "--kind", "planning", "--edit")
    assert result.exit_code == 0, result.output
    assert "written in the editor" in _ledger(repo).get("TEST-INDEX-001").attempts[0].text
    assert "#" not in _ledger(repo).get("TEST-INDEX-001").attempts[0].summary


def test_attempt_add_explicit_timestamp(repo):
    result = invoke(
        "attempt",
        "add",
        "TEST-INDEX-001",
        "-k",
        "planning",
        "-m",
        "x",
        "--timestamp",
        "2025-12-31T23:00Z",
    )
    assert result.exit_code == 0, result.output
    assert _ledger(repo).get("TEST-INDEX-001").attempts[0].timestamp_text == "2025-12-31"


def test_unknown_id_exits_1_with_suggestions(repo):
    result = invoke(
        "attempt", "add", "TEST-SUITE-TRIAGE-02", "--kind", "planning", "--summary", "x"
    )
    assert result.exit_code == 1
    assert "TEST-SUITE-TRIAGE-002" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["attempt", "add", "TEST-INDEX-001", "--kind", "nap", "--summary", "x"],
        ["attempt", "add", "TEST-INDEX-001", "--kind", "planning"],
        ["attempt", "add", "TEST-INDEX-001", "--kind", "planning", "--summary", "  "],
        [
            "attempt",
            "add",
            "TEST-INDEX-001",
            "--kind",
            "planning",
            "--summary",
            "x",
            "--timestamp",
            "yesterday",
        ],
        ["attempt", "add", "TEST-INDEX-001", "--kind", "planning", "--summary", "x", "--edit"],
        ["set", "TEST-INDEX-001", "--status", "sleeping"],
        ["set", "TEST-INDEX-001", "--priority", "urgent"],
        ["set", "TEST-INDEX-001"],
        ["header"],
        ["focus", "new", "BAD ID", "--title", "t"],
    ],
    ids=[
        "kind",
        "no-summary",
        "blank-summary",
        "timestamp",
        "summary-and-edit",
        "status",
        "priority",
        "set-nothing",
        "header-nothing",
        "focus-id",
    ],
)
def test_bad_option_values_exit_2_and_write_nothing(repo, args):
    path = repo / "docs" / "fix_plan.md"
    before = path.read_bytes()
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert path.read_bytes() == before


def test_set_status_changes_field_and_index_row(repo):
    result = invoke("set", "TEST-INDEX-001", "--status", "blocked", "--note", "waiting on CI")
    assert result.exit_code == 0, result.output
    ledger = _ledger(repo)
    assert ledger.get("TEST-INDEX-001").status_text == "blocked — waiting on CI"
    row = next(r for r in ledger.index.rows if r.id == "TEST-INDEX-001")
    assert row.status_text == "blocked"
    assert len(result.stdout.splitlines()) == 2


@pytest.mark.parametrize(
    "typed, written",
    [
        ("Done", "done"),  # any case, written in lower case
        ("In_Planning", "in_planning"),  # a word of check.statuses stays that word
        ("wip", "in_progress"),  # a synonym outside the vocabulary: the status it names
    ],
)
def test_set_status_takes_any_case_and_writes_the_normal_word(repo, typed, written):
    result = invoke("set", "TEST-INDEX-001", "--status", typed)
    assert result.exit_code == 0, result.output
    assert _ledger(repo).get("TEST-INDEX-001").status_text == written


def test_set_status_accepts_the_configured_vocabulary(repo):
    (repo / ".ledger.yaml").write_text("check:\n  statuses: [pending, triage, done]\n")
    result = invoke("set", "TEST-INDEX-001", "--status", "Triage")
    assert result.exit_code == 0, result.output
    assert _ledger(repo).get("TEST-INDEX-001").status_text == "triage"
    refused = invoke("set", "TEST-INDEX-001", "--status", "sleeping")
    assert refused.exit_code == 2
    assert "choose from pending, triage, done, planning" in refused.stderr


def test_kind_and_priority_take_any_case(repo):
    result = invoke("attempt", "add", "TEST-INDEX-001", "--kind", "Evidence-Only", "-m", "x")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "  * [2026-02-03] Attempt #1 — Result: evidence_only. x".strip()
    result = invoke("set", "TEST-INDEX-001", "--priority", "CRITICAL")
    assert result.exit_code == 0, result.output
    assert _ledger(repo).get("TEST-INDEX-001").priority == "Critical"


def test_help_lists_the_words_each_option_takes():
    def help_text(*command: str) -> str:
        return " ".join(invoke(*command, "--help").stdout.split())

    assert "review_or_housekeeping" in help_text("attempt", "add")
    out = help_text("set")
    assert "ready_for_implementation" in out and "Critical, High, Medium, Low" in out
    assert "Critical, High, Medium, Low" in help_text("focus", "new")


def test_set_priority_and_depends_on(repo):
    result = invoke(
        "set", "TEST-INDEX-001", "--priority", "high", "--depends-on", "TEST-SUITE-TRIAGE-002"
    )
    assert result.exit_code == 0, result.output
    focus = _ledger(repo).get("TEST-INDEX-001")
    assert focus.priority == "High"
    assert focus.depends_on == ["TEST-SUITE-TRIAGE-002"]


def test_set_depends_on_an_unknown_id_warns_in_one_line_and_still_writes(repo):
    result = invoke("set", "TEST-INDEX-001", "-d", "NOPE-999", "-d", "TEST-SUITE-TRIAGE-002")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "ledger: warning: Depends on names NOPE-999, which is not a focus of this ledger "
        "(written anyway: it may be a finding ID)\n"
    )
    assert _ledger(repo).get("TEST-INDEX-001").depends_on == ["NOPE-999", "TEST-SUITE-TRIAGE-002"]
    known = invoke("set", "TEST-INDEX-001", "-d", "TEST-SUITE-TRIAGE-002")
    assert known.exit_code == 0 and known.stderr == ""


def test_focus_new_creates_section_index_row_and_plan_files(repo):
    result = invoke(
        "focus",
        "new",
        "TEST-NEW-001",
        "--title",
        "New test focus",
        "--priority",
        "Low",
        "--depends-on",
        "TEST-INDEX-001",
    )
    assert result.exit_code == 0, result.output
    ledger = _ledger(repo)
    focus = ledger.get("TEST-NEW-001")
    assert focus.priority == "Low" and focus.depends_on == ["TEST-INDEX-001"]
    assert any(r.id == "TEST-NEW-001" for r in ledger.index.rows)
    plan = repo / "plans" / "active" / "TEST-NEW-001"
    assert "TEST-NEW-001" in (plan / "implementation.md").read_text()
    assert (plan / "summary.md").exists()
    assert "created plans/active/TEST-NEW-001/implementation.md" in result.stderr


def test_focus_new_keeps_existing_plan_files(repo):
    plan = repo / "plans" / "active" / "TEST-NEW-001"
    plan.mkdir(parents=True)
    (plan / "implementation.md").write_text("mine\n")
    result = invoke("focus", "new", "TEST-NEW-001", "--title", "t")
    assert result.exit_code == 0, result.output
    assert (plan / "implementation.md").read_text() == "mine\n"
    assert (plan / "summary.md").exists()


def test_focus_new_refuses_existing_id(repo):
    path = repo / "docs" / "fix_plan.md"
    before = path.read_bytes()
    result = invoke("focus", "new", "TEST-INDEX-001", "--title", "again")
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert path.read_bytes() == before
    assert not (repo / "plans").exists()


def test_focus_new_dry_run_creates_nothing(repo):
    result = invoke("focus", "new", "TEST-NEW-001", "--title", "t", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "+## [TEST-NEW-001] t" in result.stdout
    assert not (repo / "plans").exists()


def test_header_last_updated_auto_and_active_focus(repo):
    result = invoke("header", "--last-updated", "auto", "--active-focus", "TEST-INDEX-001")
    assert result.exit_code == 0, result.output
    header = _ledger(repo).header
    assert header.last_updated == "2026-02-03"
    assert header.active_focus_id == "TEST-INDEX-001"


def test_header_unknown_focus_exits_1(repo):
    result = invoke("header", "--active-focus", "NOPE-001")
    assert result.exit_code == 1


def test_configured_default_dialect_applies_to_empty_focus(repo):
    (repo / ".ledger.yaml").write_text("attempts:\n  default_dialect: italic\n")
    result = invoke("attempt", "add", "TEST-INDEX-001", "--kind", "planning", "--summary", "x")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "- *2026-02-03T040506Z (planning):* x"


def test_auto_default_dialect_copies_the_ledgers_own(repo):
    # what `ledger init` writes: every option spelled out, default_dialect included
    (repo / ".ledger.yaml").write_text(
        'attempts:\n  default_dialect: "auto"\n  timestamp_format: "auto"\n'
    )
    result = invoke("attempt", "add", "TEST-INDEX-001", "--kind", "planning", "--summary", "x")
    assert result.exit_code == 0, result.output
    added = result.stdout.strip()
    assert "Latest Attempt" not in added and "Attempt #" in added  # the ledger's numbered dialect


def test_unknown_configured_dialect_exits_2(repo):
    (repo / ".ledger.yaml").write_text("attempts:\n  default_dialect: cursive\n")
    result = invoke("attempt", "add", "TEST-INDEX-001", "--kind", "planning", "--summary", "x")
    assert result.exit_code == 2


def test_help_lists_the_edit_commands():
    result = invoke("--help")
    for name in ("attempt", "set", "focus", "header"):
        assert name in result.stdout
    sub = invoke("attempt", "add", "--help")
    assert "--dry-run" in sub.stdout and "--summary" in sub.stdout


def test_json_dry_run_prints_only_json_with_the_diff(repo):
    import json

    path = repo / "docs" / "fix_plan.md"
    before = path.read_bytes()
    result = invoke(
        "attempt", "add", "TEST-INDEX-001", "-k", "planning", "-m", "x", "--dry-run", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["written"] is False
    assert "+  * [2026-02-03] Attempt #1 — Result: planning. x" in data["diff"]
    assert path.read_bytes() == before


def test_focus_new_puts_plans_in_the_ledgers_repository(tmp_path, monkeypatch):
    other = tmp_path / "other"
    subprocess.run(["git", "init", "-q", str(other)], check=True)
    ledger = other / "fix_plan.md"
    ledger.write_bytes((GOLDEN / "empty.before.md").read_bytes())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = invoke("-f", str(ledger), "focus", "new", "CI-001", "--title", "Add CI")
    assert result.exit_code == 0, result.output
    assert (other / "plans" / "active" / "CI-001" / "implementation.md").exists()
    assert not (elsewhere / "plans").exists()


def test_file_changing_under_the_command_is_refused_with_exit_1(repo, monkeypatch):
    path = repo / "docs" / "fix_plan.md"
    from ledger import workspace

    real_parse = workspace._parse
    writes = []

    def parse_while_another_writer_edits(text):
        writes.append(1)
        with path.open("a", encoding="utf-8") as handle:  # a writer that ignores our lock
            handle.write(f"<!-- other writer {len(writes)} -->\n")
        return real_parse(text)

    monkeypatch.setattr(workspace, "_parse", parse_while_another_writer_edits)
    result = invoke("attempt", "add", "TEST-INDEX-001", "-k", "planning", "-m", "mine")
    assert result.exit_code == 1
    assert "kept changing" in result.stderr
    text = path.read_text(encoding="utf-8")
    assert "mine" not in text and "other writer 2" in text


def test_an_edit_of_a_duplicated_id_is_refused_with_both_lines_until_one_is_picked(
    tmp_path, monkeypatch
):
    from conftest import SEED

    ledger = tmp_path / "fix_plan.md"
    ledger.write_bytes(SEED.read_bytes())
    before = ledger.read_bytes()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(attempt_cli, "_clock", lambda: NOW)
    focus_id = "STUDY-SYNTH-FLY64-DOSE-OVERLAP-001"
    for args in (
        ["attempt", "add", focus_id, "-k", "planning", "-m", "dup"],
        ["set", focus_id, "--status", "done"],
    ):
        result = invoke("-f", str(ledger), *args)
        assert result.exit_code == 1, result.output
        assert "2 sections (lines 21 and 142)" in result.stderr
        assert "--line 21 or --line 142" in result.stderr
        assert ledger.read_bytes() == before
    result = invoke(
        "-f",
        str(ledger),
        "attempt",
        "add",
        focus_id,
        "--line",
        "142",
        "-k",
        "planning",
        "-m",
        "dup",
    )
    assert result.exit_code == 0, result.output
    first, second = loads(ledger.read_bytes().decode("utf-8", "surrogateescape")).all_named(
        focus_id
    )
    assert not any("dup" in a.text for a in first.attempts)
    assert any("dup" in a.text for a in second.attempts)
    result = invoke("-f", str(ledger), "set", focus_id, "--line", "99", "--status", "done")
    assert result.exit_code == 2 and "no section at line 99" in result.stderr


def test_attempt_into_a_section_that_swallowed_a_lost_heading_is_refused_unless_forced(
    tmp_path, monkeypatch
):
    from conftest import SEED

    ledger = tmp_path / "fix_plan.md"
    ledger.write_bytes(SEED.read_bytes())
    before = ledger.read_bytes()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(attempt_cli, "_clock", lambda: NOW)
    args = ["-f", str(ledger), "attempt", "add", "FEAT-LAZY-LOADING-001", "-k", "planning"]
    result = invoke(*args, "-m", "lands where?")
    assert result.exit_code == 1
    assert "heading was lost" in result.stderr and "line 89" in result.stderr
    assert ledger.read_bytes() == before
    result = invoke(*args, "-m", "lands where?", "--force")
    assert result.exit_code == 0, result.output
    focus = loads(ledger.read_bytes().decode("utf-8", "surrogateescape")).get(
        "FEAT-LAZY-LOADING-001"
    )
    assert any("lands where?" in a.text for a in focus.attempts)
