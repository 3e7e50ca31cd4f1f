"""Bytes on disk <-> text, and the one write path of `ledger`.

Reading: `read_text` decodes UTF-8 with `surrogateescape`, so bytes that are not valid UTF-8 (and
a BOM, which decodes to U+FEFF) come back unchanged from `encode_text`. `read_ledger` also refuses
what cannot be a ledger (an empty file, binary data) with one clear `NotALedger` error.

Writing goes through one route, whatever the command:

* `atomic_write` follows symlinks and writes their target (the link stays a link), refuses a
  file or folder that is read-only instead of replacing it, writes a temp file in the same
  folder, fsyncs it, gives it the old file's mode (and owner, when allowed) and `os.replace`s
  it over the target: a crash leaves the old file or the new one, never a truncated one. Every
  `OSError` becomes one `LedgerFileError` line, and the target is then untouched.
* `repository_lock` serialises the writers of one file. The lock lives in the repository's git
  folder (`<git-dir>/ledger/locks/`), so every user and every container sharing the work tree
  shares it and `git status` never shows it; outside a repository it sits next to the file.
* `locked_update` runs read-modify-write under that lock, and re-applies the change when the
  file changed between reading and writing (a writer that does not take the lock).

Paths: `inside` is the one guard for paths built from an ID or from file content (plan files,
links the checks follow, configured paths): they must resolve inside the repository root (or
the ledger's folder outside git).
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from .errors import ConcurrentModification, LedgerFileError, NotALedger, PathOutsideRoot

ENCODING = "utf-8"
ERRORS = "surrogateescape"
TEMP_SUFFIX = ".ledger-tmp"
LOCK_TIMEOUT = 30.0


def decode(data: bytes) -> str:
    return data.decode(ENCODING, ERRORS)


def encode_text(text: str) -> bytes:
    return text.encode(ENCODING, ERRORS)


def digest(data: bytes) -> str:
    import hashlib  # lazily: loading OpenSSL costs readers a few milliseconds

    return hashlib.sha256(data).hexdigest()


def os_error(path: Path | str, exc: OSError, action: str = "cannot read") -> LedgerFileError:
    """One line for an `OSError` on `path` (what the user sees instead of a traceback)."""
    if isinstance(exc, FileNotFoundError):
        return LedgerFileError(f"{path}: no such file")
    if isinstance(exc, IsADirectoryError):
        return LedgerFileError(f"{path}: is a directory, not a file")
    reason = exc.strerror or str(exc)
    return LedgerFileError(f"{path}: {action} ({reason})")


# --- reading ------------------------------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or one clear `LedgerFileError`."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise os_error(path, exc) from None


def read_text(path: Path) -> str:
    return decode(read_bytes(path))


def not_a_ledger_reason(data: bytes) -> str | None:
    """Why `data` cannot be a ledger (empty, binary), or None when it is text."""
    if not data.strip():
        return "it is empty" if not data else "it holds only whitespace"
    if b"\x00" in data:
        return "it holds NUL bytes (binary data)"
    head = data[:65536]
    try:
        head.decode(ENCODING)
        return None  # valid UTF-8 (the common case, checked at C speed)
    except UnicodeDecodeError:
        pass
    text = decode(head)
    from .encoding import UNDECODABLE

    undecodable = len(UNDECODABLE.findall(text))
    if undecodable * 10 > len(text):  # more than a tenth of the bytes are not UTF-8
        return "it is not UTF-8 text (binary data)"
    return None


def read_ledger(path: Path) -> tuple[str, int]:
    """The text of a ledger file and its size in bytes; `NotALedger` for empty or binary files."""
    data = read_bytes(path)
    reason = not_a_ledger_reason(data)
    if reason is not None:
        raise NotALedger(path, reason)
    return decode(data), len(data)


# --- paths --------------------------------------------------------------------------------------


def real_target(path: Path) -> Path:
    """The file a path finally names: symlinks (also dangling ones) followed to their target."""
    return Path(os.path.realpath(path))


def repository_root(path: Path) -> Path | None:
    """The work tree holding `path` (the nearest folder with a `.git`), or None."""
    start = real_target(path)
    for folder in (start, *start.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return None


def containment_root(path: Path) -> Path:
    """Where paths derived from this file's content must stay: its repository, else its folder."""
    return repository_root(path) or real_target(path).parent


def inside(root: Path, relative: str | Path, *, what: str = "path") -> Path:
    """`root / relative`, refused (`PathOutsideRoot`) unless it resolves inside `root`.

    Symlinks on the way are followed, so a link pointing out of the repository is caught too.
    """
    base = real_target(root)
    resolved = real_target(base / Path(relative))  # an absolute `relative` replaces `base`
    if resolved != base and base not in resolved.parents:
        raise PathOutsideRoot(f"{what} {str(relative)!r} leads outside {base}")
    return resolved


def git_dir(work_tree: Path) -> Path | None:
    """The git folder shared by a work tree and its linked worktrees (no git process needed)."""
    dot_git = work_tree / ".git"
    if dot_git.is_dir():
        found = dot_git
    elif dot_git.is_file():  # a linked worktree or a submodule: `gitdir: <path>`
        try:
            line = dot_git.read_text(encoding="utf-8").strip()
        except OSError:
            return None
        if not line.startswith("gitdir:"):
            return None
        found = Path(line[len("gitdir:") :].strip())
        if not found.is_absolute():
            found = work_tree / found
    else:
        return None
    common = found / "commondir"
    if common.is_file():
        try:
            shared = Path(common.read_text(encoding="utf-8").strip())
        except OSError:
            shared = None
        if shared is not None:
            found = shared if shared.is_absolute() else found / shared
    return real_target(found)


# --- the repository lock ------------------------------------------------------------------------


def lock_path(path: Path) -> Path:
    """The lock guarding `path`: under `<git-dir>/ledger/locks/`, keyed by the file's real path,
    or `.<name>.ledger-lock` next to the file when it is in no repository."""
    target = real_target(path)
    root = repository_root(target)
    folder = git_dir(root) if root is not None else None
    if folder is None:
        return target.parent / f".{target.name}.ledger-lock"
    import hashlib

    key = hashlib.sha1(str(target).encode(ENCODING, ERRORS)).hexdigest()[:16]
    return folder / "ledger" / "locks" / f"{target.name}.{key}.lock"


def _lock_folder(lock: Path) -> None:
    """Create the lock folder with the permissions of the git folder above it, so that every user
    who may write the repository may take the lock (`core.sharedRepository` keeps working)."""
    folder = lock.parent
    if folder.is_dir():
        return
    if folder.name != "locks":  # next to the file: that folder must already exist
        return
    git_folder = folder.parent.parent
    mode = stat.S_IMODE(git_folder.stat().st_mode) | stat.S_IRWXU
    for sub in (folder.parent, folder):
        try:
            sub.mkdir()
        except FileExistsError:
            continue
        os.chmod(sub, mode)


def _open_lock(lock: Path) -> int:
    _lock_folder(lock)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    except PermissionError:
        # Another user's lock file: a read-only descriptor can still hold a flock.
        fd = os.open(lock, os.O_RDONLY)
    else:
        try:  # group-shared repositories: the next user of the group must open it too
            if stat.S_IMODE(os.fstat(fd).st_mode) & 0o020 == 0 and (
                stat.S_IMODE(lock.parent.stat().st_mode) & 0o020
            ):
                os.fchmod(fd, 0o664)
        except OSError:
            pass
    return fd


@contextmanager
def repository_lock(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[Path]:
    """Hold the repository's lock for `path` (waiting up to `timeout` seconds)."""
    lock = lock_path(path)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the portable (slower to import) lock
        yield from _filelock(lock, timeout)
        return
    try:
        fd = _open_lock(lock)
    except OSError as exc:
        raise LedgerFileError(
            f"{lock}: cannot create the lock ({exc.strerror or exc})",
            hint="everyone who edits the ledger needs write access to the repository's .git "
            "folder (git config core.sharedRepository group)",
        ) from None
    try:
        deadline = time.monotonic() + timeout
        delay = 0.002
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise os_error(lock, exc, "cannot lock") from None
            if time.monotonic() >= deadline:
                raise ConcurrentModification(
                    f"{path}: another ledger command is editing it (lock {lock})"
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
        yield lock
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _filelock(lock: Path, timeout: float) -> Iterator[Path]:  # pragma: no cover - Windows
    from filelock import FileLock, Timeout

    _lock_folder(lock)
    try:
        with FileLock(str(lock), timeout=timeout):
            yield lock
    except Timeout:
        raise ConcurrentModification(f"{lock}: another ledger command holds the lock") from None


def _remove_stale_temps(target: Path) -> None:
    """Temp files of a writer that died between writing and replacing (under the lock, every
    writer of this file is gone, so any such file is stale)."""
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    prefix = f".{target.name}."
    for name in names:
        if name.startswith(prefix) and name.endswith(TEMP_SUFFIX):
            try:
                os.unlink(target.parent / name)
            except OSError:
                pass


# --- writing ------------------------------------------------------------------------------------


# Test seam: called between writing the temp file and replacing the target.
_before_replace: Callable[[Path], None] | None = None


def _writable(path: Path, st: os.stat_result) -> bool:
    """Writable for us, and not marked read-only for everyone (`chmod 444` is a decision, even
    for root, whom the permission check lets through)."""
    return os.access(path, os.W_OK) and bool(stat.S_IMODE(st.st_mode) & 0o222)


def refuse_unwritable(target: Path) -> None:
    """Refuse now (before any side effect of a change) a file that exists and is read-only."""
    try:
        st = target.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise os_error(target, exc) from None
    if not stat.S_ISDIR(st.st_mode) and not _writable(target, st):
        raise LedgerFileError(
            f"{target}: the file is read-only; nothing was written",
            hint="make it writable (chmod u+w) if the change is wanted",
        )


def check_can_create(path: Path) -> None:
    """Refuse now a new file whose folder (or nearest existing ancestor) is not writable, so a
    command that writes several files can fail before it wrote any of them."""
    target = real_target(Path(path))
    if target.exists():
        return
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if (
        not folder.is_dir()
        or not _writable(folder, folder.stat())
        or not os.access(folder, os.X_OK)
    ):
        raise LedgerFileError(
            f"{target}: its folder {folder} is read-only; nothing was written",
            hint="a file is created atomically, which needs write access to its folder",
        )


def _folder_for(target: Path, create_folders: bool) -> Path:
    folder = target.parent
    if not folder.is_dir():
        if not create_folders:
            raise LedgerFileError(f"{target}: the folder {folder} does not exist")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_error(folder, exc, "cannot create the folder") from None
    try:
        st = folder.stat()
    except OSError as exc:
        raise os_error(folder, exc) from None
    if not _writable(folder, st) or not os.access(folder, os.X_OK):
        raise LedgerFileError(
            f"{target}: its folder {folder} is read-only; nothing was written",
            hint="a file is replaced atomically, which needs write access to its folder",
        )
    return folder


def atomic_write(
    path: Path, data: bytes, *, create_folders: bool = False, durable: bool = True
) -> bool:
    """Write `data` to the file `path` names (through symlinks), atomically.

    Returns False (and writes nothing) when the file already holds these bytes. Refuses a
    read-only file or folder; any failure leaves the file exactly as it was. `durable=False`
    skips the fsyncs, for caches that can always be rebuilt.
    """
    target = real_target(Path(path))
    try:
        st: os.stat_result | None = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise os_error(target, exc) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise LedgerFileError(f"{target}: is a directory, not a file")
        if not _writable(target, st):
            raise LedgerFileError(
                f"{target}: the file is read-only; nothing was written",
                hint="make it writable (chmod u+w) if the change is wanted",
            )
        try:
            if target.read_bytes() == data:
                return False
        except OSError as exc:
            raise os_error(target, exc) from None
    folder = _folder_for(target, create_folders)
    import tempfile  # lazily: only writers pay for it

    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise os_error(folder, exc, "cannot create a temp file") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            if (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                try:  # root editing someone's file keeps it theirs
                    os.chown(tmp, st.st_uid, st.st_gid)
                except OSError:
                    pass
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        if _before_replace is not None:
            _before_replace(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise os_error(target, exc, "cannot write; the file was not changed") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable:
        _fsync_dir(folder)
    return True


def write_cache(path: Path, data: bytes) -> bool:
    """Best-effort atomic write of a cache file of ours (folders created, no fsync); False on
    failure, since a cache that cannot be written (a read-only mirror) is simply not kept.

    Leaner than `atomic_write` on purpose: a cold dwell scan writes one file per ledger version,
    and the user-file guarantees (symlinks followed, mode and owner kept, unchanged bytes
    skipped) cost a dozen system calls each that a cache never needs. The temp file is still in
    the same folder and replaces the old one in one step, so a reader never sees half a file."""
    import threading  # lazily, and cheap: already loaded by any program that writes caches

    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}{TEMP_SUFFIX}")
    try:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
        return True
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return False


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


class UpdateResult(NamedTuple):
    """What `locked_update` read and computed, and whether it wrote."""

    before: str | None  # None: the file did not exist
    after: str
    written: bool


def _read_optional(path: Path, missing_ok: bool) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return None
        raise LedgerFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise os_error(path, exc) from None


def locked_update(
    path: Path,
    change: Callable[[str | None], str],
    *,
    timeout: float = LOCK_TIMEOUT,
    dry_run: bool = False,
    missing_ok: bool = False,
    create_folders: bool = False,
) -> UpdateResult:
    """Apply `change(text) -> new_text` to the file under the repository lock, atomically.

    `change` gets None when the file does not exist (only with `missing_ok`). The new text is
    computed from the bytes read; just before replacing, the file is read again, and if a writer
    that does not take the lock changed it meanwhile, the change is re-applied to the fresh text
    (twice at most, then the update is refused).
    """
    target = real_target(Path(path))
    if not dry_run:  # a read-only file or folder: one clear line before anything happens
        refuse_unwritable(target)
        _folder_for(target, create_folders)
    with repository_lock(target, timeout):
        _remove_stale_temps(target)
        for _attempt in range(3):
            raw = _read_optional(target, missing_ok)
            before = decode(raw) if raw is not None else None
            after = change(before)
            if dry_run or after == before:
                return UpdateResult(before, after, False)
            if _read_optional(target, True) != raw:
                continue
            written = atomic_write(target, encode_text(after), create_folders=create_folders)
            return UpdateResult(before, after, written)
    raise ConcurrentModification(
        f"{path}: the file kept changing while it was being edited; nothing was written"
    )


def create_file(path: Path, data: bytes, *, create_folders: bool = False) -> bool:
    """Write a new file under the lock; an existing file is left alone (returns False)."""

    def change(text: str | None) -> str:
        return decode(data) if text is None else text

    return locked_update(path, change, missing_ok=True, create_folders=create_folders).written
