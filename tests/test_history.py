"""`ledger.history` on real git repositories built in tmp_path (never mocked git)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from gitrepo import GitRepo

from ledger import history
from ledger.config import DwellConfig
from ledger.dwell import cache_dir, scan_repository
from ledger.errors import GitError

LEDGER = "docs/fix_plan.md"


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    return GitRepo(tmp_path / "work")


def plan(status: str = "pending") -> str:
    return f"# Plan\n\n## [A-001] First\n- Status: {status}\n"


def test_commits_oldest_first_with_commit_dates_paths_and_ledger_blobs(repo):
    first = repo.commit("seed", {"src/a.py": "x = 1\n"}, date="2025-11-01T10:00:00+00:00")
    second = repo.commit(
        "SUPERVISOR: plan", {LEDGER: plan(), "input.md": "do\n"}, date="2025-11-01T11:00:00+02:00"
    )
    third = repo.commit("A-001 work", {"src/a.py": "x = 2\n"}, date="2025-11-01T12:00:00+00:00")
    commits = history.first_parent_commits(history.open_repo(repo.path), "HEAD", LEDGER)
    assert [c.sha for c in commits] == [first, second, third]
    assert commits[1].date == datetime(2025, 11, 1, 9, 0, tzinfo=timezone.utc)
    assert commits[1].subject == "SUPERVISOR: plan"
    assert set(commits[1].paths) == {LEDGER, "input.md"} and commits[2].paths == ("src/a.py",)
    blob = repo.git("rev-parse", f"{second}:{LEDGER}")
    assert [c.ledger_blob for c in commits] == [None, blob, blob]  # carried forward


def test_commit_date_not_author_date(repo):
    repo.path.joinpath("f").write_text("1")
    repo.git("add", "f")
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2020-01-01T00:00:00Z",
        "GIT_COMMITTER_DATE": "2025-06-01T00:00:00Z",
    }
    subprocess.run(["git", "commit", "-q", "-m", "x"], cwd=repo.path, env=env, check=True)
    (commit,) = history.first_parent_commits(history.open_repo(repo.path), "HEAD", LEDGER)
    assert commit.date.year == 2025


def test_ledger_deleted_and_recreated(repo):
    repo.commit("add", {LEDGER: plan()})
    repo.commit("delete", {LEDGER: None})
    repo.commit("again", {LEDGER: plan("done")})
    commits = history.first_parent_commits(history.open_repo(repo.path), "HEAD", LEDGER)
    assert commits[0].ledger_blob and commits[1].ledger_blob is None and commits[2].ledger_blob
    assert LEDGER in commits[1].paths


def test_first_parent_only_and_merge_paths_against_the_first_parent(repo):
    repo.commit("base", {LEDGER: plan()})
    repo.git("checkout", "-q", "-b", "side")
    side = repo.commit("side work", {"src/side.py": "s\n", LEDGER: plan("blocked")})
    repo.git("checkout", "-q", "main")
    repo.commit("main work", {"src/main.py": "m\n"})
    repo.git("merge", "-q", "--no-ff", "-m", "Merge side", "side", date="2025-11-02T00:00:00+00:00")
    commits = history.first_parent_commits(history.open_repo(repo.path), "HEAD", LEDGER)
    assert [c.subject for c in commits] == ["base", "main work", "Merge side"]
    assert side not in {c.sha for c in commits}
    merge = commits[-1]
    assert set(merge.paths) == {"src/side.py", LEDGER}
    assert merge.ledger_blob == repo.git("rev-parse", f"HEAD:{LEDGER}")


def test_any_ref_tag_sha_and_relative_revision(repo):
    a = repo.commit("one", {LEDGER: plan()})
    b = repo.commit("two", {"x": "1"})
    repo.git("tag", "v1", a)
    repo.git("branch", "old", a)
    r = history.open_repo(repo.path)
    for rev in ("v1", "old", a, a[:10], "HEAD~1"):
        assert [c.sha for c in history.first_parent_commits(r, rev, LEDGER)] == [a], rev
    assert history.resolve(r, "HEAD") == b


def test_unknown_revision_and_option_like_revision_are_git_errors(repo):
    repo.commit("one", {LEDGER: plan()})
    r = history.open_repo(repo.path)
    with pytest.raises(GitError, match="unknown revision"):
        history.first_parent_commits(r, "nope", LEDGER)
    with pytest.raises(GitError):
        history.resolve(r, "--all")


def test_bare_mirror(repo, tmp_path):
    first = repo.commit("SUPERVISOR: A-001 plan", {LEDGER: plan()})
    repo.commit("A-001 work", {"src/a.py": "1\n"})
    bare = tmp_path / "mirror.git"
    subprocess.run(["git", "clone", "-q", "--mirror", str(repo.path), str(bare)], check=True)
    r = history.open_repo(bare)
    assert r.bare and r.git_dir == bare.resolve()
    commits = history.first_parent_commits(r, "main", LEDGER)
    assert commits[0].sha == first and commits[0].ledger_blob
    scan = scan_repository(r, "main", LEDGER, DwellConfig())
    assert scan.report.get("A-001").turns == 1
    assert any(cache_dir(r.git_dir).rglob("*.json"))  # the cache lives in the bare repo


def test_not_a_repository(tmp_path):
    with pytest.raises(GitError, match="not inside a git repository"):
        history.open_repo(tmp_path)
    assert history.find_repo_fast(tmp_path) is None


def test_open_repo_from_a_subfolder_only_when_asked(repo):
    repo.commit("one", {LEDGER: plan()})
    sub = repo.path / "docs"
    assert history.open_repo(sub, search_parents=True).work_tree == repo.path.resolve()
    with pytest.raises(GitError):
        history.open_repo(sub)
    fast = history.find_repo_fast(sub / "fix_plan.md")
    assert fast is not None and fast.work_tree == repo.path.resolve()


def test_open_work_tree_finds_the_top_folder_from_a_subfolder_and_refuses_elsewhere(repo, tmp_path):
    (repo.path / "docs").mkdir()
    found = history.open_work_tree(repo.path / "docs")
    assert (
        found.work_tree == repo.path.resolve() and found.git_dir == (repo.path / ".git").resolve()
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    with pytest.raises(GitError, match=r"elsewhere is not inside a git repository\Z"):
        history.open_work_tree(outside)
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    with pytest.raises(GitError, match="not inside a git repository"):
        history.open_work_tree(bare)  # no working tree to hold a .gitattributes


def test_set_config_writes_the_repositorys_own_config_only(repo):
    r = history.open_work_tree(repo.path)
    history.set_config(r, "merge.ledger.driver", "ledger merge-driver %O %A %B --path %P")
    history.set_config(r, "merge.ledger.name", "-starts with a dash")  # a value, not an option
    assert repo.git("config", "--local", "merge.ledger.driver") == (
        "ledger merge-driver %O %A %B --path %P"
    )
    assert repo.git("config", "--local", "merge.ledger.name") == "-starts with a dash"
    assert "merge" not in Path(os.environ["GIT_CONFIG_GLOBAL"]).read_text()
    with pytest.raises(GitError, match=r"^git config failed: "):
        history.set_config(r, "not a key", "x")


def test_repository_without_commits(repo):
    r = history.open_repo(repo.path)
    assert not history.has_commits(r)
    assert history.blob_at(r, "HEAD", LEDGER) is None
    for rev in ("HEAD", "HEAD~2", "main"):
        with pytest.raises(GitError) as caught:
            history.first_parent_commits(r, rev, LEDGER)
        assert caught.value.message == f"{repo.path.resolve()} has no commits yet"
        assert caught.value.hint is None


def test_a_head_on_a_branch_without_commits_names_the_branches_that_have_some(repo, tmp_path):
    repo.commit("first", {"x.txt": "1\n"})
    bare = tmp_path / "mirror.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    repo.git("push", "-q", str(bare), "main")
    subprocess.run(["git", "-C", str(bare), "symbolic-ref", "HEAD", "refs/heads/trunk"], check=True)
    r = history.open_repo(bare)
    assert history.branch_names(r) == ["main"]
    with pytest.raises(GitError) as caught:
        history.resolve(r, "HEAD")
    assert "(refs/heads/trunk) has no commits yet" in caught.value.message
    assert caught.value.hint == "name one of its branches instead: main"
    with pytest.raises(GitError, match="unknown revision 'nope'"):
        history.resolve(r, "nope")  # a name that is simply wrong stays "unknown"
    assert history.resolve(r, "main") == repo.git("rev-parse", "HEAD")


def test_branches_with_a_path(repo):
    repo.commit("first", {"x.txt": "1\n"})
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("ledger on side", {LEDGER: "# L\n"})
    r = history.open_repo(repo.path)
    assert history.branches_with(r, LEDGER) == ["side"]
    assert history.branches_with(r, "x.txt") == ["main", "side"]
    assert history.branches_with(r, "nowhere.md") == []


def test_blob_reader_streams_contents_and_reports_missing_blobs(repo):
    repo.commit("one", {LEDGER: plan(), "b.txt": "béta\n"})
    r = history.open_repo(repo.path)
    ids = [history.blob_at(r, "HEAD", LEDGER), history.blob_at(r, "HEAD", "b.txt")]
    with history.BlobReader(r) as reader:
        assert [data for _, data in reader.read_many(ids)] == [plan().encode(), "béta\n".encode()]
        assert reader.read(ids[0]) == plan().encode()
        with pytest.raises(GitError, match="missing"):
            reader.read("0" * 40)


def test_repo_relative_paths(repo):
    repo.commit("one", {LEDGER: plan()})
    r = history.open_repo(repo.path)
    assert history.repo_relative(r, repo.path / "docs" / "fix_plan.md") == LEDGER
    assert history.repo_relative(r, Path("docs/fix_plan.md")) == LEDGER
    with pytest.raises(GitError):
        history.repo_relative(r, Path("/elsewhere/fix_plan.md"))


def test_odd_file_names_survive(repo):
    repo.commit("odd", {"dir with space/ü.py": "1\n", 'q"uote.md': "2\n"})
    (commit,) = history.first_parent_commits(history.open_repo(repo.path), "HEAD", LEDGER)
    assert set(commit.paths) == {"dir with space/ü.py", 'q"uote.md'}


def test_a_subject_with_separators_and_unicode(repo):
    repo.commit("[SYNC i=1] actor=ralph → next=galph status=ok\n\nbody line")
    (commit,) = history.first_parent_commits(history.open_repo(repo.path), "HEAD", LEDGER)
    assert commit.subject == "[SYNC i=1] actor=ralph → next=galph status=ok" and commit.paths == ()


def test_a_callers_git_dir_does_not_redirect_reads(repo, tmp_path, monkeypatch):
    repo.commit("mine", {LEDGER: plan()})
    other = GitRepo(tmp_path / "other")
    other.commit("theirs", {"x": "1"})
    monkeypatch.setenv("GIT_DIR", str(other.path / ".git"))
    commits = history.first_parent_commits(history.open_repo(repo.path), "HEAD", LEDGER)
    assert [c.subject for c in commits] == ["mine"]


def test_after_a_missing_blob_the_reader_still_answers_and_a_stopped_stream_hangs_nothing(repo):
    repo.commit("one", {LEDGER: plan(), "b.txt": "b\n"})
    r = history.open_repo(repo.path)
    ids = [history.blob_at(r, "HEAD", LEDGER), "f" * 40, history.blob_at(r, "HEAD", "b.txt")]
    reader = history.BlobReader(r)
    stream = reader.read_many(ids)
    assert next(stream)[1] == plan().encode()
    with pytest.raises(GitError, match="missing"):
        next(stream)
    assert reader.read(ids[2]) == b"b\n"
    started = time.monotonic()
    reader.read_many(ids)  # a generator abandoned unread
    reader.close()
    assert time.monotonic() - started < 1.0


def test_revisions_resolve_as_git_resolves_them(repo):
    first = repo.commit("one", {LEDGER: plan()})
    second = repo.commit("two", {LEDGER: plan("done")})
    repo.git("tag", "-a", "v1", "-m", "tag", first)
    r = history.open_repo(repo.path)
    assert history.resolve(r, "HEAD") == second
    assert history.resolve(r, "HEAD~1") == first == history.resolve(r, "v1")
    assert history.resolve(r, first[:8]) == first
    assert history.resolve(r, ":/one") == first  # a form only git itself reads
    for bad in ("nope", "HEAD~9", "--all"):
        with pytest.raises(GitError):
            history.resolve(r, bad)


@pytest.mark.slow
def test_ctrl_c_during_a_cold_dwell_scan_exits_130_at_once_and_leaves_no_git_behind(tmp_path):
    from conftest import DATA

    work = tmp_path / "nb"
    subprocess.run(
        ["git", "clone", "-q", str(DATA / "fixtures" / "nanobragg-2025-10-10.bundle"), str(work)],
        check=True,
    )
    flag = tmp_path / "scanning"
    # The scan is slowed down (each ledger version takes 20 ms more) so the interrupt surely
    # arrives in the middle of it, with git processes (the patch stream) running.
    script = (
        "import sys, time, pathlib, ledger.dwell.versions as v\n"
        "orig = v.VersionTracker.apply\n"
        "def slow(self, change):\n"
        f"    pathlib.Path({str(flag)!r}).touch()\n"
        "    time.sleep(0.02)\n"
        "    return orig(self, change)\n"
        "v.VersionTracker.apply = slow\n"
        "sys.argv = ['ledger', 'dwell']\n"
        "from ledger.cli import main\n"
        "main()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 30
    while not flag.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.2)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=10)
    elapsed = time.monotonic() - sent
    assert elapsed < 1.0, f"exited {elapsed:.2f} s after the interrupt"
    assert proc.returncode == 130
    assert err.decode() == "ledger: interrupted\n"
    assert not _git_processes_in(work)


def _git_processes_in(folder: Path) -> list[int]:
    """Live processes whose working folder is `folder` (git children left behind)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
            cmd = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if cwd.startswith(str(folder)) and b"git" in cmd:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not hasattr(__import__("fcntl"), "F_GETPIPE_SZ"), reason="Linux pipes only")
def test_the_patch_stream_lets_git_write_far_ahead_of_the_reader():
    import fcntl

    from ledger.history.log import _widen_pipe

    read_end, write_end = os.pipe()
    try:
        with os.fdopen(read_end, "rb") as stream:
            before = fcntl.fcntl(read_end, fcntl.F_GETPIPE_SZ)
            _widen_pipe(stream)
            assert fcntl.fcntl(read_end, fcntl.F_GETPIPE_SZ) >= max(before, 1 << 18)
    finally:
        os.close(write_end)
