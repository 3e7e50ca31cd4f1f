"""The shipped hooks under the real pre-commit framework (`pre-commit try-repo` on this repo).

try-repo installs this repository (its HEAD plus uncommitted changes to tracked files) into a
fresh virtualenv, which needs PyPI; environments are cached in a session-wide PRE_COMMIT_HOME.
"""

from __future__ import annotations

import re

import pytest
from gitrepo import ROOT, git, try_repo

LEDGER = """\
# Demo Fix Plan Ledger

**Last Updated:** 2026-01-10
**Active Focus:** A-001 — first item

## [A-001] First item
- Priority: High
- Status: in_progress
- Owner/Date: ralph/2026-01-01
- Latest Attempt (2026-01-05T100000Z): planning — wrote the plan
"""

DUPLICATE = """
## [A-001] First item, again
- Priority: Low
- Status: pending
"""


def test_hook_manifest_targets_the_ledger_only():
    from ruamel.yaml import YAML

    hooks = {
        h["id"]: h for h in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    }
    for hook_id, entry in (("ledger-check", "ledger check"), ("ledger-fix", "ledger fix")):
        hook = hooks[hook_id]
        assert (
            hook["entry"] == entry
            and hook["language"] == "python"
            and hook["pass_filenames"] is True
        )
        pattern = re.compile(hook["files"])
        assert pattern.search("docs/fix_plan.md") and pattern.search("fix_plan.md")
        assert not pattern.search("docs/fix_plan_archive.md") and not pattern.search(
            "docs/my_fix_plan.md.bak"
        )


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.mark.slow
def test_clean_commit_passes_and_a_duplicate_id_is_rejected(tmp_path, pre_commit_home):
    pytest.importorskip("pre_commit")
    if not (ROOT / ".git").exists():
        pytest.skip("try-repo needs this project to be a git checkout")
    repo = tmp_path / "project"
    (repo / "docs").mkdir(parents=True)
    git(repo, "init", "-q")
    ledger = repo / "docs" / "fix_plan.md"

    ledger.write_text(LEDGER, encoding="utf-8")
    git(repo, "add", "docs/fix_plan.md")
    # runs on the staged files, as a commit would
    clean = try_repo(repo, "ledger-check", pre_commit_home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"ledger check\.+Passed", clean.stdout)
    git(repo, "commit", "-q", "-m", "ledger")

    ledger.write_text(LEDGER + DUPLICATE, encoding="utf-8")
    git(repo, "add", "docs/fix_plan.md")
    rejected = try_repo(repo, "ledger-check", pre_commit_home)
    assert rejected.returncode == 1, rejected.stdout + rejected.stderr
    assert re.search(r"ledger check\.+Failed", rejected.stdout)
    assert (
        "docs/fix_plan.md:12:5: LDG101 duplicate focus ID A-001: sections at lines 6 and 12"
        in rejected.stdout
    )
