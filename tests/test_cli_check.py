"""`ledger check` and `ledger fix` through the real typer app, in-process."""

from __future__ import annotations

import json
import shutil

import pytest
from checks_helpers import PUBLIC
from conftest import EEA, SEED, read_corpus
from typer.testing import CliRunner

from ledger.cli._app import build_app

runner = CliRunner()

CLEAN = """\
# Demo Fix Plan Ledger

**Last Updated:** 2026-01-10
**Active Focus:** A-001 — first item

## [A-001] First item
- Priority: High
- Status: in_progress
- Owner/Date: ralph/2026-01-01
- Latest Attempt (2026-01-05T100000Z): planning — wrote the plan
"""


def invoke(*args: str):
    return runner.invoke(build_app(), list(args), catch_exceptions=False)


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A folder outside any repository, as the current directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def seed(work):
    shutil.copy(SEED, work / "fix_plan.md")
    return work / "fix_plan.md"


def test_check_prints_ruff_style_lines_and_exits_1_on_errors(seed):
    result = invoke("check", "fix_plan.md")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert (
        "fix_plan.md:142:5: LDG101 duplicate focus ID STUDY-SYNTH-FLY64-DOSE-OVERLAP-001: sections at lines 21 and 142"
        in lines
    )
    assert any(line.startswith("fix_plan.md:89:1: LDG102 ") for line in lines)
    assert any(line.startswith("fix_plan.md:360:1: LDG201 ") for line in lines)
    assert lines[-1].startswith("Found ") and "errors" in lines[-1]
    assert "\x1b[" not in result.stdout


def test_clean_ledger_passes_and_is_found_without_arguments(work):
    (work / "docs").mkdir()
    (work / "docs" / "fix_plan.md").write_text(CLEAN)
    result = invoke("check")
    assert result.exit_code == 0
    assert result.stdout == "All checks passed (1 file).\n"


def test_warnings_alone_do_not_fail(work):
    (work / "fix_plan.md").write_text(CLEAN.replace("Status: in_progress", "Status: wip"))
    result = invoke("check", "fix_plan.md")
    assert result.exit_code == 0
    assert "fix_plan.md:8:11: LDG401 " in result.stdout
    assert "0 errors, 1 warning" in result.stdout


def test_json_format(seed):
    result = invoke("check", "--format", "json", "--statistics", "fix_plan.md")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["files"] == ["fix_plan.md"]
    dup = next(f for f in data["findings"] if f["code"] == "LDG101")
    assert dup == {
        "path": "fix_plan.md",
        "line": 142,
        "col": 5,
        "code": "LDG101",
        "name": "duplicate-id",
        "severity": "error",
        "message": "duplicate focus ID STUDY-SYNTH-FLY64-DOSE-OVERLAP-001: sections at lines 21 and 142",
        "fixable": False,
    }
    errors = sum(1 for f in data["findings"] if f["severity"] == "error")
    assert data["summary"]["errors"] == errors and data["summary"]["findings"] == len(
        data["findings"]
    )
    assert {s["code"]: s["count"] for s in data["statistics"]}["LDG201"] == 2


def test_github_format_emits_workflow_annotations(seed):
    result = invoke("check", "--format", "github", "fix_plan.md")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert (
        "::error file=fix_plan.md,line=142,col=5,title=LDG101::LDG101 duplicate focus ID "
        "STUDY-SYNTH-FLY64-DOSE-OVERLAP-001: sections at lines 21 and 142" in lines
    )
    assert any(line.startswith("::warning file=fix_plan.md,line=339,") for line in lines)
    assert all(line.startswith("::") for line in lines[:-1])


def test_select_and_ignore_options(seed):
    result = invoke("check", "--select", "LDG101,LDG201", "fix_plan.md")
    codes = {line.split()[1] for line in result.stdout.splitlines()[:-1]}
    assert codes == {"LDG101", "LDG201"}
    result = invoke(
        "check", "--select", "LDG1", "--ignore", "LDG101", "--ignore", "lost-heading", "fix_plan.md"
    )
    assert result.exit_code == 0 and result.stdout.startswith("All checks passed")


def test_unknown_code_is_a_usage_error(seed):
    result = invoke("check", "--select", "E501", "fix_plan.md")
    assert result.exit_code == 2
    assert "unknown rule code" in result.stderr


def test_config_file_ignores_and_downgrades(seed):
    (seed.parent / ".ledger.yaml").write_text(
        "check:\n  ignore: [LDG1, LDG3, LDG8]\n  severity:\n    LDG2: warning\n"
    )
    result = invoke("check", "fix_plan.md")
    assert result.exit_code == 0
    assert "LDG101" not in result.stdout and "LDG201" in result.stdout


def test_bad_config_severity_exits_2(seed):
    (seed.parent / ".ledger.yaml").write_text("check:\n  severity:\n    LDG101: fatal\n")
    result = invoke("check", "fix_plan.md")
    assert result.exit_code == 2 and "fatal" in result.stderr


def test_statistics_text(seed):
    result = invoke("check", "--statistics", "fix_plan.md")
    lines = result.stdout.splitlines()
    assert "    2  LDG201  [error] orphan-attempt" in lines
    assert not any(line.startswith("fix_plan.md:") for line in lines)


def test_several_files_are_checked_together(seed):
    shutil.copy(EEA, seed.parent / "eea.md")
    result = invoke("check", "--select", "LDG101", "fix_plan.md", "eea.md")
    out = result.stdout.splitlines()
    assert out[0].startswith("fix_plan.md:142:5: LDG101")
    assert out[1].startswith("eea.md:980:5: LDG101")
    assert out[2].startswith("Found 2 findings: 2 errors")


def test_missing_file_is_one_clear_error(work):
    result = invoke("check", "nope.md")
    assert result.exit_code == 1 and "no such file" in result.stderr


def test_fix_writes_then_reports_nothing_to_do(seed):
    before = seed.read_bytes()
    result = invoke("fix", "fix_plan.md")
    assert result.exit_code == 1
    assert "fixed fix_plan.md: 141 mojibake" in result.stderr
    after = seed.read_text(encoding="utf-8")
    assert after != before.decode() and "‚Äî" not in after
    again = invoke("fix", "fix_plan.md")
    assert again.exit_code == 0 and again.stdout == "" and again.stderr == ""
    assert invoke("check", "--select", "LDG801", "fix_plan.md").exit_code == 0


def test_fix_diff_shows_the_change_and_writes_nothing(work):
    shutil.copy(EEA, work / "eea.md")
    before = (work / "eea.md").read_bytes()
    result = invoke("fix", "--diff", "eea.md")
    assert result.exit_code == 1
    assert (work / "eea.md").read_bytes() == before
    assert result.stdout.startswith("--- a/eea.md\n+++ b/eea.md\n")
    assert (
        "+| [CLI-DEFAULTS-001](#cli-defaults-001-minimal--default_f-cli-invocation) | Minimal -default_F CLI invocation | High | in_progress |\n"
        in result.stdout
    )
    assert "would fix eea.md: 1 duplicate-attempt, 5 index-row" in result.stderr


def test_fix_on_a_clean_ledger_exits_0(work):
    (work / "fix_plan.md").write_text(CLEAN)
    result = invoke("fix", "--diff", "fix_plan.md")
    assert result.exit_code == 0 and result.stdout == ""


def test_help_lists_check_and_fix():
    out = invoke("--help").stdout
    assert "check" in out and "fix" in out
    assert "--format" in invoke("check", "--help").stdout


def test_colour_only_when_asked(seed):
    plain = invoke("check", "--select", "LDG101", "fix_plan.md").stdout
    coloured = invoke("--color", "check", "--select", "LDG101", "fix_plan.md").stdout
    assert "\x1b[" not in plain and "\x1b[" in coloured
    assert "LDG101" in coloured and "STUDY-SYNTH-FLY64-DOSE-OVERLAP-001" in coloured


def test_defects_written_into_a_public_checkbox_plan_are_reported_where_they_are(work):
    text = read_corpus(PUBLIC / "aloknag__kanban__docs_fix_plan.md")
    edits = {
        "- [ ] CR-08: Fix update_column empty name\n": (
            "- [ ] CR-08: Fix update_column empty name (depends on CR-99)\n"
        ),
        "- [ ] CR-09: Fix create_task empty title\n": "- [BLOCKED:P1] CR-09: Fix create_task "
        "empty title\n",
        "- [x] CR-10: Fix slug race condition (Atomic transactions/Retry)\n": (
            "- [x] CR-10: Fix slug race condition (Atomic transactions/Retry)\n"
            "  - [ ] Retry once on IntegrityError\n"
        ),
    }
    for old, new in edits.items():
        assert text.count(old) == 1
        text = text.replace(old, new)
    text += "- [ ] CR-01: Fix create_column unchecked name\n\n## Completed\n- [ ] CR-00: Scaffold\n"
    (work / "plan.md").write_text(text)
    lines = text.splitlines()

    def at(needle: str, token: str, last: bool = False) -> str:
        n = (
            max(i for i, line in enumerate(lines) if needle in line)
            if last
            else next(i for i, line in enumerate(lines) if needle in line)
        )
        return f"plan.md:{n + 1}:{lines[n].index(token) + 1}: "

    result = invoke("check", "plan.md")

    assert result.exit_code == 1  # the duplicate ID is an error
    out = result.stdout.splitlines()
    expected = [
        at("CR-08:", "CR-99") + "LDG301 ",
        at("CR-09:", "[BLOCKED:P1]") + "LDG406 ",
        at("CR-10:", "[x]") + "LDG405 ",
        at("CR-01:", "CR-01", last=True) + "LDG101 ",
        at("CR-00:", "[ ]") + "LDG404 ",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in out), (start, out)
    assert len(out) == len(expected) + 1  # and the summary line
    assert out[-1].startswith("Found 5 findings: 1 error, 4 warnings (1 fixable")
