"""`ledger.workspace`: the ledger located as the CLI locates it, and the loop's operations on it."""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone

import pytest

from ledger.edit import NewAttempt, NewFocus
from ledger.errors import LedgerFileError, UnknownFocusError, UsageError
from ledger.workspace import (
    Workspace,
    change_fields,
    choose_status,
    create_focus,
    dwell_table,
    record_attempt,
)

LEDGER = "# Plan\n\n## [A-001] First\n- Priority: High\n- Status: pending\n"
NOW = datetime(2026, 2, 3, 4, 5, 6, tzinfo=timezone.utc)


@pytest.fixture
def project(tmp_path, monkeypatch):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "fix_plan.md").write_text(LEDGER)
    (tmp_path / "src" / "deep").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "src" / "deep")
    return tmp_path


def test_locate_finds_the_ledger_upward_and_honours_the_configuration(project):
    assert Workspace.locate().path == project / "docs" / "fix_plan.md"
    (project / "plan.md").write_text(LEDGER)
    (project / ".ledger.yaml").write_text("file: plan.md\n")
    assert Workspace.locate().path == (project / "plan.md").resolve()
    assert Workspace.locate(file=project / "docs" / "fix_plan.md").path.name == "fix_plan.md"


def test_locate_outside_any_ledger_is_one_file_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(LedgerFileError, match=r"no docs/fix_plan\.md found"):
        Workspace.locate()


def test_record_attempt_writes_only_the_attempt_and_dry_run_writes_nothing(project):
    ws = Workspace.locate()
    spec = NewAttempt(summary="did it", kind="implementation", commits=("abc1234",))
    dry = record_attempt(ws.path, ws.config, "A-001", spec, now=NOW, dry_run=True)
    assert not dry.written and ws.path.read_text() == LEDGER
    added = [line for line in dry.diff().splitlines() if line.startswith("+")]
    assert added[1:] == ["+" + line for line in dry.result.added_lines]  # after `+++ b/...`
    applied = record_attempt(ws.path, ws.config, "A-001", spec, now=NOW)
    assert applied.written and applied.before == LEDGER
    new_lines = ws.path.read_text().splitlines()
    assert new_lines[: len(LEDGER.splitlines())] == LEDGER.splitlines()
    assert applied.result.added_lines == new_lines[len(LEDGER.splitlines()) :]
    assert ws.read().ledger.get("A-001").attempts[-1].kind.value == "implementation"


def test_change_fields_reads_the_status_words_as_the_cli_does(project):
    ws = Workspace.locate()
    change_fields(ws.path, ws.config, "A-001", status="WIP", note="started")
    assert ws.read().ledger.get("A-001").status_text == "in_progress — started"
    with pytest.raises(UsageError, match="unknown status 'napping'"):
        choose_status("napping", ())
    assert choose_status("in_planning", ("in_planning",)) == "in_planning"
    with pytest.raises(UnknownFocusError):
        change_fields(ws.path, ws.config, "B-001", status="done")


def test_create_focus_writes_the_section_and_its_plan_files(project):
    ws = Workspace.locate()
    made = create_focus(ws.path, ws.config, NewFocus(id="B-001", title="Second"), now=NOW)
    assert made.created == [
        "plans/active/B-001/implementation.md",
        "plans/active/B-001/summary.md",
    ]
    assert ws.read().ledger.get("B-001").title == "Second"
    with pytest.raises(UsageError):
        create_focus(ws.path, ws.config, NewFocus(id="../x", title="Bad"), now=NOW)


def test_dwell_is_none_outside_git_and_for_an_uncommitted_ledger(tmp_path, project):
    ws = Workspace.locate()
    assert ws.dwell() is None  # in a repository, but nothing committed yet
    outside = tmp_path.parent / f"{tmp_path.name}-outside.md"
    outside.write_text(LEDGER)
    assert dwell_table(outside, ws.config) is None
