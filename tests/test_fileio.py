"""Writes that cannot half-happen: atomic replace, kept mode, lock, and the re-read check."""

from __future__ import annotations

import os
import stat

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
    with pytest.raises(LedgerFileError, match="cannot write; the file was not changed .disk full"):
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
    from filelock import FileLock

    with FileLock(str(fileio.lock_path(ledger_file))), pytest.raises(ConcurrentModification):
        fileio.locked_update(ledger_file, lambda t: t + "x\n", timeout=0.2)
    assert ledger_file.read_text() == TEXT


def test_undecodable_bytes_survive_an_edit(tmp_path):
    path = tmp_path / "fix_plan.md"
    raw = b"\xef\xbb\xbf# Plan\r\n\xff\xfe odd bytes\r\n"
    path.write_bytes(raw)
    fileio.locked_update(path, lambda t: t + "tail\r\n")
    assert path.read_bytes() == raw + b"tail\r\n"
