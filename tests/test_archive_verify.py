"""`verify_archive`: the append-only check on a real repository, as a library caller runs it."""

from __future__ import annotations

import pytest
from gitrepo import GitRepo

from ledger.archive import Against, verify_archive
from ledger.history import find_repo_fast

ARCHIVE = "docs/fix_plan_archive.md"
V1 = "# Fix Plan Archive\n\n---\n\n# Snapshot 2026-01-06 Fix Plan Ledger\n\n# L\n"
V2 = V1 + "\n---\n\n# Snapshot 2026-01-07 Fix Plan Ledger\n\n# L\n- more\n"


@pytest.fixture
def repo(tmp_path):
    return GitRepo(tmp_path / "repo")


def _open(repo: GitRepo):
    found = find_repo_fast(repo.path)
    assert found is not None
    return found


def test_an_archive_only_appended_to_passes_with_every_version_counted(repo):
    repo.commit("snapshot 1", {ARCHIVE: V1})
    repo.commit("snapshot 2", {ARCHIVE: V2})
    report = verify_archive(_open(repo), ARCHIVE)
    assert report.ok and not report.missing
    assert report.versions_checked == 2
    assert report.checked is Against.working_copy


def test_a_commit_that_edits_an_old_snapshot_is_named_with_the_line(repo):
    first = repo.commit("snapshot 1", {ARCHIVE: V1})
    bad = repo.commit("tidy", {ARCHIVE: V1.replace("# L", "# Ledger")})
    (rewrite,) = verify_archive(_open(repo), ARCHIVE).rewrites
    assert (rewrite.commit, rewrite.previous, rewrite.subject) == (bad, first, "tidy")
    assert (rewrite.line, rewrite.old_line, rewrite.new_line) == (7, "# L", "# Ledger")
    # Without the history only the working copy is compared with HEAD, and it matches.
    assert verify_archive(_open(repo), ARCHIVE, history=False).ok
    # The history of an earlier revision holds no rewrite.
    assert verify_archive(_open(repo), ARCHIVE, Against.nothing, rev=first).ok


def test_the_working_copy_and_the_staged_archive_are_compared_with_head(repo):
    head = repo.commit("snapshot 1", {ARCHIVE: V1})
    (repo.path / ARCHIVE).write_text(V1.replace("# Fix Plan Archive", "# Archive"))
    (rewrite,) = verify_archive(_open(repo), ARCHIVE).rewrites
    assert (rewrite.commit, rewrite.previous, rewrite.line) == ("working copy", head, 1)
    assert verify_archive(_open(repo), ARCHIVE, Against.staged).ok  # not staged yet
    assert verify_archive(_open(repo), ARCHIVE, Against.nothing).checked is None
    repo.git("add", ARCHIVE)
    (rewrite,) = verify_archive(_open(repo), ARCHIVE, Against.staged).rewrites
    assert rewrite.commit == "staged archive"
    repo.git("rm", "-q", "--cached", ARCHIVE)
    (rewrite,) = verify_archive(_open(repo), ARCHIVE, Against.staged).rewrites
    assert rewrite.deleted


def test_no_archive_anywhere_is_missing_and_a_new_one_is_not(repo):
    repo.commit("start", {"README.md": "x\n"})
    report = verify_archive(_open(repo), ARCHIVE)
    assert report.ok and report.missing
    (repo.path / "docs").mkdir()
    (repo.path / ARCHIVE).write_text(V1)
    report = verify_archive(_open(repo), ARCHIVE)
    assert report.ok and not report.missing and report.versions_checked == 0
