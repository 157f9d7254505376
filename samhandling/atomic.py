"""Outputs are whole or absent: nobody ever finds half a file, or half of a set of files.

Three shapes of output, one rule each:

* one file (:func:`atomic_path`, :func:`write_bytes`): a temp file beside the target, renamed
  over it when complete;
* a set of files in a folder that also holds other things (:func:`write_set`, the graph files
  ``build`` writes): every file of the set is written as a temp file first, under an exclusive
  lock on the folder (two concurrent builds take turns instead of mixing their files), then all
  are renamed in one go with SIGINT/SIGTERM held back, so Ctrl-C never lands between two
  renames;
* a whole folder (:func:`new_folder`, ``synth`` and ``export-tables``): written as a temp
  folder beside the target and swapped in; an existing non-empty folder is replaced only when
  asked (``--force``), never mixed with.

Whatever happens (an error, Ctrl-C, SIGTERM) temp files are removed: SIGTERM is turned into
``SystemExit(143)`` while temp files exist, because its default action kills the process before
any ``finally`` runs. An output never follows a symbolic link: a link at the target is refused,
and rename replaces a directory entry without looking through it. A file replaced keeps its
permission bits (a ``0600`` report stays private). Every failure is one :class:`OutputError`
that names the path and why (read-only, no space left ...).
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import SamhandlingError, UsageError

#: Exit status of a process stopped by SIGTERM (128 + 15), as a shell reports it.
TERMINATED = 128 + signal.SIGTERM

_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "is a folder",
    errno.ENAMETOOLONG: "file name too long",
}


class OutputError(SamhandlingError):
    """An output could not be written; nothing of it was left behind."""


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def output_error(path: Path, exc: OSError, doing: str = "cannot write") -> OutputError:
    """One line naming the output ``path`` and why it failed (not the temp file's name)."""
    return OutputError(f"{path}: {doing}: {_reason(exc)}")


def check_parent(path: Path) -> None:
    """Refuse early (before any work) when the output folder does not exist."""
    if not path.parent.exists():
        raise UsageError(f"{path}: output folder {path.parent} does not exist")


def check_target(path: Path) -> None:
    """Refuse a target that is a symbolic link, a folder, or a read-only file.

    A link is refused, dangling or not: following it could write anywhere, and replacing it
    would silently turn a link into a file. A read-only file (no write bit for anyone) is
    refused even for root: its owner asked for it not to change, and rename would not ask.
    """
    if path.is_symlink():
        target = os.readlink(path)
        state = "a dangling symbolic link" if not path.exists() else "a symbolic link"
        raise OutputError(f"{path}: is {state} (to {target}); outputs never follow or replace "
                          "links: remove it or write elsewhere")
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise output_error(path, exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{path}: is a folder, not a file")
    if stat.S_ISREG(info.st_mode) and not info.st_mode & 0o222:
        raise OutputError(f"{path}: is read-only; refusing to replace it (make it writable or "
                          "write elsewhere)")


@contextmanager
def terminate_as_exit() -> Iterator[None]:
    """While the block runs, SIGTERM raises ``SystemExit(143)`` so cleanup code runs.

    Only in the main thread (signal handlers can be set nowhere else) and only when nobody
    installed a handler of their own; the previous handler comes back afterwards."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back for a few syscalls (the renames of a set): they arrive
    right after, when the set is whole."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    """The permission bits a replacement of ``path`` gets: the old file's, else a plain
    open()'s (mkstemp makes every temp file 0600)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _temp_file(path: Path) -> Path:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise output_error(path, exc) from None
    os.close(fd)
    return Path(tmp)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temp path beside ``path``; on success rename it over ``path``, else delete it.

    An :class:`OSError` while writing the temp file (disk full ...) becomes one
    :class:`OutputError` naming ``path``."""
    path = Path(path)
    check_parent(path)
    check_target(path)
    with terminate_as_exit():
        tmp = _temp_file(path)
        try:
            try:
                yield tmp
                os.chmod(tmp, _mode_for(path))
                os.replace(tmp, path)
            except OSError as exc:
                raise output_error(path, exc) from None
        finally:
            tmp.unlink(missing_ok=True)


def write_bytes(path: Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def _prepare_folder(folder: Path) -> None:
    """``folder`` exists (created if missing) and is a folder; links to folders are allowed
    (the user named it), a dangling one is not."""
    if folder.is_symlink() and not folder.exists():
        raise OutputError(f"{folder}: is a dangling symbolic link (to {os.readlink(folder)})")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: exists and is not a folder")
    if not folder.parent.exists():
        raise UsageError(f"{folder}: parent folder {folder.parent} does not exist")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise output_error(folder, exc, "cannot create folder") from None


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on the folder itself (no lock file is left behind)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise output_error(folder, exc, "cannot open folder") from None
    try:
        with suppress(OSError):  # a file system without locks (some NFS): the set still
            fcntl.flock(fd, fcntl.LOCK_EX)  # goes in at once, only concurrent runs may mix
        yield
    finally:
        os.close(fd)  # closing releases the lock


def write_set(folder: Path, outputs: Iterable[tuple[str, Callable[[], bytes]]]) -> list[Path]:
    """Replace the files ``outputs`` names in ``folder`` as one set; return their paths.

    Each output is ``(file name, function giving its bytes)``: the bytes are made one at a
    time and written to a temp file at once, so only one output is in memory. Other files in
    the folder are left alone. A set that fails anywhere leaves the old set as it was."""
    folder = Path(folder)
    _prepare_folder(folder)
    written: list[tuple[Path, Path]] = []
    with terminate_as_exit(), _folder_lock(folder):
        try:
            for name, produce in outputs:
                path = folder / name
                check_target(path)
                _remove_stale(path)
                tmp = _temp_file(path)
                written.append((tmp, path))
                try:
                    tmp.write_bytes(produce())
                    os.chmod(tmp, _mode_for(path))
                except OSError as exc:
                    raise output_error(path, exc) from None
            with _signals_held():
                for tmp, path in written:
                    try:
                        os.replace(tmp, path)
                    except OSError as exc:
                        raise output_error(path, exc) from None
        finally:
            for tmp, _ in written:
                tmp.unlink(missing_ok=True)
    return [path for _, path in written]


def _remove_stale(path: Path) -> None:
    """Temp files of ``path`` left by a run that was killed (SIGKILL, power loss): safe to
    remove, as every writer of the set holds the folder's lock."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with suppress(OSError):
            stale.unlink()


@contextmanager
def new_folder(path: Path, *, force: bool = False) -> Iterator[Path]:
    """Yield an empty temp folder beside ``path``; when the block succeeds it becomes ``path``.

    An existing non-empty ``path`` is refused unless ``force``; then the whole old folder is
    replaced (never merged: files of two runs must not mix). On any failure the temp folder
    goes and ``path`` stays as it was."""
    path = Path(path)
    if path.is_symlink():
        raise OutputError(f"{path}: is a symbolic link (to {os.readlink(path)}); write the "
                          "folder elsewhere")
    if not path.parent.exists():
        raise UsageError(f"{path}: parent folder {path.parent} does not exist")
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: exists and is not a folder")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise OutputError(f"{path}: folder is not empty; use --force to replace it as a whole")
    with terminate_as_exit():
        try:
            tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
        except OSError as exc:
            raise output_error(path, exc, "cannot create folder") from None
        old: Path | None = None
        try:
            try:
                yield tmp
            except OSError as exc:
                raise output_error(path, exc) from None
            try:
                os.chmod(tmp, stat.S_IMODE(path.stat().st_mode) if path.is_dir()
                         else 0o777 & ~_umask())
                with _signals_held():
                    if path.exists():
                        old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old",
                                                    dir=path.parent))
                        os.replace(path, old)  # onto an empty folder: allowed by POSIX
                    try:
                        os.replace(tmp, path)
                    except OSError:
                        if old is not None:
                            os.replace(old, path)
                            old = None
                        raise
            except OSError as exc:
                raise output_error(path, exc, "cannot replace folder") from None
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
