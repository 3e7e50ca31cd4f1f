"""Every path built from an ID, the configuration or ledger content stays inside the repository."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from gitrepo import git
from typer.testing import CliRunner

from ledger.cli._app import build_app
from ledger.errors import PathOutsideRoot
from ledger.fileio import inside

LEDGER = "# Plan\n\n## [A-001] First\n- Priority: High\n- Status: pending\n"


def _tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` (outside .git) with its hash, for before/after comparisons."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if ".git" in path.relative_to(folder).parts or not path.is_file():
            continue
        out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def repo(tmp_path, monkeypatch):
    work = tmp_path / "outer" / "mid" / "repo"
    (work / "docs").mkdir(parents=True)
    git(work, "init", "-q")
    (work / "docs" / "fix_plan.md").write_text(LEDGER)
    monkeypatch.chdir(work)
    return work


def invoke(*args):
    return CliRunner().invoke(build_app(), list(args))


@pytest.mark.parametrize("bad", ["../../../escaped", "..", "a/b", "../x", "/abs/x", "a b"])
def test_focus_new_refuses_an_id_that_would_leave_the_plans_folder(repo, tmp_path, bad):
    before = _tree(tmp_path)
    result = invoke("focus", "new", bad, "--title", "x")
    assert result.exit_code == 2, result.output
    assert "not a usable focus ID" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _tree(tmp_path) == before  # nothing anywhere, the ledger included


def test_a_configured_plans_folder_outside_the_repository_is_refused_before_any_write(
    repo, tmp_path
):
    (repo / ".ledger.yaml").write_text("plans_dir: ../../plans\n")
    before = _tree(tmp_path)
    result = invoke("focus", "new", "NEW-001", "--title", "x")
    assert result.exit_code == 1, result.output
    assert "leads outside" in result.stderr
    assert _tree(tmp_path) == before


def test_a_plans_folder_symlinked_out_of_the_repository_is_refused(repo, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (repo / "plans").symlink_to(outside)
    result = invoke("focus", "new", "NEW-001", "--title", "x")
    assert result.exit_code == 1, result.output
    assert list(outside.iterdir()) == []


def test_a_configured_archive_outside_the_repository_is_a_config_error(repo, tmp_path):
    (repo / ".ledger.yaml").write_text("archive:\n  path: ../../../archive.md\n")
    result = invoke("archive", "snapshot")
    assert result.exit_code == 2, result.output
    assert "leads outside" in result.stderr
    assert not (tmp_path / "archive.md").exists()


def test_a_configured_ledger_file_outside_the_repository_is_a_config_error(repo, tmp_path):
    secret = tmp_path / "outer" / "secret.md"
    secret.write_text(LEDGER)
    (repo / ".ledger.yaml").write_text("file: ../../secret.md\n")
    result = invoke("set", "A-001", "--status", "done")
    assert result.exit_code == 2, result.output
    assert secret.read_text() == LEDGER


def test_inside_accepts_paths_below_the_root_and_refuses_the_rest(tmp_path):
    (tmp_path / "a").mkdir()
    assert inside(tmp_path, "a/b.md") == (tmp_path / "a" / "b.md").resolve()
    assert inside(tmp_path, ".") == tmp_path.resolve()
    for bad in ("../x", "a/../../x", "/etc/passwd"):
        with pytest.raises(PathOutsideRoot):
            inside(tmp_path, bad)
    os.symlink("/", tmp_path / "root-link")
    with pytest.raises(PathOutsideRoot):
        inside(tmp_path, "root-link/etc")


def test_links_in_the_ledger_that_leave_the_repository_are_never_probed(repo, tmp_path):
    (tmp_path / "outer" / "exists.md").write_text("x")
    text = LEDGER + "- Working Plan: `../../exists.md`\n- Summary: `../../nope.md`\n"
    (repo / "docs" / "fix_plan.md").write_text(text)
    result = invoke("check", "--select", "LDG701")
    assert "LDG701" not in result.stdout  # neither reported missing nor found: not looked at
