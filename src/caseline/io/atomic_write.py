"""Atomic file writes: never leave a half-written output file behind, never replace what is not a file.

The data goes to a temporary file in the target's folder, is flushed to disk (fsync), and is then
renamed over the target, so a crash, a full disk or a read-only folder leaves the old file as it was.
A symlink is written through (its target is replaced, the link stays); a target that exists but is not
a regular file (a device such as /dev/null, a FIFO, a folder) is refused rather than replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename. Raises OSError."""
    target = os.path.realpath(os.fspath(path))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "exists and is not a regular file; caseline will not replace it", os.fspath(path))
    folder = os.path.dirname(target)
    fd, tmp = tempfile.mkstemp(prefix=".caseline-", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _target_mode(target))  # mkstemp makes 0600; a figure is an ordinary file
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(folder)


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable (POSIX); a folder that cannot be opened is left as it is."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _target_mode(path: str) -> int:
    """The mode an existing file has, else what a plain open() would give under the umask."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
