"""Bad input never crashes the parser or the CLI."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import ledger
from ledger.cli._app import build_app


@pytest.mark.parametrize(
    ("raw", "is_text"),
    [
        (bytes(range(256)) * 64, False),  # binary
        (b"", False),
        (b"\x00\x00\x00", False),
        (b"## [A-1] only\n### [B-2] headings\n# [C-3]\n## []\n## [\n", True),
        (b"#" * 10_000, True),
        (b"- Latest Attempt (: \n  * [] Attempt # \n### 9999-99-99T99:99Z \xe2\x80\x94 (\n", True),
    ],
    ids=["binary", "empty", "nul", "only-headings", "long-line", "broken-attempts"],
)
def test_status_never_crashes(raw, is_text, tmp_path):
    path = tmp_path / "fix_plan.md"
    path.write_bytes(raw)
    result = CliRunner().invoke(build_app(), ["status", "-f", str(path), "--no-git", "--json"])
    if is_text:
        assert result.exit_code == 0, result.output
    else:  # empty and binary files are refused, in one line
        assert result.exit_code == 1, result.output
        assert result.output.startswith("ledger: error: not a ledger: ")
        assert len(result.output.strip().splitlines()) == 1
    assert ledger.dump(ledger.load(path), path) is False  # unchanged


def test_only_headings_become_focus_items_without_fields():
    doc = ledger.loads("## [A-1] only\n### [B-2] headings\n## []\n")
    assert doc.ids == ["A-1", "B-2"]
    assert all(f.fields == [] and f.attempts == [] for f in doc.focus_items)


@pytest.mark.slow
def test_fifty_megabyte_file(tmp_path):
    block = (
        "## [BIG-{n}] Section\n- Status: in_progress\n- Attempts History:\n"
        + "  * [2025-10-15] Attempt #1 — Result: success. "
        + "x" * 400
        + "\n"
    ) * 1
    chunks = [block.format(n=i) for i in range(50 * 1024 * 1024 // len(block) + 1)]
    text = "".join(chunks)
    assert len(text) > 50 * 1024 * 1024
    doc = ledger.loads(text)
    assert ledger.dumps(doc) == text
    assert len(doc.focus_items) == len(chunks)


def test_importing_ledger_does_not_import_git():
    code = "import sys, ledger; ledger.loads('## [A] x'); print('git' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_status_outside_git_does_not_import_git(tmp_path):
    path = tmp_path / "fix_plan.md"
    path.write_text("## [A-1] x\n- Status: done\n")
    code = (
        "import sys; from ledger.cli._app import run; "
        f"rc = run(['status', '-f', {str(path)!r}, '--no-git']); "
        "print('GIT' if 'git' in sys.modules else 'NOGIT', rc)"
    )
    env = {**os.environ, "NO_COLOR": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "NOGIT 0"
