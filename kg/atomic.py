"""Write files so that a reader never sees half of one: a temporary file, then a rename; and
directories so that a reader sees all the old files or all the new ones (an exchange)."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import UsageError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; on any error the old file (if any) is untouched."""
    import tempfile

    path = regular_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; published files are readable
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def regular_target(path: str | os.PathLike) -> Path:
    """``path``, if a write may replace it: never a FIFO, device or socket (a rename would
    silently replace it with a file) nor a symbolic link (which could point anywhere, e.g. a
    link planted in a published directory)."""
    path = Path(path)
    if path.is_symlink():
        raise UsageError(f"{str(path)!r} is a symbolic link: give the file it points to")
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return path
    if stat.S_ISDIR(mode):
        raise UsageError(f"{str(path)!r} is a directory, not a file")
    if not stat.S_ISREG(mode):
        raise UsageError(f"{str(path)!r} is not a regular file (a FIFO, device or socket): write to stdout instead")
    return path


def exchange(a: Path, b: Path) -> None:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); elsewhere, two renames."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        renameat2 = None
    if renameat2 is not None:
        at_fdcwd, rename_exchange = -100, 2
        if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
            return
        errno = ctypes.get_errno()
        if errno not in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot
            raise OSError(errno, os.strerror(errno), str(b))
    aside = a.with_name(a.name + ".old")
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)


def staging_dir(target: Path, purpose: str) -> Path:
    """A new empty directory beside ``target`` for a :func:`replace_directory`; leftovers of
    processes that died (``kill -9``) are removed first."""
    target = Path(os.path.abspath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{target.name}.kg-{purpose}-"
    for old in target.parent.glob(prefix + "*"):
        pid = old.name[len(prefix) :]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    staging = discard_staging(target, purpose)
    staging.mkdir()
    return staging


def discard_staging(target: str | os.PathLike, purpose: str) -> Path:
    """Remove this process's staging directory for ``target`` (after Ctrl-C); returns its path."""
    target = Path(os.path.abspath(target))
    staging = target.parent / f".{target.name}.kg-{purpose}-{os.getpid()}"
    if staging.exists():  # moved first: a writer still at work there cannot add files behind rmtree
        trash = staging.with_name(staging.name + "-discarded")
        with contextlib.suppress(OSError):
            os.rename(staging, trash)
        for _ in range(5):
            shutil.rmtree(trash, ignore_errors=True)
            shutil.rmtree(staging, ignore_errors=True)
            if not trash.exists() and not staging.exists():
                break
    return staging


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def replace_directory(target: str | os.PathLike, *, keep: bool = True, purpose: str = "new") -> Iterator[Path]:
    """Yield a directory to fill, then put it in place of ``target`` in one step: a reader, or
    a process killed on the way, sees all the old content or all the new. With ``keep``, the
    new directory starts with the old one's files (hard links, so no copy), which the caller
    then replaces. On an error the target is untouched."""
    target = Path(os.path.abspath(target))
    if target.exists() and not target.is_dir():
        raise UsageError(f"{str(target)!r} is not a directory")
    staging = staging_dir(target, purpose)
    new = staging / "new"
    try:
        if keep and target.is_dir():
            shutil.copytree(target, new, symlinks=True, copy_function=os.link)
        else:
            new.mkdir()
        os.chmod(new, 0o777 & ~_umask())
        yield new
        if target.is_dir():
            exchange(new, target)
        else:
            os.rename(new, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
