"""Writes that cannot half-happen: atomic replace, kept mode, lock, and the re-read check."""

from __future__ import annotations

import os
import stat
import subprocess

import pytest

from ledger import fileio
from ledger.errors import ConcurrentModification, LedgerFileError

TEXT = "# Plan\n\n## [A-001] First\n- Status: pending\n"


@pytest.fixture
def ledger_file(tmp_path):
    path = tmp_path / "fix_plan.md"
    path.write_bytes(TEXT.encode())
    return path


def _temp_files(folder):
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_atomic_write_replaces_content_and_keeps_mode(ledger_file):
    os.chmod(ledger_file, 0o640)
    assert fileio.atomic_write(ledger_file, b"new\n") is True
    assert ledger_file.read_bytes() == b"new\n"
    assert stat.S_IMODE(ledger_file.stat().st_mode) == 0o640
    assert _temp_files(ledger_file.parent) == []


def test_atomic_write_skips_unchanged_content(ledger_file):
    before = ledger_file.stat()
    os.utime(ledger_file, ns=(before.st_atime_ns, before.st_mtime_ns - 10_000_000_000))
    old_mtime = ledger_file.stat().st_mtime_ns
    old_inode = ledger_file.stat().st_ino
    assert fileio.atomic_write(ledger_file, TEXT.encode()) is False
    assert ledger_file.stat().st_mtime_ns == old_mtime
    assert ledger_file.stat().st_ino == old_inode  # not even replaced by an identical copy


def test_failure_between_temp_write_and_replace_leaves_old_file(ledger_file, monkeypatch):
    seen = []

    def crash(tmp):
        seen.append(tmp)
        assert tmp.read_bytes() == b"half-done\n"  # the temp file was fully written first
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(fileio, "_before_replace", crash)
    with pytest.raises(KeyboardInterrupt):
        fileio.atomic_write(ledger_file, b"half-done\n")
    assert seen, "the failure was injected"
    assert ledger_file.read_bytes() == TEXT.encode()
    assert _temp_files(ledger_file.parent) == []
    assert not seen[0].exists()


def test_failure_during_locked_update_writes_nothing(ledger_file, monkeypatch):
    def crash(_tmp):
        raise OSError("disk full")

    monkeypatch.setattr(fileio, "_before_replace", crash)
    with pytest.raises(
        LedgerFileError, match=r"cannot write; the file was not changed \(disk full"
    ):
        fileio.locked_update(ledger_file, lambda t: t + "- Latest Attempt (2026-01-01): x\n")
    assert ledger_file.read_bytes() == TEXT.encode()
    assert _temp_files(ledger_file.parent) == []


def test_locked_update_writes_new_text(ledger_file):
    result = fileio.locked_update(ledger_file, lambda t: t.replace("pending", "done"))
    assert result.written and ledger_file.read_text() == TEXT.replace("pending", "done")
    assert result.before == TEXT


def test_locked_update_without_change_writes_nothing(ledger_file):
    result = fileio.locked_update(ledger_file, lambda t: t)
    assert result.written is False


def test_dry_run_writes_nothing(ledger_file):
    result = fileio.locked_update(ledger_file, lambda t: t + "x\n", dry_run=True)
    assert result.after == TEXT + "x\n" and not result.written
    assert ledger_file.read_text() == TEXT


def test_change_on_disk_during_edit_is_reapplied_once(ledger_file):
    calls = []

    def change(text):
        calls.append(text)
        if len(calls) == 1:  # another writer (without our lock) edits the file meanwhile
            ledger_file.write_text(text + "- Note: other writer\n")
        return text + "- Latest Attempt (2026-01-01): mine\n"

    fileio.locked_update(ledger_file, change)
    assert len(calls) == 2
    final = ledger_file.read_text()
    assert "other writer" in final and "mine" in final  # nothing lost


def test_file_that_keeps_changing_is_refused_without_writing(ledger_file):
    counter = iter(range(100))

    def change(text):
        ledger_file.write_text(text + f"- Note: other writer {next(counter)}\n")
        return text + "- Latest Attempt (2026-01-01): mine\n"

    with pytest.raises(ConcurrentModification):
        fileio.locked_update(ledger_file, change)
    final = ledger_file.read_text()
    assert "mine" not in final and "other writer 1" in final
    assert _temp_files(ledger_file.parent) == []


def test_held_lock_times_out_as_concurrent_modification(ledger_file):
    with fileio.repository_lock(ledger_file), pytest.raises(ConcurrentModification):
        fileio.locked_update(ledger_file, lambda t: t + "x\n", timeout=0.2)
    assert ledger_file.read_text() == TEXT


def test_undecodable_bytes_survive_an_edit(tmp_path):
    path = tmp_path / "fix_plan.md"
    raw = b"\xef\xbb\xbf# Plan\r\n\xff\xfe odd bytes\r\n"
    path.write_bytes(raw)
    fileio.locked_update(path, lambda t: t + "tail\r\n")
    assert path.read_bytes() == raw + b"tail\r\n"


# --- where the lock lives -------------------------------------------------------------------


def _git(repo, *args):
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def test_the_lock_lives_in_the_git_folder_and_git_status_never_shows_it(tmp_path):
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    _git(repo, "init", "-q")
    ledger = repo / "docs" / "fix_plan.md"
    ledger.write_text(TEXT)
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "seed")
    fileio.locked_update(ledger, lambda t: t.replace("pending", "done"))
    lock = fileio.lock_path(ledger)
    assert lock.parent == (repo / ".git" / "ledger" / "locks").resolve() and lock.exists()
    assert _git(repo, "status", "--porcelain") == " M docs/fix_plan.md\n"


def test_a_symlink_and_its_target_share_one_lock(tmp_path):
    (tmp_path / "docs").mkdir()
    target = tmp_path / "docs" / "fix_plan.md"
    target.write_text(TEXT)
    (tmp_path / "fix_plan.md").symlink_to("docs/fix_plan.md")
    assert fileio.lock_path(tmp_path / "fix_plan.md") == fileio.lock_path(target)


def test_linked_worktrees_share_the_lock_folder_of_their_repository(tmp_path):
    main = tmp_path / "main"
    main.mkdir()
    _git(main, "init", "-q")
    (main / "fix_plan.md").write_text(TEXT)
    _git(main, "add", ".")
    _git(main, "commit", "-qm", "seed")
    _git(main, "worktree", "add", "-q", str(tmp_path / "other"))
    lock = fileio.lock_path(tmp_path / "other" / "fix_plan.md")
    assert lock.parent == (main / ".git" / "ledger" / "locks").resolve()


def test_outside_a_repository_the_lock_sits_next_to_the_file(ledger_file):
    assert fileio.lock_path(ledger_file) == ledger_file.parent / ".fix_plan.md.ledger-lock"


def test_the_lock_folder_gets_the_permissions_of_a_shared_git_folder(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "--shared=group")
    ledger = repo / "fix_plan.md"
    ledger.write_text(TEXT)
    fileio.locked_update(ledger, lambda t: t + "x\n")
    git_mode = stat.S_IMODE((repo / ".git").stat().st_mode)
    for folder in (repo / ".git" / "ledger", repo / ".git" / "ledger" / "locks"):
        assert stat.S_IMODE(folder.stat().st_mode) == git_mode | stat.S_IRWXU
    assert stat.S_IMODE(fileio.lock_path(ledger).stat().st_mode) & 0o060 == 0o060


def test_a_lock_held_through_a_read_only_descriptor_still_excludes_writers(ledger_file):
    # how a user who cannot write another user's lock file holds it
    lock = fileio.lock_path(ledger_file)
    lock.touch()
    os.chmod(lock, 0o444)
    fd = os.open(lock, os.O_RDONLY)
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(ConcurrentModification):
            fileio.locked_update(ledger_file, lambda t: t + "x\n", timeout=0.1)
    finally:
        os.close(fd)
    assert fileio.locked_update(ledger_file, lambda t: t + "x\n").written


# --- the write path ---------------------------------------------------------------------------


def test_a_symlinked_file_is_written_through_and_stays_a_link(tmp_path):
    (tmp_path / "docs").mkdir()
    target = tmp_path / "docs" / "fix_plan.md"
    target.write_text(TEXT)
    link = tmp_path / "fix_plan.md"
    link.symlink_to("docs/fix_plan.md")
    fileio.locked_update(link, lambda t: t + "x\n")
    assert link.is_symlink() and os.readlink(link) == "docs/fix_plan.md"
    assert target.read_text() == TEXT + "x\n"


def test_a_read_only_file_is_refused_even_for_root(ledger_file):
    os.chmod(ledger_file, 0o444)
    with pytest.raises(LedgerFileError, match="read-only"):
        fileio.locked_update(ledger_file, lambda t: t + "x\n")
    assert ledger_file.read_text() == TEXT and _temp_files(ledger_file.parent) == []


def test_a_read_only_folder_is_refused(ledger_file):
    os.chmod(ledger_file.parent, 0o555)
    try:
        with pytest.raises(LedgerFileError, match=r"folder .* is read-only"):
            fileio.locked_update(ledger_file, lambda t: t + "x\n")
    finally:
        os.chmod(ledger_file.parent, 0o755)
    assert ledger_file.read_text() == TEXT


def test_missing_folders_are_created_only_when_asked(tmp_path):
    target = tmp_path / "a" / "b" / "new.md"
    with pytest.raises(LedgerFileError, match="does not exist"):
        fileio.atomic_write(target, b"x")
    assert not (tmp_path / "a").exists()
    assert fileio.atomic_write(target, b"x", create_folders=True)
    assert target.read_bytes() == b"x"


def test_temp_files_of_a_writer_that_died_are_removed_by_the_next_one(ledger_file):
    stale = ledger_file.parent / ".fix_plan.md.abc123.ledger-tmp"
    stale.write_text("half")
    unrelated = ledger_file.parent / ".other.md.abc123.ledger-tmp"
    unrelated.write_text("not ours")
    fileio.locked_update(ledger_file, lambda t: t + "x\n")
    assert not stale.exists() and unrelated.exists()


def test_not_a_ledger_names_why():
    assert fileio.not_a_ledger_reason(b"") == "it is empty"
    assert fileio.not_a_ledger_reason(b" \n\n") == "it holds only whitespace"
    assert "NUL" in fileio.not_a_ledger_reason(b"# x\x00")
    assert "not UTF-8" in fileio.not_a_ledger_reason(bytes(range(128, 256)) * 4)
    assert fileio.not_a_ledger_reason("# Plan ‚Äî caf\xe9\n".encode()) is None
    assert fileio.not_a_ledger_reason(b"# Plan \xff odd byte\n") is None


def test_a_cache_file_is_written_whole_in_new_folders_and_replaced_in_one_step(tmp_path):
    path = tmp_path / "cache" / "deep" / "abc.json"
    assert fileio.write_cache(path, b'{"v": 1}')
    assert path.read_bytes() == b'{"v": 1}'
    assert fileio.write_cache(path, b'{"v": 2}')
    assert path.read_bytes() == b'{"v": 2}'
    assert [p.name for p in path.parent.iterdir()] == ["abc.json"]  # no temp file left


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_cache_that_cannot_be_written_is_simply_not_kept(tmp_path):
    folder = tmp_path / "mirror"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        assert not fileio.write_cache(folder / "abc.json", b"{}")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_a_cache_path_blocked_by_a_file_is_not_kept(tmp_path):
    (tmp_path / "cache").write_text("a file where the folder should be")
    assert not fileio.write_cache(tmp_path / "cache" / "abc.json", b"{}")
    assert (tmp_path / "cache").read_text() == "a file where the folder should be"
