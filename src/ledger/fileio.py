"""Bytes on disk <-> text, without losing a byte, and writes that cannot half-happen.

* `read_text` decodes UTF-8 with `surrogateescape`, so bytes that are not valid UTF-8 (and a BOM,
  which decodes to U+FEFF) come back unchanged from `encode_text`.
* `atomic_write` writes a temp file in the same folder, fsyncs it, keeps the original file's
  mode and `os.replace`s it over the target: a crash leaves the old file or the new one, never
  a truncated one. It skips the write when the bytes are unchanged.
* `locked_update` runs read-modify-write under a `filelock` lock and refuses to write when the
  file changed on disk after it was read (it re-reads and re-applies once first).
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from .errors import ConcurrentModification, LedgerFileError

ENCODING = "utf-8"
ERRORS = "surrogateescape"


def decode(data: bytes) -> str:
    return data.decode(ENCODING, ERRORS)


def encode_text(text: str) -> bytes:
    return text.encode(ENCODING, ERRORS)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or one clear `LedgerFileError`."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise LedgerFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise LedgerFileError(f"{path}: is a directory, not a ledger file") from None
    except PermissionError:
        raise LedgerFileError(f"{path}: permission denied") from None
    except OSError as exc:
        raise LedgerFileError(f"{path}: cannot read ({exc.strerror or exc})") from None


def read_text(path: Path) -> str:
    return decode(read_bytes(path))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Test seam: called between writing the temp file and replacing the target.
_before_replace: Optional[Callable[[Path], None]] = None


def atomic_write(path: Path, data: bytes) -> bool:
    """Write `data` to `path` atomically; return False (and write nothing) if unchanged."""
    path = Path(path)
    try:
        if path.read_bytes() == data:
            return False
        mode: Optional[int] = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        if _before_replace is not None:
            _before_replace(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(folder)
    return True


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def lock_path(path: Path) -> Path:
    """The lock file guarding `path`: in the temp folder, keyed by the file's real path, so no
    stray lock files appear in the user's repository."""
    real = os.path.realpath(path)
    key = hashlib.sha1(real.encode("utf-8", ERRORS)).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / "ledger-locks"
    folder.mkdir(mode=0o777, exist_ok=True)
    return folder / f"{Path(path).name}.{key}.lock"


@dataclass(frozen=True)
class UpdateResult:
    before: str
    after: str
    written: bool


def locked_update(
    path: Path, change: Callable[[str], str], *, timeout: float = 30.0, dry_run: bool = False
) -> UpdateResult:
    """Apply `change(text) -> new_text` to the file under a lock, atomically.

    The new text is computed from the bytes read; just before replacing, the file is read again
    and if it differs (another writer that does not take our lock) the change is re-applied to
    the fresh text once; if it changed again the update is refused.
    """
    from filelock import FileLock, Timeout  # lazy: filelock costs ~40 ms to import

    path = Path(path)
    lock = FileLock(str(lock_path(path)), timeout=timeout)
    try:
        with lock:
            for _attempt in range(2):
                raw = read_bytes(path)
                before = decode(raw)
                after = change(before)
                if dry_run:
                    return UpdateResult(before, after, False)
                if read_bytes(path) != raw:
                    continue
                written = atomic_write(path, encode_text(after))
                return UpdateResult(before, after, written)
    except Timeout:
        raise ConcurrentModification(
            f"{path}: another ledger command is editing it (lock {lock_path(path)})"
        ) from None
    raise ConcurrentModification(
        f"{path}: the file kept changing while it was being edited; nothing was written"
    )
