"""`ledger report` on the command line: where the page goes, what it refuses, what it prints."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from ledger.cli._app import build_app

LEDGER = "# Plan\n\n## [A-001] First\n- Priority: High\n- Status: pending\n"


def invoke(*args: str):
    return CliRunner().invoke(build_app(), ["--no-color", *args])


@pytest.fixture
def ledger_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "fix_plan.md"
    path.write_text(LEDGER)
    return path


def test_writes_the_page_and_prints_one_line(ledger_file, tmp_path):
    result = invoke("-f", str(ledger_file), "report", "--html", "--no-git", "-o", "page.html")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "wrote page.html: 1 focus item, 0 cycles, 0 findings, no dwell charts\n"
    )
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'id="card-A-001"' in page
    again = invoke("-f", str(ledger_file), "report", "--no-git", "-o", "page.html")
    assert again.stdout.startswith("unchanged page.html")


def test_the_default_output_is_report_html(ledger_file, tmp_path):
    assert invoke("-f", str(ledger_file), "report", "--no-git").exit_code == 0
    assert (tmp_path / "report.html").is_file()


def test_dash_prints_the_page_to_stdout(ledger_file, tmp_path):
    result = invoke("-f", str(ledger_file), "report", "--no-git", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.endswith("</html>\n")
    assert not (tmp_path / "-").exists()


def test_the_ledger_itself_is_never_overwritten(ledger_file):
    result = invoke("-f", str(ledger_file), "report", "--no-git", "-o", str(ledger_file))
    assert result.exit_code == 2 and "is the ledger itself" in result.stderr
    assert ledger_file.read_text() == LEDGER


def test_a_read_only_folder_is_one_error_line(ledger_file, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = invoke("-f", str(ledger_file), "report", "--no-git", "-o", "ro/page.html")
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1 and "read-only" in result.stderr
    assert list(folder.iterdir()) == []


def test_a_read_only_page_is_refused_and_kept(ledger_file, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("old")
    page.chmod(0o444)
    result = invoke("-f", str(ledger_file), "report", "--no-git", "-o", "page.html")
    assert result.exit_code == 1 and "read-only" in result.stderr
    assert page.read_text() == "old"


def test_status_never_imports_the_report(tmp_path):
    path = tmp_path / "fix_plan.md"
    path.write_text(LEDGER)
    code = (
        "import sys; from ledger.cli._app import run; "
        f"rc = run(['status', '-f', {str(path)!r}, '--no-git']); "
        "print(sorted(m for m in sys.modules if m.startswith('ledger.report')), rc)"
    )
    env = {**os.environ, "NO_COLOR": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "[] 0"


def test_the_page_and_its_line_say_one_of_each_in_the_singular(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fix_plan.md").write_text(
        "## [A-001] One\n- Status: pending\n- Depends on: B-009\n"
    )
    result = invoke("-f", "fix_plan.md", "report", "--html", "--no-git", "-o", "page.html")
    assert result.stdout == "wrote page.html: 1 focus item, 0 cycles, 1 finding, no dwell charts\n"
    page = (tmp_path / "page.html").read_text()
    assert "<code>ledger check</code>: 1 finding (" in page
